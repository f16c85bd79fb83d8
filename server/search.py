"""Search: recommendations and actions by their number ("2.2", "R6", "rec 6", "Derby 2.2"), and anything named in
the documents (recommendations, actions, milestones, posts, people, bodies, councils, reviews, documents) by its
words, ranked.

The index is SQLite's full-text index (FTS5, in Python's standard library), kept per document: each row is one
thing as one document states it (:file:`queries/resources/searchable.rq`). It is brought up to date after every
load and removal, and checked before a search: documents new or changed since (by their SHA-256) are read into it,
documents gone are taken out, so a search never scans the store. An on-disk store keeps its index in its own folder
(``govgraph-search.sqlite``); an in-memory store or a SPARQL server store keeps one in memory, made on the first
search.

>>> terms("Derby action 2.2")
(['derby'], [('action', '2.2')])
>>> terms("rec 6 scrutiny")
(['scrutiny'], [('recommendation', '6')])
"""
from __future__ import annotations

import re
import sqlite3
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from govgraph import queries
from govgraph.queries.store import GraphStore, OxigraphStore

#: The file an on-disk store keeps its search index in, inside its folder.
INDEX_FILE = "govgraph-search.sqlite"
#: Kinds in the order results are grouped.
KINDS = ("council", "recommendation", "action", "milestone", "post", "person", "body", "review", "document")
#: Documents read into the index per query.
BATCH = 200
#: Words a number is preceded by, and the kind of thing they ask for.
NUMBER_WORDS = {"r": "recommendation", "rec": "recommendation", "recs": "recommendation",
                "recommendation": "recommendation", "a": "action", "act": "action", "action": "action"}
_NUMBER = re.compile(r"^(?:(r|rec|a|act)\.?)?#?(\d+(?:\.\d+)*[a-z]?)$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")

#: Each document's SHA-256, as its loader recorded it (a graph bulk loaded from an RDF file has none).
FINGERPRINTS = queries.PREFIX_BLOCK + "SELECT ?g ?sha256 WHERE { GRAPH ?g { ?g gg:sha256 ?sha256 } }"


@dataclass
class Hit:
    """One thing found: its IRI, kind, name, number (if any), council and review, and its page on the server."""

    iri: str
    kind: str
    label: str
    number: str | None
    council: str | None
    council_name: str | None
    review_name: str | None
    page: str
    score: float


def terms(text: str) -> tuple[list[str], list[tuple[str | None, str]]]:
    """The words of a search and the numbers in it, each number with the kind the word before it asks for
    (``None``: any)."""
    tokens = [t for t in re.split(r"[\s,;]+", text.strip()) if t]
    words: list[str] = []
    numbers: list[tuple[str | None, str]] = []
    before: str | None = None  # a word that asks for a kind ('rec', 'action'), kept until a number follows it
    for token in tokens:
        bare = token.strip("()[]\"'").rstrip(".:")
        m = _NUMBER.match(bare)
        if bare.lower() in NUMBER_WORDS:
            before = bare.lower()
        elif m:
            kind = NUMBER_WORDS[m[1].lower()] if m[1] else NUMBER_WORDS.get(before or "")
            numbers.append((kind, m[2].lower()))
            before = None
        else:
            if before is not None and len(before) > 1:  # 'action' not followed by a number is a word
                words.append(before)
            before = None
            words += [w.lower() for w in _WORD.findall(bare)]
    if before is not None and len(before) > 1:
        words.append(before)
    return words, numbers


