"""Tables as an action plan lays them out: which blocks are tables and what their columns hold, and which
physical rows make one logical record. :mod:`govgraph.loaders.tables` reads the records.

- a header row is recognised by its words (the header lexicon, :mod:`govgraph.loaders.fields`); a repeated
  header (a page break) continues the same table; a table with no header row is read by what its columns hold;
- a line between tables that names an officer post and little else ("Head of Legal Services 2023/24 Actions",
  even when text extraction broke it across cells, mid-word, or left fragments of other columns beside it) makes
  that post accountable for the table after it;
- a row whose number cell is empty belongs to the numbered action above; in a table without numbers, a row whose
  action cell is empty or starts in lower case continues the row above.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from govgraph.loaders import entities
from govgraph.loaders.blocks import Cell, Row
from govgraph.loaders.confidence import CONTENT_TYPING, LABELLED_HEADER
from govgraph.loaders.fields import column_kind, match_header
from govgraph.loaders.model import Mention
from govgraph.loaders.text import TextDocument

TERMINAL = re.compile(r"[.!?;:)\]\"”']\s*$")
NUMBER = re.compile(r"^\s*(?:[A-Z]{1,3}\s?)?\d{1,3}(?:\.\d{1,3}){0,2}\.?\s*$")


@dataclass
class Record:
    """One logical row: the physical rows it was read from, and its section's owner."""

    rows: list[Row]
    owner: Mention | None = None
    after_break: bool = False

    def cells(self, index: int | None) -> list[Cell]:
        return [c for r in self.rows if (c := r.get(index)) is not None and c.text]


@dataclass
class Table:
    columns: dict[str, int]
    records: list[Record] = field(default_factory=list)
    owner: Mention | None = None  # the post a heading before the table names
    width: int = 0
    typed: set[str] = field(default_factory=set)  # fields whose column was found by what its cells hold

    def how(self, fieldname: str) -> str:
        """How the values of a field were found: by the column's header, or by what the column holds."""
        return CONTENT_TYPING if fieldname in self.typed else LABELLED_HEADER


def _section_owner(doc: TextDocument, cells: list[Cell]) -> Mention | None:
    """A heading naming the post accountable for the table after it: a post title and at most a short tail
    ('2023/24 Actions')."""
    text = doc.rejoin([c.text for c in cells])
    if not text or len(text) > 150:
        return None
    roles = entities.find_roles(text)
    if not roles or roles[0].start > 2:
        return None
    tail = text[roles[0].end:].strip()
    if len(tail) > 40 or re.search(r"[.;]\s|\b(?:will|to be|has|have)\b", tail) or not re.search(
            r"\d{4}|\bactions?\b|^\W*$", tail, re.I):
        return None
    title = re.sub(r"\((\w)", r" (\1", roles[0].text).replace("  ", " ")
    start = cells[0].start
    return Mention(title, doc.span(start, cells[-1].end))


FRAGMENT = 12  # a cell shorter than this beside a post heading is a stray piece of another column


def find_tables(doc: TextDocument) -> list[Table]:
    """The tables of the document, with their records (logical rows) grouped from physical rows. A table block
    with no header row of its own continues the table before it (a page break), or, standing alone, is read by
    what its columns hold."""
    tables: list[Table] = []
    current: Table | None = None
    header_key: tuple | None = None
    pending_owner: Mention | None = None
    after_break = False
    previous = None
    for block in doc.blocks:
        follows_table, previous = previous is not None and previous.is_table, block
        if not block.is_table:
            owner = _section_owner(doc, [Cell(doc.text[block.start:block.end], block.start)])
            if owner is not None:
                pending_owner = owner
            else:
                after_break = True
            continue
        after_break = True
        # a table straight after another one goes on from it (a page break); one standing alone with no header row
        # is read by what its columns hold
        if current is None or (_width(block) != current.width and not follows_table):
            typed = _typed_columns(block) if not any(_header(r.texts) for r in block.rows[:3]) else None
            if typed is not None:
                current = Table(typed, owner=pending_owner, width=_width(block), typed=set(typed))
                tables.append(current)
                header_key, pending_owner = None, None
        for row in block.rows:
            cells = row.cells
            texts = [c.text for c in cells]
            mapping = _header(texts)
            if mapping is None and row.header and block.fields:
                mapping = {f: i for i, f in enumerate(block.fields)}
            if mapping is not None:
                # a repeated header (the same fields in the same columns) continues the table across a page break;
                # a heading's post holds only the table straight after it, so a header after an owned table
                # starts a new one
                key = tuple(sorted(mapping.items()))
                if current is None or key != header_key or pending_owner is not None or current.owner is not None:
                    current = Table(_with_number_column(mapping, texts), owner=pending_owner, width=len(cells))
                    tables.append(current)
                    header_key = key
                pending_owner = None
                after_break = True
                continue
            owner = _section_owner(doc, cells) if current is None or not _has_content(cells, current.columns) \
                else None
            if owner is None and all(len(c.text) < FRAGMENT for c in cells[1:]):
                owner = _section_owner(doc, cells[:1])  # a post heading with fragments of other columns beside it
            if owner is not None:
                pending_owner = owner
                continue
            if current is None:
                continue
            if not any(texts):
                continue
            current.records.append(Record([row], current.owner, after_break))
            after_break = False
    for table in tables:
        _complete_columns(table)
    return [t for t in tables if t.records and _text_column(t.columns)]


