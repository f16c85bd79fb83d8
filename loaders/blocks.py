"""The document model every reader works on: typed blocks with offsets into the document's text.

Whatever the format, a converter (:mod:`govgraph.loaders.converters`) yields the same blocks, in reading order:

- a **heading** (``level`` 1-6), also when the document shows it only by bold type, capitals or a number;
- a **paragraph**;
- a **list item**, with its ``marker`` as printed ("-", "•", "1.", "(a)", "No. 4") and its ``depth``;
- a **table**, rows of cells; ``header_rows`` says how many leading rows the format marks as headers.

Each block carries its character range in the document text (the text provenance quotes), its page where the
format has pages, and its ``parent``: the heading (or, for a nested list item, the list item) it sits under.
A table cell keeps its paragraphs and list items as ``<p>``/``<li>`` fragments of its raw text, so that a cell's
several paragraphs stay apart; :meth:`Cell.parts` gives them with their offsets.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from govgraph.loaders.names import collapse

# block tags split a cell into parts; inline ones (<b>, <sup>) are only dropped from the text
TAG = re.compile(r"<(/?)(p|li|ul|ol|br|div|tr|td)\b[^>]*>", re.I)
BULLET_CHARS = "•○▪◦●·"


class BlockKind(enum.Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    TABLE = "table"


@dataclass
class Part:
    """A paragraph, list item or double-space-separated run of a cell, with its offsets in the document."""

    text: str
    start: int
    end: int
    bullet: bool = False


@dataclass
class Cell:
    """A table cell: its raw text (with any ``<p>``/``<li>`` fragments) and where that text starts."""

    raw: str
    start: int

    @property
    def text(self) -> str:
        return collapse(self.raw)

    @property
    def end(self) -> int:
        return self.start + len(self.raw)

    def parts(self) -> list[Part]:
        """The cell's paragraphs and list items (or runs split by two or more spaces), in order. A list item is
        marked as a bullet, whether printed as <li> or as a bullet character.

        >>> [p.text for p in Cell("<p>One.</p> <li>Two</li>", 0).parts()]
        ['One.', 'Two']
        """
        out: list[Part] = []
        in_item = False
        pos = 0
        pieces: list[tuple[int, int, bool]] = []
        for m in TAG.finditer(self.raw):
            pieces.append((pos, m.start(), in_item))
            if m.group(2).lower() == "li":
                in_item = not m.group(1)
            pos = m.end()
        pieces.append((pos, len(self.raw), in_item))
        for a, b, in_li in pieces:
            chunk = self.raw[a:b]
            # bullet characters start list items of their own ('• One • Two')
            marks = [0] + [m.start() for m in re.finditer(rf"[{BULLET_CHARS}]", chunk)] + [len(chunk)]
            for i in range(len(marks) - 1):
                sub_start, sub_end = marks[i], marks[i + 1]
                bullet = in_li or i > 0
                sub = chunk[sub_start:sub_end]
                for run in re.finditer(r"\S+(?:[ \t]\S+)*", sub):  # runs split by two or more spaces
                    text = collapse(run.group()).lstrip(BULLET_CHARS + "-– ").strip()
                    text = re.sub(r"^\d{1,2}\.\s+", "", text)  # "1. CPRs to be signed off" → the step itself
                    if text and not re.fullmatch(rf"[{BULLET_CHARS}\-–]+", text):
                        start = self.start + a + sub_start + run.start()
                        out.append(Part(text, start, start + len(run.group()), bullet))
        return out


@dataclass
class Row:
    """A table row: its cells, the 1-based line of the document text it starts on, whether it is a header."""

    line: int
    cells: list[Cell]
    header: bool = False
    spanning: bool = False  # the format says the row is one cell across the whole table

    def get(self, index: int | None) -> Cell | None:
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def text(self, index: int | None) -> str:
        cell = self.get(index)
        return cell.text if cell else ""

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Block:
    """One heading, paragraph, list item or table of a document."""

    kind: BlockKind
    start: int  # offset of the block's own text (after any '#' or list marker) in the document text
    end: int
    text: str  # the block's words, markup dropped and whitespace collapsed (a table: its rows' cells)
    line: int = 1  # the 1-based line of the document text the block starts on
    level: int = 0  # a heading's level (1 is the top); a list item's depth (0 is the top)
    marker: str | None = None  # a list item's marker as printed: '-', '•', '1.', '(a)', 'No. 4'
    page: int | None = None
    parent: int | None = None  # index of the heading (or outer list item) this block sits under
    index: int = 0
    bold: bool = False  # the whole block is in bold type
    rows: list[Row] = field(default_factory=list)
    header_rows: int = 0
    marked_start: int | None = None  # where the block starts with its '#' marks or list marker, if it has any
    fields: list[str] | None = None  # a table's column fields, where they are known without a header text

    @property
    def printed_start(self) -> int:
        """Where the block starts as printed, with its list marker or heading marks."""
        return self.start if self.marked_start is None else self.marked_start

    @property
    def is_heading(self) -> bool:
        return self.kind is BlockKind.HEADING

    @property
    def is_table(self) -> bool:
        return self.kind is BlockKind.TABLE

    @property
    def is_list_item(self) -> bool:
        return self.kind is BlockKind.LIST_ITEM


def link_parents(blocks: list[Block]) -> list[Block]:
    """Number the blocks and set each one's parent: the nearest heading above of a higher level (for a heading)
    or the nearest heading above (for anything else); a nested list item's parent is the list item it is
    nested in."""
    headings: list[Block] = []  # the open headings, outermost first
    items: list[Block] = []  # the open list items, by depth
    for index, block in enumerate(blocks):
        block.index = index
        if block.is_heading:
            while headings and headings[-1].level >= block.level:
                headings.pop()
            block.parent = headings[-1].index if headings else None
            headings.append(block)
            items = []
            continue
        if block.is_list_item:
            items = [i for i in items if i.level < block.level]
            block.parent = items[-1].index if items else (headings[-1].index if headings else None)
            items.append(block)
            continue
        items = []
        block.parent = headings[-1].index if headings else None
    return blocks