class SearchIndex:
    """A full-text index of what the documents of one store name (see the module notes). Thread-safe."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript("""
            CREATE VIRTUAL TABLE IF NOT EXISTS things USING fts5(
                label, body, council_name, review_name,
                kind UNINDEXED, iri UNINDEXED, number UNINDEXED, council UNINDEXED, graph UNINDEXED,
                tokenize = 'porter unicode61 remove_diacritics 2');
            CREATE TABLE IF NOT EXISTS documents (graph TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
        """)

    def refresh(self, store: GraphStore, *, changed: list[NamedNode] = (), leave: list[NamedNode] = ()) -> int:
        """Bring the index up to date with ``store``: read in the documents new or changed since (and ``changed``,
        whatever their fingerprint), take out those gone; ``leave`` out of date (out of the index) for the next
        refresh to read. Returns the number of documents read in."""
        from govgraph.server.summaries import is_derived

        digests = {r["g"].value: r["sha256"].value for r in store.select(FINGERPRINTS).rows}
        now = {g.value: digests.get(g.value, "-") for g in store.graphs() if not is_derived(g)}
        forced = {g.value for g in changed}
        left = {g.value for g in leave}
        with self._lock:
            kept = dict(self._db.execute("SELECT graph, fingerprint FROM documents"))
            gone = [g for g in kept if g not in now or g in left]
            stale = sorted(g for g, f in now.items() if (kept.get(g) != f or g in forced) and g not in left)
            if not gone and not stale:
                return 0
        rows: list[tuple] = []
        for at in range(0, len(stale), BATCH):
            batch = [(NamedNode(g),) for g in stale[at:at + BATCH]]
            rows += _things(store.select(queries.with_rows(_searchable(), ["g"], batch)).rows)
        with self._lock:
            self._db.execute("BEGIN")
            try:
                for g in gone + stale:
                    self._db.execute("DELETE FROM things WHERE graph = ?", (g,))
                    self._db.execute("DELETE FROM documents WHERE graph = ?", (g,))
                self._db.executemany("INSERT INTO things (label, body, council_name, review_name, kind, iri, number, "
                                     "council, graph) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                self._db.executemany("INSERT INTO documents VALUES (?, ?)", [(g, now[g]) for g in stale])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(stale)

    def search(self, text: str, *, limit: int = 50) -> list[Hit]:
        """Things matching ``text``, best first: by number where it holds one (its other words narrowing by
        council, review or name), else by its words (all of them, else any), ranked by BM25 with a thing's name
        weighing most. One hit per thing, however many documents state it."""
        from govgraph.server.resources import page_path

        words, numbers = terms(text)
        match_all = " AND ".join(f'"{w}"*' for w in words)
        found: list[tuple] = []
        columns = "iri, kind, label, number, council, council_name, review_name"
        rank = "bm25(things, 10.0, 1.0, 3.0, 2.0)"
        with self._lock:
            for kind, number in numbers:
                sql = f"SELECT {columns}, {rank} AS score FROM things WHERE number = ?"
                args: list = [number]
                if kind:
                    sql += " AND kind = ?"
                    args.append(kind)
                if match_all:
                    sql += " AND things MATCH ?"
                    args.append(match_all)
                found += self._db.execute(sql + " ORDER BY score LIMIT ?", [*args, limit]).fetchall()
            if not numbers and words:
                for expression in (match_all, " OR ".join(f'"{w}"*' for w in words)):
                    found = self._db.execute(f"SELECT {columns}, {rank} AS score FROM things WHERE things MATCH ? "
                                             "ORDER BY score LIMIT ?", (expression, limit * 4)).fetchall()
                    if found:
                        break
        hits: dict[str, Hit] = {}
        for iri, kind, label, number, council, council_name, review_name, score in found:
            if iri not in hits:
                hits[iri] = Hit(iri, kind, label, number or None, council or None, council_name or None,
                                review_name or None, page_path(iri), score)
        return sorted(hits.values(), key=lambda h: h.score)[:limit]

    def close(self) -> None:
        with self._lock:
            self._db.close()


#: The classes the index holds, by the kind it calls them.
CLASS_KIND = {
    "https://w3id.org/govgraph/def#Recommendation": "recommendation", "https://w3id.org/govgraph/def#Action": "action",
    "https://w3id.org/govgraph/def#Milestone": "milestone", "https://w3id.org/govgraph/def#OfficerPost": "post",
    "https://w3id.org/govgraph/def#Person": "person", "https://w3id.org/govgraph/def#OversightBody": "body",
    "https://w3id.org/govgraph/def#Council": "council", "https://w3id.org/govgraph/def#Review": "review",
    "https://w3id.org/govgraph/def#SourceDocument": "document",
}


def _things(facts) -> list[tuple]:
    """The index's rows (label, body, council name, review name, kind, IRI, number, council, graph) from the facts
    :file:`searchable.rq` gives: one row per thing of a kind in :data:`CLASS_KIND` and document, its council and
    review named as that document names them, a milestone numbered and placed as its action."""
    known: dict[tuple[str, str], dict[str, str]] = {}
    for fact in facts:
        key = (fact["g"].value, fact["thing"].value)
        entry = known.setdefault(key, {})
        what, value = fact["what"].value, fact["value"].value
        if what == "class":
            if value in CLASS_KIND:
                entry["kind"] = CLASS_KIND[value]
        else:
            entry.setdefault(what, value)  # one of each: the first the document states
    rows = []
    for (graph, thing), entry in known.items():
        kind = entry.get("kind")
        if kind is None:
            continue
        parent = known.get((graph, entry["action"]), {}) if "action" in entry else {}
        council = thing if kind == "council" else entry.get("council") or parent.get("council")
        review = entry.get("review") or parent.get("review")
        label = entry.get("label") or thing.rsplit("/", 1)[-1]
        text = entry.get("text") or ""
        rows.append((label, text if text != label else "",
                     known.get((graph, council), {}).get("label", "") if council else "",
                     known.get((graph, review), {}).get("label", "") if review else "",
                     kind, thing, (entry.get("number") or parent.get("number") or "").lower(), council or "", graph))
    return rows


def _searchable() -> str:
    return queries.query_text("resources", "searchable")


_IN_MEMORY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_BY_LOCATION: dict[str, SearchIndex] = {}
_MADE = threading.Lock()


def index_for(store: GraphStore) -> SearchIndex:
    """The search index of ``store``: a file in an on-disk store's folder, else one in memory (per in-memory store;
    per server URL for a SPARQL server store), made on first use."""
    with _MADE:
        if isinstance(store, OxigraphStore) and store.location != "memory:":
            key = str(Path(store.location).resolve() / INDEX_FILE)
        elif isinstance(store, OxigraphStore):
            if store not in _IN_MEMORY:
                _IN_MEMORY[store] = SearchIndex()
            return _IN_MEMORY[store]
        else:
            key = f"memory:{store.location}"
        if key not in _BY_LOCATION:
            _BY_LOCATION[key] = SearchIndex(":memory:" if key.startswith("memory:") else key)
        return _BY_LOCATION[key]


def refresh(store: GraphStore, *, changed: list[NamedNode] = (), leave: list[NamedNode] = ()) -> int:
    """Bring ``store``'s search index up to date (but for ``leave``). Returns the documents read in."""
    return index_for(store).refresh(store, changed=changed, leave=leave)


