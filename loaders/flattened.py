"""Tables whose structure the text lost, built back into table blocks so that the table reader reads them like any
other table. Two layouts, as copies of web pages and PDF text show them:

- **a table flattened one cell per line**: a run of 2-8 short lines, each a known column header ("Key improvement
  area", "Lead Officer", "To be delivered by"), then the cells one per line. Cells are dealt to the columns in
  order; a line that cannot be what the next column holds (a sentence where a date is due) skips the columns it
  cannot fill (blank cells); a line going on in lower case continues the cell before it.
- **rows run together on one line**: a line ending with an owner and a date ("... Management Team. Chief
  Executive April 2020"), in a run of such lines, often under a header run together the same way ("Action
  Responsible Officer Timeframe"). The trailing cells are cut off the end of the line by what they hold; a line
  between them with no trailing cells spans the table (a recommendation or theme heading the rows under it).

Only paragraphs and headings are rebuilt; real tables, list items and everything else are left as they are.
"""
from __future__ import annotations

import re
from dataclasses import replace

from govgraph.loaders import entities
from govgraph.loaders.blocks import Block, BlockKind, Cell, Row, link_parents
from govgraph.loaders.dates import TRAILING_DUE
from govgraph.loaders.fields import cell_kind, header_field, split_header_line
from govgraph.loaders.text import TextDocument

# what each field's cells may hold, by cell_kind
FITS = {
    "action": {"sentence", "label", "status", "due", "owner", "oversight", "person"},
    "recommendation": {"sentence", "label"},
    "theme": {"sentence", "label"},
    "milestone": {"sentence", "label"},
    "progress": {"sentence", "label", "status", "due"},
    "owner": {"owner", "person", "oversight", "label"},
    "contact": {"person", "owner", "label"},
    "oversight": {"oversight", "label"},
    "due": {"due"},
    "revised_due": {"due"},
    "status": {"status", "label"},
    "priority": {"priority", "status", "label"},
    "action_ref": {"ref"},
    "recommendation_ref": {"ref"},
}
TEXT_FIELDS = {"action", "recommendation", "theme", "milestone", "progress"}
TRAILING_FIELDS = ("owner", "due", "status", "oversight", "priority")


def rebuild(doc: TextDocument) -> TextDocument:
    """The document with flattened tables and run-together rows rebuilt as table blocks (the text is unchanged)."""
    blocks = list(doc.blocks)
    blocks = _flattened(doc, blocks)
    blocks = _run_together(doc, blocks)
    if len(blocks) == len(doc.blocks) and all(a is b for a, b in zip(blocks, doc.blocks)):
        return doc
    return replace(doc, blocks=link_parents(blocks))


def _textual(block: Block) -> bool:
    return block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING)


def _cell(doc: TextDocument, start: int, end: int) -> Cell:
    return Cell(doc.text[start:end], start)


def _table(doc: TextDocument, rows: list[list[tuple[int, int] | None]], first: Block, header: bool) -> Block:
    """A table block over ``rows`` of (start, end) cell ranges (None for a blank cell)."""
    out_rows = []
    for i, row in enumerate(rows):
        starts = [c[0] for c in row if c is not None]
        anchor = min(starts) if starts else first.start
        cells = [_cell(doc, *c) if c is not None else Cell("", anchor) for c in row]
        spanning = len(row) > 1 and row[0] is not None and all(c is None for c in row[1:])
        out_rows.append(Row(doc.line_of(anchor), cells, header=header and i == 0, spanning=spanning and i > 0))
    ends = [c[1] for row in rows for c in row if c is not None]
    text = " ".join(" ".join(r.texts) for r in out_rows)
    return Block(BlockKind.TABLE, first.start, max(ends + [first.end]), re.sub(r"\s+", " ", text).strip(),
                 line=first.line, page=first.page, rows=out_rows, header_rows=1 if header else 0)


# --- one cell per line -------------------------------------------------------------------------------------------

def _header_run(blocks: list[Block], i: int) -> list[tuple[Block, str]] | None:
    """The header lines starting at ``blocks[i]``: 2-8 short textual blocks, each a known header of its own field,
    with at least one field that holds the text of a recommendation or action."""
    run: list[tuple[Block, str]] = []
    for block in blocks[i:i + 8]:
        if not _textual(block) or len(block.text) > 60:
            break
        fieldname = header_field(block.text)
        if fieldname is None or fieldname in [f for _, f in run] or fieldname in ("council", "review"):
            break
        run.append((block, fieldname))
    if len(run) < 2 or not any(f in ("action", "recommendation", "theme") for _, f in run):
        return None
    return run


