"""HTML: headings from ``<h1>``-``<h6>`` (and paragraphs wholly in bold), list items from ``<li>`` with their depth
and number, tables from ``<table>`` with ``<th>`` header rows and spanned cells, paragraphs from the rest.
Scripts, styles and navigation are dropped; a table inside a table cell is read as that cell's paragraphs."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from govgraph.loaders import Source
from govgraph.loaders.converters.builder import CellParts, DocumentBuilder, bold_heading
from govgraph.loaders.text import TextDocument

SKIP = {"script", "style", "head", "title", "nav", "noscript", "template", "svg"}
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "section", "article", "blockquote", "header",
          "footer", "main", "aside", "dd", "dt", "pre", "figcaption", "caption", "ul", "ol", "table", "hr"}
BOLD = {"b", "strong"}
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]


def _list_marker(kind: str, number: int) -> str:
    if kind == "a":
        return f"{chr(ord('a') + (number - 1) % 26)}."
    if kind == "A":
        return f"{chr(ord('A') + (number - 1) % 26)}."
    if kind in ("i", "I"):
        roman = ROMAN[(number - 1) % len(ROMAN)]
        return f"{roman if kind == 'i' else roman.upper()}."
    return f"{number}."


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[CellParts]] = []
        self.header: list[bool] = []
        self.row: list[CellParts] | None = None
        self.row_header = True
        self.cell: CellParts | None = None
        self.part: list[str] = []
        self.kind = "p"
        self.in_head = False
        self.carry: dict[int, int] = {}  # column -> rows still covered by a cell spanning down
        self.pending_span = 1
        self.pending_rows = 1


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = DocumentBuilder()
        self.skip = 0
        self.buffer: list[str] = []
        self.bold_chars = 0
        self.bold_depth = 0
        self.heading: int | None = None
        self.lists: list[list] = []  # [kind ('ul'/'1'/'a'...), counter]
        self.item: tuple[str, int] | None = None  # the open list item's marker and depth
        self.tables: list[_Table] = []

    # --- text outside tables ---------------------------------------------------------------------------------

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.buffer)).strip()
        bold = bool(text) and self.bold_chars >= len(re.sub(r"\s+", "", text)) > 0
        if text:
            if self.heading is not None:
                self.out.heading(text, self.heading)
            elif self.item is not None:
                marker, depth = self.item
                self.out.list_item(text, marker=marker, depth=depth)
                self.item = None
            elif bold and bold_heading(text):
                self.out.heading(text, 4, bold=True)
            else:
                self.out.paragraph(text)
        self.buffer = []
        self.bold_chars = 0

    # --- parser events ---------------------------------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        attrs = dict(attrs)
        table = self.tables[-1] if self.tables else None
        if tag in BOLD:
            self.bold_depth += 1
        if tag == "table":
            if table is not None and table.cell is not None:
                self._end_part(table)  # a table in a cell: its cells are paragraphs of the outer cell
                self.tables.append(None)  # type: ignore[arg-type]
                return
            self._flush()
            self.tables.append(_Table())
            return
        if table is None and self.tables:
            # inside a nested table: its cell and row boundaries break the outer cell's paragraphs
            outer = next(t for t in reversed(self.tables) if t is not None)
            if tag in ("tr", "td", "th", "p", "li", "br", "div"):
                self._end_part(outer)
            return
        if table is not None:
            self._table_start(table, tag, attrs)
            return
        if tag in ("ul", "ol"):
            self._flush()
            kind = "ul" if tag == "ul" else (attrs.get("type") or "1")
            start = int(attrs["start"]) if (attrs.get("start") or "").isdigit() else 1
            self.lists.append([kind, start - 1])
            return
        if tag == "li":
            self._flush()
            depth = max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0] != "ul":
                self.lists[-1][1] += 1
                marker = _list_marker(self.lists[-1][0], self.lists[-1][1])
            else:
                marker = "-"
            self.item = (marker, depth)
            return
        if tag in BLOCKS:
            self._flush()
            if re.fullmatch(r"h[1-6]", tag):
                self.heading = int(tag[1])

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in BOLD:
            self.bold_depth = max(0, self.bold_depth - 1)
        table = self.tables[-1] if self.tables else None
        if tag == "table" and self.tables:
            finished = self.tables.pop()
            if finished is not None:
                self._close_row(finished)
                self.out.table(finished.rows, header_rows=_leading(finished.header))
            return
        if table is None and self.tables:
            return
        if table is not None:
            self._table_end(table, tag)
            return
        if tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            return
        if tag in BLOCKS:
            self._flush()
            if re.fullmatch(r"h[1-6]", tag):
                self.heading = None

    def handle_data(self, data):
        if self.skip:
            return
        tables = [t for t in self.tables if t is not None]
        if tables:
            table = tables[-1]
            if table.cell is not None:
                table.part.append(data)
            return
        self.buffer.append(data)
        if self.bold_depth:
            self.bold_chars += len(re.sub(r"\s+", "", data))

    # --- tables ------------------------------------------------------------------------------------------------

    def _table_start(self, table: _Table, tag: str, attrs: dict) -> None:
        if tag == "thead":
            table.in_head = True
        elif tag == "tr":
            self._close_row(table)
            table.row, table.row_header = [], True
            self._fill_carried(table)
        elif tag in ("td", "th"):
            if table.row is None:
                table.row, table.row_header = [], True
                self._fill_carried(table)
            if table.cell is not None:
                self._close_cell(table)
            table.cell, table.part, table.kind = [], [], "p"
            table.row_header &= tag == "th" or table.in_head
            span = attrs.get("colspan") or "1"
            rows = attrs.get("rowspan") or "1"
            table.pending_span = min(int(span), 50) if span.isdigit() else 1
            table.pending_rows = min(int(rows), 500) if rows.isdigit() else 1
        elif table.cell is not None and tag in ("p", "li", "br", "div", "ul", "ol"):
            self._end_part(table)
            table.kind = "li" if tag == "li" else ("p" if tag != "br" else table.kind)

    def _table_end(self, table: _Table, tag: str) -> None:
        if tag == "thead":
            table.in_head = False
        elif tag in ("td", "th") and table.cell is not None:
            self._close_cell(table)
        elif tag == "tr":
            self._close_row(table)
        elif table.cell is not None and tag in ("p", "li", "div"):
            self._end_part(table)
            table.kind = "p"

    def _end_part(self, table: _Table) -> None:
        text = "".join(table.part)
        if text.strip() and table.cell is not None:
            table.cell.append((table.kind, text))
        table.part = []

    def _close_cell(self, table: _Table) -> None:
        self._end_part(table)
        assert table.row is not None and table.cell is not None
        column = len(table.row)
        table.row.append(table.cell)
        # a cell spanning columns leaves the columns it covers empty, so later cells keep their columns
        table.row.extend([] for _ in range(table.pending_span - 1))
        if table.pending_rows > 1:
            for c in range(column, column + table.pending_span):
                table.carry[c] = table.pending_rows - 1
        table.cell = None
        self._fill_carried(table)

    def _fill_carried(self, table: _Table) -> None:
        """Columns covered by a cell spanning down from a row above are empty in this row."""
        assert table.row is not None
        while table.carry.get(len(table.row), 0) > 0:
            table.carry[len(table.row)] -= 1
            table.row.append([])

    def _close_row(self, table: _Table) -> None:
        if table.cell is not None:
            self._close_cell(table)
        if table.row is not None:
            if any(table.row):
                table.rows.append(table.row)
                table.header.append(table.row_header)
            table.row = None

    def text(self, source: Source) -> TextDocument:
        self._flush()
        while self.tables:
            finished = self.tables.pop()
            if finished is not None:
                self._close_row(finished)
                self.out.table(finished.rows, header_rows=_leading(finished.header))
        return self.out.document(source.path, source.sha256)


def _leading(flags: list[bool]) -> int:
    count = 0
    for flag in flags:
        if not flag:
            break
        count += 1
    return count


def convert(source: Source) -> TextDocument:
    """An HTML file as a document."""
    parser = _Html()
    parser.feed(source.text())
    parser.close()
    return parser.text(source)
