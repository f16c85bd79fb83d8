"""Answers kept with a read-only snapshot of an embedded store.

A snapshot never changes: the server opens a new one when the store's files change (:class:`Snapshots`), so an
answer computed from it stays true for as long as it is read. Whole-corpus views (the dashboard, the comparison,
every council's gap counts, every council's name in a picker) are computed once per snapshot and kept with it;
any other store (in memory, writable, a SPARQL server that others write to) computes them each time.

>>> from govgraph.queries.store import OxigraphStore
>>> calls = []
>>> kept(OxigraphStore.memory(), "answer", lambda: calls.append(1) or 42), len(calls)
(42, 1)
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from govgraph.queries.store import GraphStore, OxigraphStore

T = TypeVar("T")
#: Answers kept per snapshot, the least recently read dropped first (a view asked at many dates keeps the latest).
PER_SNAPSHOT = 32

_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def kept(store: GraphStore, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, computed once per read-only snapshot ``store`` and ``key``; on any other store, each time.
    Callers must not change what it returns (it is shared by every later reader of the snapshot)."""
    if not (isinstance(store, OxigraphStore) and store.read_only):
        return compute()
    with _LOCK:
        answers = _KEPT.setdefault(store, OrderedDict())
        if key in answers:
            answers.move_to_end(key)
            return answers[key]
    value = compute()  # outside the lock: two readers may both compute it once, never wait on each other
    with _LOCK:
        answers[key] = value
        while len(answers) > PER_SNAPSHOT:
            answers.popitem(last=False)
    return value
