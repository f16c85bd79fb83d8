"""The officer's desk for documents: ``/upload`` (sign in with the upload token, upload a file, see what was read
before it is written, commit or discard it) and ``/documents`` (the loaded documents, each to replace or remove).

Every form that changes something carries the session's token (:mod:`govgraph.server.sessions`); one that does
not, or that another site sends, is refused with 403 and changes nothing. Reading a file never writes to the store:
the reading waits in :class:`~govgraph.server.previews.PendingPreviews` until it is committed, and committing
writes exactly the triples that were shown.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pyoxigraph import NamedNode
from starlette.concurrency import run_in_threadpool

from govgraph import loaders, queries
from govgraph.loaders import LoadError, LoadOptions
from govgraph.server import service
from govgraph.server.context import Context, ReadStore, ServerContext, open_for_writing
from govgraph.server.pages import render
from govgraph.server.previews import PendingPreviews, Preview, PreviewTooLarge, read_preview
from govgraph.server.sessions import COOKIE, Session, UploadSessions

router = APIRouter(include_in_schema=False)


class UploadDesk:
    """The upload pages' state in one server: who is signed in, and the readings waiting to be committed."""

    def __init__(self, context: ServerContext) -> None:
        settings = context.settings
        token = settings.upload_token.get_secret_value() if settings.upload_token else None
        self.sessions = UploadSessions(token)
        self.pending = PendingPreviews(most=settings.upload_previews, triples=settings.upload_preview_triples,
                                       minutes=settings.upload_preview_minutes)


def desk(request: Request) -> UploadDesk:
    return request.app.state.upload_desk


def current_session(request: Request) -> Session | None:
    return desk(request).sessions.read(request.cookies.get(COOKIE))


class Refused(HTTPException):
    """A request the desk refuses, shown as a page saying what was refused, why, and where to go next."""

    def __init__(self, status: int, message: str, *, back: str = "/upload", back_label: str = "Back to the upload page"):
        super().__init__(status, message)
        self.back, self.back_label = back, back_label


def refused_page(request: Request, exc: Refused) -> HTMLResponse:
    titles = {400: "The form could not be read", 401: "Sign in first", 403: "Refused", 404: "Not found",
              409: "The store is busy", 410: "This preview has gone", 413: "Too large",
              422: "The document could not be read", 429: "Too many tries"}
    return render(request, "refused.html", {"title": titles.get(exc.status_code, f"Error {exc.status_code}"),
                                            "message": exc.detail, "back": exc.back, "back_label": exc.back_label},
                  status=exc.status_code)


def _same_origin(request: Request) -> bool:
    """Whether a form was sent from one of this server's pages: the browser's Origin (or, failing it, Referer)
    names this server, and it does not say the request is cross-site."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    sent_from = request.headers.get("origin") or request.headers.get("referer")
    if not sent_from or sent_from == "null":
        return sent_from is None  # a client that sends neither (not a browser) has no cookie to abuse
    # the host and port only: behind a proxy that ends HTTPS, the server itself is asked over plain HTTP
    return urlsplit(sent_from).netloc == urlsplit(str(request.base_url)).netloc


FORGED = ("This form did not come from this server's own page (its security token is missing or wrong, or another "
          "site sent it), so nothing was done. Open the page again and use its form.")


def _signed_in(request: Request, *, back: str = "/upload") -> Session:
    """The session of a request that changes something. :raises Refused: uploads are off (403), not signed in (401)."""
    sessions = desk(request).sessions
    if not sessions.enabled:
        raise Refused(403, "Uploads are off on this server: set GOVGRAPH_UPLOAD_TOKEN to enable them.")
    session = sessions.read(request.cookies.get(COOKIE))
    if session is None:
        raise Refused(401, "You are not signed in (or your session has ended: signing in lasts 8 hours and ends "
                           "when the server restarts). Sign in with the upload token, then try again.", back=back)
    return session


def _check_form(request: Request, session: Session, token: str | None, *, back: str = "/upload") -> None:
    """:raises Refused: 403 when the form's security token is not the session's, or another site sent it."""
    if not _same_origin(request) or not desk(request).sessions.csrf_matches(session, token):
        raise Refused(403, FORGED, back=back)


def _field(form, name: str) -> str | None:
    value = form.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _sentence(text: str) -> str:
    """A message that ends as a sentence, so that what follows it reads as another."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# --- signing in ------------------------------------------------------------------------------------------------------

@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, store: ReadStore, replace: str | None = None):
    """Sign in, or upload a document to see what is read in it before it is written."""
    session = current_session(request)
    replacing = None
    if replace and session is not None:
        replacing = _document(store, replace)
    return _upload_form(request, session, replacing=replacing)


def _upload_form(request: Request, session: Session | None, *, replacing: dict | None = None, error: str | None = None,
                 status: int = 200) -> HTMLResponse:
    context = request.app.state.context
    return render(request, "upload.html", {
        "title": "Upload a document" if replacing is None else f"Replace {replacing['title']}",
        "enabled": desk(request).sessions.enabled, "session": session, "replacing": replacing, "error": error,
        "suffixes": loaders.supported_suffixes(), "max_mb": context.settings.max_upload_mb,
        "minutes": context.settings.upload_preview_minutes}, status=status)


