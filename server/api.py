"""``/api``: the REST API (JSON, described at ``/openapi.json`` and browsable at ``/docs``).

- ``/api/queries/{name}``: each named query, its parameters typed;
- ``/api/{kind}`` and ``/api/{kind}/{id}``: councils, reviews, recommendations, actions, posts, people, bodies and
  documents, paginated (``limit``, ``offset``), each with its links; ``.../chain`` for a recommendation or action;
- ``/api/dashboard``, ``/api/gaps``, ``/api/compare``, ``/api/network``: the figures, gap lists, comparison tables
  and network views the pages show;
- ``POST /api/documents``: upload a document to load (or replace) it, with the upload token.
"""
from __future__ import annotations

import inspect
from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from govgraph.loaders import LoadOptions
from govgraph.queries import NamedQuery, catalogue
from govgraph.queries.store import ExportFormat, SelectResult
from govgraph.server import service
from govgraph.server.context import Context, ReadStore, UploadAllowed, WriteStore

router = APIRouter(prefix="/api")
Limit = Annotated[int, Query(ge=1, le=1000, description="How many items to return.")]
Offset = Annotated[int, Query(ge=0, description="How many items to skip.")]
CouncilFilter = Annotated[str | None, Query(description="A council, by name or IRI.")]


def rows_json(result: SelectResult) -> dict:
    return {"columns": result.variables, "rows": result.values()}


# --- named queries ------------------------------------------------------------------------------------------------

@router.get("/queries", tags=["named queries"], summary="The named queries")
def list_queries() -> dict:
    return {"ok": True, "queries": [
        {"name": q.name, "title": q.title, "description": q.description, "url": f"/api/queries/{q.name}",
         "parameters": [{"name": p.name, "kind": p.kind, "class": p.cls, "description": p.description}
                        for p in q.parameters],
         "columns": [{"name": c, "description": d} for c, d in q.columns]} for q in catalogue().values()]}


PYTHON_TYPES = {"date": date, "integer": int, "decimal": float, "string": str, "iri": str}


def _query_endpoint(query: NamedQuery):
    def endpoint(store: ReadStore, **params) -> dict:
        values = {k: (v.isoformat() if isinstance(v, date) else str(v)) for k, v in params.items() if v is not None}
        _, result = service.run_query(store, query.name, values)
        return {"ok": True, "query": query.name, **rows_json(result)}

    parameters = [inspect.Parameter("store", inspect.Parameter.KEYWORD_ONLY, annotation=ReadStore)]
    for p in query.parameters:
        help_text = p.description + (f" (a {p.cls} by name or IRI)" if p.kind == "iri" and p.cls else "")
        parameters.append(inspect.Parameter(
            p.name, inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[PYTHON_TYPES[p.kind] | None, Query(description=help_text)], default=None))
    endpoint.__signature__ = inspect.Signature(parameters)
    endpoint.__name__ = "query_" + query.name.replace("-", "_")
    return endpoint


for _query in catalogue().values():
    router.add_api_route(f"/queries/{_query.name}", _query_endpoint(_query), methods=["GET"],
                         tags=["named queries"], summary=_query.title, description=_query.description)


# --- figures, gaps, comparison, network ----------------------------------------------------------------------------

@router.get("/dashboard", tags=["analysis"], summary="Headline figures per council and review")
def dashboard(store: ReadStore, as_of: Annotated[date | None, Query(description="Judge overdue at this date.")] = None):
    figures = service.dashboard(store, as_of=as_of.isoformat() if as_of else None)
    return {"ok": True, "as_of": (as_of or date.today()).isoformat(), "reviews": [
        {**vars(f), "complete_share": f.complete_share} for f in figures]}


