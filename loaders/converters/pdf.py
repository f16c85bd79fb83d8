"""PDF: words with their positions (pdfplumber), built back into blocks.

- Lines are words on one baseline. A line joins the line above into one paragraph when the line above was full
  (the first word of this line would not have fitted on it: the text was wrapped) or this line goes on in lower
  case; a new paragraph starts otherwise, after a wider gap, at a bullet or number, or where the type changes.
- Headings are lines in larger type than the body text, or wholly in bold; their level follows the type size.
- Tables with ruling lines are found by pdfplumber; each cell's words are read the same way, so a cell's wrapped
  lines are one paragraph and its bullets are list items. Without ruling lines, a line whose words stand apart in
  columns under a header of known column words ("Action", "Lead officer", "Due date") starts a table, and the
  following lines are cut into cells at the header's x-positions until the layout stops fitting.
- Lines repeated at the top or bottom of most pages (running headers and footers, page numbers) are dropped.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

from govgraph.loaders import LoadError, Source
from govgraph.loaders.converters.builder import CellParts, DocumentBuilder
from govgraph.loaders.text import TextDocument

BULLETS = set("•●▪◦○·‣–-*")
NUMBER_MARKER = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]{1,4}\)|[ivx]{1,4}\.|\d{1,2}(?:\.\d{1,2}){1,2}\.?)$")
TERMINAL = re.compile(r"[.!?:;]$")
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class _Line:
    words: list[_Word]
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.top = min(w.top for w in self.words)
        self.bottom = max(w.bottom for w in self.words)
        self.x0 = self.words[0].x0
        self.x1 = max(w.x1 for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def size(self) -> float:
        return max(Counter(round(w.size, 1) for w in self.words).items(), key=lambda kv: kv[1])[0]

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Page:
    number: int
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[tuple[float, list[list[CellParts]]]] = field(default_factory=list)  # (top, rows)


def _lines(words: list[_Word]) -> list[_Line]:
    """Words grouped into lines: words whose vertical extents mostly overlap are on one line."""
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            last = lines[-1]
            top, bottom = min(w.top for w in last), max(w.bottom for w in last)
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap > 0.5 * min(bottom - top, word.bottom - word.top):
                last.append(word)
                continue
        lines.append([word])
    return [_Line(ws) for ws in lines]


def _space(line: _Line) -> float:
    gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:]) if b.x0 > a.x1]
    return min(gaps) if gaps else line.size * 0.3


def _wrapped(previous: _Line, line: _Line, right: float) -> bool:
    """Whether ``line`` continues ``previous`` because the text was wrapped: its first word would not have fitted
    at the end of ``previous``."""
    first = line.words[0]
    return previous.x1 + _space(previous) + (first.x1 - first.x0) > right - 1.0


def _marker(line: _Line) -> str | None:
    first = line.words[0].text
    if first in BULLETS or (len(first) == 1 and not first.isalnum() and first not in "([\"'“‘"):
        return first
    if NUMBER_MARKER.match(first) and len(line.words) > 1:
        return first
    return None


def _blocks_of_lines(lines: list[_Line], right: float, *, pitch: float) -> list[tuple[str, str, _Line]]:
    """Lines gathered into paragraphs and list items: (kind 'p'/'li', text, first line)."""
    out: list[list] = []  # [kind, words, first line, last line]
    for line in lines:
        marker = _marker(line)
        if out:
            kind, texts, first, last = out[-1]
            # a wider step from one line to the next than the text's line spacing is a paragraph break
            step = line.top - last.top
            same_type = abs(line.size - last.size) < 0.6 and line.bold == last.bold
            continues = (marker is None and same_type and step <= max(pitch, last.height * 1.15) * 1.12
                         and (_wrapped(last, line, right) or re.match(r"[a-z(]", line.text))
                         and line.x0 >= first.x0 - 2)
            if continues:
                texts.append(line.text)
                out[-1][3] = line
                continue
        out.append(["li" if marker else "p", [line.text], line, line])
    return [(kind, " ".join(texts), first) for kind, texts, first, _ in out]


def _cell(words: list[_Word], right: float, pitch: float) -> CellParts:
    """A table cell's paragraphs and list items, by the cell's own line spacing."""
    if not words:
        return []
    lines = _lines(words)
    steps = [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top]
    local = min(steps) if steps else pitch
    return [(kind, text) for kind, text, _ in _blocks_of_lines(lines, right, pitch=local)]


def _word(raw: dict) -> _Word:
    font = raw.get("fontname") or ""
    return _Word(raw["text"], raw["x0"], raw["x1"], raw["top"], raw["bottom"], float(raw.get("size") or 0),
                 bool(re.search(r"bold|black|heavy|semibold|demi", font, re.I)))


def _inside(word: _Word, bbox) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def _ruled_tables(page, words: list[_Word], pitch: float) -> tuple[list[tuple[float, list[list[CellParts]]]], set[int]]:
    """The page's tables with ruling lines, each cell read from its own words; and the words they used."""
    used: set[int] = set()
    tables = []
    for table in page.find_tables():
        cells = [c for row in table.rows for c in row.cells if c is not None]
        if len(cells) < 2:
            continue  # a box drawn round a paragraph is not a table
        rows: list[list[CellParts]] = []
        for row in table.rows:
            out_row: list[CellParts] = []
            for bbox in row.cells:
                if bbox is None:
                    out_row.append([])
                    continue
                inside = [i for i, w in enumerate(words) if i not in used and _inside(w, bbox)]
                used.update(inside)
                cell_words = [words[i] for i in inside]
                right = max([bbox[2] - 2] + [w.x1 for w in cell_words])
                out_row.append(_cell(cell_words, right, pitch))
            rows.append(out_row)
        tables.append((table.bbox[1], rows))
    return tables, used


