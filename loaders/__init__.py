"""Loaders turn input files into triples of the govgraph ontology, one named graph per document.

Loaders are found through the ``govgraph.loaders`` entry-point group, the same way for the ones shipped here
(see ``pyproject.toml``) as for a package of your own: register a class with ``name``, ``suffixes``,
``description``, ``sniff(source)`` and ``load(source, options)``. Loaders are imported only when first needed.

A loader is chosen by what the file holds: the file's suffix narrows the candidates and the loader's ``sniff``
confirms from the content; a file whose suffix no loader claims is offered to every loader's ``sniff``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

from pyoxigraph import NamedNode, Triple

from govgraph.loaders.model import ExtractedDocument, Skipped

ENTRY_POINT_GROUP = "govgraph.loaders"
MAX_BYTES = 200 * 1024 * 1024


class LoadError(Exception):
    """A file could not be loaded. ``str()`` gives ``path:line: what was wrong`` (line where known)."""

    def __init__(self, path: Path | str, message: str, *, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else f"{self.path}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Source:
    """An input file's name and bytes."""

    path: Path
    data: bytes

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def text(self) -> str:
        """The bytes decoded as UTF-8 (with or without BOM), falling back to Windows-1252 as Excel writes it.

        :raises LoadError: the bytes are binary, not text.
        """
        if b"\x00" in self.data[:8192]:
            raise LoadError(self.path, "this is a binary file, not text")
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return self.data.decode("cp1252", errors="replace")


@dataclass
class LoadOptions:
    """What the user says that the file may not: the council, the review, an explicit graph name."""

    council: str | None = None
    review: str | None = None
    graph: NamedNode | None = None


@dataclass
class LoadedDocument:
    """The outcome of loading one file: its graph name and triples, and what was skipped."""

    path: Path
    loader: str
    graph: NamedNode
    triples: list[Triple]
    document: ExtractedDocument | None = None
    skipped: list[Skipped] = field(default_factory=list)


class Loader(Protocol):
    name: str
    suffixes: tuple[str, ...]
    description: str

    def sniff(self, source: Source) -> bool:
        """Whether the content looks like something this loader reads."""

    def load(self, source: Source, options: LoadOptions) -> LoadedDocument:
        """Read the source. :raises LoadError: with the file, line and what was wrong."""


@lru_cache(maxsize=1)
def registry() -> dict[str, Loader]:
    """The installed loaders by name."""
    found: dict[str, Loader] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep.load()()
    return found


def get_loader(name: str) -> Loader:
    """The loader registered as ``name``. :raises KeyError: listing the known names."""
    loaders = registry()
    if name not in loaders:
        raise KeyError(f"no loader named {name!r}; known loaders: {', '.join(sorted(loaders))}")
    return loaders[name]


def supported_suffixes() -> list[str]:
    return sorted({s for loader in registry().values() for s in loader.suffixes})


def check_readable(path: Path) -> int:
    """Check, without reading it, that ``path`` is a file govgraph may read; return its size in bytes.

    :raises LoadError: missing, a directory, not a regular file, empty, or too large.
    """
    path = Path(path)
    if not path.exists():
        raise LoadError(path, "no such file")
    if path.is_dir():
        raise LoadError(path, "is a directory; give the files in it, or load the directory as a whole")
    if not path.is_file():
        raise LoadError(path, "is not a regular file (a device, pipe or socket); nothing was read from it")
    size = path.stat().st_size
    if size == 0:
        raise LoadError(path, "the file is empty")
    if size > MAX_BYTES:
        raise LoadError(path, f"the file is {size // (1024 * 1024)} MiB; the limit is {MAX_BYTES // (1024 * 1024)} MiB")
    return size


def read_source(path: Path) -> Source:
    """Read a file for loading. :raises LoadError: missing, a directory, empty, or too large."""
    path = Path(path)
    check_readable(path)
    try:
        return Source(path, path.read_bytes())
    except OSError as exc:
        raise LoadError(path, f"cannot be read: {exc.strerror or exc}") from exc


def loader_for(source: Source) -> Loader:
    """The loader that reads this source. :raises LoadError: when none recognises it, naming what is supported."""
    loaders = sorted(registry().values(), key=lambda loader: getattr(loader, "priority", 50))
    by_suffix = [loader for loader in loaders if source.suffix in loader.suffixes]
    for loader in by_suffix or loaders:
        if loader.sniff(source):
            return loader
    if by_suffix:
        names = ", ".join(loader.description for loader in by_suffix)
        raise LoadError(source.path, f"the content is not recognised as {names}")
    raise LoadError(
        source.path,
        f"unrecognised file type '{source.suffix or '(none)'}'; govgraph reads {', '.join(supported_suffixes())}",
    )


def load_file(path: Path, options: LoadOptions | None = None) -> LoadedDocument:
    """Read one file into triples, without touching any store.

    :raises LoadError: the file is unreadable, unrecognised or malformed.
    """
    source = read_source(path)
    return loader_for(source).load(source, options or LoadOptions())
