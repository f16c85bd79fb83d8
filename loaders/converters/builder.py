"""Writing a document's text and its blocks together, for the formats whose structure the file states (HTML, Word,
PDF): each call adds one block, renders it in the text convention of :mod:`govgraph.loaders.text` and records
where it is."""
from __future__ import annotations

import re
from pathlib import Path

from govgraph.loaders.blocks import Block, BlockKind, Cell, Row, link_parents
from govgraph.loaders.names import collapse
from govgraph.loaders.text import TextDocument

# a cell's content: its paragraphs ('p') and list items ('li') in order
CellParts = list[tuple[str, str]]


def cell_text(parts: CellParts) -> str:
    """A table cell's paragraphs and list items on one line, as fragments when there are several.

    >>> cell_text([("p", "Director of Finance"), ("li", "Head of Audit")])
    '<p>Director of Finance</p> <li>Head of Audit</li>'
    """
    parts = [(kind, re.sub(r"\s+", " ", text).strip()) for kind, text in parts]
    parts = [(kind, text.replace("\t", " ")) for kind, text in parts if text]
    if not parts:
        return ""
    if len(parts) == 1 and parts[0][0] == "p":
        return parts[0][1]
    return " ".join(f"<{kind}>{text}</{kind}>" for kind, text in parts)


def bold_heading(text: str) -> bool:
    """Whether a paragraph printed wholly in bold is a heading: a short one is (a long one is emphasis)."""
    return 0 < len(text.split()) <= 25


class DocumentBuilder:
    """Builds a :class:`TextDocument` block by block."""

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self._length = 0
        self._line = 1
        self._in_table = False
        self.blocks: list[Block] = []

    def _write(self, text: str) -> None:
        self._chunks.append(text)
        self._length += len(text)
        self._line += text.count("\n")

    def _open(self, *, row: bool = False) -> None:
        if self._length:
            self._write("\n" if row and self._in_table else "\n\n")
        self._in_table = row

    def _add(self, kind: BlockKind, prefix: str, text: str, **attrs) -> Block | None:
        text = re.sub(r"\s+", " ", text or "").strip()
        if not text:
            return None
        self._open()
        marked = self._length
        self._write(prefix)
        start, line = self._length, self._line
        self._write(text)
        block = Block(kind, start, self._length, collapse(text), line=line, marked_start=marked, **attrs)
        self.blocks.append(block)
        return block

    def heading(self, text: str, level: int, *, page: int | None = None, bold: bool = False) -> Block | None:
        level = min(max(level, 1), 6)
        return self._add(BlockKind.HEADING, "#" * level + " ", text, level=level, page=page, bold=bold)

    def paragraph(self, text: str, *, page: int | None = None, bold: bool = False) -> Block | None:
        return self._add(BlockKind.PARAGRAPH, "", text, page=page, bold=bold)

    def list_item(self, text: str, *, marker: str = "-", depth: int = 0, page: int | None = None) -> Block | None:
        return self._add(BlockKind.LIST_ITEM, "  " * depth + marker + " ", text, level=depth, marker=marker, page=page)

    def table(self, rows: list[list[CellParts]], *, header_rows: int = 0, page: int | None = None) -> Block | None:
        """A table: each row a list of cells, each cell its parts. Rows with no text are dropped; ``header_rows``
        counts the leading rows the format marks as headers."""
        kept = [(i, [cell_text(c) for c in row]) for i, row in enumerate(rows)]
        kept = [(i, cells) for i, cells in kept if any(cells)]
        if not kept:
            return None
        block: Block | None = None
        for i, cells in kept:
            self._open(row=True)
            start, line = self._length, self._line
            offsets, pos = [], start
            for text in cells:
                offsets.append(Cell(text, pos))
                pos += len(text) + 1
            self._write("\t".join(cells))
            if block is None:
                block = Block(BlockKind.TABLE, start, self._length, "", line=line, page=page)
                self.blocks.append(block)
            block.rows.append(Row(line, offsets, header=i < header_rows))
            block.end = self._length
        block.header_rows = sum(1 for r in block.rows if r.header)
        block.text = collapse(" ".join(" ".join(r.texts) for r in block.rows))
        self._in_table = False  # a table that follows is a table of its own
        return block

    def document(self, path: Path, sha256: str) -> TextDocument:
        text = "".join(self._chunks) + "\n"
        return TextDocument(path, sha256, text, link_parents(self.blocks))
