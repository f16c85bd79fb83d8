"""What every route needs, as FastAPI dependencies: the store to read (a read-only snapshot, opened again when the
store has changed), the store to write (uploads only), the settings and the SPARQL endpoint's query runner."""
from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from govgraph.queries.bounded import QueryRunner, store_state
from govgraph.queries.store import GraphStore, StoreLockedError, open_store
from govgraph.server import service
from govgraph.server.settings import Settings


def error_response(status: int, message: str) -> JSONResponse:
    """govgraph's one error shape: ``{"ok": false, "error": message, "status": status}``."""
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


class Snapshots:
    """The read-only snapshot of an on-disk store that requests read. Opening one costs several milliseconds, more
    than most pages' queries, so it is kept and opened again only when a writer has changed the store's files
    since (a request still reading the old snapshot finishes on it)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._lock = threading.Lock()
        self._store: GraphStore | None = None
        self._state: tuple | None = None

    def current(self) -> GraphStore:
        """The snapshot to read now. :raises StoreError: the store cannot be opened."""
        state = store_state(self.location)
        with self._lock:
            if self._store is None or state != self._state:
                self._store = open_store(self.location, read_only=True)
                self._state = state
            return self._store


@dataclass
class ServerContext:
    location: str
    settings: Settings
    shared: GraphStore | None  # the in-memory store, when serving one
    runner: QueryRunner
    snapshots: Snapshots | None = None  # for an on-disk store


def get_context(request: Request) -> ServerContext:
    return request.app.state.context


def reading_store(context: Annotated[ServerContext, Depends(get_context)]) -> Iterator[GraphStore]:
    if context.shared is not None:
        yield context.shared
        return
    if context.snapshots is not None:
        yield context.snapshots.current()
        return
    store = open_store(context.location, read_only=True)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def open_for_writing(context: ServerContext) -> Iterator[GraphStore]:
    """The store opened for writing, for as long as one change takes. :raises HTTPException: 409 while another
    process (``govgraph load``) holds it."""
    if context.shared is not None:
        yield context.shared
        return
    try:
        store_cm = service.opened(context.location, write=True)
        store = store_cm.__enter__()
    except StoreLockedError as exc:
        raise HTTPException(409, f"{exc}; try again when the other load has finished") from exc
    try:
        yield store
    finally:
        store_cm.__exit__(None, None, None)


def writing_store(context: Annotated[ServerContext, Depends(get_context)]) -> Iterator[GraphStore]:
    with open_for_writing(context) as store:
        yield store


#: The upload token as an OpenAPI security scheme, so the API documentation (/docs) can send it ("Authorize").
UPLOAD_TOKEN = HTTPBearer(auto_error=False, scheme_name="uploadToken",
                          description="The server's GOVGRAPH_UPLOAD_TOKEN, sent as 'Authorization: Bearer <token>'.")


def require_upload_token(context: Annotated[ServerContext, Depends(get_context)],
                         credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(UPLOAD_TOKEN)]) -> None:
    """Uploads need ``Authorization: Bearer <GOVGRAPH_UPLOAD_TOKEN>``; with no token configured they are off."""
    configured = context.settings.upload_token
    if configured is None or not configured.get_secret_value():
        raise HTTPException(403, "uploads are disabled on this server: set GOVGRAPH_UPLOAD_TOKEN to enable them")
    given = credentials.credentials if credentials is not None else ""
    if not given:
        raise HTTPException(401, "uploads need the header 'Authorization: Bearer <token>'")
    if not secrets.compare_digest(given.strip().encode(), configured.get_secret_value().encode()):
        raise HTTPException(403, "the upload token is not the one this server was given")


Context = Annotated[ServerContext, Depends(get_context)]
ReadStore = Annotated[GraphStore, Depends(reading_store)]
WriteStore = Annotated[GraphStore, Depends(writing_store)]
UploadAllowed = Depends(require_upload_token)
