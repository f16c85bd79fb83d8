"""The servers the page tests share, one per test module: a real ``govgraph serve`` over the bundled samples, and one
with an upload token over a store holding one plan."""
from __future__ import annotations

import pytest

from govgraph.server import service
from tests.conftest import ROOT, SAMPLE_TRACKER, LiveServer

#: The upload token of the upload desk's server.
TOKEN = "s3cret-token"
KIRKLEES = ROOT / "samples" / "documents" / "kirklees-2020-peer-challenge-action-plan.txt"
#: Markup in a name, which every page must show as text.
HOSTILE = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A server over the bundled samples plus one graph whose names carry markup."""
    from pyoxigraph import Literal, NamedNode, Triple

    from govgraph.ontology import GG, ORG, RDF, RDFS
    from tests.conftest import LiveServer

    folder = tmp_path_factory.mktemp("browser")
    store = folder / "store"
    with service.opened(store, write=True) as db:
        summary = service.load_paths(db, [ROOT / "samples" / "documents", SAMPLE_TRACKER])
        assert not summary.failed
        recommendations = sum(f.recommendations for f in service.dashboard(db))
        shown = service.network(db, service.NetworkFilters(council="Kirklees Council"))
        post = min(n for n, d in shown.nodes(data=True) if d["kind"] == "post")  # one the Kirklees map shows
        person = NamedNode("https://w3id.org/govgraph/id/person/kirklees-council/hostile")
        db.replace_graph(NamedNode("https://w3id.org/govgraph/id/document/hostile"), [
            Triple(person, RDF.type, GG.Person), Triple(person, RDFS.label, Literal("Hostile " + HOSTILE)),
            Triple(NamedNode(post), ORG.heldBy, person)])
    server = LiveServer(store)
    server.recommendations = recommendations
    yield server, person.value
    server.stop()


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """A server with an upload token over a store holding the Kirklees plan (uploads up to 0.2 MB)."""
    folder = tmp_path_factory.mktemp("uploads")
    store = folder / "store"
    with service.opened(store, write=True) as db:
        assert not service.load_paths(db, [KIRKLEES]).failed
    server = LiveServer(store, env={"GOVGRAPH_UPLOAD_TOKEN": TOKEN, "GOVGRAPH_MAX_UPLOAD_MB": "0.2"})
    server.store = store
    yield server
    server.stop()
