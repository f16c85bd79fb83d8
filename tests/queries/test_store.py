"""The store interface: named graphs, atomic replacement, read-only snapshots, locking, export round trips; the
same cases on the embedded store (in memory, on disk) and on a SPARQL server."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Triple
from rdflib.compare import isomorphic

from govgraph.queries.store import ExportFormat, OxigraphStore, StoreError, StoreLockedError, open_store

G1 = NamedNode("https://example.org/doc/one")
G2 = NamedNode("https://example.org/doc/two")
P = NamedNode("https://example.org/p")


def t(s: str, o: str) -> Triple:
    return Triple(NamedNode(f"https://example.org/{s}"), P, Literal(o))


@pytest.fixture(params=["memory", "disk", "remote"])
def store(request, tmp_path):
    if request.param == "remote":  # the session's SPARQL server (tests/conftest.py), emptied
        s = open_store(request.getfixturevalue("remote_store_url"))
    else:
        s = OxigraphStore.memory() if request.param == "memory" else open_store(tmp_path / "store")
    yield s
    s.close()


def test_replace_graph_replaces_only_that_graph(store):
    assert store.replace_graph(G1, [t("a", "1"), t("b", "2")]) == 2
    store.replace_graph(G2, [t("a", "1")])
    assert store.replace_graph(G1, [t("c", "3")]) == 1
    assert store.graphs() == [G1, G2]
    rows = store.select("SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?o",
                        bindings={}).values()
    assert [(r["s"].rsplit("/", 1)[1], r["o"]) for r in rows] == [("a", "1"), ("c", "3")]


def test_a_failing_replacement_leaves_the_old_graph(store):
    store.replace_graph(G1, [t("a", "1")])

    def broken():
        yield t("x", "new")
        raise ValueError("the loader failed half way")

    with pytest.raises(ValueError):
        store.replace_graph(G1, broken())
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }").values() == [{"o": "1"}]
    assert store.graphs() == [G1]  # no staging graph is left behind


def test_queries_see_the_union_of_graphs_and_bind_terms(store):
    store.replace_graph(G1, [t("a", "1")])
    store.replace_graph(G2, [t("b", "2")])
    rows = store.select("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"s": NamedNode("https://example.org/b")})
    assert rows.values() == [{"s": "https://example.org/b", "o": "2"}]
    assert store.ask("ASK { ?s ?p ?o }")
    assert len(store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")) == 2


def test_a_hostile_binding_is_only_ever_a_literal(store):
    store.replace_graph(G1, [t("a", "1")])
    rows = store.select("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": Literal('x" } DROP ALL #')})
    assert rows.values() == []
    assert store.count() == 1


def test_remove_graph(store):
    store.replace_graph(G1, [t("a", "1")])
    assert store.remove_graph(G1) is True
    assert store.remove_graph(G1) is False
    assert store.count() == 0


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_round_trips(store, fmt):
    store.replace_graph(G1, [t("a", "1"), t("b", "é \"quoted\"")])
    store.replace_graph(G2, [t("a", "1")])
    data = store.dump(format=fmt)
    parsed = list(ox.parse(data, format=fmt.rdf_format))
    if fmt.keeps_graphs:
        assert {(q.graph_name.value, q.triple) for q in parsed} == {
            (G1.value, t("a", "1")), (G1.value, t("b", "é \"quoted\"")), (G2.value, t("a", "1"))}
    else:
        assert {q.triple for q in parsed} == {t("a", "1"), t("b", "é \"quoted\"")}
        a = rdflib.Graph().parse(data=data, format={"ttl": "turtle", "nt": "nt"}[fmt.value])
        b = rdflib.Graph()
        for triple in (t("a", "1"), t("b", "é \"quoted\"")):
            b.add((rdflib.URIRef(triple.subject.value), rdflib.URIRef(P.value), rdflib.Literal(triple.object.value)))
        assert isomorphic(a, b)


def test_disk_store_persists_and_is_locked_while_open(tmp_path):
    path = tmp_path / "store"
    writer = open_store(path)
    writer.replace_graph(G1, [t("a", "1")])
    with pytest.raises(StoreLockedError, match="in use by another process"):
        open_store(path)
    reader = open_store(path, read_only=True)  # a snapshot beside the writer
    assert reader.count() == 1
    with pytest.raises(StoreError, match="read-only"):
        reader.replace_graph(G1, [])
    reader.close()
    writer.close()
    again = open_store(path)
    assert again.count() == 1
    again.close()


def test_read_only_store_must_exist(tmp_path):
    with pytest.raises(StoreError, match="no govgraph store here yet"):
        open_store(tmp_path / "nothing", read_only=True)


def test_unknown_location_scheme_is_refused_clearly():
    with pytest.raises(StoreError, match="no store backend for 'ftp:'"):
        open_store("ftp://example.org/sparql")


def test_a_file_is_not_a_store(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file, not a store directory"):
        open_store(tmp_path / "file")


def test_large_graphs_are_replaced_through_a_staging_graph(store, monkeypatch):
    import govgraph.queries.store as module

    monkeypatch.setattr(module, "SINGLE_UPDATE_LIMIT", 1)
    store.replace_graph(G1, [t("a", "1"), t("b", "2")])
    assert store.replace_graph(G1, [t("c", "3"), t("d", "4"), t("e", 'tricky " } DROP ALL')]) == 3
    assert store.graphs() == [G1]
    monkeypatch.setattr(module, "SINGLE_UPDATE_LIMIT", 10)
    assert store.replace_graph(G1, [t("f", 'tricky " } } DROP ALL #'), t("g", "\\u0000 <x>")]) == 2
    assert {r["o"] for r in store.select("SELECT ?o WHERE { ?s ?p ?o }").values()} == {
        'tricky " } } DROP ALL #', "\\u0000 <x>"}