@router.post("/upload/sign-in")
async def sign_in(request: Request):
    sessions = desk(request).sessions
    if not sessions.enabled:
        raise Refused(403, "Uploads are off on this server: set GOVGRAPH_UPLOAD_TOKEN to enable them.")
    if not _same_origin(request):
        raise Refused(403, FORGED)
    if not sessions.may_try(_client(request)):
        raise Refused(429, "Too many wrong tokens from this address: wait a minute, then sign in again.")
    form = await request.form(max_files=0, max_fields=5)
    if not sessions.token_matches(_field(form, "token") or ""):
        sessions.failed(_client(request))
        return render(request, "upload.html", {
            "title": "Upload a document", "enabled": True, "session": None,
            "error": "That is not the upload token this server was given (the setting GOVGRAPH_UPLOAD_TOKEN): "
                     "you are not signed in."}, status=403)
    answer = RedirectResponse("/upload", status_code=303)
    answer.set_cookie(COOKIE, sessions.issue(), max_age=sessions.lifetime_s, path="/", httponly=True,
                      samesite="strict", secure=request.url.scheme == "https")
    return answer


@router.post("/upload/sign-out")
async def sign_out(request: Request):
    session = _signed_in(request)
    form = await request.form(max_files=0, max_fields=5)
    _check_form(request, session, _field(form, "csrf"))
    answer = RedirectResponse("/upload", status_code=303)
    answer.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return answer


# --- upload, preview, commit, discard --------------------------------------------------------------------------------

@router.post("/upload")
async def upload(request: Request, context: Context):
    """Read the uploaded file without writing it; show what was read (303 to its preview)."""
    from govgraph.server.api import received_form, uploaded_file
    from govgraph.server.settings import parse_limits

    session = _signed_in(request)
    if not _same_origin(request):  # before reading the body
        raise Refused(403, FORGED)
    max_mb = context.settings.max_upload_mb
    try:
        form = await received_form(request, max_mb)
    except HTTPException as exc:
        what = f"The upload is {exc.detail}" if exc.status_code == 413 else f"The form could not be read: {exc.detail}"
        raise Refused(exc.status_code, f"{_sentence(what)} Nothing was read or written.") from None
    _check_form(request, session, _field(form, "csrf"))
    replace = _field(form, "replace")
    back = "/upload" + (f"?replace={replace}" if replace else "")
    try:
        filename, content = await uploaded_file(form, max_mb)
    except HTTPException as exc:
        message = ("Choose a file to upload." if exc.status_code == 400 else
                   _sentence(f"{form['file'].filename}: {exc.detail}"))
        raise Refused(exc.status_code, message + " Nothing was read or written.", back=back) from None
    if replace is not None and not _is_document(replace):
        raise Refused(400, f"{replace} is not a document's IRI, so there is nothing it could replace.",
                      back="/documents", back_label="Back to the documents")
    options = LoadOptions(council=_field(form, "council"), review=_field(form, "review"),
                          graph=NamedNode(replace) if replace else None)
    try:
        preview = await run_in_threadpool(read_preview, filename, content, options=options,
                                          limits=parse_limits(context.settings))
    except LoadError as exc:
        raise Refused(422, f"{_sentence(str(exc))} Nothing was written to the store.", back=back) from None
    preview.replacing = options.graph.value if options.graph is not None else None
    try:
        desk(request).pending.keep(preview, session.id)
    except PreviewTooLarge as exc:
        raise Refused(413, f"{_sentence(str(exc))} Nothing was written to the store.", back=back) from None
    return RedirectResponse(f"/upload/preview/{preview.id}", status_code=303)


def _pending(request: Request, id: str, session: Session, *, take: bool = False) -> Preview:
    pending = desk(request).pending
    preview = pending.take(id, session.id) if take else pending.get(id, session.id)
    if preview is None:
        minutes = request.app.state.context.settings.upload_preview_minutes
        raise Refused(410, f"This preview is no longer held, so nothing was written: a document read here waits "
                           f"{minutes:g} minutes to be committed, at most {pending.most} wait at once (the oldest goes "
                           "first), and a preview is only for the session that uploaded it. Upload the file again.")
    return preview


@router.get("/upload/preview/{id}", response_class=HTMLResponse)
def preview_page(id: str, request: Request, store: ReadStore):
    session = _signed_in(request)
    preview = _pending(request, id, session)
    existing = _document(store, preview.graph)
    return render(request, "preview.html", {
        "title": f"Check before loading: {preview.name}", "p": preview, "session": session, "existing": existing,
        "figures": preview.figures(), "expires": datetime.fromtimestamp(preview.expires).strftime("%H:%M")})


