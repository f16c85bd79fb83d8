"""The web server: pages for people, a REST API, and a SPARQL 1.1 endpoint, all over one store.

The server never holds the store's write lock: each request reads a read-only snapshot, so ``govgraph load`` can
run while the server is up and its changes show on the next request. Only an upload (``POST /api/documents``,
with the upload token) opens the store for writing, for the moment it takes to load one document.

Routes live by resource in :mod:`~govgraph.server.pages` (HTML), :mod:`~govgraph.server.api` (JSON) and
:mod:`~govgraph.server.sparql` (the endpoint); each calls :mod:`~govgraph.server.service`.
"""
from __future__ import annotations

import re
import secrets
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from govgraph.queries import QueryError
from govgraph.queries.bounded import QueryRunner
from govgraph.queries.store import StoreError, StoreLockedError, is_remote, open_store
from govgraph.server import service
from govgraph.server.context import ServerContext, Snapshots, error_response
from govgraph.server.settings import Settings, get_settings

HERE = Path(__file__).resolve().parent


def create_app(location: str | Path, settings: Settings | None = None) -> FastAPI:
    """The FastAPI application serving the store at ``location`` (a directory, ``memory:``, or the URL of a SPARQL
    server).

    :raises StoreError: the store cannot be opened or created.
    """
    settings = settings or get_settings()
    location = str(location)
    remote = is_remote(location)
    # An in-memory store lives in this process; a SPARQL server store is one connection shared by every request
    # (no locks: the server keeps readers and writers apart).
    shared = open_store(location) if location == "memory:" or remote else None
    if shared is not None:
        service.ensure_vocabulary(shared)
    else:
        try:  # create the store and its vocabulary graphs if this is its first use
            with service.opened(location, write=True):
                pass
        except StoreLockedError:
            pass  # a loader is writing right now; it keeps the vocabulary up to date itself
    if remote:
        from govgraph.queries.forwarded import ForwardingRunner

        runner = ForwardingRunner(shared, timeout_s=settings.query_timeout, workers=settings.query_workers)
    else:
        runner = QueryRunner(shared.inner if shared is not None else str(Path(location).expanduser()),
                             timeout_s=settings.query_timeout, workers=settings.query_workers)
    snapshots = Snapshots(str(Path(location).expanduser())) if shared is None and not remote else None
    context = ServerContext(location=location, settings=settings, shared=shared, runner=runner, snapshots=snapshots)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.warm_up:
            threading.Thread(target=warm_up, args=(context,), name="govgraph-warm-up", daemon=True).start()
        yield
        runner.close()
        if remote:
            shared.close()

    app = FastAPI(
        title="govgraph",
        description="Recommendations made to UK councils, the actions that answer them, the officer posts "
                    "accountable and the bodies that oversee them, as a graph. Every list takes `limit` and "
                    "`offset`; errors are `{\"ok\": false, \"error\": ..., \"status\": ...}`. The SPARQL 1.1 "
                    "endpoint is at `/sparql`.",
        version="0.1.0", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.context = context
    app.state.store = shared  # the in-memory or SPARQL server store (None for an on-disk store)

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        return error_response(503, str(exc))

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError):
        return error_response(400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return error_response(422, f"invalid request: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        from govgraph.server.pages import error_page, wants_html

        if wants_html(request):
            return error_page(request, exc.status_code, str(exc.detail))
        return error_response(exc.status_code, str(exc.detail))

    from govgraph.server import api, comparison, pages, sparql, uploads

    app.state.upload_desk = uploads.UploadDesk(context)
    app.add_exception_handler(uploads.Refused, uploads.refused_page)
    app.include_router(sparql.router)
    app.include_router(api.router)
    app.include_router(comparison.router)
    app.include_router(pages.router)
    app.include_router(uploads.router)
    _mount_api_docs(app)  # before /static, which would otherwise take /static/api-docs
    from govgraph.visualise.maps import vis_folder

    # vis-network for the SPARQL page's network view: the copy pyvis ships, as a file the browser can cache
    app.mount("/static/vis-network", StaticFiles(directory=vis_folder()), name="vis-network")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


class SecurityHeaders:
    """Every answer says how a browser must treat it: scripts and styles only from this server or inline with this
    request's nonce (``request.state.csp_nonce``; a route may set a stricter or hash-based policy of its own), no
    sniffing, no framing, no referrer to other sites.

    Plain ASGI rather than ``@app.middleware("http")``: Starlette's ``BaseHTTPMiddleware`` runs every request in
    a task group and streams its body through a queue, which took most of the server's own time per SPARQL
    request under load."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})["csp_nonce"] = nonce

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in ((b"content-security-policy", content_security_policy(nonce)),
                                    (b"x-content-type-options", "nosniff"), (b"x-frame-options", "DENY"),
                                    (b"referrer-policy", "same-origin")):
                    if name not in present:
                        headers.append((name, value.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def warm_up(context: ServerContext) -> None:
    """At start, in the background: start the SPARQL endpoint's query workers, bring the search index up to date
    and compute the whole-corpus views of the first snapshot (the dashboard, the comparison, the gap counts, the documents), so the first person to ask does
    not wait for them (a search index read from bulk-loaded RDF: 1.1 s at 40 councils). A failure is logged: the
    views are computed on request as before."""
    import logging

    from govgraph.server import search
    from govgraph.server.context import reading_store

    opened = reading_store(context)
    try:
        context.runner.start()  # the SPARQL endpoint's workers
        store = next(opened)
        search.ensure_current(store)
        service.dashboard(store)
        service.compare(store)
        service.gap_counts(store)
        service.documents(store)
    except Exception as exc:  # noqa: BLE001 - a warm-up that fails leaves the views to be computed on request
        logging.getLogger(__name__).warning("warming up the views failed: %s", exc)
    finally:
        opened.close()


def content_security_policy(nonce: str | None = None, *, scripts: list[str] = (), styles: list[str] = (),
                            inline_style_attributes: bool = False) -> str:
    """The Content-Security-Policy of a page: everything from this server only; inline ``<script>`` and
    ``<style>`` elements only with the request's nonce or by the hashes given (inline styles of any kind for the
    API viewers, which write their own as they run)."""
    allowed_scripts = [f"'nonce-{nonce}'"] if nonce else []
    allowed_styles = list(allowed_scripts)
    allowed_scripts += [f"'{h}'" for h in scripts]
    allowed_styles += [f"'{h}'" for h in styles]
    if inline_style_attributes:  # a viewer that writes its own styles as it runs ('unsafe-inline' is ignored
        allowed_styles = ["'unsafe-inline'"]  # beside a nonce or hash); scripts stay by hash only
    workers = ["worker-src 'self' blob:"] if inline_style_attributes else []  # ReDoc searches in a worker
    return "; ".join([
        "default-src 'self'", "script-src 'self' " + " ".join(allowed_scripts), *workers,
        "style-src 'self' " + " ".join(allowed_styles), "img-src 'self' data:", "object-src 'none'",
        "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]).replace("  ", " ")


def inline_hashes(html: str, tag: str) -> list[str]:
    """The CSP hashes ('sha256-...') of the inline ``<tag>`` elements of a page govgraph built itself."""
    import base64
    import hashlib

    out = []
    for m in re.finditer(rf"<{tag}(?![^>]*\bsrc=)[^>]*>(.*?)</{tag}>", html, re.DOTALL | re.IGNORECASE):
        digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
        out.append("sha256-" + base64.b64encode(digest).decode())
    return out


def _mount_api_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from the files the ``fastapi-offline`` package ships, so the API docs work offline."""
    import fastapi_offline
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

    assets = Path(fastapi_offline.__file__).resolve().parent / "static"
    app.mount("/static/api-docs", StaticFiles(directory=assets), name="api-docs")

    def hashed(page):
        # the generated page's own inline scripts by hash; the viewers write styles as they run
        html = page.body.decode("utf-8")
        page.headers["Content-Security-Policy"] = content_security_policy(
            scripts=inline_hashes(html, "script"), inline_style_attributes=True)
        return page

    @app.get("/docs", include_in_schema=False)
    def api_docs():
        return hashed(get_swagger_ui_html(openapi_url="/openapi.json", title="govgraph API",
                                          swagger_js_url="/static/api-docs/swagger-ui-bundle.js",
                                          swagger_css_url="/static/api-docs/swagger-ui.css",
                                          swagger_favicon_url="/static/api-docs/favicon.png"))

    @app.get("/redoc", include_in_schema=False)
    def api_reference():
        return hashed(get_redoc_html(openapi_url="/openapi.json", title="govgraph API",
                                     redoc_js_url="/static/api-docs/redoc.standalone.js",
                                     redoc_favicon_url="/static/api-docs/favicon.png", with_google_fonts=False))
