"""A :class:`~govgraph.queries.store.GraphStore` on any SPARQL 1.1 server, over HTTP.

Queries go to the SPARQL 1.1 Protocol's query endpoint, changes of several graphs at once to its update endpoint
(one update, so readers see all of it or none of it), and one document's graph is replaced (``PUT``) or removed
(``DELETE``) through the Graph Store HTTP Protocol. Results are read with pyoxigraph's own parsers, so callers get
the same terms as from the embedded store.

The server must show the union of its named graphs as the default graph, as the embedded store does: Oxigraph
server with ``--union-default-graph``, Virtuoso by default (see ``docs/backends.md`` for each server).

Bound variables are joined in through a ``VALUES`` block written from parsed terms at the start of the query's
outermost WHERE clause (:func:`govgraph.queries.syntax.with_bindings`); no text typed by anyone is pasted into a
query.
"""
from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
from pyoxigraph import NamedNode, Quad, Triple

from govgraph.queries.store import SINGLE_UPDATE_LIMIT, ExportFormat, SelectResult, StoreError, Term, replacement_update
from govgraph.queries.syntax import dataset_clause, with_bindings, without_lateral

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
# What a SELECT/ASK may come back as, and what a CONSTRUCT/DESCRIBE may, best first (servers differ).
RESULTS_ACCEPT = f"{RESULTS_JSON}, application/sparql-results+xml;q=0.8"
GRAPH_ACCEPT = f"{N_TRIPLES}, text/turtle;q=0.9, application/rdf+xml;q=0.5"


class AuthScheme(enum.Enum):
    """How a user name and password are sent: HTTP basic (Fuseki, GraphDB) or digest (Virtuoso's ``-auth`` paths)."""

    BASIC = "basic"
    DIGEST = "digest"


@dataclass(frozen=True)
class RemoteOptions:
    """How to reach a SPARQL server. Paths are appended to the store URL (an empty path is the URL itself)."""

    query_path: str = "/query"
    update_path: str = "/update"
    graph_store_path: str = "/store"
    headers: Mapping[str, str] = field(default_factory=dict)
    user: str | None = None
    password: str | None = None
    auth: AuthScheme = AuthScheme.BASIC
    timeout_s: float = 60.0
    connect_timeout_s: float = 5.0
    #: Graphs whose IRI starts with one of these are the server's own (Virtuoso's system graphs), not documents:
    #: left out of the graphs listed, counted and exported.
    excluded_graphs: tuple[str, ...] = ()
    #: Replace several graphs in one SPARQL update (readers see all of it or none of it). Off for servers whose
    #: updates cannot hold a document's triples (Virtuoso compiles an INSERT DATA of a few thousand triples into
    #: too much SQL): each graph is then replaced by its own PUT, each still all or nothing.
    one_update: bool = True
    #: The server runs LATERAL (SPARQL 1.2 draft: Oxigraph, Jena). Off (Virtuoso): it is written out of each query
    #: (:func:`govgraph.queries.syntax.without_lateral`), giving the same rows.
    lateral: bool = True



# --- reading answers ----------------------------------------------------------------------------------------------

_BNODE_ID = re.compile(r"[^A-Za-z0-9_-]")


def _clean_bnodes(body: bytes) -> bytes:
    """SPARQL JSON results with blank node labels pyoxigraph accepts: some servers write labels such as
    ``nodeID://b10006`` (Virtuoso); each is mapped to a label of letters and digits, the same one each time."""
    document = json.loads(body)

    def clean(term):
        if term.get("type") == "bnode" and _BNODE_ID.search(term["value"]):
            term["value"] = "b" + _BNODE_ID.sub(lambda m: f"x{ord(m.group()):x}", term["value"])
        elif term.get("type") == "triple":
            for part in term["value"].values():
                clean(part)

    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            clean(term)
    return json.dumps(document).encode("utf-8")