@router.get("/gaps", tags=["analysis"], summary="The coverage-gap lists")
def gaps(store: ReadStore, council: CouncilFilter = None,
         review: Annotated[str | None, Query(description="A review, by title or IRI.")] = None,
         as_of: Annotated[date | None, Query(description="Judge overdue at this date (today by default).")] = None):
    params = {k: v for k, v in {"council": council, "review": review}.items() if v}
    out = {name: rows_json(service.run_query(store, name, params)[1]) for name in service.GAP_QUERIES}
    out["overdue-actions"] = rows_json(service.run_query(
        store, "overdue-actions", {**params, "as_of": (as_of or date.today()).isoformat()})[1])
    return {"ok": True, "gaps": out}


@router.get("/compare", tags=["analysis"], summary="Councils side by side by status and shared theme")
def compare(store: ReadStore, council: Annotated[list[str], Query(description="Councils to compare (all when "
                                                                           "none are given).")] = [],
            year_from: Annotated[int | None, Query(alias="from", description="The first document year counted.")]
            = None,
            year_to: Annotated[int | None, Query(alias="to", description="The last document year counted.")] = None):
    c = service.compare(store, council=council, year_from=year_from, year_to=year_to)
    return {"ok": True, "councils": c.councils, "status": c.status, "years": c.years,
            "status_words": [{"council": w.council, "words": w.words, "status": w.status, "concept": w.concept,
                              "edited": w.edited, "actions": w.actions} for w in c.words],
            "themes": [{"scheme": scheme, "theme": theme,
                        "by_council": {k: {"recommendations": v[0], "actions": v[1]} for k, v in counts.items()}}
                       for (scheme, theme), counts in c.themes.items()]}


@router.get("/network", tags=["analysis"], summary="The accountability network as nodes and edges")
def network(store: ReadStore, council: CouncilFilter = None, review: str | None = None, theme: str | None = None,
            status: str | None = None,
            focus: Annotated[str | None, Query(description="A recommendation or action IRI: its chain only.")] = None):
    graph = service.network(store, service.NetworkFilters(council, review, theme, status, focus))
    return {"ok": True, **_network_json(graph)}


def _network_json(graph) -> dict:
    from govgraph.visualise.maps import level_of

    return {"nodes": [{"id": n, "kind": d["kind"], "label": d["label"], "number": d.get("number"),
                       "council": d["council"], "level": level_of(d["kind"]), "page": d["url"]}
                      for n, d in graph.nodes(data=True)],
            "edges": [{"source": s, "target": t, "relation": d["relation"]} for s, t, d in graph.edges(data=True)]}


@router.get("/network/neighbours", tags=["analysis"], summary="The nodes next to one node of the network",
            description="What a map adds when one of its nodes is expanded: the node's neighbours and its links to "
                        "them (`nodes`, `edges`, as `/api/network` gives them), and the same drawn for vis-network "
                        "(`drawn`), in the map's `layout`.")
