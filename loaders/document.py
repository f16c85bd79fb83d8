"""Council documents (text, Markdown, HTML, Word, PDF): action plans, governance statements, progress reports.

The file is read into blocks (:mod:`govgraph.loaders.converters`), then every installed genre reader (entry-point
group ``govgraph.readers``: tables, labelled prose, progress reports...) reads it; the reading that finds the most
recommendations and actions is kept. What the whole document says about itself (its council, date, review,
stated counts, and every body, role and person it names) is read by :mod:`govgraph.loaders.entities` and fills
whatever the reader left open.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Protocol

from govgraph.loaders import LoadedDocument, LoadError, LoadOptions, Source, entities
from govgraph.loaders.blocks import BlockKind
from govgraph.loaders.confidence import POSITION
from govgraph.loaders.converters import convert, kind_of
from govgraph.loaders.emit import document_triples
from govgraph.loaders.flattened import rebuild
from govgraph.loaders.model import ExtractedDocument, Skipped
from govgraph.loaders.text import TextDocument

READER_GROUP = "govgraph.readers"
# the most text one document may have: reading is linear, about 0.1-0.3 MB of dense plan text a second, so the
# limit keeps one document within minutes (set from GOVGRAPH_MAX_TEXT_MB in the reading process)
MAX_TEXT_CHARS = 10_000_000


class Reader(Protocol):
    """A genre reader: returns what it found, or None when the document is not of its genre."""

    name: str

    def read(self, doc: TextDocument) -> ExtractedDocument | None: ...


@lru_cache(maxsize=1)
def readers() -> dict[str, Reader]:
    return {ep.name: ep.load()() for ep in entry_points(group=READER_GROUP)}


def _size(reading: ExtractedDocument) -> int:
    return len(reading.actions) + sum(len(a.milestones) for a in reading.actions) + len(reading.recommendations)


def _filled(reading: ExtractedDocument) -> int:
    """How many owners, oversight bodies, dates and statuses a reading found: between two readings of as many
    items, the one that says more about them is the better."""
    return sum(bool(a.owners) + bool(a.oversight) + bool(a.due) + bool(a.status) for a in reading.actions)


def _overlaps(span, taken: list[tuple[int, int]]) -> bool:
    if span is None or span.start is None or span.end is None:
        return True
    return any(span.start < end and start < span.end for start, end in taken)


def _spans(reading: ExtractedDocument) -> list[tuple[int, int]]:
    items = list(reading.recommendations) + list(reading.actions) + [m for a in reading.actions for m in a.milestones]
    return [(i.span.start, i.span.end) for i in items if i.span is not None and i.span.start is not None]


def merge_readings(readings: list[tuple[str, ExtractedDocument]]) -> ExtractedDocument:
    """The fullest reading, with what the other readers found in parts of the document it did not read: a
    decision list in minutes beside an action table, say. What two readers both read is taken from the
    fuller reading once."""
    ordered = sorted(readings, key=lambda item: (-_size(item[1]), -_filled(item[1])))
    best = replace(ordered[0][1])
    best.recommendations, best.actions = list(best.recommendations), list(best.actions)
    best.themes = list(best.themes)
    taken = _spans(best)
    for name, other in ordered[1:]:
        recs = [r for r in other.recommendations if not _overlaps(r.span, taken)]
        actions = [a for a in other.actions if not _overlaps(a.span, taken)]
        if not recs and not actions:
            continue
        keys = {r.key: f"{name}-{r.key}" for r in recs}
        best.recommendations += [replace(r, key=keys[r.key]) for r in recs]
        best.actions += [replace(a, key=f"{name}-{a.key}", responds_to=[keys[k] for k in a.responds_to if k in keys])
                         for a in actions]
        used = {r.theme for r in recs} | {a.theme for a in actions}
        best.themes += [t for t in other.themes if t.key in used and t.key not in {x.key for x in best.themes}]
        best.skipped = best.skipped + other.skipped
        taken = _spans(best)
    return best


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def deduplicate(reading: ExtractedDocument) -> ExtractedDocument:
    """One recommendation or action per wording: a decision printed twice (as recommended to a meeting and as
    resolved by it) is one decision. Links to a dropped copy go to the one kept."""
    kept_recs: dict[tuple, str] = {}
    alias: dict[str, str] = {}
    recs = []
    for rec in reading.recommendations:
        key = (_fold(rec.text), rec.number)
        if key in kept_recs:
            alias[rec.key] = kept_recs[key]
            continue
        kept_recs[key] = rec.key
        recs.append(rec)
    seen: set[tuple] = set()
    actions = []
    for action in reading.actions:
        key = (_fold(action.text), action.number)
        if key in seen and not action.milestones:
            continue
        seen.add(key)
        action.responds_to = list(dict.fromkeys(alias.get(k, k) for k in action.responds_to))
        actions.append(action)
    reading.recommendations, reading.actions = recs, actions
    return reading


def _without_cut_tail(doc: TextDocument, reading: ExtractedDocument) -> ExtractedDocument:
    """A document that stops in the middle of a sentence (a copy cut short) leaves that sentence unread: what is
    missing may change what it says."""
    last = doc.blocks[-1] if doc.blocks else None
    if last is None or last.kind is not BlockKind.PARAGRAPH or not re.search(r"[a-z,]$", doc.text[:last.end].rstrip()):
        return reading

    def inside(item) -> bool:
        """An item read from the cut paragraph with no whole sentence in it."""
        span = item.span
        return (span is not None and span.start is not None and span.start >= last.printed_start
                and not re.search(r"[.!?](?=\s)", doc.text[span.start:last.end]))

    reading.recommendations = [r for r in reading.recommendations if not inside(r)]
    reading.actions = [a for a in reading.actions if not inside(a)]
    return reading


NOTHING_FOUND = ("no recommendations or actions were recognised: expected a table with headers such as 'Action', "
                 "'Recommendation', 'Lead officer', 'Due date'; labelled paragraphs such as 'Officer lead:' and "
                 "'By when:'; numbered recommendations, decisions or progress updates; or a plan's stated counts")
PLAN = re.compile(r"\b(?:action|improvement|delivery|recovery)\s+plan\b|\brecommendations?\b|\bgovernance\s+statement\b",
                  re.I)


def _reports_progress(doc: TextDocument) -> bool:
    """Whether the document reports on a plan: it speaks of an action or improvement plan, recommendations or a
    governance statement, and of progress, updates or findings."""
    from govgraph.loaders.sentences import status_of

    if not PLAN.search(doc.text):
        return False
    return bool(re.search(r"\bprogress\b|\bupdates?\b|\bfindings?\b|\bimprovements?\b", doc.text, re.I)) or any(
        status_of(b.text) for b in doc.blocks if not b.is_table and len(b.text.split()) >= 4)


def _stamp(reading: ExtractedDocument, how: str) -> None:
    """Items a reader found its own usual way say so (:mod:`govgraph.loaders.confidence`)."""
    for item in reading.recommendations + reading.actions:
        item.how = item.how or how


def read_document(doc: TextDocument, options: LoadOptions | None = None) -> ExtractedDocument:
    """The best reading of a document's text, with its metadata filled in.

    :raises LoadError: the document holds no recommendation, action, progress report or stated count.
    """
    options = options or LoadOptions()
    doc = rebuild(doc)
    readings, failures = [], []
    for name, reader in sorted(readers().items()):
        try:
            reading = reader.read(doc)
        except Exception as exc:  # one reader's bug must not stop the others reading the document
            failures.append(Skipped(None, f"the {name} reader failed: {type(exc).__name__}: {exc}"))
            continue
        if reading is not None and _size(reading) > 0:
            _stamp(reading, getattr(reader, "how", POSITION))
            readings.append((name, reading))
    if readings:
        best = _without_cut_tail(doc, deduplicate(merge_readings(readings)))
    else:
        best = ExtractedDocument(path=doc.path, sha256=doc.sha256, kind="council document")
    found = entities.describe(doc)
    if not best.recommendations and not best.actions:
        # a document with no item of its own still loads when it reports on a plan: the counts it states, the
        # progress it reports, and every body, post and person it names
        if not found.stated_counts and not _reports_progress(doc):
            raise LoadError(doc.path, NOTHING_FOUND)
        best.skipped.append(Skipped(None, "no recommendations or actions were recognised; loaded what the document "
                                          "says about itself (council, date, stated counts, bodies, posts and "
                                          "people it names)"))
    reading = replace(best, path=doc.path, sha256=doc.sha256)
    reading.skipped = failures + reading.skipped
    for attr in ("council", "title", "published", "review", "review_kind"):
        if getattr(reading, attr) is None:
            setattr(reading, attr, getattr(found, attr))
    reading.stated_counts = {**found.stated_counts, **reading.stated_counts}
    reading.plan_oversight = reading.plan_oversight or found.plan_oversight
    # themes the document lists but no table row or section uses are themes all the same (with nothing in them)
    def key(name: str) -> str:
        return re.sub(r"\W+", " ", name.lower()).strip()

    known = [key(t.name) for t in reading.themes]
    reading.themes += [t for t in found.themes
                       if not any(key(t.name).startswith(k) or k.startswith(key(t.name)) for k in known)]
    reading.bodies = reading.bodies or found.bodies
    reading.roles = reading.roles or found.roles
    reading.people = reading.people or found.people
    reading.council = options.council or reading.council
    reading.review = options.review or reading.review
    if not reading.council:
        reading.council = f"Council not named in {doc.path.name}"
        reading.skipped.append(Skipped(None, "the document never names its council; pass --council NAME"))
    return reading


class DocumentLoader:
    """Reads council documents in text, Markdown, HTML, Word (.docx) or PDF form."""

    name = "document"
    suffixes = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")
    description = "a council document (text, Markdown, HTML, Word or PDF)"
    priority = 90  # offered unrecognised files last: any text looks like a document

    def sniff(self, source: Source) -> bool:
        return kind_of(source) is not None

    def load(self, source: Source, options: LoadOptions) -> LoadedDocument:
        doc = convert(source)
        if not doc.text.strip():
            raise LoadError(source.path, "the document has no text (a scanned image needs OCR first)")
        if len(doc.text) > MAX_TEXT_CHARS:
            raise LoadError(source.path, f"the document's text is {len(doc.text) / 1e6:,.1f} million characters; "
                                         f"the limit is {MAX_TEXT_CHARS / 1e6:,.0f} million (GOVGRAPH_MAX_TEXT_MB)")
        reading = read_document(doc, options)
        graph, triples = document_triples(reading, graph=options.graph)
        return LoadedDocument(source.path, self.name, graph, triples, reading, reading.skipped)
