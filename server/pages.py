"""The pages people read: dashboard, one page per recommendation, action, post, person, body, council, review and
document, the compare page, the network views, the named queries as tables, and the report.

Server-rendered with Jinja2, autoescaping on: every text that came from a document is escaped where it is
inserted. Nothing is loaded from outside the server, so the pages work offline. Every page's state is in its URL.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates
from pyoxigraph import NamedNode

from govgraph.ontology import GG
from govgraph.queries import catalogue, get_query
from govgraph.queries.bounded import accepted
from govgraph.queries.store import ExportFormat
from govgraph.server import service
from govgraph.server.context import ReadStore

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.globals.update(page_path=service.page_path, urlencode=urlencode)

RDF_MEDIA = {"text/turtle": ExportFormat.TURTLE, "application/n-triples": ExportFormat.NTRIPLES,
             "application/ld+json": ExportFormat.JSONLD}


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


templates.env.filters["percent"] = lambda pair: _percent(*pair)
templates.env.filters["combine_as_of"] = lambda params, as_of: {**params, "as_of": as_of} if as_of else params


def table_layout(columns: list[str]) -> list[tuple[str, str | None]]:
    """How a query's columns show as a table: (column, the column holding its name) for each shown column; an
    IRI column with a ``<name>_name`` or ``<name>_text`` beside it shows that name as a link, and the name column
    is not shown again."""
    named = {}
    for col in columns:
        for suffix in ("_name", "_text"):
            if col + suffix in columns:
                named[col] = col + suffix
    for col in ("item", "action", "recommendation"):
        if col in columns and col not in named and "text" in columns and "text" not in named.values():
            named[col] = "text"
    hidden = set(named.values())
    return [(col, named.get(col)) for col in columns if col not in hidden]


templates.env.globals["table_layout"] = table_layout


def wants_html(request: Request) -> bool:
    """Whether the client would rather have a page than JSON (a browser's Accept header)."""
    return accepted(request.headers.get("accept"))[:1] in (("text/html",), ("application/xhtml+xml",))


def render(request: Request, name: str, values: dict, *, status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, values, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message, "title": f"Error {status}"},
                  status=status)


@router.get("/healthz")
def healthz(store: ReadStore, request: Request) -> dict:
    return {"ok": True, "store": request.app.state.context.location, "quads": store.count()}


SEARCH_PLURALS = {"council": "councils", "recommendation": "recommendations", "action": "actions",
                  "milestone": "milestones", "post": "officer posts", "person": "people", "body": "oversight bodies",
                  "review": "reviews", "document": "documents"}


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, store: ReadStore, q: str = ""):
    """Everything matching the search box's words or number, grouped by kind."""
    groups = service.search(store, q) if q.strip() else {}
    return render(request, "search.html", {"title": f"Search: {q}" if q.strip() else "Search", "q": q,
                                            "groups": groups, "plurals": SEARCH_PLURALS})


@router.get("/search.json")
def search_json(store: ReadStore, q: str = Query(..., description="Words, or a number ('2.2', 'R6', 'Derby 2.2')."),
                limit: int = Query(50, ge=1, le=500)):
    groups = service.search(store, q, limit=limit)
    return {"ok": True, "q": q, "results": {kind: [vars(h) for h in hits] for kind, hits in groups.items()}}


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, store: ReadStore, as_of: str | None = None):
    figures = service.dashboard(store, as_of=as_of)
    councils: dict[str, dict] = {}
    for f in figures:
        entry = councils.setdefault(f.council, {"iri": f.council, "name": f.council_name, "reviews": []})
        entry["reviews"].append(f)
    totals = {k: sum(getattr(f, k) for f in figures) for k in
              ("recommendations", "answered", "complete_chains", "actions", "with_owner", "with_oversight",
               "with_due_date", "overdue")}
    return render(request, "dashboard.html", {
        "title": "Accountability in council action plans", "councils": list(councils.values()), "totals": totals,
        "documents": service.documents(store), "as_of": as_of, "gap_queries": service.GAP_QUERIES})


@router.get("/council/{name}")
def council_by_name(name: str, store: ReadStore):
    """A council's page by any name people write for it (/council/leeds, /council/Leeds%20CC): a redirect to its
    page, or the councils it could be."""
    from fastapi.responses import RedirectResponse

    from govgraph.queries import QueryError

    try:
        iri = service.council_term(store, name)
    except QueryError as exc:
        raise HTTPException(404, str(exc)) from exc
    return RedirectResponse(service.page_path(iri.value), status_code=303)


@router.get("/id/{path:path}")
def resource_page(path: str, request: Request, store: ReadStore, as_of: str | None = None):
    return _resource(service.ID_PREFIX + path, request, store, as_of or None)


@router.get("/resource")
def any_resource_page(request: Request, store: ReadStore, iri: str = Query(..., description="The node's IRI."),
                      as_of: str | None = None):
    return _resource(iri, request, store, as_of or None)


