"""Opening the store, and govgraph's own vocabulary in it (the ontology and theme schemes)."""
from __future__ import annotations

import hashlib
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
def opened(location: str | Path, *, write: bool):
    """Open a store for one command. A read that finds the store held by a writer (a running server, say) falls
    back to a read-only snapshot. A writer brings the vocabulary and the summaries up to date (a store made before
    the summaries gets them here). :raises StoreError: the store cannot be opened."""
    from govgraph.queries.store import StoreLockedError

    try:
        store = open_store(location, read_only=False)
    except StoreLockedError:
        if write:
            raise
        store = open_store(location, read_only=True)
    try:
        ensure_vocabulary(store)
        if write:
            from govgraph.server.summaries import ensure_summaries

            ensure_summaries(store)
        yield store
    finally:
        store.close()
