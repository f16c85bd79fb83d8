"""The store interface: named graphs, atomic replacement, read-only snapshots, locking, export round trips; the
same cases on the embedded store (in memory, on disk) and on a SPARQL server."""
from __future__ import annotations

import os

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
    with pytest.raises(StoreLockedError, match="in use by '") as locked:
        open_store(path)
    assert f"(process {os.getpid()}, since " in locked.value.holder  # the note the writer left beside the lock
    reader = open_store(path, read_only=True)  # a snapshot beside the writer
    assert reader.count() == 1
    with pytest.raises(StoreError, match="read-only"):
        reader.replace_graph(G1, [])
    reader.close()
    writer.close()
    assert not (path / "govgraph-writer.json").exists()
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


def test_large_graphs_are_replaced_by_bulk_loading(store, monkeypatch):
    import govgraph.queries.store as module

    monkeypatch.setattr(module, "SINGLE_UPDATE_LIMIT", 1)
    store.replace_graph(G1, [t("a", "1"), t("b", "2")])
    assert store.replace_graph(G1, [t("c", "3"), t("d", "4"), t("e", 'tricky " } DROP ALL')]) == 3
    assert store.graphs() == [G1]
    monkeypatch.setattr(module, "SINGLE_UPDATE_LIMIT", 10)
    assert store.replace_graph(G1, [t("f", 'tricky " } } DROP ALL #'), t("g", "\\u0000 <x>")]) == 2
    assert {r["o"] for r in store.select("SELECT ?o WHERE { ?s ?p ?o }").values()} == {
        'tricky " } } DROP ALL #', "\\u0000 <x>"}


# --- replacing a graph from a file (the engine's bulk loader) ----------------------------------------------------

def _nt(path, subjects: range, *, tail: str = "") -> None:
    path.write_text("".join(f'<https://example.org/s{i}> <https://example.org/p> "v{i}" .\n' for i in subjects)
                    + tail)


def test_replace_graph_from_file_into_a_new_graph_and_over_an_old_one(store, tmp_path):
    store.replace_graph(G2, [t("other", "kept")])
    _nt(tmp_path / "one.nt", range(1000))
    assert store.replace_graph_from_file(G1, tmp_path / "one.nt", ox.RdfFormat.N_TRIPLES) == 1000
    _nt(tmp_path / "two.nt", range(500, 700))
    assert store.replace_graph_from_file(G1, tmp_path / "two.nt", ox.RdfFormat.N_TRIPLES) == 200
    assert store.count(graph=G1) == 200 and store.count(graph=G2) == 1
    assert {r["o"] for r in store.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": G1}).values()
            } == {f"v{i}" for i in range(500, 700)}
    assert store.graphs() == [G1, G2]


@pytest.mark.parametrize("existed", [False, True])
def test_a_file_that_fails_to_parse_half_way_leaves_the_graph_as_it_was(store, tmp_path, existed):
    if existed:
        store.replace_graph(G1, [t("a", "old")])
    _nt(tmp_path / "bad.nt", range(50_000), tail='<https://example.org/x> <https://example.org/p> "unterminated .\n')
    with pytest.raises(StoreError, match=r"bad.nt:50001: invalid N-Triples"):
        store.replace_graph_from_file(G1, tmp_path / "bad.nt", ox.RdfFormat.N_TRIPLES)
    if existed:
        assert store.triples(G1) == [t("a", "old")]
        assert store.graphs() == [G1]
    else:
        assert store.graphs() == [] and store.count(graph=G1) == 0


def test_finish_may_refuse_the_load_or_add_triples(store, tmp_path):
    store.replace_graph(G1, [t("a", "old")])
    _nt(tmp_path / "new.nt", range(10))

    def refuse():
        raise LookupError("the check said no")

    with pytest.raises(LookupError, match="the check said no"):
        store.replace_graph_from_file(G1, tmp_path / "new.nt", ox.RdfFormat.N_TRIPLES, finish=refuse)
    assert store.triples(G1) == [t("a", "old")]
    assert store.replace_graph_from_file(G1, tmp_path / "new.nt", ox.RdfFormat.N_TRIPLES,
                                         finish=lambda: [t("source", "new.nt")]) == 11
    assert t("source", "new.nt") in store.triples(G1)


def test_relative_iris_in_a_file_resolve_against_the_file(store, tmp_path):
    (tmp_path / "rel.ttl").write_text('<#a> <https://example.org/p> "1" .\n')
    store.replace_graph_from_file(G1, tmp_path / "rel.ttl", ox.RdfFormat.TURTLE)
    assert store.triples(G1)[0].subject == NamedNode((tmp_path / "rel.ttl").resolve().as_uri() + "#a")


def test_a_reader_in_another_process_sees_writes_while_the_writer_is_open(tmp_path):
    import subprocess
    import sys

    writer = open_store(tmp_path / "store")
    count = "import pyoxigraph as ox, sys; print(len(ox.Store.read_only(sys.argv[1])))"
    for n in (1, 3):
        writer.replace_graph(G1, [t(f"s{i}", "x") for i in range(n)])  # nothing flushed: the log is read
        seen = subprocess.run([sys.executable, "-c", count, str(tmp_path / "store")], capture_output=True, text=True, check=False)
        assert seen.stdout.strip() == str(n), seen.stderr
    writer.close()