def _width(block) -> int:
    return max((len(r.cells) for r in block.rows), default=0)


TEXT_COLUMNS = ("action", "recommendation", "theme")


def _text_column(columns: dict[str, int]) -> str | None:
    return next((f for f in TEXT_COLUMNS if f in columns), None)


def _header(texts: list[str]) -> dict[str, int] | None:
    """The columns of a header row, or None: a header's cells are short labels, most of them recognised, naming
    what was recommended or done and at least one other field."""
    filled = [t for t in texts if t]
    if len(filled) < 2 or any(len(t) > 60 or len(t.split()) > 7 for t in filled):
        return None
    mapping = match_header(texts)
    if not _text_column(mapping) or len(mapping) < max(2, 0.6 * len(filled)):
        return None
    if "action" not in mapping and "recommendation" not in mapping and len(mapping) < 3:
        return None  # a theme and one more column is a list of themes, not a plan
    return mapping


# fields a column can be typed as by what its cells hold (fields.column_kind) -> the field it fills
TYPED_FIELDS = {"owner": "owner", "due": "due", "status": "status", "oversight": "oversight",
                "priority": "priority", "ref": "action_ref", "person": "contact"}


def _typed_columns(block) -> dict[str, int] | None:
    """Columns of a table with no header row, by what their cells hold: the sentences are what was recommended
    and what will be done (in that order when there are two such columns), beside owners, dates or statuses."""
    width = _width(block)
    kinds = [column_kind([r.text(i) for r in block.rows]) for i in range(width)]
    mapping: dict[str, int] = {}
    sentences = [i for i, k in enumerate(kinds) if k == "sentence"]
    for i, kind in enumerate(kinds):
        fieldname = TYPED_FIELDS.get(kind or "")
        if fieldname and fieldname not in mapping:
            mapping[fieldname] = i
    if not sentences or not {"owner", "due", "status"} & set(mapping):
        return None
    if len(sentences) >= 2:
        mapping["recommendation"], mapping["action"] = sentences[0], sentences[1]
    else:
        mapping["action"] = sentences[0]
    return mapping


def _with_number_column(mapping: dict[str, int], header: list[str]) -> dict[str, int]:
    """An unnamed first column holds the action numbers."""
    mapping = dict(mapping)
    if header and not header[0] and "action_ref" not in mapping and 0 not in mapping.values():
        mapping["action_ref"] = 0
    return mapping


def _complete_columns(table: Table) -> None:
    """Columns the header did not name are typed by what their cells hold; and a plan with owners, dates or
    statuses but no column of actions has its actions in its first text column (a 'key improvement area' with a
    lead officer and a date is something the council will do)."""
    cols = table.columns
    width = max((len(r.cells) for rec in table.records for r in rec.rows), default=0)
    for i in range(width):
        if i in cols.values():
            continue
        kind = column_kind([r.text(i) for rec in table.records for r in rec.rows])
        fieldname = TYPED_FIELDS.get(kind or "")
        if fieldname and fieldname not in cols and fieldname != "action_ref":
            cols[fieldname] = i
            table.typed.add(fieldname)
    if "action" not in cols and {"owner", "due", "status"} & set(cols):
        source = "theme" if "theme" in cols and "recommendation" not in cols else "recommendation"
        if source in cols:
            cols["action"] = cols.pop(source)
            table.typed.add("action")


def _has_content(cells: list[Cell], columns: dict[str, int]) -> bool:
    """Whether a row has text in more than its first cells (a heading broken across cells has only those)."""
    filled = [i for i, c in enumerate(cells) if c.text]
    return len(filled) > 2 or any(i > 1 for i in filled)


def merge_rows(table: Table) -> list[Record]:
    """Group physical rows into logical records (continuations and sub-rows of a numbered action)."""
    cols = table.columns
    numbered = "action_ref" in cols
    key = cols.get("action", cols.get("recommendation"))
    merged: list[Record] = []
    for record in table.records:
        row = record.rows[0]
        number = row.text(cols.get("action_ref")) if numbered else ""
        key_text = row.text(key)
        if not merged:
            merged.append(record)
            continue
        previous = merged[-1]
        if numbered:
            if number and NUMBER.match(number):
                merged.append(record)
            else:
                previous.rows.append(row)  # sub-row or continuation: sorted out per column
            continue
        first_filled = next((c.text for c in row.cells if c.text), "")
        continues = (not key_text) or re.match(r"[a-z(]", key_text) or (
            record.after_break and not TERMINAL.search(previous.rows[-1].text(key)) and key_text
            and re.match(r"[a-z]", first_filled))
        if continues:
            previous.rows.append(row)
        else:
            merged.append(record)
    return merged


