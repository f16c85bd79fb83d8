"""Converters: the bytes of a document file rendered as text in the convention of :mod:`govgraph.loaders.text`.

A converter is chosen by what the bytes are, never by the file's name:

- text and Markdown are taken as they are;
- HTML: paragraphs and headings become lines, list items "- " lines, table rows tab-separated cells whose
  paragraphs and list items stay as ``<p>``/``<li>`` fragments (scripts and styles dropped);
- Word (.docx): the body's paragraphs and tables in document order, the same way (a merged cell once);
- PDF: each page's text, with the tables pdfplumber finds rendered as tab-separated rows in their place.

Each raises ``LoadError`` naming the file and what is wrong (binary, encrypted, damaged, no text).
"""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from govgraph.loaders import LoadError, Source


def kind_of(source: Source) -> str | None:
    """'text', 'html', 'docx' or 'pdf' from the content; None when it is none of these."""
    head = source.data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in source.data[:200_000] else None
    if b"\x00" in head:
        return None
    sample = source.data[:65536].decode("utf-8", errors="replace").lower()
    if re.search(r"<(?:!doctype html|html|body)\b", sample) or sample.lstrip().startswith("<table"):
        return "html"
    return "text"


def to_text(source: Source) -> str:
    """The document as text. :raises LoadError: unreadable content."""
    kind = kind_of(source)
    if kind == "text":
        return markdown_tables(source.text().replace("\r\n", "\n").replace("\r", "\n"))
    if kind == "html":
        return html_to_text(source.text())
    if kind == "docx":
        return docx_to_text(source)
    if kind == "pdf":
        return pdf_to_text(source)
    raise LoadError(source.path, "this is a binary file that is not a Word (.docx) or PDF document")


def markdown_tables(text: str) -> str:
    """Markdown pipe tables ('| Action | Lead |') as tab-separated rows; their '|---|' rule lines dropped. Every
    other line is kept as it is, so offsets into other lines do not move."""
    out = []
    for line in text.split("\n"):
        if re.fullmatch(r"\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?\s*", line):
            out.append("")
        elif re.fullmatch(r"\s*\|.*\|\s*", line) and line.count("|") >= 3:
            out.append("\t".join(cell.strip() for cell in line.strip()[1:-1].split("|")))
        else:
            out.append(line)
    return "\n".join(out)


def _cell(parts: list[tuple[str, str]]) -> str:
    """A table cell's paragraphs ('p') and list items ('li') on one line, as fragments when there are several."""
    parts = [(kind, re.sub(r"\s+", " ", text).strip()) for kind, text in parts]
    parts = [(kind, text) for kind, text in parts if text]
    if not parts:
        return ""
    if len(parts) == 1 and parts[0][0] == "p":
        return parts[0][1]
    return " ".join(f"<{kind}>{text}</{kind}>" for kind, text in parts)


def _join(lines: list[str]) -> str:
    """Blocks separated by a blank line; the rows of one table on consecutive lines."""
    out = ""
    for i, line in enumerate(lines):
        if i:
            out += "\n" if "\t" in line and "\t" in lines[i - 1] else "\n\n"
        out += line
    return out + "\n"


# --- HTML ---------------------------------------------------------------------------------------------------------

class _HtmlText(HTMLParser):
    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "section", "article", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.skip = 0
        self.tables: list[dict] = []  # a stack: {"row": [...], "cell": [...] or None, "part": [...]}
        self.heading: str | None = None
        self.in_li = False

    # inside a cell, text gathers into parts; elsewhere into lines
    def _table(self):
        return self.tables[-1] if self.tables else None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
            return
        table = self._table()
        if tag == "table":
            self._flush()
            self.tables.append({"row": None, "cell": None, "part": [], "kind": "p"})
        elif table is not None and tag == "tr":
            table["row"] = []
        elif table is not None and tag in ("td", "th"):
            table["cell"] = []
            table["part"], table["kind"] = [], "p"
        elif table is not None and table["cell"] is not None and tag in ("p", "li", "br", "div"):
            self._end_part(table)
            table["kind"] = "li" if tag == "li" else "p"
        elif tag in self.BLOCKS:
            self._flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.heading = "#" * int(tag[1]) + " "
            if tag == "li":
                self.in_li = True

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self.skip = max(0, self.skip - 1)
            return
        table = self._table()
        if table is not None and tag in ("td", "th") and table["cell"] is not None:
            self._end_part(table)
            if table["row"] is None:
                table["row"] = []
            table["row"].append(_cell(table["cell"]))
            table["cell"] = None
        elif table is not None and tag == "tr" and table["row"] is not None:
            if any(table["row"]):
                self.lines.append("\t".join(table["row"]))
            table["row"] = None
        elif tag == "table" and table is not None:
            self.tables.pop()
            if self.tables and self.tables[-1]["cell"] is not None:
                pass  # a nested table's rows are already lines of their own
        elif table is not None and table["cell"] is not None and tag in ("p", "li", "div"):
            self._end_part(table)
        elif tag in self.BLOCKS:
            self._flush()

    def _end_part(self, table):
        text = "".join(table["part"])
        if text.strip():
            table["cell"].append((table["kind"], text))
        table["part"] = []

    def handle_data(self, data):
        if self.skip:
            return
        table = self._table()
        if table is not None and table["cell"] is not None:
            table["part"].append(data)
        else:
            self.buffer.append(data)

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self.buffer)).strip()
        if text:
            prefix = self.heading or ("- " if self.in_li else "")
            self.lines.append(prefix + text)
        self.buffer = []
        self.heading = None
        self.in_li = False

    def text(self) -> str:
        self._flush()
        return _join(self.lines)