def _resource(iri: str, request: Request, store, as_of: str | None = None):
    media = next((m for m in accepted(request.headers.get("accept")) if m in RDF_MEDIA), None)
    if media is not None and not wants_html(request):
        if service.label_of(store, iri) is None:
            raise HTTPException(404, f"nothing is known about {iri}")
        return Response(service.describe_rdf(store, iri, RDF_MEDIA[media]), media_type=media)
    resource = service.describe(store, iri)
    if resource is None:
        raise HTTPException(404, f"nothing is known about {iri}")
    if resource.kind == "council":
        return _council(request, store, resource, as_of)
    sources = {file: service.page_path(graph) for file, graph in service.document_sources(store).items()}
    figures = []
    if resource.kind == "review":  # its figures, read from its council's own summaries
        council = iri if resource.kind == "council" else next(
            (link["other"] for link in resource.links if link["direction"] == "out"
             and link["property"] == GG.reviewOf.value), None)
        if council is not None:
            figures = [f for f in service.dashboard(store, council=NamedNode(council), as_of=as_of)
                       if iri in (f.council, f.review)]
    return render(request, "resource.html", {"title": resource.label, "r": resource, "sources": sources,
                                              "figures": figures})


def _council(request: Request, store, resource, as_of: str | None) -> HTMLResponse:
    """A council's page: its headline figures (overdue judged at ``as_of``), its reviews with their gap lists, its
    plans over time as a chart, the posts and bodies carrying most, and its links."""
    from govgraph.visualise.over_time import over_time_chart

    view = service.council_view(store, NamedNode(resource.iri), as_of=as_of)
    totals = {k: sum(getattr(f, k) for f in view.figures) for k in
              ("recommendations", "complete_chains", "actions", "with_owner", "with_oversight", "overdue")}
    totals["without_action"] = sum(g.get("without_action", 0) for g in view.gaps.values())
    return render(request, "council.html", {"title": resource.label, "r": resource, "council": view,
                                             "totals": totals, "chart": over_time_chart(view.over_time)})


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, store: ReadStore, council: str | None = None, review: str | None = None,
                 theme: str | None = None, status: str | None = None, focus: str | None = None,
                 layout: str | None = None):
    from markupsafe import Markup

    from govgraph.visualise.maps import LAYOUTS, render_network

    layout = layout or LAYOUTS[0]
    if layout not in LAYOUTS:
        raise service.queries.QueryError(f"parameter 'layout' must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    filters = service.NetworkFilters(council=council or None, review=review or None, theme=theme or None,
                                     status=status or None, focus=focus or None)
    facets = service.network_facets(store, council=filters.council)
    dropped = _not_of_the_council(filters, facets)
    graph = service.network(store, filters)
    controls = templates.get_template("network_controls.html").render(facets=facets, f=filters, layout=layout)
    focus_label = (service.label_of(store, filters.focus) or filters.focus) if filters.focus else None
    title = "Who oversees what" if not focus_label else f"Chain of: {focus_label}"
    limit = request.app.state.context.settings.max_network_nodes
    nonce = request.state.csp_nonce
    nav = Markup(NAV_STYLE.replace("<style>", f'<style nonce="{nonce}">') + templates.get_template("nav.html").render())
    back = service.page_path(filters.focus) if filters.focus else None
    note = " ".join(x for x in (dropped, _network_note(graph, filters)) if x)
    return HTMLResponse(render_network(graph, title=title, note=note, max_nodes=limit, layout=layout,
                                       controls_html=Markup(controls), header_html=nav, back_url=back,
                                       back_label="Back to its page", nonce=nonce,
                                       neighbours_url="/api/network/neighbours"))


def _not_of_the_council(filters, facets) -> str:
    """Filters depend on the council: a review, theme or status that none of the chosen council's actions has
    (left from an earlier choice) is dropped, and the sentence returned says so."""
    if not filters.council:
        return ""
    dropped = []
    for facet in ("review", "theme", "status"):
        chosen = getattr(filters, facet)
        if chosen and not any(chosen in (o["value"], o["label"]) for o in facets[facet]):
            setattr(filters, facet, None)
            dropped.append(facet)
            named = f"{facet} {chosen!r}"
            dropped[-1] = (named, {"review": "reviews", "theme": "themes", "status": "statuses"}[facet])
    if not dropped:
        return ""
    return (f"No action of this council has the {' or the '.join(n for n, _ in dropped)}, so the map shows all of "
            f"its {' and '.join(p for _, p in dropped)}.")


# The network page is standalone (it inlines vis-network); it takes the site's navigation with these few rules.
NAV_STYLE = ("<style>header.site{margin:-1rem -1.25rem 1rem;border-bottom:1px solid #d9d9d9}header.site nav{display:flex;"
             "gap:1.2rem;padding:.6rem 1.25rem;flex-wrap:wrap;align-items:baseline}header.site a{color:#1b1b1b;"
             "text-decoration:none}header.site a.brand{font-weight:700;font-size:1.15rem;color:#1d4f91}"
             "header.site form.search{margin-left:auto}header.site form.search input{font:inherit;width:16rem;"
             "max-width:100%}</style>")


