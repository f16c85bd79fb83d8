"""Opening the store, and govgraph's own vocabulary in it (the ontology and theme schemes)."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Literal, Triple

from govgraph.ontology import GG, ONTOLOGY_GRAPH, VOCABULARY_GRAPHS
from govgraph.queries.store import GraphStore, open_store

# --- the store -------------------------------------------------------------------------------------------------

def vocabulary_digest() -> str:
    digest = hashlib.sha256()
    for path in VOCABULARY_GRAPHS.values():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_vocabulary(store: GraphStore) -> bool:
    """Load the ontology and theme schemes into their own graphs when missing or changed; return whether it did."""
    digest = vocabulary_digest()
    current = store.select(
        "SELECT ?g ?p ?digest WHERE { GRAPH ?g { ?g ?p ?digest } }",
        bindings={"g": ONTOLOGY_GRAPH, "p": GG.sha256},
    ) if not store.read_only else None
    if current is not None and [r["digest"].value for r in current.rows] == [digest]:
        return False
    if store.read_only:
        return False
    for graph, path in VOCABULARY_GRAPHS.items():
        triples = list(dict.fromkeys(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))
        if graph == ONTOLOGY_GRAPH:
            triples.append(Triple(graph, GG.sha256, Literal(digest)))
        store.replace_graph(graph, triples)
    return True


@contextmanager
def opened(location: str | Path, *, write: bool, wait_s: float = 0.0, on_wait: Callable[[str], None] | None = None):
    """Open a store for one command. A read that finds the store held by a writer (a running server, say) falls
    back to a read-only snapshot. A write waits up to ``wait_s`` seconds for the writer holding it to finish,
    telling ``on_wait`` once who holds it. A writer brings the vocabulary and the summaries up to date (a store made
    before the summaries gets them here). :raises StoreError: the store cannot be opened (StoreLockedError: still
    held by another writer when the wait ran out)."""
    store = _open(location, write=write, wait_s=wait_s, on_wait=on_wait)
    try:
        ensure_vocabulary(store)
        if write:
            from govgraph.server.summaries import ensure_summaries

            ensure_summaries(store)
        yield store
    finally:
        store.close()


def _open(location: str | Path, *, write: bool, wait_s: float, on_wait: Callable[[str], None] | None) -> GraphStore:
    from govgraph.queries.store import StoreLockedError

    deadline = time.monotonic() + wait_s
    pause = 0.1
    told = False
    while True:
        try:
            return open_store(location, read_only=False)
        except StoreLockedError as exc:
            if not write:
                return open_store(location, read_only=True)
            left = deadline - time.monotonic()
            if left <= 0:
                if wait_s > 0:
                    raise StoreLockedError(f"{exc}; waited {wait_s:g} s for it (GOVGRAPH_STORE_WAIT)",
                                           holder=exc.holder) from exc
                raise
            if not told and on_wait is not None:
                on_wait(f"The store is in use by {exc.holder}; waiting for it (up to {wait_s:g} s)...")
                told = True
            time.sleep(min(pause, left))
            pause = min(pause * 2, 2.0)
