"""The bounded runner behind the SPARQL endpoint: negotiation, update detection, the cap and the timeout."""
from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from govgraph.queries import PREFIX_BLOCK
from govgraph.queries.bounded import Outcome, QueryRunner, Request, accepted, is_update, negotiate

EX = "http://example.org/"


def small_store(n: int = 30) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)),
                         ox.NamedNode(EX + "g")) for i in range(n))
    return store


@pytest.mark.parametrize("header, graph, expected", [
    (None, False, "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", False, "application/sparql-results+xml"),
    ("application/json", True, "application/ld+json"),
    ("text/*", True, "text/turtle"),
    ("image/png", False, None),
    ("text/turtle;q=0", True, None),
])
def test_negotiation(header, graph, expected):
    assert negotiate(accepted(header), graph=graph) == expected


def test_updates_are_told_from_queries_quickly():
    assert is_update("PREFIX a: <urn:a#>\n# comment\n  BASE <urn:b>\ninsert data { <urn:x> <urn:y> <urn:z> }")
    assert not is_update(PREFIX_BLOCK + "SELECT * WHERE { ?s ?p ?o }")
    started = time.monotonic()
    assert not is_update(PREFIX_BLOCK * 200 + " " * 100_000 + "SELECT")
    assert time.monotonic() - started < 1  # a nested regex once took minutes here


def test_answers_in_memory_with_the_cap():
    runner = QueryRunner(small_store(), timeout_s=5)
    ok = runner.run(Request("SELECT ?s WHERE { ?s ?p ?o }", max_results=30))
    assert ok.ok and ok.size == 30 and ok.media_type == "application/sparql-results+json"
    capped = runner.run(Request("SELECT ?s WHERE { ?s ?p ?o }", max_results=29))
    assert capped.outcome is Outcome.TOO_LARGE and capped.body == b"" and "more than 29 rows" in capped.message
    graph = runner.run(Request("CONSTRUCT WHERE { ?s ?p ?o }", accept=("application/n-triples",), max_results=30))
    assert graph.ok and graph.body.count(b"\n") == 30
    csv = runner.run(Request("ASK { ?s ?p ?o }", accept=("text/csv",)))
    assert csv.body == b"true\n"


def test_a_query_past_its_time_is_stopped_in_a_worker_process(tmp_path):
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.bulk_load(input="".join(f"<{EX}s{i}> <{EX}p> \"{i}\" .\n" for i in range(300)).encode(),
                    format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store
    runner = QueryRunner(str(path), timeout_s=1, workers=1)
    try:
        started = time.monotonic()
        slow = runner.run(Request("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"))
        assert slow.outcome is Outcome.TIMEOUT and time.monotonic() - started < 5
        worker = runner._all  # the killed worker is gone; the next query starts a fresh one
        assert worker == []
        after = runner.run(Request("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        assert after.ok and b'"300"' in after.body
    finally:
        runner.close()
