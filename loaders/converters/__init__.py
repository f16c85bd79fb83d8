"""Converters: the bytes of a document file read into one document model (:mod:`govgraph.loaders.blocks`), whatever
the format. A converter is chosen by what the bytes are, never by the file's name, and imported only when a file
of its kind comes (Word and PDF libraries are heavy):

- ``text``: text and Markdown (:mod:`.plain`);
- ``html``: web pages and HTML fragments (:mod:`.html`);
- ``docx``: Word (:mod:`.word`);
- ``pdf``: PDF with a text layer (:mod:`.pdf`).

Each raises ``LoadError`` naming the file and what is wrong (binary, encrypted, damaged, no text).
"""
from __future__ import annotations

import re
from importlib import import_module

from govgraph.loaders import LoadError, Source
from govgraph.loaders.text import TextDocument

CONVERTERS = {"text": "plain", "html": "html", "docx": "word", "pdf": "pdf"}


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


def convert(source: Source) -> TextDocument:
    """The document a file holds. :raises LoadError: unreadable content."""
    kind = kind_of(source)
    if kind is None:
        raise LoadError(source.path, "this is a binary file that is not a Word (.docx) or PDF document")
    return import_module(f"{__name__}.{CONVERTERS[kind]}").convert(source)
