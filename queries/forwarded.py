"""Queries from outside (the SPARQL endpoint) forwarded to a SPARQL server store, within the same bounds.

The web server's ``/sparql`` endpoint answers from the embedded store through :mod:`govgraph.queries.bounded`
(worker processes killed at the time limit). On a SPARQL server store the query is sent on to the server instead,
with the same refusals first (SERVICE to an endpoint not allowed; updates are refused before this by the route),
the same time limit (the client stops waiting; run the server with its own limit, such as
``oxigraph serve --timeout-s``, so that it stops working too), and the same result-size cap and content
negotiation: the server's answer is parsed and written out again by :func:`govgraph.queries.bounded.serialise`.
"""
from __future__ import annotations

import json
import threading

import httpx
import pyoxigraph as ox

from govgraph.queries.bounded import Answer, Outcome, Request, _timeout, refused_services, serialise
from govgraph.queries.remote import GRAPH_ACCEPT, RESULTS_ACCEPT, RemoteStore, parse_results, parse_triples
from govgraph.queries.syntax import dataset_clause, has_relative_iri, query_form

#: What the server is asked for, by the query's form: rows and booleans as SPARQL JSON, triples as N-Triples (then
#: written again here as the client asked). One Accept for both does not do: Virtuoso then sends a CONSTRUCT's
#: triples as SPARQL JSON rows.
UPSTREAM_ACCEPT = {"SELECT": RESULTS_ACCEPT, "ASK": RESULTS_ACCEPT, "CONSTRUCT": GRAPH_ACCEPT, "DESCRIBE": GRAPH_ACCEPT}


class ForwardingRunner:
    """Answers :class:`~govgraph.queries.bounded.Request` s by sending them to ``store``'s server, ``workers`` at a
    time, each within ``timeout_s`` seconds. Same interface as :class:`~govgraph.queries.bounded.QueryRunner`."""

    def __init__(self, store: RemoteStore, *, timeout_s: float = 10.0, workers: int = 2) -> None:
        self.store = store
        self.timeout_s = timeout_s
        self.workers = workers
        self._slots = threading.BoundedSemaphore(workers)

    def start(self) -> None:
        """Nothing to start: the server answers (the same interface as the runner of worker processes)."""

    def run(self, request: Request) -> Answer:
        """The answer to one request (never raises: every failure is an :class:`Answer` with its outcome)."""
        refusal = refused_services(request.query, request.allowed_services)
        if refusal is not None:
            return Answer(Outcome.BAD_QUERY, message=refusal)
        if not self._slots.acquire(timeout=self.timeout_s):
            return Answer(Outcome.BUSY, message=f"all {self.workers} query slots are busy; try again shortly")
        try:
            return self._forward(request)
        finally:
            self._slots.release()

    def _forward(self, request: Request) -> Answer:
        query = request.query
        if request.base_iri and has_relative_iri(query):
            try:  # relative IRIs resolve against this endpoint, as on the embedded store (a BASE in the query wins)
                query = f"BASE {ox.NamedNode(request.base_iri)}\n{query}"
            except ValueError:
                pass
        defaults, named = list(request.default_graphs), list(request.named_graphs)
        if not defaults and not named:  # the query's own FROM stands, whatever the server's default graph
            defaults, named = dataset_clause(request.query) or ([], [])
        data = {"query": query, "default-graph-uri": defaults, "named-graph-uri": named}
        url = self.store.query_url
        accept = UPSTREAM_ACCEPT.get(query_form(request.query) or "", f"{RESULTS_ACCEPT}, {GRAPH_ACCEPT}")
        try:
            response = self.store.client.post(url, data=data, headers={"Accept": accept},
                                              timeout=httpx.Timeout(self.timeout_s, connect=min(self.timeout_s, 5)))
        except httpx.TimeoutException:
            return Answer(Outcome.TIMEOUT, message=_timeout(self.timeout_s))
        except httpx.HTTPError as exc:
            return Answer(Outcome.FAILED, message=f"the store's SPARQL server at {url} could not be reached: {exc}")
        message = " ".join(response.text.split())[:600] if response.status_code >= 400 else ""
        if response.status_code == 400:  # the protocol's answer to a malformed query
            return Answer(Outcome.BAD_QUERY, message=f"the query is not valid SPARQL: {message}")
        if response.status_code in (414, 422):
            return Answer(Outcome.BAD_QUERY, message=f"the query cannot be run: {message}")
        if response.status_code >= 400:
            if request.allowed_services:  # never echo what another endpoint answered
                message = "(details withheld: the query may call another endpoint)"
            return Answer(Outcome.FAILED, message=f"the store's SPARQL server answered HTTP {response.status_code}: "
                                                  f"{message}")
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        body = response.content
        cut_short = Answer(Outcome.TIMEOUT, message=_timeout(self.timeout_s) + " (the store's server stopped it)")
        try:
            if ox.QueryResultsFormat.from_media_type(media) is not None:
                if media in ("application/sparql-results+json", "application/json"):
                    json.loads(body)  # complete, or cut off by the server's own time limit
                result = parse_results(body, media)
            elif ox.RdfFormat.from_media_type(media) is not None:
                result = parse_triples(body, media)
            else:
                return Answer(Outcome.FAILED, message=f"the store's SPARQL server answered in {media or 'no media type'}"
                                                      ", which govgraph cannot read")
        except ValueError:  # json.JSONDecodeError is one
            return cut_short
        return serialise(result, request)

    def close(self) -> None:
        """Nothing to stop: the store's connection is closed with the store."""
