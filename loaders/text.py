"""A document: its text, in one convention whatever the file type, and its blocks, with spans back into the text.

A converter (:mod:`govgraph.loaders.converters`) renders the document as text and says where each block of it
is (:mod:`govgraph.loaders.blocks`):

- paragraphs and headings are lines (a heading keeps Markdown ``#`` marks, a list item its marker);
- a table row is one line with its cells separated by tabs; a cell holding several paragraphs or list items
  keeps them as ``<p>...</p>`` / ``<li>...</li>`` fragments;
- HTML entities may appear in text files (``&amp;``); :func:`~govgraph.loaders.names.collapse` decodes them.

Readers work on the blocks and report where each fact came from as character offsets into this text
(:meth:`TextDocument.span`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from govgraph.loaders.blocks import Block
from govgraph.loaders.model import Span
from govgraph.loaders.names import collapse


@dataclass
class TextDocument:
    """The text of one document and its blocks, with helpers to turn offsets into spans and lines. Given no
    blocks, the text is read as a text or Markdown file."""

    path: Path
    sha256: str
    text: str
    blocks: list[Block] = field(default=None)  # type: ignore[assignment]
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _words: set[str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        if self.blocks is None:
            from govgraph.loaders.converters.plain import blocks_of_text

            self.blocks = blocks_of_text(self.text)

    def line_of(self, offset: int) -> int:
        """The 1-based line holding character ``offset``."""
        return bisect.bisect_right(self._line_starts, offset)

    def span(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]``, quoted with markup dropped and whitespace collapsed."""
        return Span(quote=collapse(self.text[start:end]), line=self.line_of(start), start=start, end=end)

    def lines(self) -> list[tuple[int, int, str]]:
        """Every line as (1-based number, start offset, text without the newline)."""
        out = []
        for number, start in enumerate(self._line_starts, 1):
            end = self._line_starts[number] - 1 if number < len(self._line_starts) else len(self.text)
            out.append((number, start, self.text[start:end]))
        return out

    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.is_table]

    def spells(self, word: str) -> bool:
        """Whether the document has ``word`` (any case) as a whole word somewhere."""
        if self._words is None:
            self._words = {w.lower() for w in WORD.findall(self.text)}
        return word.lower() in self._words

    def rejoin(self, pieces: list[str]) -> str:
        """Pieces of one line (cells, fragments) joined with spaces, except where text extraction broke a word at a
        column edge: a piece ending in letters and the next starting with them are one word when the document
        spells that word elsewhere (extraction sometimes repeats the letter or digit at the break).

        >>> doc = TextDocument(path=None, sha256="", text="Governance in 2023/24 ...")
        >>> doc.rejoin(["Head of Go", "overnance 2023/2", "4 Actions", "in place"])
        'Head of Governance 2023/24 Actions in place'
        """
        text = ""
        for piece in (p for p in pieces if p):
            left, right = re.search(r"\w[\w/]*$", text), re.match(r"\w", piece)
            if left and right:
                head = left.group()
                # the piece as printed, or without the letter extraction repeated at the break
                for rest in ([piece[1:]] if piece[0] == head[-1] else []) + [piece]:
                    if self.spells(head + re.match(r"[\w/]*", rest).group()):
                        text += rest
                        break
                else:
                    text += " " + piece
                continue
            text = f"{text} {piece}".strip()
        return text.strip()


WORD = re.compile(r"\w+(?:/\w+)*")
PART_BREAK = re.compile(r"</?(?:p|li|br|ul|ol|tr|div)\b[^>]*>|\u2022|\n", re.I)


def cell_parts(cell: str) -> list[str]:
    """The paragraphs and list items of a table cell, markup dropped, in order.

    >>> cell_parts("<p>Director of Resources</p> <p>Contact &amp; lead – Kate</p>")
    ['Director of Resources', 'Contact & lead – Kate']
    >>> cell_parts("<ul><li>• One</li><li>Two</li></ul>")
    ['One', 'Two']
    """
    parts = [collapse(p) for p in PART_BREAK.split(cell)]
    return [p for p in parts if p and p not in {"•", "-", "–"}]
