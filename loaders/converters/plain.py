"""Text and Markdown: the file's own text is the document text, and its blocks are read off its lines.

- ``#`` headings; a line that is all in bold (``**...**``, ``<b>...</b>``) or in capitals; a short numbered line
  with no full stop ("2. Peer Challenge Action Plan") are headings;
- bullets (``-``, ``*``, ``•``, ``·``, ``▪``, ``o``) and numbered or lettered items ("1.", "2)", "(a)", "iv.",
  "1.1") are list items, their depth from the indentation;
- lines with tabs, and Markdown pipe tables, are table rows; consecutive rows form one table;
- everything else is a paragraph, one per line, except that a line starting in lower case after a line left
  unfinished continues it (text wrapped by whatever produced the file).
"""
from __future__ import annotations

import re

from govgraph.loaders.blocks import Block, BlockKind, Cell, Row, link_parents
from govgraph.loaders.names import collapse

MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
BOLD_LINE = re.compile(r"^\s*(?:(\*{2,3}|_{2,3})(?=[^\s*_])(?P<a>[^\n]+?)(?<=[^\s*_])\1|<(b|strong)>(?P<b>[^<\n]+)</\3>)\s*:?\s*$", re.I)
BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*•·▪◦●‣–]|o(?=\s))[ \t]+(?=\S)")
NUMBERED = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>\(?\d{1,2}[.)]|\(?[a-z][.)]|\([A-Z]\)|[A-Z]\)|"
                      r"\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)[.)]|\d{1,2}(?:\.\d{1,2}){1,2}\.?)[ \t]+(?=\S)")
PIPE_RULE = re.compile(r"\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?\s*")
CELL_END = re.compile(r"\s*\|\s*$")
PIPE_ROW = re.compile(r"\s*\|.*\|\s*")
TERMINAL = re.compile(r"[.!?:;]\s*$")


def _indent_depth(indent: str) -> int:
    return len(indent.replace("\t", "    ")) // 2


def _capitals_heading(text: str) -> bool:
    """A line in capitals: 'SUPPORTING INFORMATION', 'AUDIT AND ACCOUNTS COMMITTEE 19 June 2018'."""
    letters = [c for c in text if c.isalpha()]
    words = text.split()
    return (len(letters) >= 6 and len(words) <= 14 and sum(c.isupper() for c in letters) / len(letters) > 0.85
            and not text.rstrip().endswith(".") and not re.search(r"[a-z]{2,}\s+[a-z]{2,}", text))


def _numbered_heading(text: str) -> bool:
    """A short numbered title: '2. Peer Challenge Action Plan', '4.1 Governance arrangements'."""
    words = text.split()
    return (1 <= len(words) <= 8 and not TERMINAL.search(text) and text[:1].isupper()
            and not re.search(r"\b(?:that|be|will|to)\b", text, re.I))


def _cells(line: str, start: int, separator: str) -> list[Cell]:
    cells, pos = [], 0
    for piece in line.split(separator):
        cells.append(Cell(piece, start + pos))
        pos += len(piece) + len(separator)
    return cells


def _pipe_cells(line: str, start: int) -> list[Cell]:
    first = line.index("|")
    last = line.rindex("|")
    inner = line[first + 1:last]
    cells = []
    pos = start + first + 1
    for piece in inner.split("|"):
        lead = len(piece) - len(piece.lstrip())
        cells.append(Cell(piece.strip(), pos + lead))
        pos += len(piece) + 1
    return cells


