"""Labelled records: audit reports, trackers copied from web pages and improvement plans that set out each
recommendation or action as a block of labelled lines.

    Recommendation 3: Strategic risks should be reported to members quarterly.
    Priority: High
    Management response: Agreed. A risk report will go to the Audit Committee each quarter.
    Responsible officer
    Head of Risk
    Target date: March 2024

Rules of the genre:

- labels are the column headers of the same plans (``lexicons/headers.txt``: "Lead", "By whom", "Officer
  accountability", "Target date", "Management response", "RAG", "Priority"...), with or without a colon, with
  their value on the same line or on the lines after;
- a record starts at a record number ("Recommendation 3", "Proposal 1", "Issue 2 –", "Action 4:") or at a label
  for what was recommended or what will be done; it ends where the next one starts or at a heading;
- the words under a record number before any label are what the number says they are (a recommendation, an issue,
  an action); words after a status label are its progress;
- a recommendation with an owner, a date or a status but no action of its own is answered by an action: its
  progress where given, else the recommendation itself as accepted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from govgraph.loaders import entities
from govgraph.loaders.confidence import LABELLED_HEADER
from govgraph.loaders.dates import read_due, sentence_timings
from govgraph.loaders.fields import cell_kind, header_field
from govgraph.loaders.genre import document_kind
from govgraph.loaders.model import Action, ExtractedDocument, Mention, PersonMention, Recommendation, Span, StatusReport
from govgraph.loaders.names import collapse, first_sentence
from govgraph.loaders.numbering import record_number
from govgraph.loaders.text import TextDocument

SEPARATOR = re.compile(r"\s*(?::|–|—|\s-\s)\s*")
ASSENT = re.compile(r"^(?:agreed|accepted|partially\s+agreed|partly\s+agreed|yes|noted)[.,;:]?\s*(?:[-–]\s*)?", re.I)
SHORT_FIELDS = {"owner", "due", "status", "priority", "revised_due", "oversight", "contact"}
# labels whose values a record holds; 'theme', refs and metadata are not record fields
RECORD_FIELDS = SHORT_FIELDS | {"recommendation", "action", "progress", "milestone"}
NUMBER_KINDS = {"recommendation": "recommendation", "issue": "recommendation", "action": "action"}


@dataclass
class Value:
    text: str
    start: int
    end: int


@dataclass
class Record:
    number: str | None = None
    kind: str | None = None  # what the record number says it holds ('recommendation', 'action'), if it says
    start: int = 0
    fields: dict[str, list[Value]] = field(default_factory=dict)
    labelled: bool = False  # at least one label was read in it

    def add(self, name: str, value: Value) -> None:
        self.fields.setdefault(name, []).append(value)


def _label(text: str) -> tuple[str, int, int] | None:
    """A label at the head of a block: (field, where the label ends, where the value starts); the value may be
    empty (a label on a line of its own)."""
    m = re.match(r"\s*([^:–—\n]{2,60}?)\s*(?::|–|—|\s-\s)\s*", text)
    if m:
        fieldname = header_field(m.group(1))
        value = text[m.end():].strip()
        # a text after a label is a sentence ('Issue - meetings' is a page title, not an issue)
        if fieldname in RECORD_FIELDS and (fieldname in SHORT_FIELDS or not value or len(value.split()) >= 4):
            return fieldname, m.end(1), m.end()
    whole = text.strip().rstrip(":")
    # a plural on a line of its own ('Recommendations', 'Actions') titles a section rather than labelling a value
    plural_title = not text.strip().endswith(":") and re.search(r"(?:s|ies)$", whole, re.I) and \
        header_field(whole) in ("recommendation", "action")
    if len(whole.split()) <= 6 and not re.search(r"[.;]", whole) and not plural_title:
        fieldname = header_field(whole)
        if fieldname in RECORD_FIELDS:
            return fieldname, len(text.rstrip()), len(text.rstrip())
    # 'Lead officer Director of Finance', 'Target date March 2024', 'RAG Amber': a label and a short value
    words = list(re.finditer(r"\S+", text))
    for n in range(min(4, len(words) - 1), 0, -1):
        head = text[:words[n - 1].end()]
        fieldname = header_field(head)
        if fieldname in SHORT_FIELDS and head.strip().lower() == head.strip().lower().rstrip(":"):
            rest = text[words[n].start():].strip()
            kind = cell_kind(rest)
            if kind == fieldname or (fieldname == "owner" and kind in ("owner", "person")) or (
                    fieldname == "priority" and kind in ("priority", "status")):
                return fieldname, words[n - 1].end(), words[n].start()
    return None


def _records(doc: TextDocument) -> list[Record]:
    records: list[Record] = []
    current: Record | None = None
    pending: str | None = None  # a label on a line of its own, waiting for its value
    after_status = False
    for block in doc.blocks:
        if block.is_table:
            current, pending = None, None
            continue
        raw = doc.text[block.start:block.end]
        number = record_number(raw)
        label = _label(raw)
        if number is not None and number.kind is not None and (label is None or label[0] in
                                                              ("recommendation", "action")):
            current = Record(number.number, NUMBER_KINDS.get(number.kind), block.start)
            records.append(current)
            pending, after_status = None, False
            rest = raw[number.end:]
            if rest.strip():
                current.add(current.kind or "recommendation", Value(collapse(rest), block.start + number.end, block.end))
            continue
        if block.is_heading and label is None:
            current, pending = None, None
            continue
        if label is not None:
            name, _, value_start = label
            if current is None and name not in ("recommendation", "action"):
                continue  # 'Date:', 'Report to:' at the head of a report describe the report, not a record
            if current is None or (name in ("recommendation", "action") and name in current.fields
                                   and current.labelled):
                current = Record(None, None, block.start)
                records.append(current)
                after_status = False
            current.labelled = True
            value = raw[value_start:].strip()
            if value:
                current.add(name, Value(collapse(value), block.start + value_start, block.end))
                pending = None
            else:
                pending = name
            after_status = name == "status"
            continue
        if current is None:
            continue
        text = collapse(raw)
        if pending is not None and block.is_list_item and pending not in SHORT_FIELDS and pending in current.fields:
            pending = None  # a list after a label's text is not more of it
        if pending is not None:
            current.add(pending, Value(text, block.start, block.end))
            pending = None if pending in SHORT_FIELDS else pending
            continue
        if after_status:
            current.add("progress", Value(text, block.start, block.end))
            continue
        if not current.labelled and current.kind is not None:
            current.add(current.kind, Value(text, block.start, block.end))
    return [r for r in records if r.fields and (r.labelled or r.kind)]


class RecordsReader:
    """Reads recommendations and actions set out as labelled records."""

    name = "records"
    how = LABELLED_HEADER  # how what it finds is found, unless an item says otherwise

    def read(self, doc: TextDocument) -> ExtractedDocument | None:
        records = _records(doc)
        # a run of records is the genre; one labelled paragraph in a report is not
        if len(records) < 2 and not any(r.labelled and len(r.fields) >= 2 for r in records):
            return None
        reading = ExtractedDocument(path=doc.path, sha256=doc.sha256, kind=document_kind(doc))
        for record in records:
            _read_record(doc, reading, record)
        return reading if reading.actions or reading.recommendations else None


# what an officer recommends a meeting to do is a decision asked for, not a recommendation of a review
DECISION_ASKED = re.compile(r"^\W*(?:that\b|to\s+(?:note|agree|approve|endorse|consider)\b|note\b|approve\b|agree\b|"
                            r"(?:members|the\s+\w+(?:\s+\w+){0,5})\s+(?:is|are)\s+(?:asked|recommended)\b)", re.I)


def _span(doc: TextDocument, values: list[Value]) -> Span:
    return doc.span(values[0].start, values[-1].end)


def _read_record(doc: TextDocument, reading: ExtractedDocument, record: Record) -> None:
    f = record.fields
    rec_key = None
    if "recommendation" in f and record.kind is None and DECISION_ASKED.match(f["recommendation"][0].text):
        return
    if "recommendation" in f:
        rec_key = f"l{len(reading.recommendations) + 1}"
        text = " ".join(v.text for v in f["recommendation"])
        reading.recommendations.append(Recommendation(rec_key, first_sentence(text, 400), record.number, None,
                                                      _span(doc, f["recommendation"])))
    others = {k for k in f if k != "recommendation"}
    if "action" in f:
        source = f["action"]
    elif "progress" in f and rec_key:
        source = f["progress"]
    elif rec_key and others & {"owner", "due", "status"}:
        source = f["recommendation"]
    elif others & {"owner", "due"} and "progress" in f:
        source = f["progress"]
    else:
        return
    text = ASSENT.sub("", " ".join(v.text for v in source)).strip() or " ".join(v.text for v in source)
    span = _span(doc, source)
    owners, people = _owners(doc, f.get("owner", []) + f.get("contact", []))
    due = _due(doc, f.get("due", []) + f.get("revised_due", []))
    oversight = [Mention(b.text, doc.span(v.start, v.end)) for v in f.get("oversight", [])
                 for b in entities.find_bodies(v.text)]
    status = None
    if "status" in f or "progress" in f:
        printed = " ".join(v.text for v in f.get("status", [])) or None
        progress = " ".join(v.text for v in f.get("progress", [])) or None
        status = StatusReport(printed, first_sentence(progress, 400) if progress else None,
                              span=_span(doc, f.get("status", []) + f.get("progress", [])))
    reading.actions.append(Action(f"l{len(reading.actions) + 1}", first_sentence(text, 400),
                                  record.number if record.kind == "action" or "recommendation" not in f else None,
                                  responds_to=[rec_key] if rec_key else [], owners=owners, oversight=oversight,
                                  people=people, due=due, status=status, span=span))


def _owners(doc: TextDocument, values: list[Value]) -> tuple[list[Mention], list[PersonMention]]:
    owners: list[Mention] = []
    people: list[PersonMention] = []
    for v in values:
        span = doc.span(v.start, v.end)
        roles = entities.find_roles(v.text)
        owners += [Mention(r.text, span) for r in roles]
        people += [PersonMention(p.name, p.role, None, span) for p in entities.find_people(v.text)]
        if not roles and not people and len(v.text.split()) <= 6:
            owners.append(Mention(v.text, span))  # a team or post the finder does not know, as printed
    return owners, people


def _due(doc: TextDocument, values: list[Value]) -> list[Mention]:
    out: list[Mention] = []
    for v in values:
        span = doc.span(v.start, v.end)
        timings = sentence_timings(v.text)
        if len(v.text.split()) <= 5 or not timings:
            out.append(Mention(v.text.rstrip("."), span))
        else:
            out += [Mention(t, span) for t in timings]
    return [m for m in out if read_due(m.text).readable or len(m.text.split()) <= 4]
