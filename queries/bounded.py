"""Queries from outside (the SPARQL endpoint) with a time limit and a result-size cap.

pyoxigraph has no query timeout and a running query cannot be interrupted from Python, so a query typed by a
stranger runs in a worker process that is killed when its time is up. Each worker keeps a read-only snapshot of the
on-disk store and opens it again when the store's files change, so it sees what ``govgraph load`` wrote a moment
before and never takes the write lock.

An in-memory store cannot be shared with another process: its queries run in a thread of this process. The
client still gets the timeout error on time, but the query goes on using a core until it finishes, so serve an
on-disk store to strangers.

Results come back already serialised in the format the client negotiated; the cap is checked while the rows (or
triples) are collected, before anything is written, so a capped query never sends half an answer.
"""
from __future__ import annotations

import enum
import json
import multiprocessing
import queue
import re
import threading
from dataclasses import dataclass, field

import pyoxigraph as ox

#: Result formats offered for SELECT and ASK, in order of preference when the client accepts anything.
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: RDF formats offered for CONSTRUCT and DESCRIBE, in order of preference.
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
#: Other names clients use for the same formats (SPARQLWrapper's ``format=`` values among them).
ALIASES = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/plain": ("text/tab-separated-values", "application/n-triples"),
    "application/x-turtle": (None, "text/turtle"),
    "text/n3": (None, "text/turtle"),
    "text/rdf+n3": (None, "text/turtle"),
    "application/x-json+ld": (None, "application/ld+json"),
}
FORMAT_PARAMETER = {
    "json": "application/json", "xml": "application/xml", "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "n3": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "n-triples": "application/n-triples", "json-ld": "application/ld+json",
    "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml", "rdf+xml": "application/rdf+xml",
    "rdf": "application/rdf+xml", "nq": "application/n-quads", "trig": "application/trig",
}


class Outcome(enum.Enum):
    OK = "ok"
    BAD_QUERY = "bad query"  # 400
    NOT_ACCEPTABLE = "not acceptable"  # 406
    TOO_LARGE = "too large"  # 422
    TIMEOUT = "timeout"  # 503
    BUSY = "busy"  # 503
    FAILED = "failed"  # 500


@dataclass
class Answer:
    """What a query produced: ``body`` in ``media_type``, or an error ``message`` with its ``outcome``."""

    outcome: Outcome
    body: bytes = b""
    media_type: str = ""
    message: str = ""
    size: int = 0  # rows, triples or 1 for ASK

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


@dataclass(frozen=True)
class Request:
    """A query and how to answer it: ``accept`` is the media types wanted, best first (see :func:`negotiate`)."""

    query: str
    accept: tuple[str, ...] = ("*/*",)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_results: int = 10_000
    allowed_services: tuple[str, ...] = ()  # endpoints SERVICE may call; none unless an operator names them
    base_iri: str | None = None  # relative IRIs in the query resolve against this (the endpoint's URL)


def accepted(header: str | None) -> tuple[str, ...]:
    """The media types of an HTTP ``Accept`` header, best first (q-values honoured, ``q=0`` dropped).

    >>> accepted("text/csv;q=0.5, application/sparql-results+json")
    ('application/sparql-results+json', 'text/csv')
    """
    if not header or not header.strip():
        return ("*/*",)
    ranked = []
    for index, part in enumerate(header.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, index, media.lower()))
    return tuple(media for _, _, media in sorted(ranked))


def negotiate(accept: tuple[str, ...], *, graph: bool) -> str | None:
    """The media type to answer with, for a result of rows/boolean (``graph=False``) or of triples, or None.

    >>> negotiate(("text/html", "application/xml", "*/*"), graph=False)
    'application/sparql-results+xml'
    >>> negotiate(("*/*",), graph=True)
    'text/turtle'
    """
    offered = GRAPH_TYPES if graph else RESULT_TYPES
    for media in accept:
        if media in offered:
            return media
        if media in ALIASES and ALIASES[media][graph]:
            return ALIASES[media][graph]
        if media in ("*/*", "application/*", "text/*"):
            family = media.split("/")[0]
            for candidate in offered:
                if family == "*" or candidate.startswith(family + "/"):
                    return candidate
    return None


