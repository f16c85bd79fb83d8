"""The named queries written without LATERAL (for SPARQL servers that do not run it) give the same rows."""
from __future__ import annotations

import json
import re

import pytest

from govgraph import queries
from govgraph.queries.store import OxigraphStore
from govgraph.queries.syntax import without_lateral
from govgraph.server import service
from tests.conftest import ROOT

LATERAL_QUERIES = sorted(name for name, q in queries.catalogue().items()
                         if "LATERAL" in re.sub(r"#[^\n]*", "", q.sparql))


@pytest.fixture(scope="module")
def samples():
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    service.load_paths(store, [ROOT / "samples" / "documents", ROOT / "samples" / "trackers"])
    return store


def test_some_named_queries_use_lateral():
    assert len(LATERAL_QUERIES) >= 5


@pytest.mark.parametrize("name", LATERAL_QUERIES)
def test_without_lateral_the_same_rows(samples, name, tmp_path):
    query = queries.get_query(name)
    plain = tmp_path / f"{name}.rq"
    plain.write_text(without_lateral(query.text), encoding="utf-8")
    assert "LATERAL" not in re.sub(r"#[^\n]*", "", plain.read_text())
    params = [{}]
    if any(p.name == "council" for p in query.parameters):
        params.append({"council": "Leeds City Council"})
    for kind, param in (("posts", "post"), ("bodies", "body")):
        if any(p.name == param for p in query.parameters):
            params = [{param: item["iri"]} for item in service.list_resources(samples, kind, limit=5).items]
    for values in params:
        with_lateral = service.run_query(samples, name, values)[1].values()
        without = service.run_query(samples, str(plain), values)[1].values()
        key = lambda row: json.dumps({k: v for k, v in row.items() if k not in ("source", "target_name")},
                                     sort_keys=True)
        assert sorted(map(key, with_lateral)) == sorted(map(key, without)), values
