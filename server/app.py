"""The web server. For now: a start page with the loaded documents and the coverage-gap counts, the report (HTML,
Markdown, XLSX), each named query's rows as JSON and CSV, and a health check. The SPARQL endpoint, REST
resources and network views come next.

The server never holds the store's write lock: each request opens a read-only snapshot, so ``govgraph load`` can
run while the server is up and its changes show on the next request.
"""
from __future__ import annotations

import csv
import html
import io
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from govgraph.queries import QueryError, catalogue
from govgraph.queries.store import StoreError, StoreLockedError, open_store
from govgraph.server import service


def create_app(location: str | Path) -> FastAPI:
    """The FastAPI application serving the store at ``location``."""
    location = str(location)
    memory = location == "memory:"
    shared = open_store(location) if memory else None
    if shared is not None:
        service.ensure_vocabulary(shared)
    else:
        try:  # create the store and its vocabulary graphs if this is its first use
            with service.opened(location, write=True):
                pass
        except StoreLockedError:
            pass  # a loader is writing right now; it keeps the vocabulary up to date itself

    @contextmanager
    def reading():
        if shared is not None:
            yield shared
            return
        store = open_store(location, read_only=True)
        try:
            yield store
        finally:
            store.close()

    app = FastAPI(title="govgraph", description="Accountability gaps in council action plans, as a graph.",
                  version="0.1.0")
    app.state.store = shared  # the in-memory store, when serving one (None for an on-disk store)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        return JSONResponse({"ok": False, "error": str(exc), "status": 503}, status_code=503)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError):
        return JSONResponse({"ok": False, "error": str(exc), "status": 400}, status_code=400)

    @app.get("/healthz")
    def healthz() -> dict:
        with reading() as store:
            return {"ok": True, "store": location, "quads": store.count()}

    @app.get("/queries/{name}.{ext}")
    def named_query(name: str, ext: str, request: Request):
        if ext not in ("json", "csv"):
            raise HTTPException(404, f"no format .{ext}; use .json or .csv")
        if name not in catalogue():
            raise QueryError(f"no query named {name!r}; known queries: {', '.join(catalogue())}")
        with reading() as store:
            _, result = service.run_query(store, name, dict(request.query_params))
        if ext == "json":
            return {"ok": True, "query": name, "columns": result.variables, "rows": result.values()}
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=result.variables, lineterminator="\n")
        writer.writeheader()
        writer.writerows(result.values())
        return PlainTextResponse(buffer.getvalue(), media_type="text/csv")

    @app.get("/report.{ext}")
    def report(ext: str, council: str | None = None, as_of: str | None = None):
        """The gap and accountability report as HTML, Markdown or XLSX (``?council=...&as_of=YYYY-MM-DD``)."""
        from fastapi.responses import Response

        from govgraph.visualise.report import to_html, to_markdown, to_xlsx

        if ext not in ("html", "md", "xlsx"):
            raise HTTPException(404, f"no report format .{ext}; use .html, .md or .xlsx")
        with reading() as store:
            built = service.build_report(store, council=council, as_of=as_of)
        if ext == "html":
            return HTMLResponse(to_html(built))
        if ext == "md":
            return PlainTextResponse(to_markdown(built), media_type="text/markdown")
        return Response(to_xlsx(built), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="govgraph-report.xlsx"'})

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        with reading() as store:
            docs = service.documents(store)
            report = service.gap_report(store)
        e = html.escape
        doc_rows = "".join(f"<tr><td>{e(d.title or '')}</td><td>{e(d.source or '')}</td>"
                           f"<td class=n>{d.triples:,}</td></tr>" for d in docs)
        gap_rows = "".join(
            f"<tr><td>{e(q.title)}</td><td class=n>{len(r)}</td>"
            f"<td><a href='/queries/{e(q.name)}.json'>json</a> · <a href='/queries/{e(q.name)}.csv'>csv</a></td></tr>"
            for q, r in report)
        return PAGE.format(documents=doc_rows or "<tr><td colspan=3>No documents loaded yet: run "
                           "<code>govgraph load PATH</code>.</td></tr>", gaps=gap_rows, store=e(location))

    return app


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>govgraph</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2rem; }}
th, td {{ text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
th {{ background: #f3f3f3; }}
small {{ color: #555; }}
</style></head>
<body>
<h1>govgraph</h1>
<p>Recommendations made to councils, the actions that answer them, who is accountable and who oversees them.</p>
<p><a href="/report.html">The full report</a> (also as <a href="/report.md">Markdown</a> and
<a href="/report.xlsx">a spreadsheet</a>).</p>
<h2>Coverage gaps</h2>
<table><thead><tr><th>Question</th><th>Rows</th><th>Download</th></tr></thead><tbody>{gaps}</tbody></table>
<h2>Documents</h2>
<table><thead><tr><th>Title</th><th>File</th><th>Triples</th></tr></thead><tbody>{documents}</tbody></table>
<p><small>Store: {store}. The SPARQL endpoint and the network maps are not built yet.</small></p>
</body></html>
"""