PROLOGUE = re.compile(r"(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)", re.IGNORECASE)
UPDATE_KEYWORD = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def is_update(text: str) -> bool:
    r"""Whether ``text`` is a SPARQL update rather than a query (its first keyword after the prologue).

    Comments and the prologue are stepped over one at a time (no nested repetition, so no runaway backtracking on
    long prologues).

    >>> is_update("PREFIX ex: <http://example.org/> # add one\nINSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if text.startswith("#", at):
            newline = text.find("\n", at)
            at = len(text) if newline < 0 else newline + 1
            continue
        prologue = PROLOGUE.match(text, at)
        if prologue is None:
            break
        at = prologue.end()
    return bool(UPDATE_KEYWORD.match(text, at))


def service_endpoints(text: str) -> list[str] | None:
    """The endpoints the query's SERVICE clauses name, read from its parsed syntax tree (a variable as '?name'), or
    None when the query cannot be parsed here.

    >>> service_endpoints('SELECT * WHERE { ?s ?p "SERVICE <http://x>" OPTIONAL { SERVICE SILENT <http://y> {} } }')
    ['http://y']
    >>> service_endpoints("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://z>")
    []
    """
    from pyparsing import ParseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    if not SERVICE_WORD.search(LEXICAL_NOISE.sub(" ", text)):
        return []  # no SERVICE keyword outside strings, IRIs and comments: nothing to parse for (parsing is slow)
    try:
        tree = parseQuery(text)
    except (ParseException, ValueError, TypeError, RecursionError):
        return None
    found: list[str] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.append(f"?{term}" if term.__class__.__name__ == "Variable" else str(term))
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return sorted(set(found))


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED), which then stands as written.

    >>> has_dataset_clause("SELECT * FROM <http://a/g> WHERE { ?s ?p ?o }"), has_dataset_clause("ASK {}")
    (True, False)
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    if not FROM_WORD.search(LEXICAL_NOISE.sub(" ", text)):
        return False  # no FROM keyword outside strings, IRIs and comments
    try:
        tree = parseQuery(text)
    except (ParseException, ValueError, TypeError, RecursionError):
        return True
    return bool(dict.get(tree[1], "datasetClause"))


SERVICE_WORD = re.compile(r"\bSERVICE\b", re.IGNORECASE)
FROM_WORD = re.compile(r"\bFROM\b", re.IGNORECASE)
# comments, IRIs and strings: where the word SERVICE is not a keyword
LEXICAL_NOISE = re.compile(r'#[^\n]*|<[^<>\s]*>|"""[\s\S]*?"""|' + r"'''[\s\S]*?'''|"
                           + r'"(?:[^"\\\n]|\\.)*"|' + r"'(?:[^'\\\n]|\\.)*'")


def refused_services(text: str, allowed: tuple[str, ...] = ()) -> str | None:
    """Why the query may not run because of its SERVICE clauses, or None: the endpoint never calls another
    endpoint unless an operator allowed it by name. A query this parser cannot read is refused when the word
    SERVICE appears outside its strings, IRIs and comments.

    >>> refused_services("SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:8000/sparql> { ?s ?p ?o } }")[:41]
    'SERVICE <http://127.0.0.1:8000/sparql> is'
    >>> refused_services("SELECT * WHERE { SERVICE <http://a/> { ?s ?p ?o } }", ("http://a/",)) is None
    True
    """
    endpoints = service_endpoints(text)
    if endpoints is None:
        if SERVICE_WORD.search(LEXICAL_NOISE.sub(" ", text)):
            return ("SERVICE is refused: this endpoint makes no requests to other endpoints (and this query could "
                    "not be read to check which endpoint it names)")
        return None
    outside = [e for e in endpoints if e not in allowed]
    if outside:
        return (f"SERVICE {', '.join(e if e.startswith('?') else f'<{e}>' for e in outside)} is refused: this "
                "endpoint makes no requests to other endpoints (an operator can allow named endpoints with "
                "GOVGRAPH_SERVICE_ALLOW)")
    return None


def _term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                             "predicate": _term_json(term.predicate),
                                             "object": _term_json(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def answer(store: ox.Store, request: Request) -> Answer:
    """Run one query on a pyoxigraph store and serialise its result as negotiated, within the size cap."""
    refusal = refused_services(request.query, request.allowed_services)
    if refusal is not None:
        return Answer(Outcome.BAD_QUERY, message=refusal)
    calls_out = bool(request.allowed_services) and bool(service_endpoints(request.query))
    options: dict = {"base_iri": request.base_iri} if request.base_iri else {}
    try:
        if request.default_graphs or request.named_graphs:
            # the protocol's dataset replaces the query's own: a graph not named is not in it
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
        elif not has_dataset_clause(request.query):
            options["use_default_graph_as_union"] = True  # no dataset named anywhere: every document
    except ValueError as exc:
        return Answer(Outcome.BAD_QUERY, message=f"a graph IRI is not valid: {exc}")
    try:
        result = store.query(request.query, **options)
    except SyntaxError as exc:
        return Answer(Outcome.BAD_QUERY, message=f"the query is not valid SPARQL: {exc}")
    except ValueError as exc:
        return Answer(Outcome.BAD_QUERY, message=f"the query cannot be run: {exc}")
    except (OSError, RuntimeError) as exc:
        if calls_out:  # never echo what another endpoint answered
            return Answer(Outcome.FAILED, message="the query failed: an allowed SERVICE endpoint did not answer")
        return Answer(Outcome.FAILED, message=f"the query failed: {exc}")
    return serialise(result, request)


def serialise(result, request: Request) -> Answer:
    """A query's result (``QuerySolutions``, ``QueryBoolean``, or triples: ``QueryTriples`` or any iterable of
    ``Triple``) serialised in the media type ``request.accept`` negotiates, or refused past ``request.max_results``
    rows or triples. Used for the embedded store and for answers a SPARQL server store sent back."""
    cap = request.max_results
    try:
        if not isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            media = negotiate(request.accept, graph=True)
            if media is None:
                return Answer(Outcome.NOT_ACCEPTABLE, message=_unacceptable(request.accept, graph=True))
            triples = []
            for triple in result:
                triples.append(triple)
                if len(triples) > cap:
                    return Answer(Outcome.TOO_LARGE, message=_too_large(cap, "triples"))
            body = ox.serialize(triples, format=GRAPH_TYPES[media]) or b""
            return Answer(Outcome.OK, body, media, size=len(triples))
        media = negotiate(request.accept, graph=False)
        if media is None:
            return Answer(Outcome.NOT_ACCEPTABLE, message=_unacceptable(request.accept, graph=False))
        if isinstance(result, ox.QueryBoolean):
            document = {"head": {}, "boolean": bool(result)}
            size = 1
        else:
            names = [v.value for v in result.variables]
            rows = []
            for solution in result:
                rows.append({n: _term_json(solution[n]) for n in names if solution[n] is not None})
                if len(rows) > cap:
                    return Answer(Outcome.TOO_LARGE, message=_too_large(cap, "rows"))
            document = {"head": {"vars": names}, "results": {"bindings": rows}}
            size = len(rows)
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if RESULT_TYPES[media] is not ox.QueryResultsFormat.JSON:
            # pyoxigraph writes the other formats from the parsed JSON (CSV cannot be parsed, but it can be written)
            if isinstance(result, ox.QueryBoolean) and RESULT_TYPES[media] in (ox.QueryResultsFormat.CSV,
                                                                               ox.QueryResultsFormat.TSV):
                body = b"true\n" if document["boolean"] else b"false\n"
            else:
                parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                body = (parsed.serialize(format=RESULT_TYPES[media])
                        if isinstance(parsed, ox.QuerySolutions) else _boolean_xml(bool(parsed)))
        return Answer(Outcome.OK, body, media, size=size)
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:  # SyntaxError: a cut-off answer from a server
        return Answer(Outcome.FAILED, message=f"the query failed while its results were read: {exc}")


def _boolean_xml(value: bool) -> bytes:
    return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>").encode()


def _too_large(cap: int, what: str) -> str:
    return (f"the result has more than {cap:,} {what}, the most this endpoint returns; narrow the query or add "
            f"LIMIT (the cap is the setting GOVGRAPH_MAX_RESULTS)")


def _unacceptable(accept: tuple[str, ...], *, graph: bool) -> str:
    offered = ", ".join(GRAPH_TYPES if graph else RESULT_TYPES)
    return f"none of the accepted media types ({', '.join(accept)}) can be given for this query; offered: {offered}"


# --- running them bounded ---------------------------------------------------------------------------------------

def store_state(location: str) -> tuple:
    """What the store's files look like now (names, sizes, times): it changes whenever a writer changes the store,
    so a reader knows its snapshot is out of date without reopening it."""
    import os

    try:
        with os.scandir(location) as entries:
            return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries))
    except OSError:
        return ()


def _worker(connection, location: str) -> None:
    """A worker process: answer requests on ``connection`` against a read-only snapshot of the store, opened again
    when the store's files have changed since (so it sees what was loaded a moment before)."""
    store, state = None, None
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        now = store_state(location)
        if store is None or now != state:
            store = None
            try:
                store, state = ox.Store.read_only(location), now
            except (OSError, RuntimeError) as exc:
                connection.send(Answer(Outcome.FAILED, message=f"{location}: cannot open the store read-only: {exc}"))
                continue
        connection.send(answer(store, request))


