"""What is the SPARQL server store's own: binding values by a VALUES block (checked against pyoxigraph's
substitution on every query file and every SPARQL string of the service layer), clear errors for each way a server
can fail, streaming a file in a PUT, and refusing what cannot be done."""
from __future__ import annotations

import http.server
import importlib
import re
import socket
import threading
from collections import Counter
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from govgraph.queries import PREFIX_BLOCK
from govgraph.queries.remote import RemoteOptions, RemoteStore
from govgraph.queries.store import OxigraphStore, StoreError, open_store
from govgraph.queries.syntax import where_brace, with_bindings
from govgraph.server import service
from tests.conftest import SAMPLE_TRACKER

QUERIES = Path(__file__).resolve().parents[2] / "queries"
QUERY_FILES = sorted(QUERIES.glob("**/*.rq"))
# The SPARQL strings the service layer binds values into (module, constant).
SERVICE_QUERIES = [("govgraph.server.loading", "COUNCIL_BODIES"), ("govgraph.server.matching", "ITEMS"),
                   ("govgraph.server.matching", "COUNCIL_DOCUMENTS"), ("govgraph.server.matching", "UPDATES"),
                   ("govgraph.server.matching", "DUES"), ("govgraph.server.matching", "COUNCIL_OF"),
                   ("govgraph.queries", "LOOKUP"), ("govgraph.queries", "KNOWN")]
G = NamedNode("https://example.org/doc/one")


def t(s: str, o: str) -> Triple:
    return Triple(NamedNode(f"https://example.org/{s}"), NamedNode("https://example.org/p"), Literal(o))


# --- the VALUES block -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, rest", [
    ("SELECT * WHERE { ?s ?p ?o }", " ?s ?p ?o }"),
    ("SELECT * { ?s ?p ?o }", " ?s ?p ?o }"),
    ('PREFIX w: <http://x/#WHERE> SELECT ("{ WHERE" AS ?x) # WHERE {\nWHERE {?s ?p ?o}', "?s ?p ?o}"),
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", " { SELECT ?s WHERE { ?s ?p ?o } } }"),
    ("CONSTRUCT { ?s ?p '}' } WHERE { ?s ?p ?o }", " ?s ?p ?o }"),
    ("ASK FROM <http://g/> { ?s ?p ?o }", " ?s ?p ?o }"),
    ("SELECT ?where WHERE { ?where ?p ?o }", " ?where ?p ?o }"),
    ('SELECT * WHERE { ?s ?p """a } \' { b""" }', ' ?s ?p """a } \' { b""" }'),
])
def test_the_block_goes_after_the_outermost_where_brace(query, rest):
    assert query[where_brace(query):] == rest


@pytest.mark.parametrize("query", ["CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <http://x/>", "INSERT DATA { }"])
def test_a_query_without_a_where_clause_to_bind_in_is_refused(query):
    with pytest.raises(StoreError):
        with_bindings(query, {"s": NamedNode("http://x/")})


def test_only_iris_and_literals_can_be_bound():
    with pytest.raises(StoreError, match="only IRIs and literals"):
        with_bindings("SELECT * WHERE { ?s ?p ?o }", {"s": BlankNode()})
    with pytest.raises(StoreError, match="not a variable name"):
        with_bindings("SELECT * WHERE { ?s ?p ?o }", {"s ?p": Literal("x")})


@pytest.fixture(scope="module")
def sample():
    """An in-memory store with the sample tracker, and terms to bind: its council, one document graph."""
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    service.load_paths(store, [SAMPLE_TRACKER])
    council = store.select("PREFIX gg: <https://w3id.org/govgraph/def#> SELECT ?c WHERE { ?c a gg:Council }").rows
    graph = next(g for g in store.graphs() if "/document/" in g.value)
    return store, {"council": council[0]["c"], "g": graph, "class": NamedNode("https://w3id.org/govgraph/def#Council"),
                   "wanted": Literal("Leeds City Council")}


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: str(p.relative_to(QUERIES)))
def test_every_query_file_gets_its_block_where_the_named_query_runner_puts_it(sample, path):
    # Named queries bind their parameters with queries.with_values on every backend; the store's own binding must
    # find the same outermost WHERE clause, and give the same rows.
    from govgraph.queries import with_values

    store, terms = sample
    query = PREFIX_BLOCK + path.read_text(encoding="utf-8")
    used = {v: terms[v] for v in terms if re.search(rf"[?$]{v}\b", query)} or {"unused": Literal("x")}
    injected = store.select(with_bindings(query, used)) if "SELECT" in query.upper() else None
    expected = store.select(with_values(query, used)) if injected is not None else None
    if injected is not None:
        assert Counter(map(repr, injected.rows)) == Counter(map(repr, expected.rows))
    else:
        assert where_brace(query) > 0


@pytest.mark.parametrize("module, name", SERVICE_QUERIES, ids=[f"{m.rsplit('.', 1)[1]}.{n}" for m, n in SERVICE_QUERIES])
def test_a_values_block_gives_what_substitution_gives_on_the_service_queries(sample, module, name):
    # These the service layer runs with store.select(..., bindings=...): pyoxigraph substitutes, a server gets the block.
    store, terms = sample
    query = getattr(importlib.import_module(module), name)
    bindings = {v: terms[v] for v in terms if re.search(rf"SELECT[^{{]*[?$]{v}\b", query, re.DOTALL)}
    assert bindings, "the query projects none of the terms this test binds"
    expected = store.select(query, bindings=bindings)
    injected = store.select(with_bindings(query, bindings))
    assert injected.variables == expected.variables
    assert Counter(map(repr, injected.rows)) == Counter(map(repr, expected.rows))