def _flattened(doc: TextDocument, blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        run = _header_run(blocks, i)
        if run is None:
            out.append(blocks[i])
            i += 1
            continue
        fields = [f for _, f in run]
        header = [(b.start, b.end) for b, _ in run]
        rows: list[list[tuple[int, int] | None]] = [header]
        current: list[tuple[int, int] | None] | None = None
        column = -1
        j = i + len(run)
        while j < len(blocks) and (_textual(blocks[j]) or blocks[j].is_list_item):
            block = blocks[j]
            if header_field(block.text) == fields[0] and len(block.text) <= 60 and _header_run(blocks, j):
                break  # the header again: a new table
            if block.is_heading and not block.bold and current is not None and column == len(fields) - 1:
                break
            kind = cell_kind(block.text)
            last = current[column] if current is not None and column >= 0 else None
            in_text = last is not None and fields[column] in TEXT_FIELDS
            if in_text and (re.match(r"[a-z]", block.text) or block.is_list_item):
                current[column] = (last[0], block.end)  # a cell going on in lower case, or its bullets
                j += 1
                continue
            if block.is_list_item:
                break
            target = next((c for c in range(column + 1, len(fields)) if kind in FITS.get(fields[c], ())), None)
            if target is None and in_text and kind in ("sentence", "label") and any(
                    fields[c] in TRAILING_FIELDS for c in range(column + 1, len(fields))):
                # another paragraph of a text cell: its record still owes the owner, date or status after it
                current[column] = (last[0], block.end)
                j += 1
                continue
            if target is None or current is None:
                target = next((c for c in range(len(fields)) if kind in FITS.get(fields[c], ())), None)
                if target is None:
                    break
                current = [None] * len(fields)
                rows.append(current)
            current[target] = (block.start, block.end)
            column = target
            j += 1
        # a last record with nothing but its first cell is the text after the table
        while len(rows) > 2 and sum(c is not None for c in rows[-1]) == 1 and rows[-1][0] is not None:
            first_start = rows.pop()[0][0]
            j = next(k for k in range(i, j) if blocks[k].start == first_start)
        if len(rows) < 2:
            out.append(blocks[i])
            i += 1
            continue
        out.append(_table(doc, rows, blocks[i], header=True))
        i = j
    return out


# --- rows run together -------------------------------------------------------------------------------------------

def _trailing(text: str, fields: list[str]) -> list[tuple[str, int, int]] | None:
    """Cells cut off the end of a line, last field first: (field, start, end) in ``text``; None when the line
    does not end with them."""
    if not fields:
        return None  # a header naming no trailing field: nothing to cut off
    end = len(text.rstrip())
    found: list[tuple[str, int, int]] = []
    for fieldname in reversed(fields):
        head = text[:end]
        if fieldname == "due":
            m = TRAILING_DUE.search(head)
            if not m or m.start() == 0:
                return None
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            found.append(("due", start, end))
            end = m.start()
        elif fieldname == "owner":
            span = _trailing_owner(head)
            if span is None:
                return None
            found.append(("owner", *span))
            end = span[0]
        else:
            return None
    if not text[:end].strip():
        return None
    return found


def _trailing_owner(head: str) -> tuple[int, int] | None:
    """The post, team or body at the very end of ``head``: a title the entity finder knows, else the words after
    the last full stop when they are a short capitalised name."""
    stripped = head.rstrip()
    for found in reversed(entities.find_roles(stripped) + entities.find_bodies(stripped)):
        if found.end >= len(stripped) - 1 and found.start > 0:
            return found.start, found.end
    m = re.search(r"[.;:)]\s+((?:[A-Z][\w&'’()/-]*\s?(?:(?:and|of|for|&)\s)?){1,6})$", stripped)
    if m and not re.search(r"\b(?:the|a|an|will|to|is|are)\b", m.group(1)):
        return m.start(1), m.start(1) + len(m.group(1).rstrip())
    return None


def _run_together(doc: TextDocument, blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        header = split_header_line(block.text) if _textual(block) else None
        text_fields = [f for f, _, _ in header or [] if f in TEXT_FIELDS or f.endswith("_ref")]
        if header and [f for f, _, _ in header][:len(text_fields)] == text_fields and text_fields \
                and all(f in TRAILING_FIELDS for f, _, _ in header[len(text_fields):]):
            fields = [f for f, _, _ in header]
            start_rows = i + 1
        else:
            fields, start_rows = ["action", "owner", "due"], i
        trailing = [f for f in fields if f in TRAILING_FIELDS]
        rows: list[list[tuple[int, int] | None]] = []
        matched = 0
        j = start_rows
        while j < len(blocks) and _textual(blocks[j]):
            b = blocks[j]
            raw = doc.text[b.start:b.end]
            cut = _trailing(raw, trailing) if "\n" not in raw else None
            if cut is None:
                # a line with no trailing cells spans the table: only between or before rows, and a sentence
                if len(b.text.split()) < 4 or (rows and not matched):
                    break
                rows.append([(b.start, b.end)] + [None] * (len(fields) - 1))
            else:
                text_end = min(s for _, s, _ in cut)
                cells: list[tuple[int, int] | None] = [(b.start, b.start + len(raw[:text_end].rstrip()))]
                cells += [None] * (len(fields) - len(trailing) - 1)
                by_field = {f: (b.start + s, b.start + e) for f, s, e in cut}
                cells += [by_field.get(f) for f in trailing]
                rows.append(cells)
                matched += 1
            j += 1
        # trailing spanning lines belong to what follows, not to this table
        while rows and rows[-1][1:] == [None] * (len(fields) - 1):
            rows.pop()
            j -= 1
        if matched >= 2 or (matched >= 1 and start_rows == i + 1):
            if start_rows == i + 1:
                header_cells = [(block.start + s, block.start + e) for _, s, e in header]
                out.append(_table(doc, [header_cells] + rows, block, header=True))
            else:
                table = _table(doc, rows, blocks[start_rows], header=False)
                table.fields = fields
                out.append(table)
            i = start_rows + len(rows)
            continue
        out.append(block)
        i += 1
    return out