def _segments(line: _Line, gap: float) -> list[list[_Word]]:
    out: list[list[_Word]] = [[line.words[0]]]
    for a, b in zip(line.words, line.words[1:]):
        if b.x0 - a.x1 > gap:
            out.append([b])
        else:
            out[-1].append(b)
    return out


def _unruled_tables(lines: list[_Line], pitch: float) -> tuple[list[tuple[float, list[list[CellParts]]]], set[int]]:
    """Tables without ruling lines: a header line of known column words standing apart, and the lines under it
    that keep to its columns. Returns the tables and the indexes of the lines they used."""
    from govgraph.loaders.fields import header_field

    tables = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        gap = max(line.size * 1.2, 8.0)
        segments = _segments(line, gap)
        known = [s for s in segments if header_field(" ".join(w.text for w in s))]
        if len(segments) < 2 or len(known) < 2 or len(known) < 0.6 * len(segments):
            i += 1
            continue
        starts = [s[0].x0 for s in segments]
        header = [[("p", " ".join(w.text for w in s))] for s in segments]
        body: list[list[list[_Word]]] = []
        previous = line
        row_gap = max(2.5, 0.6 * line.height)  # the widest gap seen between two rows
        j = i + 1
        while j < len(lines):
            nxt = lines[j]
            gap_above = nxt.top - previous.bottom
            if gap_above > 1.6 * max(row_gap, line.height) or (nxt.bold and not previous.bold and nxt.size > line.size + 1):
                break
            segs = _segments(nxt, gap)
            # a line running across the column boundaries in one piece is a paragraph after the table
            if len(segs) == 1 and len(starts) > 1 and nxt.x0 <= starts[0] + 2 and nxt.x1 > starts[1] + 40 \
                    and not any(abs(nxt.x0 - s) < 3 for s in starts[1:]):
                break
            cols: list[list[_Word]] = [[] for _ in starts]
            for w in nxt.words:
                col = max(k for k, s in enumerate(starts) if w.x0 >= s - 4) if w.x0 >= starts[0] - 4 else 0
                cols[col].append(w)
            # rows are set apart by more than the leading between the wrapped lines of one cell
            new_row = not body or gap_above > max(2.5, 0.6 * nxt.height)
            if new_row:
                row_gap = max(row_gap, gap_above)
                body.append([[] for _ in starts])
            for k, ws in enumerate(cols):
                body[-1][k].extend(ws)
            previous = nxt
            j += 1
        if not body:
            i += 1
            continue
        rows = [header]
        for row in body:
            cells = []
            for k, ws in enumerate(row):
                right = (starts[k + 1] - 4) if k + 1 < len(starts) else max([w.x1 for w in ws] + [0])
                right = max([right] + [w.x1 for w in ws])
                cells.append(_cell(ws, right, pitch))
            rows.append(cells)
        tables.append((line.top, rows))
        used.update(range(i, j))
        i = j
    return tables, used


def _running_lines(pages: list[_Page]) -> set[str]:
    """Text repeated near the top or bottom of most pages (digits ignored): running headers and footers."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        keys = {re.sub(r"\d+", "#", l.text.lower()) for l in page.lines
                if l.top < page.height * 0.08 or l.bottom > page.height * 0.92}
        seen.update(keys)
    return {k for k, n in seen.items() if n >= max(2, len(pages) // 2)}


MAX_PAGES = 2000  # pages of one PDF read at most (set from GOVGRAPH_MAX_PAGES in the reading process)


def convert(source: Source) -> TextDocument:
    """A PDF as a document. :raises LoadError: encrypted, damaged, or without a text layer."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise LoadError(source.path, f"reading PDF files needs pdfplumber: {exc}") from exc
    try:
        with pdfplumber.open(io.BytesIO(source.data)) as pdf:
            return _read(source, pdf)
    except PDFPasswordIncorrect as exc:
        raise LoadError(source.path, "the PDF is encrypted with a password; save an unprotected copy") from exc
    except LoadError:
        raise
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise LoadError(source.path, f"not a readable PDF (damaged?): {exc or type(exc).__name__}") from exc
    except Exception as exc:  # pdfminer raises its own exception types for many kinds of damage
        chain = f"{exc!r} {exc.__cause__!r} {exc.__context__!r} {[repr(a) for a in exc.args]}".lower()
        if "encrypt" in chain or "password" in chain:
            raise LoadError(source.path, "the PDF is encrypted with a password; save an unprotected copy") from exc
        raise LoadError(source.path, f"not a readable PDF (damaged?): {type(exc).__name__}: {exc}") from exc