# --- a real server, and servers that fail ---------------------------------------------------------------------

@pytest.fixture
def default_settings(monkeypatch):
    """No GOVGRAPH_STORE_* settings from the environment (``make test-virtuoso`` sets Virtuoso's)."""
    import os

    from govgraph.server.settings import get_settings

    for key in [k for k in os.environ if k.startswith("GOVGRAPH_STORE_")]:
        monkeypatch.delenv(key)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_file_is_streamed_in_and_a_broken_one_changes_nothing(remote_store_url, tmp_path):
    store = open_store(remote_store_url)
    good = tmp_path / "good.ttl"
    good.write_text("@prefix ex: <https://example.org/> .\nex:a ex:p 'one', 'two' ; ex:q [ ex:r 'blank' ] .\n")
    assert store.replace_graph_from_file(G, good, ox.RdfFormat.TURTLE) == 4
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\nex:a ex:p 'three' .\nex:b ex:p ")
    with pytest.raises(StoreError, match=r"broken.ttl:3: invalid Turtle, graph .* is unchanged"):
        store.replace_graph_from_file(G, broken, ox.RdfFormat.TURTLE)
    assert store.count(graph=G) == 4 and {r["o"] for r in store.select(
        "SELECT ?o WHERE { ?s <https://example.org/p> ?o }").values()} == {"one", "two"}
    store.close()


def test_replace_graphs_writes_and_removes_in_one_update(remote_store_url):
    store = open_store(remote_store_url)
    other = NamedNode("https://example.org/doc/two")
    store.replace_graph(other, [t("x", "old")])
    store.replace_graphs({G: [t("a", "1"), t("b", 'quote " } DROP ALL #')]}, remove=[other])
    assert store.graphs() == [G] and store.count() == 2
    store.close()


def test_a_read_only_remote_store_refuses_writes(remote_store_url):
    store = open_store(remote_store_url, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        store.replace_graph(G, [t("a", "1")])
    assert store.count() == 0
    store.close()


def test_nothing_listening_is_a_clear_error(default_settings):
    import socket as sockets

    with sockets.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError, match=rf"http://127.0.0.1:{port}/query: cannot connect .* is it running"):
        open_store(f"http://127.0.0.1:{port}")


def test_a_server_that_never_answers_is_a_timeout():
    with socket.socket() as s:  # listens, never accepts: the request waits for an answer that never comes
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
        with pytest.raises(StoreError, match=rf"{url}/query: no answer within 0.5 s"):
            RemoteStore(url, options=RemoteOptions(timeout_s=0.5))


class _Canned(http.server.BaseHTTPRequestHandler):
    status, body, media = 200, b"", "application/sparql-results+json"
    seen: ClassVar[list] = []  # (path, headers, body) of each request

    def do_POST(self):
        self.seen.append((self.path, dict(self.headers), self.rfile.read(int(self.headers.get("content-length", 0)))))
        self.send_response(self.status)
        self.send_header("Content-Type", self.media)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def canned():
    """A server answering every request with the status and body set on its handler class."""
    class Handler(_Canned):
        seen: ClassVar[list] = []

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_error_status_names_the_url_and_the_servers_message(canned, default_settings):
    handler, url = canned
    handler.status, handler.body, handler.media = 401, b"Unauthorized: digest needed", "text/plain"
    with pytest.raises(StoreError, match=rf"{url}/query: could not run a query: HTTP 401: Unauthorized: digest "
                                         r"needed \(check GOVGRAPH_STORE_USER"):
        open_store(url)


def test_an_answer_cut_short_by_the_server_is_an_error_not_half_an_answer(canned):
    handler, url = canned
    handler.body = b'{"head":{},"boolean":true}'
    store = RemoteStore(url)
    handler.body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://a"}},{"s'
    with pytest.raises(StoreError, match="cut short"):
        store.select("SELECT ?s WHERE { ?s ?p ?o }")
    store.close()


def test_the_settings_choose_the_paths_headers_and_credentials_sent(canned, monkeypatch, default_settings):
    from govgraph.server.settings import Settings, get_settings

    handler, url = canned
    handler.body = b'{"head":{},"boolean":true}'
    monkeypatch.setenv("GOVGRAPH_STORE_QUERY_PATH", "/sparql")
    monkeypatch.setenv("GOVGRAPH_STORE_HEADERS", '{"X-Api-Key": "k1"}')
    monkeypatch.setenv("GOVGRAPH_STORE_USER", "reader")
    monkeypatch.setenv("GOVGRAPH_STORE_PASSWORD", "s3cret")
    assert Settings().store_headers == {"X-Api-Key": "k1"}
    get_settings.cache_clear()
    try:
        store = open_store(url)  # through BACKENDS["http"] and the settings
        assert store.ask("ASK { ?s ?p ?o }", bindings={"s": NamedNode("https://example.org/a")})
        store.close()
    finally:
        get_settings.cache_clear()
    path, headers, body = handler.seen[-1]
    assert path == "/sparql" and headers["X-Api-Key"] == "k1"
    assert headers["Authorization"] == "Basic cmVhZGVyOnMzY3JldA=="  # reader:s3cret
    from urllib.parse import parse_qs

    assert parse_qs(body.decode())["query"] == ["ASK { VALUES (?s) { (<https://example.org/a>) }  ?s ?p ?o }"]
