"""Progress reports on an improvement plan, written as report prose: the plan's numbered actions are cited by
number ("Complete asset valuations programme 2017/18 (5.3)") in lists under paragraphs that say how they stand
("the following actions have been completed", "on track for completion by the end of June", "one area of
slippage", "revised timescales are proposed").

Rules of the genre:

- an item is a list entry (or a paragraph) that ends its action's wording with the action's number in brackets;
  what follows the number is progress commentary;
- its status is the one the paragraph introducing the list names; a timing in that paragraph ("by the end of
  June") is the due date of each item in the list;
- a timing in the action's own wording ("by March 2018") is its due date; timings in the commentary of an item
  whose timescale is revised are the new due dates (a revision from the old one);
- bodies named in the commentary as deciding or receiving the item are its oversight; the bodies the report says
  monitor the plan as a whole are found by :mod:`govgraph.loaders.entities` and inherited by every item.
"""
from __future__ import annotations

import re

from govgraph.loaders import entities
from govgraph.loaders.confidence import POSITION, SENTENCE
from govgraph.loaders.dates import sentence_timings
from govgraph.loaders.model import Action, ExtractedDocument, Mention, StatusReport
from govgraph.loaders.names import collapse, first_sentence
from govgraph.loaders.prose import OVERSIGHT_VERBS
from govgraph.loaders.text import TextDocument

ITEM = re.compile(r"^(?P<text>.+?)\s*\((?P<number>\d{1,2}(?:\.\d{1,2}){1,2})\.?\)\.?\s*(?:[–—-]\s*)?(?P<rest>.*)$", re.S)
BULLET = re.compile(r"^\s*(?:[-*•▪◦]|\d{1,2}\.\d{1,2}\s)\s*")
PARAGRAPH_NUMBER = re.compile(r"^\s*(?:[-*]\s*)?\d{1,2}\.\d{1,2}\s")
STATUS_WORDS = [
    (re.compile(r"\bnot\s+(?:yet\s+)?started\b", re.I), "not started"),
    (re.compile(r"\bslippage\b|\bslipped\b|\bbehind\s+schedule\b", re.I), "slippage"),
    (re.compile(r"\brevised\s+timescales?\b|\btimescales?\s+(?:are|is)\s+(?:proposed|revised)\b|"
                r"\bnew\s+(?:target\s+)?dates?\b", re.I), "revised timescale"),
    (re.compile(r"\bdeferred\b|\bon\s+hold\b", re.I), "deferred"),
    (re.compile(r"\bon\s+track\b", re.I), "on track"),
    (re.compile(r"\bbeen\s+completed\b|\bcompleted\b|\bcomplete\b", re.I), "completed"),
    (re.compile(r"\bin\s+progress\b|\bunderway\b|\bunder\s+way\b", re.I), "in progress"),
]


def _status_of(text: str) -> str | None:
    for pattern, status in STATUS_WORDS:
        if pattern.search(text):
            return status
    return None


def _entries(doc: TextDocument) -> list[tuple[str, int, int, bool]]:
    """List entries and paragraphs: (text as printed with its marker, start, end, is a bulleted entry)."""
    entries: list[tuple[str, int, int, bool]] = []
    for block in doc.blocks:
        if block.is_table:
            for row in block.rows:
                start, end = row.cells[0].start, row.cells[-1].end
                entries.append((collapse(doc.text[start:end]), start, end, False))
            continue
        bullet = block.is_list_item and not re.match(r"[(\w]", block.marker or "")
        start = block.printed_start
        entries.append((collapse(doc.text[start:block.end]), start, block.end, bullet))
    return entries


class ProgressReader:
    """Reads progress reports that cite a plan's actions by number under status paragraphs."""

    name = "progress"
    how = POSITION  # how what it finds is found, unless an item says otherwise

    def read(self, doc: TextDocument) -> ExtractedDocument | None:
        entries = _entries(doc)
        status: str | None = None
        section_due: list[str] = []
        reading = ExtractedDocument(path=doc.path, sha256=doc.sha256, kind="improvement plan progress report")
        seen: set[str] = set()
        for text, start, end, bullet in entries:
            body = BULLET.sub("", text) if bullet else re.sub(r"^\s*(?:[-*]\s*)?\d{1,2}\.\d{1,2}\s+", "", text)
            item = ITEM.match(body) if (bullet or not PARAGRAPH_NUMBER.match(text)) else None
            if item is None:
                # a paragraph introducing a list sets the status of the items under it
                if text.rstrip().endswith(":") or PARAGRAPH_NUMBER.match(text) or re.search(r"\*\*", text):
                    found = _status_of(text)
                    if found or PARAGRAPH_NUMBER.match(text):
                        status = found
                        section_due = sentence_timings(re.sub(r"\*\*", "", text)) if found else []
                continue
            if status is None or item["number"] in seen:
                continue
            seen.add(item["number"])
            reading.actions.append(_action(doc, item, start, end, status, section_due, len(reading.actions)))
        if len(reading.actions) < 2:
            return None
        return reading


def _action(doc: TextDocument, item: re.Match, start: int, end: int, status: str, section_due: list[str],
            index: int) -> Action:
    text = collapse(item["text"]).rstrip(" .–-")
    rest = collapse(item["rest"]).lstrip(" –-")
    span = doc.span(start, end)
    own_due = [Mention(t, span, SENTENCE) for t in sentence_timings(text)]
    due = own_due + [Mention(t, span) for t in section_due if t not in [d.text for d in own_due]]
    report = StatusReport(status, first_sentence(rest, 400) if rest else None, span=span)
    if status in ("revised timescale", "deferred"):
        revised_from = re.search(r"\brevised\s+from\s+(.+?)\s+to\s+(.+?)(?:[.,;]|$)", rest, re.I)
        if revised_from:
            report.revised_from = [Mention(revised_from[1].strip(), span)]
            report.revised_to = [Mention(t, span) for t in sentence_timings(revised_from[2])] or [
                Mention(revised_from[2].strip(), span)]
            if not own_due:
                due = [Mention(revised_from[1].strip(), span)] + due
        else:
            report.revised_from = list(own_due)
            report.revised_to = [Mention(t, span) for t in sentence_timings(rest) if t not in [d.text for d in own_due]]
    oversight = []
    for sentence in re.split(r"(?<=[.;])\s+", rest):
        if OVERSIGHT_VERBS.search(sentence) or re.search(r"\b(?:taken|go|went|presented)\s+to\b", sentence, re.I):
            for found in entities.find_bodies(sentence):
                if found.text not in [o.text for o in oversight]:
                    oversight.append(Mention(found.text, span))
    owners = [Mention(r.text, span) for r in entities.find_roles(rest)
              if re.search(rf"\b(?:by|led\s+by)\s+(?:the\s+)?{re.escape(r.text)}", rest)]
    return Action(f"p{index + 1}", text, item["number"], owners=owners, oversight=oversight, due=due,
                  status=report, span=span)