@router.post("/upload/preview/{id}/commit")
async def commit(id: str, request: Request, context: Context):
    """Write the reading shown, then show the documents with it."""
    session = _signed_in(request)
    form = await request.form(max_files=0, max_fields=5)
    _check_form(request, session, _field(form, "csrf"), back=f"/upload/preview/{id}")
    preview = _pending(request, id, session, take=True)

    def write():
        with open_for_writing(context) as store:
            return service.write_reading(store, preview.loaded)

    try:
        result = await run_in_threadpool(write)
    except HTTPException as exc:  # 409: another process writes; the reading waits to be committed again
        desk(request).pending.keep(preview, session.id)
        raise Refused(exc.status_code, f"{_sentence(str(exc.detail))} Nothing was written; the preview is held again.",
                      back=f"/upload/preview/{preview.id}", back_label="Back to the preview") from None
    if result.error:
        raise Refused(422, f"{_sentence(result.error)} Nothing was written to the store.")
    return RedirectResponse(f"/documents?loaded={result.graph.value}", status_code=303)


@router.post("/upload/preview/{id}/discard")
async def discard(id: str, request: Request):
    session = _signed_in(request)
    form = await request.form(max_files=0, max_fields=5)
    _check_form(request, session, _field(form, "csrf"), back=f"/upload/preview/{id}")
    desk(request).pending.take(id, session.id)
    return RedirectResponse("/upload", status_code=303)


# --- the documents -----------------------------------------------------------------------------------------------------

def _is_document(iri: str) -> bool:
    """Whether ``iri`` names a document's graph (and is an IRI at all)."""
    if not iri.startswith(service.ID_PREFIX + "document/"):
        return False
    try:
        NamedNode(iri)
    except ValueError:
        return False
    return True


def document_list(store) -> list[dict]:
    """The loaded documents, by council then title: graph, title, file, date, council, reviews, counts, triples.
    Kept with the read-only snapshot it was read from (the list changes only when the store does)."""
    from govgraph.server import memo

    return memo.kept(store, "document list", lambda: _document_list(store))


def _document_list(store) -> list[dict]:
    details = {r["document"]: r for r in store.select(queries.query_text("resources", "documents")).values()}
    out = []
    for d in service.documents(store):
        row = details.get(d.graph, {})
        out.append({"graph": d.graph, "title": d.title or d.source or d.graph.rsplit("/", 1)[-1],
                    "file": d.source, "triples": d.triples, "page": service.page_path(d.graph),
                    "issued": row.get("issued"), "council": row.get("publisher"),
                    "council_name": row.get("publisher_name"), "reviews": row.get("reviews"),
                    "recommendations": int(row.get("recommendations") or 0),
                    "actions": int(row.get("actions") or 0), "removable": _is_document(d.graph)})
    return sorted(out, key=lambda d: (d["council_name"] or "~", d["title"].lower()))


def _document(store, graph: str) -> dict | None:
    return next((d for d in document_list(store) if d["graph"] == graph), None)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, store: ReadStore, loaded: str | None = None, removed: str | None = None):
    """The loaded documents; signed in, each can be replaced or removed."""
    documents = document_list(store)
    graphs = {d["graph"] for d in documents}
    just_loaded = next((d for d in documents if d["graph"] == loaded), None) if loaded else None
    return render(request, "documents.html", {
        "title": "Documents", "documents": documents, "session": current_session(request),
        "enabled": desk(request).sessions.enabled, "just_loaded": just_loaded,
        "removed": removed if removed and removed not in graphs else None})


@router.get("/documents/remove", response_class=HTMLResponse)
def remove_page(request: Request, store: ReadStore, graph: str):
    """The confirmation step before a document is removed."""
    session = _signed_in(request, back="/documents")
    document = _document(store, graph)
    if document is None or not document["removable"]:
        raise Refused(404, f"No document {graph} is loaded, so there is nothing to remove.", back="/documents",
                      back_label="Back to the documents")
    return render(request, "remove.html", {"title": f"Remove {document['title']}?", "d": document,
                                            "session": session})


@router.post("/documents/remove")
async def remove(request: Request, context: Context):
    session = _signed_in(request, back="/documents")
    form = await request.form(max_files=0, max_fields=5)
    _check_form(request, session, _field(form, "csrf"), back="/documents")
    graph = _field(form, "graph") or ""
    if not _is_document(graph):
        raise Refused(404, f"No document {graph} is loaded, so nothing was removed.", back="/documents",
                      back_label="Back to the documents")

    def remove_it():
        with open_for_writing(context) as store:
            return service.remove_document(store, NamedNode(graph))

    try:
        removed = await run_in_threadpool(remove_it)
    except HTTPException as exc:
        raise Refused(exc.status_code, f"{_sentence(str(exc.detail))} Nothing was removed.", back="/documents",
                      back_label="Back to the documents") from None
    if not removed:
        raise Refused(404, f"No document {graph} is loaded, so nothing was removed.", back="/documents",
                      back_label="Back to the documents")
    return RedirectResponse(f"/documents?removed={graph}", status_code=303)
