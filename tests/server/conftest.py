"""The server the browser tests share: a real ``govgraph serve`` over the bundled samples, one per test module."""
from __future__ import annotations

import pytest

from govgraph.server import service
from tests.conftest import ROOT, SAMPLE_TRACKER

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