def blocks_of_text(text: str) -> list[Block]:
    """The blocks of a text or Markdown document, with offsets into ``text``.

    >>> [(b.kind.value, b.text) for b in blocks_of_text("# Plan\\n- one\\n  - two\\nA\\tB\\n")]
    [('heading', 'Plan'), ('list item', 'one'), ('list item', 'two'), ('table', 'A B')]
    """
    blocks: list[Block] = []
    table: Block | None = None
    open_block: Block | None = None  # a paragraph or list item that a wrapped line may continue
    cut: Block | None = None  # the paragraph before a blank line, which a page break may have cut
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped:
            # a paragraph cut by a page break goes on in lower case after the blank line
            cut = open_block if open_block is not None and open_block.kind is BlockKind.PARAGRAPH else cut
            table = open_block = None
            continue
        if PIPE_RULE.fullmatch(line):
            continue  # a Markdown table's rule line, also when the table's rows were broken one cell per line
        if "\t" in line or (PIPE_ROW.fullmatch(line) and line.count("|") >= 3):
            cells = _cells(line, start, "\t") if "\t" in line else _pipe_cells(line, start)
            row = Row(number, cells)
            if table is None:
                table = Block(BlockKind.TABLE, start, start + len(line), "", line=number)
                blocks.append(table)
            table.rows.append(row)
            table.end = start + len(line)
            table.text = collapse(" ".join(f"{table.text} {' '.join(row.texts)}".split()))
            open_block = None
            continue
        table = None
        lead = len(line) - len(line.lstrip())
        if open_block is None and cut is not None and re.match(r"[a-z]", stripped) \
                and not TERMINAL.search(cut.text) and not BULLET.match(line) and not NUMBERED.match(line):
            open_block = cut
        cut = None
        if (open_block is not None and re.match(r"[a-z]", stripped) and not TERMINAL.search(open_block.text)
                and not BULLET.match(line) and not NUMBERED.match(line)):
            open_block.end = start + len(line)
            open_block.text = collapse(f"{open_block.text} {stripped}")
            continue
        kind, level, marker, text_start = BlockKind.PARAGRAPH, 0, None, start + lead
        bold = False
        if m := MD_HEADING.match(line):
            kind, level, text_start = BlockKind.HEADING, len(m.group(1)), start + m.end()
        elif m := BOLD_LINE.match(line):
            kind, level, bold = BlockKind.HEADING, 3, True
        elif m := BULLET.match(line):
            kind, level, marker, text_start = BlockKind.LIST_ITEM, _indent_depth(m["indent"]), m["marker"], start + m.end()
        elif m := NUMBERED.match(line):
            rest = line[m.end():]
            after_item = bool(blocks) and blocks[-1].is_list_item and marker_style(blocks[-1].marker) == \
                marker_style(m["marker"])
            if _numbered_heading(rest) and not m["indent"] and not after_item and not m["marker"].endswith(")"):
                kind, level = BlockKind.HEADING, 1 + len(re.findall(r"\d+", m["marker"]))
            else:
                kind, level, marker = BlockKind.LIST_ITEM, _indent_depth(m["indent"]), m["marker"]
                text_start = start + m.end()
        elif _capitals_heading(stripped):
            kind, level = BlockKind.HEADING, 2
        end = start + len(line.rstrip())
        if CELL_END.search(line[:end - start]) and line.count("|") == 1:
            end = start + CELL_END.search(line[:end - start]).start()  # one cell per line, its ' |' dropped
        block = Block(kind, text_start, end, collapse(re.sub(r"[*_]{2,}", "", text[text_start:end])),
                      line=number, level=max(level, 1) if kind is BlockKind.HEADING else level, marker=marker,
                      bold=bold, marked_start=start + lead)
        blocks.append(block)
        open_block = block if kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) else None
        if kind is BlockKind.PARAGRAPH and (item := _run_on_item(text, block, blocks)) is not None:
            blocks.append(item)
            open_block = item
    return link_parents(_nest_lists(blocks))


RUN_ON = re.compile(r"(?<=[.!?])\s+(-|•|–)\s+(?=[A-Z])")


def _run_on_item(text: str, block: Block, blocks: list[Block]) -> Block | None:
    """A list item whose line break was lost, run on after the paragraph explaining the item before it
    ('... local priorities. - Consider an integrated approach'): only inside a list with the same marker. The
    paragraph is cut short and the item returned."""
    recent = [b for b in blocks[-4:-1] if b.is_list_item]
    if not recent:
        return None
    raw = text[block.start:block.end]
    m = RUN_ON.search(raw)
    if not m or m.group(1) != recent[-1].marker:
        return None
    item_start = block.start + m.end()
    item = Block(BlockKind.LIST_ITEM, item_start, block.end, collapse(text[item_start:block.end]), line=block.line,
                 level=recent[-1].level, marker=m.group(1), marked_start=block.start + m.start(1))
    block.end = block.start + m.start()
    block.text = collapse(text[block.start:block.end])
    return item


def marker_style(marker: str | None) -> str | None:
    """'bullet', 'number', 'letter' or 'roman': what kind of list a marker belongs to."""
    if marker is None:
        return None
    core = marker.strip("().")
    if re.fullmatch(r"\d+(?:\.\d+)*", core):
        return "number"
    if re.fullmatch(r"(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)", core):
        return "roman"
    if re.fullmatch(r"[a-zA-Z]", core):
        return "letter"
    return "bullet"


def _nest_lists(blocks: list[Block]) -> list[Block]:
    """Items of another kind of marker after an item ending with a colon, or after an item that is a short title,
    are nested in it ('4. That the grounds be:' followed by '·' bullets; '2) Arrangements with other bodies'
    followed by 'a)', 'b)'), until an item of the outer kind comes back."""
    stack: list[tuple[str, int]] = []  # (style, depth) of the open lists, outermost first
    previous: Block | None = None
    for block in blocks:
        if not block.is_list_item:
            stack, previous = [], None
            continue
        style = marker_style(block.marker)
        if not stack:
            stack.append((style, block.level))
        elif any(s == style for s, _ in stack):
            while stack[-1][0] != style:
                stack.pop()  # back to the list this item belongs to
        elif previous is not None and (previous.text.rstrip().endswith(":") or (
                len(previous.text.split()) <= 12 and not re.search(r"[.;,]$", previous.text.rstrip()))):
            stack.append((style, previous.level + 1))
        else:
            stack = [(style, block.level)]  # a list of another kind follows: not nested
        block.level = max(block.level, stack[-1][1])
        previous = block
    return blocks


def convert(source):
    """A text or Markdown file as a document: its text as it is, line ends made plain."""
    from govgraph.loaders.text import TextDocument

    text = source.text().replace("\r\n", "\n").replace("\r", "\n")
    return TextDocument(source.path, source.sha256, text, blocks_of_text(text))
