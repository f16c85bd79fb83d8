"""``/sparql``: the SPARQL 1.1 Protocol for queries (read-only), and a query page for people.

- ``GET /sparql?query=...``, ``POST`` form-encoded (``query=...``) and ``POST`` with ``application/sparql-query``;
  ``default-graph-uri`` and ``named-graph-uri`` (repeatable) set the dataset, otherwise the default graph is the
  union of every graph.
- Results by content negotiation (``Accept``, or a ``format``/``output`` parameter as SPARQLWrapper sends): SPARQL
  JSON (the default), XML, CSV and TSV; Turtle (the default), N-Triples, JSON-LD, RDF/XML, N-Quads and TriG for
  CONSTRUCT and DESCRIBE.
- Updates (``update=``, ``application/sparql-update``, or an update sent as a query) are refused with 403.
- Each query runs within ``GOVGRAPH_QUERY_TIMEOUT`` seconds and ``GOVGRAPH_MAX_RESULTS`` rows (see
  :mod:`govgraph.queries.bounded`); past either the client gets a clear error, never half an answer.
- A browser (``Accept: text/html``) gets a query page with the named queries as examples and results as a table,
  a bar chart or a network (``view=table``, ``chart`` or ``network``; the table is always there, the chart is SVG
  made here, the network is drawn by the page with the vis-network this server serves).
"""
from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from govgraph.queries import PREFIX_BLOCK, catalogue
from govgraph.queries.bounded import FORMAT_PARAMETER, Outcome, accepted, is_update
from govgraph.queries.bounded import Request as QueryRequest
from govgraph.server.context import error_response

router = APIRouter(tags=["SPARQL endpoint"])

STATUS = {Outcome.OK: 200, Outcome.BAD_QUERY: 400, Outcome.NOT_ACCEPTABLE: 406, Outcome.TOO_LARGE: 422,
          Outcome.TIMEOUT: 503, Outcome.BUSY: 503, Outcome.FAILED: 500}
MANY_QUERIES = "send one query: the request has more than one 'query' parameter (SPARQL 1.1 Protocol)"
READ_ONLY = ("this SPARQL endpoint is read-only: updates are refused. Load documents with 'govgraph load' or "
             "POST /api/documents")
HTML_PAGE_ACCEPT = ("application/sparql-results+json", "text/turtle")
#: How the query page shows a SELECT's results (``view=``), the first the default.
VIEWS = {"table": "Table", "chart": "Bar chart", "network": "Network"}


def _wants_page(request: Request, params) -> bool:
    if "format" in params or "output" in params:
        return False
    return accepted(request.headers.get("accept"))[:1] in (("text/html",), ("application/xhtml+xml",))


def _accept(request: Request, params) -> tuple[str, ...]:
    """The media types wanted: ``format``/``output`` parameters (repeatable, each maybe a comma list, as
    SPARQLWrapper sends them) win over the Accept header."""
    for key in ("format", "output"):
        values = params.getlist(key) if hasattr(params, "getlist") else [params.get(key)]
        wanted = [FORMAT_PARAMETER.get(v.strip().lower(), v.strip().lower())
                  for value in values if value for v in value.split(",") if v.strip()]
        if wanted:
            return tuple(dict.fromkeys(wanted))
    return accepted(request.headers.get("accept"))


@router.get("/sparql", summary="SPARQL query (GET)",
            description="The SPARQL 1.1 Protocol: `query`, repeatable `default-graph-uri` and `named-graph-uri`. "
                        "Results by the Accept header or `format`.")
async def sparql_get(request: Request):
    params = request.query_params
    query = params.get("query")
    if "update" in params:
        return error_response(403, READ_ONLY)
    if len(params.getlist("query")) > 1:
        return error_response(400, MANY_QUERIES)
    if query is None:
        if _wants_page(request, params):
            return _page(request, None, None, view=params.get("view"))
        return error_response(400, "no query: send 'query' as a URL parameter, a form field, or an "
                                   "application/sparql-query body")
    return await _answer(request, query, params.getlist("default-graph-uri"), params.getlist("named-graph-uri"),
                         params)


@router.post("/sparql", summary="SPARQL query (POST)",
             description="Form-encoded (`query=...`) or an `application/sparql-query` body. Updates get 403.")