def network_neighbours(store: ReadStore,
                       node: Annotated[str, Query(description="The IRI of a recommendation, action, post, person, "
                                                              "oversight body or council.")],
                       layout: Annotated[str, Query(description="layered or force: how the map is laid out.")]
                       = "layered"):
    from govgraph.visualise.maps import LAYOUTS, vis_elements

    if layout not in LAYOUTS:
        raise service.queries.QueryError(f"parameter 'layout' must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    graph = service.network_neighbours(store, node)
    drawn_nodes, drawn_edges = vis_elements(graph, layout=layout)
    return {"ok": True, "node": node, **_network_json(graph), "drawn": {"nodes": drawn_nodes, "edges": drawn_edges}}


@router.get("/network/facets", tags=["analysis"], summary="What a network view can be filtered by",
            description="The councils (by name), and the reviews, themes and statuses with how many actions carry "
                        "each: those of the `council` given, else of every council.")
def network_facets(store: ReadStore, council: CouncilFilter = None):
    return {"ok": True, "council": council, "facets": service.network_facets(store, council=council)}


@router.get("/describe.{ext}", tags=["resources"], summary="Every triple about a node, as RDF")
def describe_rdf(ext: str, store: ReadStore, iri: Annotated[str, Query(description="The node's IRI.")]):
    formats = {"ttl": (ExportFormat.TURTLE, "text/turtle"), "nt": (ExportFormat.NTRIPLES, "application/n-triples"),
               "jsonld": (ExportFormat.JSONLD, "application/ld+json")}
    if ext not in formats:
        raise HTTPException(404, f"no RDF format .{ext}; use .ttl, .nt or .jsonld")
    if service.label_of(store, iri) is None:
        raise HTTPException(404, f"nothing is known about {iri}")
    fmt, media = formats[ext]
    return Response(service.describe_rdf(store, iri, fmt), media_type=media)


# --- documents ------------------------------------------------------------------------------------------------------

@router.get("/documents", tags=["documents"], summary="The loaded documents")
def list_documents(store: ReadStore):
    return {"ok": True,
            "documents": [{**vars(d), "page": service.page_path(d.graph)} for d in service.documents(store)]}


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "The document."}}}}}}}
MULTIPART_OVERHEAD = 64 * 1024  # the form's boundaries and part headers around the file


@router.post("/documents", tags=["documents"], summary="Upload a document to load or replace it",
             dependencies=[UploadAllowed], status_code=201, openapi_extra=UPLOAD_BODY,
             description="Multipart form with a `file` field: any format `govgraph load` reads. The file's name "
                         "decides its graph, so uploading it again replaces it. Needs `Authorization: Bearer "
                         "<token>` (the setting GOVGRAPH_UPLOAD_TOKEN), checked before any of the body is read; "
                         "a body over GOVGRAPH_MAX_UPLOAD_MB is refused with 413 as soon as it passes the limit. "
                         "The file is read in a separate process with memory and time limits. If it cannot be read "
                         "nothing in the store changes and the answer is 422 with the reason.")
async def upload_document(request: Request, context: Context,
                          council: Annotated[str | None, Query(description="The council, for documents that never "
                                                                            "say.")] = None,
                          review: Annotated[str | None, Query(description="The review, likewise.")] = None):
    from starlette.concurrency import run_in_threadpool

    form = await received_form(request, context.settings.max_upload_mb)
    filename, content = await uploaded_file(form, context.settings.max_upload_mb)
    options = LoadOptions(council=council, review=review) if council or review else None
    from govgraph.server.context import open_for_writing

    def load():
        with open_for_writing(context) as store:
            return service.load_upload(store, filename, content, options)

    result = await run_in_threadpool(load)
    if result.error:
        raise HTTPException(422, result.error)
    return {"ok": True, "graph": result.graph.value, "loader": result.loader, "replaced": result.replaced,
            "triples": result.triples, "counts": dict(result.counts), "page": service.page_path(result.graph.value),
            "skipped": [str(s) for s in result.skipped]}


def too_large(max_upload_mb: float) -> HTTPException:
    return HTTPException(413, f"larger than the {max_upload_mb:g} MB this server accepts (the setting "
                              "GOVGRAPH_MAX_UPLOAD_MB)")


async def received_form(request: Request, max_upload_mb: float):
    """The multipart form of an upload, its body counted as it arrives: a body past ``max_upload_mb`` (and the
    form's own overhead) is refused with 413 without ever being held whole. :raises HTTPException: 400, 413."""
    from starlette.requests import Request as Parsed

    limit = int(max_upload_mb * 1024 * 1024) + MULTIPART_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(max_upload_mb)
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise HTTPException(400, "send the document as multipart/form-data with a 'file' field")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large(max_upload_mb)
    sent = False

    async def replay():
        nonlocal sent
        if sent:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent = True
        return {"type": "http.request", "body": bytes(body), "more_body": False}

    try:
        return await Parsed(request.scope, replay).form(max_files=1, max_fields=10)
    except Exception as exc:  # noqa: BLE001 - a malformed form is the client's error
        raise HTTPException(400, f"the form could not be read: {exc}") from exc