def _network_note(graph, filters) -> str:
    kinds: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
    if not graph.number_of_nodes():
        return "Nothing matches these filters."
    shown = ", ".join(f"{n} {k if n == 1 else service.PLURAL_OF.get(k, k + 's')}" for k, n in sorted(kinds.items()))
    return f"The selection holds {shown}. Click a node to open its page."


@router.get("/queries", response_class=HTMLResponse)
def queries_page(request: Request):
    return render(request, "queries.html", {"title": "Named queries", "queries": list(catalogue().values())})


#: The downloads of a named query's table, by extension.
DOWNLOADS = ("csv", "json", "xlsx")
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/queries/{name}.{ext}")
def named_query_download(name: str, ext: str, request: Request, store: ReadStore):
    """A named query's rows as CSV, JSON or XLSX, its parameters in the URL (``?council=...``) with the table's
    filters and order (``_status=...&_sort=due&_desc=1``): the rows its page shows, every page of them, or one
    page when ``_page`` is given."""
    from govgraph.server import tables

    if ext not in DOWNLOADS:
        raise HTTPException(404, f"no format .{ext}; use {', '.join('.' + e for e in DOWNLOADS)}")
    params, state = tables.split_parameters(request.query_params.multi_items())
    query = get_query(_known(name))
    columns, found = tables.query_rows(store, name, params)
    view = tables.table_view(columns, found, state, params=params)
    rows = view.rows if "_page" in request.query_params else view.matching
    if ext == "json":
        return {"ok": True, "query": name, "columns": columns, "rows": rows, "total": view.total,
                "matching": len(view.matching)}
    if ext == "csv":
        from govgraph.visualise.cells import csv_text

        return PlainTextResponse(csv_text(columns, rows), media_type="text/csv")
    from govgraph.visualise.report import Table, tables_xlsx

    sheet = Table(query.title, columns, [[r[c] or "" for c in columns] for r in rows],
                  text_columns=tuple(tables.NUMBERING_COLUMNS & set(columns)))
    return Response(tables_xlsx([sheet]), media_type=XLSX_MEDIA,
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


@router.get("/queries/{name}", response_class=HTMLResponse)
def named_query_page(name: str, request: Request, store: ReadStore):
    """A named query as a page: a form for its parameters and its rows as a table to sort, filter by facets and
    page through (see :mod:`~govgraph.server.tables`)."""
    from govgraph.server import tables

    query = get_query(_known(name))
    params = {k: v for k, v in request.query_params.items() if v and not k.startswith("_")}
    error = None
    view = None
    try:
        params, state = tables.split_parameters(request.query_params.multi_items())
        view = tables.table_view(*tables.query_rows(store, name, params), state, params=params)
    except service.queries.QueryError as exc:
        error = str(exc)
    return render(request, "query.html", {"title": query.title, "q": query, "params": params, "view": view,
                                           "error": error},
                  status=400 if error else 200)


def _known(name: str) -> str:
    if name not in catalogue():
        raise service.queries.QueryError(f"no query named {name!r}; known queries: {', '.join(catalogue())}")
    return name


def _report_controls(council: str | None, as_of: str | None) -> str:
    """The served report's date picker (overdue judged as of a date, the council kept) and its other formats."""
    from html import escape
    from urllib.parse import urlencode

    scope = {"council": council} if council else {}
    kept = urlencode({**scope, **({"as_of": as_of} if as_of else {})})
    hidden = f'<input type="hidden" name="council" value="{escape(council)}">' if council else ""
    return (f'<form method="get" action="/report.html">{hidden}<label for="as-of">Judge overdue as of</label> '
            f'<input id="as-of" type="date" name="as_of" value="{escape(as_of or "")}"> <button type="submit">Show'
            f'</button></form><span>The same as <a href="/report.md?{escape(kept)}">Markdown</a> or a '
            f'<a href="/report.xlsx?{escape(kept)}">spreadsheet</a> · <a href="/">back to the dashboard</a></span>')


@router.get("/report.{ext}")
def report(ext: str, store: ReadStore, council: str | None = None, as_of: str | None = None):
    """The gap and accountability report as HTML, Markdown or XLSX (``?council=...&as_of=YYYY-MM-DD``)."""
    from govgraph.visualise.report import to_html, to_markdown, to_xlsx

    if ext not in ("html", "md", "xlsx"):
        raise HTTPException(404, f"no report format .{ext}; use .html, .md or .xlsx")
    built = service.build_report(store, council=council, as_of=as_of)
    if ext == "html":
        from govgraph.server.app import content_security_policy, inline_hashes

        page = to_html(built, controls=_report_controls(council, as_of))  # a file people also keep: its one
        # style element is allowed by its hash
        return HTMLResponse(page, headers={"Content-Security-Policy": content_security_policy(
            styles=inline_hashes(page, "style"))})
    if ext == "md":
        return PlainTextResponse(to_markdown(built), media_type="text/markdown")
    return Response(to_xlsx(built), media_type=XLSX_MEDIA,
                    headers={"Content-Disposition": 'attachment; filename="govgraph-report.xlsx"'})
