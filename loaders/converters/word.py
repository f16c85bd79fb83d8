"""Word (.docx): the body's paragraphs and tables in document order. Heading and Title styles give headings (a
short paragraph wholly in bold is one too); list styles and Word numbering give list items, with their depth and
the number Word would print; tables keep their header rows (rows marked to repeat as headers), and a cell merged
across columns or down rows is read once, the columns it covers left empty."""
from __future__ import annotations

import io
import re
import zipfile

from govgraph.loaders import LoadError, Source
from govgraph.loaders.converters.builder import CellParts, DocumentBuilder, bold_heading
from govgraph.loaders.packages import check_package
from govgraph.loaders.text import TextDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]


def _format_number(fmt: str, n: int) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return ROMAN[(n - 1) % len(ROMAN)]
    if fmt == "upperRoman":
        return ROMAN[(n - 1) % len(ROMAN)].upper()
    return str(n)


class _Numbering:
    """Word's list numbering: which format each (list, level) prints, and the running counters."""

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract: dict[str, dict[int, tuple[str, str]]] = {}
        for node in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "%1.") if text is not None else "%1.")
            abstract[node.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                for level, spec in abstract.get(ref.get(f"{W}val"), {}).items():
                    self.formats[(num.get(f"{W}numId"), level)] = spec

    def marker(self, num_id: str, level: int) -> str:
        fmt, pattern = self.formats.get((num_id, level), ("bullet", ""))
        if fmt in ("bullet", "none"):
            return "-"
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        levels = self.formats
        out = pattern
        for i in range(level + 1):
            value = _format_number(levels.get((num_id, i), ("decimal", ""))[0], max(counters[i], 1))
            out = out.replace(f"%{i + 1}", value)
        return out.strip() or "-"


class _Styles:
    """Paragraph styles by style id, each looked up once: python-docx finds a paragraph's style anew on every
    ``paragraph.style``, scanning all the document's styles for the default one (a 20-page plan of tables spent
    9 of its 11 s there)."""

    def __init__(self) -> None:
        self._by_id: dict[str | None, object] = {}

    def of(self, paragraph):
        key = paragraph._p.style
        if key not in self._by_id:
            self._by_id[key] = paragraph.style
        return self._by_id[key]


def _list_level(paragraph, style) -> tuple[str | None, int] | None:
    """(numbering id, level) when the paragraph is a list item, by Word numbering or by a list style (``style``,
    the paragraph's)."""
    ppr = paragraph._p.pPr
    num = ppr.find(f"{W}numPr") if ppr is not None else None
    if num is None and style is not None and style.element.pPr is not None:
        num = style.element.pPr.find(f"{W}numPr")  # numbering the paragraph's style gives it
    if num is not None:
        ilvl = num.find(f"{W}ilvl")
        num_id = num.find(f"{W}numId")
        if num_id is not None and num_id.get(f"{W}val") != "0":
            return num_id.get(f"{W}val"), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0
    style = (style.name or "").lower() if style is not None else ""
    if "list" in style:
        m = re.search(r"(\d)\s*$", style)
        return None, (int(m.group(1)) - 1 if m else 0)
    return None


def _all_bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def _heading_level(style) -> int | None:
    style = (style.name or "").lower() if style is not None else ""
    if style == "title":
        return 1
    if style.startswith("heading"):
        m = re.search(r"\d", style)
        return int(m.group()) if m else 2
    return None


def _cell_parts(cell, styles: _Styles) -> CellParts:
    parts: CellParts = []
    for p in cell.paragraphs:
        kind = "li" if _list_level(p, styles.of(p)) is not None else "p"
        parts.append((kind, p.text))
    for inner in cell.tables:  # a table inside a cell: its cells are paragraphs of this one
        for row in inner.rows:
            for c in row.cells:
                parts += [("p", p.text) for p in c.paragraphs]
    return parts


def _rows(table, styles: _Styles) -> tuple[list[list[CellParts]], int]:
    rows: list[list[CellParts]] = []
    header = 0
    above: list[object] = []
    for r, row in enumerate(table.rows):
        cells: list[CellParts] = []
        seen: set[int] = set()
        tcs = []
        for cell in row.cells:
            # python-docx repeats a cell merged across columns: its first column carries the text
            tcs.append(cell._tc)
            if id(cell._tc) in seen:
                cells.append([])
                continue
            seen.add(id(cell._tc))
            merged_down = r > 0 and len(above) > len(cells) and above[len(cells)] is cell._tc
            cells.append([] if merged_down else _cell_parts(cell, styles))
        above = tcs
        rows.append(cells)
        trpr = row._tr.trPr
        if trpr is not None and trpr.find(f"{W}tblHeader") is not None and header == r:
            header += 1
    return rows, header


def convert(source: Source) -> TextDocument:
    """A Word document as a document. :raises LoadError: damaged, protected or empty."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise LoadError(source.path, f"reading Word files needs python-docx: {exc}") from exc
    check_package(source)
    try:
        document = docx.Document(io.BytesIO(source.data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(source.path, f"not a readable Word (.docx) document (damaged or protected?): {exc}") from exc

    out = DocumentBuilder()
    numbering = _Numbering(document)
    styles = _Styles()
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            style = styles.of(paragraph)
            level = _heading_level(style)
            listed = _list_level(paragraph, style)
            if level is not None:
                out.heading(text, level)
            elif listed is not None:
                num_id, depth = listed
                marker = numbering.marker(num_id, depth) if num_id is not None else "-"
                out.list_item(text, marker=marker, depth=depth)
            elif _all_bold(paragraph) and bold_heading(text):
                out.heading(text, 4, bold=True)
            else:
                out.paragraph(text)
        elif tag == "tbl":
            rows, header = _rows(Table(child, document), styles)
            out.table(rows, header_rows=header)
    doc = out.document(source.path, source.sha256)
    if not doc.text.strip():
        raise LoadError(source.path, "the Word document has no text")
    return doc