async def uploaded_file(form, max_upload_mb: float) -> tuple[str, bytes]:
    """The name and bytes of the form's ``file`` part. :raises HTTPException: 400 (none), 413 (too large)."""
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(400, "the form has no 'file' field with a document in it")
    content = await upload.read()
    if len(content) > int(max_upload_mb * 1024 * 1024):
        raise too_large(max_upload_mb)
    return upload.filename or "upload", content


@router.delete("/documents/{id:path}", tags=["documents"], summary="Remove a loaded document",
               dependencies=[UploadAllowed])
def remove_document(id: str, store: WriteStore):
    from pyoxigraph import NamedNode

    try:
        graph = NamedNode(service.ID_PREFIX + "document/" + id)
    except ValueError:
        raise HTTPException(404, f"no document {id!r} is loaded (that is not a document's identifier)") from None
    if not service.remove_document(store, graph):
        raise HTTPException(404, f"no document {graph.value} is loaded")
    return {"ok": True, "removed": graph.value}


# --- resources ----------------------------------------------------------------------------------------------------

def _resource_json(resource: service.Resource) -> dict:
    return {"ok": True, "iri": resource.iri, "kind": resource.kind, "label": resource.label,
            "page": service.page_path(resource.iri), "types": resource.types,
            "properties": resource.properties, "links": resource.links,
            "sections": {title: rows_json(result) for title, result in resource.sections.items()}}


def _lister(kind: str):
    def list_kind(store: ReadStore, council: CouncilFilter = None, limit: Limit = 50, offset: Offset = 0):
        page = service.list_resources(store, kind, council=council, limit=limit, offset=offset)
        following = offset + limit
        return {"ok": True, "kind": kind, "total": page.total, "limit": limit, "offset": offset,
                "next": f"/api/{kind}?limit={limit}&offset={following}" if following < page.total else None,
                "items": page.items}

    list_kind.__name__ = f"list_{kind}"
    return list_kind


def _chain(kind: str, singular: str):
    def chain(id: str, store: ReadStore):
        iri = f"{service.ID_PREFIX}{singular}/{id}"
        if service.label_of(store, iri) is None:
            raise HTTPException(404, f"no {singular} {iri}")
        _, result = service.run_query(store, "accountability-chain", {singular: iri})
        return {"ok": True, singular: iri, **rows_json(result)}

    chain.__name__ = f"chain_of_{singular}"
    return chain


def _detail(kind: str, singular: str):
    def detail(id: str, store: ReadStore):
        iri = f"{service.ID_PREFIX}{singular}/{id}"
        resource = service.describe(store, iri)
        if resource is None or resource.kind != singular:
            raise HTTPException(404, f"no {singular} {iri}")
        return _resource_json(resource)

    detail.__name__ = f"get_{singular}"
    return detail


for _kind, (_cls, _singular) in service.RESOURCE_KINDS.items():
    if _kind == "documents":
        router.add_api_route("/documents/{id:path}", _detail(_kind, _singular), methods=["GET"], tags=["documents"],
                             summary="A document: what was read from it")
        continue
    router.add_api_route(f"/{_kind}", _lister(_kind), methods=["GET"], tags=["resources"],
                         summary=f"List {_kind}")
    if _kind in ("recommendations", "actions"):
        article = "an" if _singular[0] in "aeiou" else "a"
        router.add_api_route(f"/{_kind}/{{id:path}}/chain", _chain(_kind, _singular), methods=["GET"],
                             tags=["accountability chains"],
                             summary=f"The accountability chain of {article} {_singular}")
    router.add_api_route(f"/{_kind}/{{id:path}}", _detail(_kind, _singular), methods=["GET"], tags=["resources"],
                         summary=f"One {_singular} with its links")