def html_to_text(markup: str) -> str:
    """HTML rendered as text: blocks as lines, tables as tab-separated rows."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    return parser.text()


# --- Word -------------------------------------------------------------------------------------------------------

def docx_to_text(source: Source) -> str:
    """A Word document's paragraphs and tables in document order. :raises LoadError: damaged or empty."""
    import zipfile

    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise LoadError(source.path, f"reading Word files needs python-docx: {exc}") from exc
    try:
        document = docx.Document(io.BytesIO(source.data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(source.path, f"not a readable Word (.docx) document (damaged or protected?): {exc}") from exc

    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
            if style.startswith("heading"):
                level = re.search(r"\d", style)
                lines.append("#" * (int(level.group()) if level else 2) + " " + text)
            elif "list" in style:
                lines.append("- " + text)
            else:
                lines.append(text)
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is repeated by python-docx: once is enough
                        continue
                    seen.add(id(cell._tc))
                    parts = []
                    for p in cell.paragraphs:
                        style = (p.style.name or "").lower() if p.style is not None else ""
                        parts.append(("li" if "list" in style else "p", p.text))
                    cells.append(_cell(parts))
                if any(cells):
                    lines.append("\t".join(cells))
    text = _join(lines)
    if not text.strip():
        raise LoadError(source.path, "the Word document has no text")
    return text


# --- PDF ----------------------------------------------------------------------------------------------------------

def pdf_to_text(source: Source) -> str:
    """A PDF's text page by page, tables as tab-separated rows. :raises LoadError: encrypted, damaged, no text."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise LoadError(source.path, f"reading PDF files needs pdfplumber: {exc}") from exc
    pages: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(source.data)) as pdf:
            for page in pdf.pages:
                pages.append(_pdf_page(page))
    except PDFPasswordIncorrect as exc:
        raise LoadError(source.path, "the PDF is encrypted with a password; save an unprotected copy") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise LoadError(source.path, f"not a readable PDF (damaged?): {exc or type(exc).__name__}") from exc
    except Exception as exc:  # pdfminer raises its own exception types for many kinds of damage
        chain = f"{exc!r} {exc.__cause__!r} {exc.__context__!r} {[repr(a) for a in exc.args]}".lower()
        if "encrypt" in chain or "password" in chain:
            raise LoadError(source.path, "the PDF is encrypted with a password; save an unprotected copy") from exc
        raise LoadError(source.path, f"not a readable PDF (damaged?): {type(exc).__name__}: {exc}") from exc
    text = "\n\n".join(p for p in pages if p.strip())
    if not text.strip():
        raise LoadError(source.path, "the PDF has no text layer (a scanned image needs OCR first)")
    return text + "\n"


def _pdf_page(page) -> str:
    """One page: text outside tables as lines, each table as tab-separated rows, in top-to-bottom order."""
    tables = page.find_tables()
    blocks: list[tuple[float, str]] = []
    outside = page
    for table in tables:
        rows = []
        for row in table.extract():
            cells = [_cell([("p", part) for part in (cell or "").split("\n")]) if cell and "\n" in cell
                     else re.sub(r"\s+", " ", cell or "").strip() for cell in row]
            if any(cells):
                rows.append("\t".join(cells))
        blocks.append((table.bbox[1], "\n".join(rows)))
        outside = outside.outside_bbox(table.bbox)
    for line in (outside.extract_text_lines() if tables else page.extract_text_lines()):
        blocks.append((line["top"], line["text"]))
    blocks.sort(key=lambda b: b[0])
    return "\n".join(text for _, text in blocks)