async def sparql_post(request: Request):
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    if media == "application/sparql-update":
        return error_response(403, READ_ONLY)
    if media == "application/sparql-query":
        if "query" in params:
            return error_response(400, MANY_QUERIES)
        raw = await request.body()
        try:
            query = raw.decode("utf-8")
        except UnicodeDecodeError:
            return error_response(400, "the query body is not UTF-8 text")
        return await _answer(request, query, defaults, named, params)
    if media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        if "update" in form:
            return error_response(403, READ_ONLY)
        if "query" not in form:
            return error_response(400, "no query: the form has no 'query' field")
        if len(form.getlist("query")) + len(params.getlist("query")) > 1:
            return error_response(400, MANY_QUERIES)
        from starlette.datastructures import MultiDict

        merged = MultiDict([*params.multi_items(), *[(k, v) for k, v in form.multi_items()
                                                     if k in ("format", "output", "view")]])
        return await _answer(request, str(form["query"]), defaults + form.getlist("default-graph-uri"),
                             named + form.getlist("named-graph-uri"), merged)
    return error_response(415, f"cannot read a query sent as {media or 'no content type'!r}; use "
                               "application/x-www-form-urlencoded or application/sparql-query")


def _absolute_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI a graph can be named by (a scheme, then no spaces or delimiters)."""
    import re

    from pyoxigraph import NamedNode

    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S", text) or any(c in text for c in '<>" {}|\\^`'):
        return False
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True


async def _answer(request: Request, query: str, defaults: list[str], named: list[str], params):
    if is_update(query):
        return error_response(403, READ_ONLY)
    for iri in defaults + named:
        if not _absolute_iri(iri):
            return error_response(400, f"{iri!r} is not a graph IRI (an absolute IRI such as https://...)")
    context = request.app.state.context
    page = _wants_page(request, params)
    if page and params.get("view", "table") not in VIEWS:
        return _page(request, query, None, view=params.get("view"), graphs=(defaults, named))
    job = QueryRequest(query=query, accept=HTML_PAGE_ACCEPT if page else _accept(request, params),
                       default_graphs=tuple(defaults), named_graphs=tuple(named),
                       max_results=context.settings.max_results,
                       base_iri=str(request.url.replace(query=None, fragment=None)),
                       allowed_services=tuple(context.settings.service_allow))
    answer = await run_in_threadpool(context.runner.run, job)
    if page:
        return _page(request, query, answer, view=params.get("view"), graphs=(defaults, named))
    if not answer.ok:
        return error_response(STATUS[answer.outcome], answer.message)
    media = answer.media_type + ("; charset=utf-8" if answer.media_type.startswith("text/") else "")
    return Response(answer.body, media_type=media, headers={"Vary": "Accept"})


#: The parameter an example binds, most specific first: a query about one thing answers at once for one thing, and
#: one council's gaps at once where every council's could run past the time limit.
EXAMPLE_PARAMETERS = ("action", "post", "body", "recommendation", "council")
#: One thing of a class to bind an example to: the first the engine finds (it keeps them in order, so the same one
#: each time for a given store), not the first by name, which sorted every action of the store (115 ms at 40
#: councils, and growing with them).
EXAMPLE_ITEM = "SELECT ?item WHERE { ?item a ?class ; rdfs:label ?label } LIMIT 1"


def _examples(request: Request) -> list[dict]:
    """The named queries as examples, each bound (in a VALUES block) to one thing of the store where it takes a
    parameter of :data:`EXAMPLE_PARAMETERS`, so that it answers within the time limit."""
    from govgraph.server.context import reading_store

    opened = reading_store(request.app.state.context)
    try:
        return _bound_examples(next(opened))
    finally:
        opened.close()


def _bound_examples(store) -> list[dict]:
    from pyoxigraph import NamedNode

    from govgraph import queries
    from govgraph.ontology import PREFIXES
    from govgraph.server import memo

    out = []
    for q in catalogue().values():
        if q.transform:
            continue
        params = {p.name: p for p in q.parameters}
        name = next((n for n in EXAMPLE_PARAMETERS if n in params and params[n].cls), None)
        text = PREFIX_BLOCK + q.text
        if name is not None:
            prefix, _, local = params[name].cls.partition(":")
            cls = NamedNode(PREFIXES[prefix] + local)
            found = memo.kept(store, ("example", cls.value), lambda cls=cls: store.select(
                queries.with_values(PREFIX_BLOCK + EXAMPLE_ITEM, {"class": cls})).rows)
            if found:
                text = queries.with_values(text, {name: found[0]["item"]}).replace(
                    "\n  VALUES", f"\n  # one {name} of the store, as an example: change it, or take this line out "
                    f"for every {name}\n  VALUES", 1)
        out.append({"name": q.name, "title": q.title, "description": q.description, "text": text})
    return out


def _page(request: Request, query: str | None, answer, *, view: str | None = None,
          graphs: tuple[list[str], list[str]] = ([], [])):
    """The query page: a form with the named queries as examples, and the answer as a table (or as text), with a
    bar chart or a network above the table when ``view`` asks for one."""
    from urllib.parse import urlencode

    from govgraph.server.pages import render

    table = None
    text = None
    error = None
    status = 200
    view = view or "table"
    if view not in VIEWS:
        error, status = f"no view {view!r}: show results as {', '.join(VIEWS)}", 400
        view, answer = "table", None
    elif answer is not None:
        if not answer.ok:
            error, status = answer.message, STATUS[answer.outcome]
        elif answer.media_type == "application/sparql-results+json":
            document = json.loads(answer.body)
            if "boolean" in document:
                text = "true" if document["boolean"] else "false"
            else:
                names = document["head"]["vars"]
                table = {"columns": names, "rows": [[row.get(n) for n in names]
                                                    for row in document["results"]["bindings"]]}
        else:
            text = answer.body.decode("utf-8", "replace")
    examples = _examples(request)
    default = query if query is not None else (
        "SELECT ?council ?name (COUNT(DISTINCT ?action) AS ?actions) WHERE {\n  ?action a gg:Action ; gg:councilOf ?council .\n"
        "  ?council rdfs:label ?name .\n} GROUP BY ?council ?name ORDER BY DESC(?actions)")
    if query is None:
        default = PREFIX_BLOCK + default
    dataset = [*(("default-graph-uri", g) for g in graphs[0]), *(("named-graph-uri", g) for g in graphs[1])]
    views = [{"name": name, "title": title, "current": name == view,
              "url": "/sparql?" + urlencode([("query", query), *dataset, ("view", name)])}
             for name, title in VIEWS.items()] if query is not None and error is None else []
    shown = _view(request, view, table, text)
    return render(request, "sparql.html", {"title": "SPARQL query", "query": default, "table": table, "text": text, "error": error,
                                            "examples": examples, "ran": answer is not None,
                                            "size": answer.size if answer is not None and answer.ok else None,
                                            "view": view, "views": views, "views_named": VIEWS, **shown,
                                            "settings": request.app.state.context.settings}, status=status)


def _view(request: Request, view: str, table: dict | None, text: str | None) -> dict:
    """The chart or network of a SELECT's rows for the page: ``chart`` (the bars, notes and SVG) or ``network``
    (nodes, edges, notes and their JSON for the page's script), or ``view_problem`` saying why there is none."""
    from markupsafe import Markup

    from govgraph.server.service import page_path
    from govgraph.visualise import results

    if view == "table" or (table is None and text is None):
        return {}
    if table is None:
        return {"view_problem": f"A {VIEWS[view].lower()} needs the rows of a SELECT query; this query's answer is "
                                "shown as text."}
    if view == "chart":
        from govgraph.visualise.bar_chart import bar_chart_svg

        chart = results.bar_chart(table["columns"], table["rows"])
        if chart.problem:
            return {"view_problem": chart.problem}
        label = chart.label_column or "row"
        svg = bar_chart_svg(chart.bars, label_axis=label, value_axis=chart.value_column,
                            title=f"{chart.value_column} for each {label}")
        return {"chart": chart, "chart_svg": Markup(svg)}
    from govgraph.visualise.maps import layout_options, script_json

    network = results.result_network(table["columns"], table["rows"], link=page_path,
                                     max_nodes=request.app.state.context.settings.max_network_nodes)
    if network.problem:
        return {"view_problem": network.problem}
    payload = {"nodes": network.nodes, "edges": network.edges,
               # a query's rows have no layers: the force layout lays them out
               "options": layout_options(len(network.nodes), len(network.edges), "force")}
    return {"network": network, "network_json": Markup(script_json(payload))}
