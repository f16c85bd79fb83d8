"""Converters: the bytes of a document file rendered as text in the convention of :mod:`govgraph.loaders.text`.

A converter is chosen by what the bytes are, never by the file's name. Each raises ``LoadError`` naming the file
and what is wrong (binary, encrypted, damaged, no text).
"""
from __future__ import annotations

import re

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
    if re.search(r"<(?:!doctype html|html|body|table)\b", sample):
        return "html"
    return "text"


def to_text(source: Source) -> str:
    """The document as text. :raises LoadError: unreadable content."""
    kind = kind_of(source)
    if kind == "text":
        return source.text().replace("\r\n", "\n").replace("\r", "\n")
    raise LoadError(source.path, f"reading {kind or 'this kind of'} content is not supported")