def _read(source: Source, pdf) -> TextDocument:
    pages: list[_Page] = []
    all_words: list[_Word] = []
    per_page_words: list[list[_Word]] = []
    if len(pdf.pages) > MAX_PAGES:
        raise LoadError(source.path, f"the PDF has {len(pdf.pages):,} pages; the limit is {MAX_PAGES:,} "
                                     "(GOVGRAPH_MAX_PAGES)")
    for page in pdf.pages:
        words = [_word(w) for w in page.extract_words(extra_attrs=["fontname", "size"])]
        page.flush_cache()  # one page's layout objects at a time
        per_page_words.append(words)
        all_words += words
    if not all_words:
        raise LoadError(source.path, "the PDF has no text layer (a scanned image needs OCR first)")
    sizes = Counter()
    for w in all_words:
        sizes[round(w.size, 1)] += len(w.text)
    body = sizes.most_common(1)[0][0]
    pitch = _typical_pitch(per_page_words) or body * 1.5

    for number, (page, words) in enumerate(zip(pdf.pages, per_page_words), 1):
        tables, used = _ruled_tables(page, words, pitch)
        rest = [w for i, w in enumerate(words) if i not in used]
        out = _Page(number, float(page.height), _lines(rest) if rest else [], tables)
        pages.append(out)
    running = _running_lines(pages)

    builder = DocumentBuilder()
    list_depths = _list_depths(pages)
    for page in pages:
        lines = [l for l in page.lines if re.sub(r"\d+", "#", l.text.lower()) not in running
                 and not ((l.top < page.height * 0.08 or l.bottom > page.height * 0.92) and PAGE_NUMBER.match(l.text))]
        unruled, used = _unruled_tables(lines, pitch)
        lines = [l for i, l in enumerate(lines) if i not in used]
        right = max([l.x1 for l in lines] + [0.0])
        items: list[tuple[float, object]] = [(top, ("table", rows)) for top, rows in page.tables + unruled]
        # headings are lines of their own; runs of body lines between them become paragraphs and list items
        run: list[_Line] = []

        def flush() -> None:
            for kind, text, first in _blocks_of_lines(run, right, pitch=pitch):
                items.append((first.top, (kind, text, first)))
            run.clear()

        for line in lines:
            level = _heading_level(line, body)
            if level:
                flush()
                items.append((line.top, ("h", line.text, level)))
            else:
                run.append(line)
        flush()
        items.sort(key=lambda item: item[0])
        for _, item in items:
            kind = item[0]
            if kind == "table":
                builder.table(item[1], header_rows=0, page=page.number)
            elif kind == "h":
                builder.heading(item[1], item[2], page=page.number, bold=True)
            elif kind == "li":
                text, first = item[1], item[2]
                marker = first.words[0].text
                rest = text[len(marker):].strip()
                builder.list_item(rest, marker=marker, depth=list_depths.get(round(first.x0 / 4), 0), page=page.number)
            else:
                builder.paragraph(item[1], page=page.number)
    doc = builder.document(source.path, source.sha256)
    if not doc.text.strip():
        raise LoadError(source.path, "the PDF has no text layer (a scanned image needs OCR first)")
    return doc


def _typical_pitch(pages: list[list[_Word]]) -> float | None:
    """The body text's line spacing: the most common step from a full line to the next one (a line the text was
    wrapped at, so the next line is the same paragraph's)."""
    pitches: Counter[float] = Counter()
    for words in pages:
        lines = _lines(words)
        right = max((l.x1 for l in lines), default=0)
        for a, b in zip(lines, lines[1:]):
            d = round(b.top - a.top, 1)
            if 0 < d < 40 and a.x1 > right - 30 and abs(a.size - b.size) < 0.6:
                pitches[d] += 1
    return pitches.most_common(1)[0][0] if pitches else None


def _heading_level(line: _Line, body: float) -> int | None:
    if len(line.text) > 150 or _marker(line) in BULLETS:
        return None
    if line.size >= body * 1.6:
        return 1
    if line.size >= body * 1.3:
        return 2
    if line.size >= body * 1.1 and line.bold:
        return 3
    if line.bold and line.size >= body - 0.5 and not TERMINAL.search(line.text.rstrip(".")):
        return 4
    return None


def _list_depths(pages: list[_Page]) -> dict[int, int]:
    """Depth of a list item from how far it is indented, among the indents list items have in the document."""
    indents = sorted({round(l.x0 / 4) for p in pages for l in p.lines if _marker(l)})
    return {indent: depth for depth, indent in enumerate(indents)}