@dataclass
class _Process:
    process: multiprocessing.Process
    connection: object


@dataclass
class QueryRunner:
    """Answers :class:`Request` s within ``timeout_s`` seconds, ``workers`` at a time.

    ``location`` is an on-disk store directory (queries run in worker processes, killed on timeout) or an open
    in-memory ``pyoxigraph.Store`` (queries run in threads; see the module notes). ``close()`` stops the workers.
    """

    location: str | ox.Store
    timeout_s: float = 10.0
    workers: int = 2
    _idle: queue.Queue = field(default_factory=queue.Queue, init=False, repr=False)
    _started: int = field(default=0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _all: list = field(default_factory=list, init=False, repr=False)

    def run(self, request: Request) -> Answer:
        if isinstance(self.location, ox.Store):
            return self._run_in_thread(request)
        worker = self._take()
        if worker is None:
            return Answer(Outcome.BUSY, message=f"all {self.workers} query workers are busy; try again shortly")
        try:
            worker.connection.send(request)
            if worker.connection.poll(self.timeout_s):
                result = worker.connection.recv()
                self._idle.put(worker)
                return result
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._discard(worker)
            return Answer(Outcome.FAILED, message=f"the query worker stopped: {exc}")
        self._discard(worker)  # still running: kill it, a fresh one is started when next needed
        return Answer(Outcome.TIMEOUT, message=_timeout(self.timeout_s))

    def start(self) -> None:
        """Start every worker now (each opens the store as it starts), so the first queries do not wait for one to
        start: half a second for the first query after a server starts. Nothing for an in-memory store."""
        if isinstance(self.location, ox.Store):
            return
        with self._lock:
            while self._started < self.workers:
                self._started += 1
                self._idle.put(self._spawn())

    def _run_in_thread(self, request: Request) -> Answer:
        box: list[Answer] = []
        thread = threading.Thread(target=lambda: box.append(answer(self.location, request)), daemon=True)
        thread.start()
        thread.join(self.timeout_s)
        return box[0] if box else Answer(Outcome.TIMEOUT, message=_timeout(self.timeout_s))

    def _take(self) -> _Process | None:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._started < self.workers:
                self._started += 1
                return self._spawn()
        try:  # every worker is busy: wait for one, but not longer than a query may run
            return self._idle.get(timeout=self.timeout_s)
        except queue.Empty:
            return None

    def _spawn(self) -> _Process:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, self.location), daemon=True,
                                  name="govgraph-query-worker")
        process.start()
        child.close()
        worker = _Process(process, parent)
        self._all.append(worker)
        return worker

    def _discard(self, worker: _Process) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.connection.close()
        with self._lock:
            self._started -= 1
            if worker in self._all:
                self._all.remove(worker)

    def close(self) -> None:
        """Stop every worker process."""
        for worker in list(self._all):
            worker.process.kill()
            worker.process.join(5)
            worker.connection.close()
        self._all.clear()
        self._started = 0
        self._idle = queue.Queue()


def _timeout(seconds: float) -> str:
    return (f"the query ran for longer than {seconds:g} s and was stopped; narrow it, or raise the setting "
            f"GOVGRAPH_QUERY_TIMEOUT")
