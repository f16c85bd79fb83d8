"""A document read but not yet written: what the upload page shows before it is committed to the store.

:func:`read_preview` reads an uploaded file the way ``govgraph load`` does (in its own child process, within the
settings' limits) and answers, without touching the store, what loading it would give: its council and reviews,
the counts of the headline figures, the parts the reader refused and why, and the readings to check first (the
``low-confidence-readings`` query, run on a store of its own holding only this document). :class:`PendingPreviews`
keeps the readings people are looking at, bounded in number, size and time, under ids nobody can guess, until they
are committed (:func:`govgraph.server.loading.write_reading` writes exactly the triples shown) or discarded.
"""
from __future__ import annotations

import secrets
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from govgraph import queries
from govgraph.loaders import LoadedDocument, LoadError, LoadOptions
from govgraph.loaders.model import Skipped
from govgraph.loaders.sandbox import Limits, load_file_isolated
from govgraph.queries.store import OxigraphStore
from govgraph.server.loading import count_things, upload_name
from govgraph.server.reports import run_query
from govgraph.server.stores import ensure_vocabulary

#: The readings to check listed on a preview; the rest are counted.
CHECKS_SHOWN = 300
FIGURES = ("recommendations", "actions", "with_owner", "with_oversight", "with_due_date")


@dataclass
class Preview:
    """What loading one uploaded file would give."""

    name: str  # the file's name as it was sent
    size: int  # bytes
    loaded: LoadedDocument
    title: str | None = None
    council: str | None = None
    reviews: list[dict] = field(default_factory=list)  # review-headlines rows: review_name and the FIGURES
    counts: Counter = field(default_factory=Counter)  # things by kind (loading.COUNTED)
    checks: list[dict] = field(default_factory=list)  # low-confidence-readings rows, least certain first
    checks_total: int = 0
    replacing: str | None = None  # the graph the person asked to replace
    id: str = ""
    owner: str = ""  # the session that read it
    expires: float = 0.0  # time.time() after which it is gone

    @property
    def graph(self) -> str:
        return self.loaded.graph.value

    @property
    def skipped(self) -> list[Skipped]:
        return self.loaded.skipped

    @property
    def triples(self) -> int:
        return len(self.loaded.triples)

    def figures(self) -> dict[str, int]:
        """The headline figures over the document's reviews (or its things by kind, for a document naming no
        review, such as RDF taken as it is)."""
        if not self.reviews:
            return {"recommendations": self.counts.get("recommendations", 0),
                    "actions": self.counts.get("actions", 0)}
        return {name: sum(int(r[name] or 0) for r in self.reviews) for name in FIGURES}


def read_preview(filename: str, content: bytes, *, options: LoadOptions | None = None,
                 limits: Limits | None = None) -> Preview:
    """Read one uploaded file (its name as sent and its bytes) without writing anything.

    :raises LoadError: the file cannot be read (the message names the file as it was sent, and the line)."""
    name = upload_name(filename)
    with tempfile.TemporaryDirectory(prefix="govgraph-preview-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            loaded = load_file_isolated(path, options, limits)
        except LoadError as exc:
            raise LoadError(name, exc.message.replace(str(path), name), line=exc.line) from None
    loaded.path, loaded.document = Path(name), None  # the block model is not needed once read
    preview = Preview(name=name, size=len(content), loaded=loaded, counts=count_things(loaded.triples))
    scratch = OxigraphStore.memory()  # this document alone, with the vocabulary its queries need
    ensure_vocabulary(scratch)
    scratch.replace_graph(loaded.graph, loaded.triples)
    meta = scratch.select(queries.query_text("extract", "document")).values()
    if meta:
        preview.title, preview.council = meta[0]["title"], meta[0]["council_name"]
    preview.reviews = run_query(scratch, "review-headlines", {})[1].values()
    if preview.council is None and preview.reviews:
        preview.council = preview.reviews[0]["council_name"]
    checks = run_query(scratch, "low-confidence-readings", {})[1].values()
    preview.checks, preview.checks_total = checks[:CHECKS_SHOWN], len(checks)
    return preview


class PreviewTooLarge(Exception):
    """A reading with more triples than previews may hold at once."""


class PendingPreviews:
    """The readings waiting to be committed or discarded: at most ``most`` at once and ``triples`` triples
    between them (the oldest goes first to make room), each for ``minutes``; each is found by its id and only by
    the session that read it."""

    def __init__(self, *, most: int, triples: int, minutes: float) -> None:
        self.most, self.max_triples, self.minutes = most, triples, minutes
        self._held: dict[str, Preview] = {}  # oldest first
        self._lock = threading.RLock()

    def keep(self, preview: Preview, owner: str) -> Preview:
        """Hold ``preview`` for ``owner``; returns it with its id and expiry set.

        :raises PreviewTooLarge: it alone has more triples than previews may hold."""
        if preview.triples > self.max_triples:
            raise PreviewTooLarge(
                f"{preview.name}: {preview.triples:,} triples, more than the {self.max_triples:,} a preview may hold "
                "(the setting GOVGRAPH_UPLOAD_PREVIEW_TRIPLES); load it with 'govgraph load' or POST /api/documents")
        preview.id, preview.owner = secrets.token_urlsafe(24), owner
        preview.expires = time.time() + self.minutes * 60
        with self._lock:
            self._forget_expired()
            while self._held and (len(self._held) >= self.most or
                                  sum(p.triples for p in self._held.values()) + preview.triples > self.max_triples):
                self._held.pop(next(iter(self._held)))
            self._held[preview.id] = preview
        return preview

    def get(self, id: str, owner: str) -> Preview | None:
        """The preview, if it is still held and ``owner`` read it."""
        with self._lock:
            self._forget_expired()
            preview = self._held.get(id)
            return preview if preview is not None and secrets.compare_digest(preview.owner, owner) else None

    def take(self, id: str, owner: str) -> Preview | None:
        """The preview, no longer held (to commit or discard it)."""
        with self._lock:
            preview = self.get(id, owner)
            if preview is not None:
                del self._held[id]
            return preview

    def __len__(self) -> int:
        with self._lock:
            self._forget_expired()
            return len(self._held)

    def _forget_expired(self) -> None:
        now = time.time()
        for id in [id for id, p in self._held.items() if p.expires <= now]:
            del self._held[id]