def parse_results(body: bytes, media_type: str) -> ox.QuerySolutions | ox.QueryBoolean:
    """A SELECT or ASK answer in SPARQL JSON or XML, parsed by pyoxigraph.

    :raises ValueError: the body is not a complete answer in that format (a server that stops a query on its own
        time limit may send a cut-off body with status 200).
    """
    fmt = ox.QueryResultsFormat.from_media_type(media_type) or ox.QueryResultsFormat.JSON
    try:
        if fmt == ox.QueryResultsFormat.JSON and b'"bnode"' in body and b"nodeID:" in body:
            body = _clean_bnodes(body)
        return ox.parse_query_results(body, format=fmt)
    except (SyntaxError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
        raise ValueError(f"the answer is not complete {media_type}: {exc}") from exc


def parse_triples(body: bytes, media_type: str) -> list[Triple]:
    """A CONSTRUCT or DESCRIBE answer (N-Triples, Turtle, RDF/XML, ...) as triples.

    :raises ValueError: the body does not parse in that format.
    """
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"cannot read RDF sent as {media_type!r}")
    try:
        return [q.triple for q in ox.parse(body, format=fmt)]
    except SyntaxError as exc:
        raise ValueError(f"the answer is not complete {media_type}: {exc}") from exc


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


# --- the store ----------------------------------------------------------------------------------------------------