def after_change(store: GraphStore, changed: list[NamedNode] = (), *, leave: list[NamedNode] = ()) -> None:
    """After a load or removal: an on-disk store's index is brought up to date now, so that searches find it ready
    (other stores' indexes live in a process's memory and are made on the first search). An index that cannot be
    written is left for the next search to bring up to date: the documents are in the store either way."""
    if not (isinstance(store, OxigraphStore) and store.location != "memory:" and not store.read_only):
        return
    try:
        refresh(store, changed=changed, leave=leave)
    except (sqlite3.Error, OSError) as exc:
        import logging

        logging.getLogger(__name__).warning("the search index of %s was not brought up to date: %s",
                                            store.location, exc)


def ensure_current(store: GraphStore) -> SearchIndex:
    """``store``'s search index, checked against the store first: once per read-only snapshot, else each time."""
    from govgraph.server import memo

    index = index_for(store)
    memo.kept(store, "search index checked", lambda: index.refresh(store))
    return index


def search(store: GraphStore, text: str, *, limit: int = 50) -> dict[str, list[Hit]]:
    """Things matching ``text`` in ``store``, grouped by kind (in :data:`KINDS` order), best first in each. The
    index is checked against the store first (once per read-only snapshot)."""
    index = ensure_current(store)
    grouped: dict[str, list[Hit]] = {}
    for hit in index.search(text, limit=limit):
        grouped.setdefault(hit.kind, []).append(hit)
    return {kind: grouped[kind] for kind in KINDS if kind in grouped}
