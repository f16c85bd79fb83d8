"""Loading files into a real store: big RDF files go through the bulk loader to the same graphs a full read gives,
a refused file changes nothing, and reading files in parallel leaves the store as reading them one by one does."""
from __future__ import annotations

import shutil

import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.compare import graph_diff, isomorphic

from govgraph.loaders import rdf
from govgraph.loaders.sandbox import Limits
from govgraph.queries.store import ExportFormat, OxigraphStore, open_store
from govgraph.server import service, summaries
from tests.conftest import ROOT, SAMPLE_TRACKER

GG = "https://w3id.org/govgraph/def#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def council_nt(path, actions: int, *, council_of: bool = False, abbreviated_body: bool = False) -> None:
    """An N-Triples file of actions, with blank nodes, a typed literal and a repeated line."""
    lines = []
    for i in range(actions):
        a = f"<https://example.org/action/{i}>"
        lines += [f"{a} {TYPE} <{GG}Action> .", f'{a} <http://www.w3.org/2000/01/rdf-schema#label> "Action {i}" .',
                  f"{a} <{GG}due> _:d{i} .",
                  f'_:d{i} <{GG}printedAs> "March {2020 + i % 5}"^^<http://www.w3.org/2001/XMLSchema#string> .']
    lines.append(lines[0])
    if council_of:
        lines.append(f"<https://w3id.org/govgraph/id/document/{path.stem}> <{GG}councilOf> "
                     "<https://example.org/council/leeds> .")
    if abbreviated_body:
        b = "<https://example.org/body/cgac>"
        lines += [f"{b} {TYPE} <{GG}OversightBody> .", f'{b} <http://www.w3.org/2004/02/skos/core#prefLabel> "CGAC" .',
                  f"{b} <http://www.w3.org/ns/org#unitOf> <https://example.org/council/leeds> ."]
    path.write_text("\n".join(lines) + "\n")


def graphs_of(store) -> dict[str, rdflib.Graph]:
    out = {}
    for graph in store.graphs():
        out[graph.value] = rdflib.Graph().parse(data=store.dump(format=ExportFormat.NTRIPLES, graph=graph),
                                                format="nt")
    return out


def assert_same_graphs(left, right) -> None:
    a, b = graphs_of(left), graphs_of(right)
    assert sorted(a) == sorted(b)
    for name in a:
        if not isomorphic(a[name], b[name]):
            _, only_left, only_right = graph_diff(a[name], b[name])
            raise AssertionError(f"{name} differs:\n{only_left.serialize(format='nt')}\n---\n"
                                 f"{only_right.serialize(format='nt')}")


def load(store, paths, *, bulk: bool, monkeypatch, **kwargs):
    monkeypatch.setattr(rdf, "BULK_MIN_BYTES", 0 if bulk else 1 << 40)
    bulk_loads = []
    real = store.replace_graph_from_file

    def recording(graph, path, format, **options):  # the real method, watched
        bulk_loads.append(path.name)
        return real(graph, path, format, **options)

    monkeypatch.setattr(store, "replace_graph_from_file", recording)
    kwargs.setdefault("limits", Limits())
    kwargs.setdefault("workers", 2)
    summary = service.load_paths(store, paths, **kwargs)
    monkeypatch.undo()
    return summary, bulk_loads


@pytest.fixture
def stores(tmp_path):
    made = []

    def make(name):
        store = open_store(tmp_path / name)
        service.ensure_vocabulary(store)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


def test_a_big_rdf_file_bulk_loads_to_the_graph_a_full_read_gives(tmp_path, stores, monkeypatch):
    council_nt(tmp_path / "plan.nt", 300)
    (tmp_path / "plan2.ttl").write_text("@prefix gg: <https://w3id.org/govgraph/def#> .\n"
                                        "<#r1> a gg:Recommendation ; gg:theme [ a gg:Theme ] .\n")
    paths = [tmp_path / "plan.nt", tmp_path / "plan2.ttl"]
    full_store, bulk_store = stores("full"), stores("bulk")
    full, full_loads = load(full_store, paths, bulk=False, monkeypatch=monkeypatch)
    bulk, bulk_loads = load(bulk_store, paths, bulk=True, monkeypatch=monkeypatch)
    assert full_loads == [] and bulk_loads == ["plan.nt", "plan2.ttl"]
    assert not full.failed and not bulk.failed
    for one, other in zip(full.documents, bulk.documents, strict=True):
        assert (one.graph, one.loader, one.triples, one.counts, one.replaced, one.skipped) == \
               (other.graph, other.loader, other.triples, other.counts, other.replaced, other.skipped)
    assert bulk.documents[0].triples == 300 * 4 + 6 and bulk.documents[0].counts == {"actions": 300}
    assert_same_graphs(full_store, bulk_store)
    # loading again replaces (the graph existed: checked first, then bulk loaded over it)
    council_nt(tmp_path / "plan.nt", 100)
    again, again_loads = load(bulk_store, paths[:1], bulk=True, monkeypatch=monkeypatch)
    assert again_loads == ["plan.nt"] and again.documents[0].replaced and again.documents[0].triples == 100 * 4 + 6
    load(full_store, paths[:1], bulk=False, monkeypatch=monkeypatch)
    assert_same_graphs(full_store, bulk_store)