class RemoteStore:
    """A SPARQL 1.1 server as a govgraph store. ``url`` is the server's base address; ``options`` say where its
    endpoints are and how to authenticate. Opening checks that the query endpoint answers.

    :raises StoreError: the server cannot be reached or refuses the check (the URL and the reason in the message).
    """

    def __init__(self, url: str, *, options: RemoteOptions | None = None, read_only: bool = False) -> None:
        self.options = options or RemoteOptions()
        self.location = url
        self.read_only = read_only
        base = url.rstrip("/")
        self.query_url = base + self.options.query_path
        self.update_url = base + self.options.update_path
        self.graph_store_url = base + self.options.graph_store_path
        auth = None
        if self.options.user is not None:
            password = self.options.password or ""
            auth = (httpx.DigestAuth(self.options.user, password) if self.options.auth is AuthScheme.DIGEST
                    else httpx.BasicAuth(self.options.user, password))
        self._client = httpx.Client(
            headers=dict(self.options.headers), auth=auth, follow_redirects=False,
            timeout=httpx.Timeout(self.options.timeout_s, connect=self.options.connect_timeout_s))
        try:
            self.ask("ASK { }")
        except StoreError:
            self._client.close()
            raise

    @property
    def client(self) -> httpx.Client:
        """The HTTP client (with the store's headers and credentials), for the SPARQL endpoint's forwarding
        runner (:mod:`govgraph.queries.forwarded`)."""
        return self._client

    # --- HTTP --------------------------------------------------------------------------------------------------------

    def _send(self, method: str, url: str, what: str, *, ok_statuses: tuple[int, ...] = (),
              **kwargs) -> httpx.Response:
        """One request; any failure becomes a :class:`StoreError` naming the URL, what was being done and why."""
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.ConnectError as exc:
            raise StoreError(f"{url}: cannot connect to the SPARQL server to {what} ({exc}); is it running, and is "
                             "the store URL right?") from exc
        except httpx.TimeoutException as exc:
            raise StoreError(f"{url}: no answer within {self.options.timeout_s:g} s to {what} (the setting "
                             "GOVGRAPH_STORE_TIMEOUT)") from exc
        except (httpx.HTTPError, httpx.StreamError) as exc:
            raise StoreError(f"{url}: could not {what}: {exc}") from exc
        if response.status_code >= 400 and response.status_code not in ok_statuses:
            message = " ".join(response.text.split())[:600] or response.reason_phrase
            hint = ""
            if response.status_code in (401, 403):
                hint = (" (check GOVGRAPH_STORE_USER / GOVGRAPH_STORE_PASSWORD / GOVGRAPH_STORE_AUTH or "
                        "GOVGRAPH_STORE_HEADERS)")
            raise StoreError(f"{url}: could not {what}: HTTP {response.status_code}: {message}{hint}")
        return response

    def _update(self, update: str, what: str) -> None:
        self._check_writable()
        self._send("POST", self.update_url, what, data={"update": update})

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.location}: the store is open read-only")

    # --- writing -----------------------------------------------------------------------------------------------------

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        self._check_writable()
        triples = list(triples)  # a failing producer fails here, before the server is touched
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self._send("PUT", self.graph_store_url, f"replace graph {graph.value}", params={"graph": graph.value},
                   content=body, headers={"Content-Type": N_TRIPLES})
        return self.count(graph=graph)

    def replace_graph_from_file(self, graph: NamedNode, path: Path, format: ox.RdfFormat, *,
                                finish: Callable[[], Iterable[Triple]] | None = None) -> int:
        self._check_writable()
        path = Path(path)
        base = path.resolve().as_uri()  # relative IRIs resolve against the file, as on the embedded store

        def parsed():
            return ox.parse(path=str(path), format=format, base_iri=base)

        # Parsed here first (as it streams, nothing kept): not every server leaves a graph as it was when a PUT
        # does not parse (Virtuoso had replaced it by the triples before the error).
        try:
            for _ in parsed():
                pass
        except (SyntaxError, OSError) as exc:
            line = re.search(r"line (\d+)", str(exc))
            where = f"{path}:{line[1]}" if line else str(path)
            raise StoreError(f"{where}: invalid {format.name}, graph {graph.value} is unchanged: {exc}") from exc
        extra = list(finish()) if finish is not None else []  # it may refuse the file: before anything is sent

        def ntriples():  # the file's triples, resolved, then the extra ones: one PUT, as N-Triples
            batch: list[Triple] = []
            for quad in parsed():
                batch.append(quad.triple)
                if len(batch) >= 20_000:
                    yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
                    batch = []
            yield ox.serialize(batch + extra, format=ox.RdfFormat.N_TRIPLES) or b""

        # Digest auth answers the first request with a challenge and the body is sent again, which a stream
        # cannot be: then the body is made whole first.
        body = b"".join(ntriples()) if self.options.auth is AuthScheme.DIGEST and self.options.user else ntriples()
        self._send("PUT", self.graph_store_url, f"replace graph {graph.value} from {path}",
                   params={"graph": graph.value}, content=body,
                   headers={"Content-Type": ox.RdfFormat.N_TRIPLES.media_type})
        return self.count(graph=graph)

    def remove_graph(self, graph: NamedNode) -> bool:
        self._check_writable()
        if graph not in self.graphs():
            return False
        self._send("DELETE", self.graph_store_url, f"remove graph {graph.value}", params={"graph": graph.value},
                   ok_statuses=(404,))
        return True

    def replace_graphs(self, graphs: Mapping[NamedNode, list[Triple]], *, remove: Iterable[NamedNode] = ()) -> None:
        self._check_writable()
        graphs = {g: list(ts) for g, ts in graphs.items()}
        remove = [g for g in remove if g not in graphs]
        if not graphs and not remove:
            return
        if not self.options.one_update or sum(len(ts) for ts in graphs.values()) > SINGLE_UPDATE_LIMIT:
            # too big for one update text: each graph in its own step (each still all or nothing)
            for graph, triples in graphs.items():
                self.replace_graph(graph, triples)
            for graph in remove:
                self.remove_graph(graph)
            return
        # CREATE keeps a graph that is replaced by nothing listed as loaded, as on the embedded store
        self._update(replacement_update(graphs, remove, create=True),
                     f"replace {len(graphs)} graph(s) and remove {len(remove)}")

    # --- reading -----------------------------------------------------------------------------------------------------

    def _excluded(self, graph: Term | None) -> bool:
        return not isinstance(graph, NamedNode) or graph.value.startswith(self.options.excluded_graphs or ("\0",))

    def graphs(self) -> list[NamedNode]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }").rows
        if any(r["g"] is None for r in rows):
            # Virtuoso answers 'GRAPH ?g {}' with one empty row and keeps no empty graphs: list those with triples
            rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return sorted((r["g"] for r in rows if not self._excluded(r["g"])), key=lambda g: g.value)

    def count(self, *, graph: NamedNode | None = None) -> int:
        if graph is not None:
            result = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": graph})
            return int(result.rows[0]["n"].value) if result.rows else 0
        if not self.options.excluded_graphs:
            result = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
            return int(result.rows[0]["n"].value) if result.rows else 0
        result = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sum(int(r["n"].value) for r in result.rows if not self._excluded(r["g"]))

    def triples(self, graph: NamedNode) -> list[Triple]:
        rows = self.select("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": graph}).rows
        return [Triple(r["s"], r["p"], r["o"]) for r in rows]

    def _query(self, query: str, bindings: Mapping[str, Term] | None, accept: str, what: str) -> httpx.Response:
        text = with_bindings(query, bindings)
        if not self.options.lateral:
            text = without_lateral(text)
        data: dict[str, str | list[str]] = {"query": text}
        dataset = dataset_clause(query)
        if dataset is not None:
            data.update({"default-graph-uri": dataset[0], "named-graph-uri": dataset[1]})
        return self._send("POST", self.query_url, what, data=data, headers={"Accept": accept})

    def select(self, query: str, *, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        response = self._query(query, bindings, RESULTS_ACCEPT, "run a query")
        result = self._read_results(response)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("expected a SELECT query")
        variables = [v.value for v in result.variables]
        try:
            rows = [{name: solution[name] for name in variables} for solution in result]
        except SyntaxError as exc:
            raise StoreError(f"{self.query_url}: the answer was cut short ({exc})") from exc
        return SelectResult(variables, rows)

    def ask(self, query: str, *, bindings: Mapping[str, Term] | None = None) -> bool:
        result = self._read_results(self._query(query, bindings, RESULTS_ACCEPT, "run a query"))
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("expected an ASK query")
        return bool(result)

    def construct(self, query: str, *, bindings: Mapping[str, Term] | None = None) -> list[Triple]:
        response = self._query(query, bindings, GRAPH_ACCEPT, "run a query")
        media = _media_type(response)
        if ox.QueryResultsFormat.from_media_type(media) is not None:
            raise StoreError("expected a CONSTRUCT or DESCRIBE query")
        try:
            return parse_triples(response.content, media)
        except ValueError as exc:
            raise StoreError(f"{self.query_url}: {exc} (a server-side time limit?)") from exc

    def _read_results(self, response: httpx.Response) -> ox.QuerySolutions | ox.QueryBoolean:
        media = _media_type(response)
        if ox.RdfFormat.from_media_type(media) is not None:
            raise StoreError("expected a SELECT or ASK query, not one that returns triples")
        try:
            return parse_results(response.content, media)
        except ValueError as exc:
            raise StoreError(f"{self.query_url}: {exc} (a server-side time limit?)") from exc

    def quads(self, graph: NamedNode | None = None) -> list[Quad]:
        """Every quad of the named graphs (or of one), in one query so blank nodes keep their identity."""
        if graph is not None:
            return [Quad(t.subject, t.predicate, t.object, graph) for t in self.triples(graph)]
        rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return [Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows if not self._excluded(r["g"])]

    def dump(self, *, format: ExportFormat, graph: NamedNode | None = None) -> bytes:
        from govgraph.ontology import PREFIXES

        quads = self.quads(graph)
        if format.keeps_graphs:
            items: Iterable[Quad | Triple] = quads
            prefixes = PREFIXES if format is ExportFormat.TRIG else None
        else:
            items = list(dict.fromkeys(q.triple for q in quads))
            prefixes = PREFIXES if format is ExportFormat.TURTLE else None
        return ox.serialize(items, format=format.rdf_format, prefixes=prefixes) or b""

    def close(self) -> None:
        self._client.close()