@pytest.mark.parametrize("existed", [False, True])
def test_a_refused_big_file_changes_nothing(tmp_path, stores, monkeypatch, existed):
    store = stores("store")
    council_nt(tmp_path / "plan.nt", 50)
    if existed:
        load(store, [tmp_path / "plan.nt"], bulk=True, monkeypatch=monkeypatch)
    before = graphs_of(store)
    bad = tmp_path / "plan.nt"
    council_nt(bad, 80)
    with bad.open("a") as handle:
        handle.write('<https://example.org/x> <https://example.org/p> "unterminated .\n')
    summary, _ = load(store, [bad], bulk=True, monkeypatch=monkeypatch)
    assert summary.documents[0].error.startswith(f"{bad}:322: invalid N-Triples")
    council_nt(bad, 80)
    summary, _ = load(store, [bad], bulk=True, monkeypatch=monkeypatch, limits=Limits(max_triples=100))
    assert "more than 100 triples; the limit is 100 (GOVGRAPH_MAX_TRIPLES)" in summary.documents[0].error
    after = graphs_of(store)
    assert sorted(after) == sorted(before)
    assert all(isomorphic(before[name], after[name]) for name in before)


def test_a_file_the_match_step_works_on_is_read_whole(tmp_path, stores, monkeypatch):
    council_nt(tmp_path / "council.nt", 20, council_of=True)
    council_nt(tmp_path / "bodies.nt", 20, abbreviated_body=True)
    paths = [tmp_path / "council.nt", tmp_path / "bodies.nt"]
    full_store, bulk_store = stores("full"), stores("bulk")
    load(full_store, paths, bulk=False, monkeypatch=monkeypatch)
    summary, bulk_loads = load(bulk_store, paths, bulk=True, monkeypatch=monkeypatch)
    assert not summary.failed
    assert bulk_loads == ["council.nt", "bodies.nt"]  # tried, refused by the check, taken out, then read whole
    assert_same_graphs(full_store, bulk_store)


def test_reading_in_parallel_leaves_the_store_as_reading_one_by_one(tmp_path, stores):
    folder = tmp_path / "many"
    folder.mkdir()
    sources = sorted((ROOT / "samples" / "documents").iterdir()) + [SAMPLE_TRACKER]
    for copy in range(2):
        for source in sources:
            shutil.copy(source, folder / f"{source.stem}-{copy}{source.suffix}")
    (folder / "broken.rdf").write_text("<rdf:RDF")
    one, many = stores("one"), stores("many-store")
    sequential = service.load_paths(one, [folder], limits=Limits(), workers=1)
    parallel = service.load_paths(many, [folder], limits=Limits(), workers=4)
    assert [d.path for d in sequential.documents] == [d.path for d in parallel.documents]
    assert [(d.graph, d.triples, d.counts, d.replaced, d.error) for d in sequential.documents] == \
           [(d.graph, d.triples, d.counts, d.replaced, d.error) for d in parallel.documents]
    assert len(sequential.failed) == 1 and len(sequential.loaded) == 2 * len(sources)
    assert sorted(one.dump(format=ExportFormat.NQUADS).decode().splitlines()) == \
           sorted(many.dump(format=ExportFormat.NQUADS).decode().splitlines())


def test_a_store_kept_among_the_documents_is_not_loaded(tmp_path, stores):
    folder = tmp_path / "papers"
    folder.mkdir()
    shutil.copy(SAMPLE_TRACKER, folder / SAMPLE_TRACKER.name)
    store = stores("papers/store")  # open: its lock and the note saying who holds it (JSON) are in its folder
    (folder / "store" / "notes.txt").write_text("not a document")
    assert (folder / "store" / "govgraph-writer.json").exists()
    assert service.expand_paths([folder]) == [folder / SAMPLE_TRACKER.name]
    assert service.expand_paths([folder / "store"]) == []


def test_a_memory_store_bulk_loads_too(tmp_path, monkeypatch):
    council_nt(tmp_path / "plan.nt", 10)
    store = OxigraphStore.memory()
    summary, bulk_loads = load(store, [tmp_path / "plan.nt"], bulk=True, monkeypatch=monkeypatch)
    assert bulk_loads == ["plan.nt"] and summary.documents[0].triples == 46
    assert [g for g in store.graphs() if not summaries.is_derived(g)] == [
        NamedNode("https://w3id.org/govgraph/id/document/plan")]


def test_a_bulk_loaded_file_bearing_on_councils_brings_their_summaries_up_to_date(tmp_path, monkeypatch):
    from tests.server.test_summaries import assert_summaries_match, first_action, write_shared, write_tracker

    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    things = {stem: first_action(tmp_path, stem) for stem in ("c0-plan", "c1-plan")}
    trackers = [write_tracker(tmp_path, stem, [(True, True, 0, 0), (False, True, 1, 1)]) for stem in things]
    load(store, trackers, bulk=False, monkeypatch=monkeypatch)
    for variant in (1, 2):  # loaded, then replaced
        summary, bulk_loads = load(store, [write_shared(tmp_path, variant, things)], bulk=True,
                                   monkeypatch=monkeypatch)
        assert bulk_loads == ["shared.ttl"] and not summary.failed
        assert_summaries_match(store)
