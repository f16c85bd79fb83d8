"""The one store interface govgraph uses, and its backends.

Everything else talks to a :class:`GraphStore`: loaders never see it (they return triples), queries run through
it, and the service layer opens it with :func:`open_store`. A backend is chosen by the form of the location:

- a filesystem path: an on-disk pyoxigraph store (the default; created when missing);
- ``memory:``: an in-memory pyoxigraph store, for tests and one-off extraction;
- an ``http://`` or ``https://`` URL: a SPARQL 1.1 server (:mod:`govgraph.queries.remote`), registered in
  ``BACKENDS`` by its URL schemes like any other backend; callers do not change.
"""
from __future__ import annotations

import enum
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple, Variable

Term = NamedNode | BlankNode | Literal | Triple

STAGING_PREFIX = "urn:govgraph:staging:"
COUNT_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
#: Graphs up to this many triples are replaced by one SPARQL update (one transaction); bigger ones are bulk loaded.
SINGLE_UPDATE_LIMIT = 200_000


class StoreError(Exception):
    """The store could not be opened or used. The message says which store and why."""


class StoreLockedError(StoreError):
    """Another process holds the store for writing; ``holder`` says which, as far as is known."""

    def __init__(self, message: str, *, holder: str = "another process") -> None:
        super().__init__(message)
        self.holder = holder


class ExportFormat(enum.Enum):
    """RDF serialisations the store can export. Values are the usual file extensions."""

    TURTLE = "ttl"
    NQUADS = "nq"
    TRIG = "trig"
    JSONLD = "jsonld"
    NTRIPLES = "nt"

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return {
            ExportFormat.TURTLE: ox.RdfFormat.TURTLE,
            ExportFormat.NQUADS: ox.RdfFormat.N_QUADS,
            ExportFormat.TRIG: ox.RdfFormat.TRIG,
            ExportFormat.JSONLD: ox.RdfFormat.JSON_LD,
            ExportFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
        }[self]

    @property
    def keeps_graphs(self) -> bool:
        return self.rdf_format.supports_datasets


@dataclass
class SelectResult:
    """Rows of a SELECT query: ``variables`` in query order, each row a dict from variable to term (or None)."""

    variables: list[str]
    rows: list[dict[str, Term | None]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def values(self) -> list[dict[str, str | None]]:
        """Rows with each term as its plain string value (IRI, literal text), as people and JSON want them."""
        return [{v: (None if row.get(v) is None else row[v].value) for v in self.variables} for row in self.rows]


class GraphStore(Protocol):
    """What govgraph needs of a quad store. Queries see the union of all named graphs as their default graph."""

    location: str
    read_only: bool

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        """Replace everything in ``graph`` by ``triples``; return the number of triples now in it. If anything
        fails, the graph keeps what it had. Up to ``SINGLE_UPDATE_LIMIT`` triples this is one transaction (readers
        see the old graph or the new one); a bigger graph is bulk loaded as :meth:`replace_graph_from_file` is."""

    def replace_graph_from_file(self, graph: NamedNode, path: Path, format: ox.RdfFormat, *,
                                finish: Callable[[], Iterable[Triple]] | None = None) -> int:
        """Replace ``graph`` by the triples of the RDF file at ``path`` (a triples format: N-Triples, Turtle,
        RDF/XML), at the engine's bulk-loading speed where it has one; return the number of triples now in it.
        ``finish``, when given, is called once the file is in: it may refuse the load by raising, or give triples
        to add to the graph. If anything fails (the file does not parse, ``finish`` raises), the graph keeps what
        it had."""

    def remove_graph(self, graph: NamedNode) -> bool:
        """Remove a named graph and its triples; return whether it existed."""

    def replace_graphs(self, graphs: Mapping[NamedNode, list[Triple]], *, remove: Iterable[NamedNode] = ()) -> None:
        """Replace several graphs and remove others in one step: readers see all of it or none of it. If anything
        fails, every graph keeps what it had."""

    def triples(self, graph: NamedNode) -> list[Triple]:
        """The triples of one named graph."""

    def graphs(self) -> list[NamedNode]:
        """The names of the named graphs, sorted."""

    def count(self, *, graph: NamedNode | None = None) -> int:
        """The number of quads in one graph, or in the whole store."""

    def select(self, query: str, *, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        """Run a SELECT query with ``bindings`` substituted for its variables as RDF terms. A bound variable must
        be one the query projects (SPARQL SEP-0007 substitution)."""

    def construct(self, query: str, *, bindings: Mapping[str, Term] | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""

    def ask(self, query: str, *, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK query."""

    def dump(self, *, format: ExportFormat, graph: NamedNode | None = None) -> bytes:
        """Serialise the store (or one graph) in ``format``. A format without graphs gets the union."""

    def close(self) -> None:
        """Release the store (and its lock)."""


def replacement_update(graphs: Mapping[NamedNode, list[Triple]], remove: Iterable[NamedNode] = (), *,
                       create: bool = False) -> str:
    """One SPARQL update that replaces each graph of ``graphs`` by its triples and drops those in ``remove``; with
    ``create``, a graph replaced by nothing is still created (for servers that would otherwise not list it). The
    text is written from parsed terms (their N-Triples form), never from raw strings.

    >>> g = NamedNode("https://example.org/g")
    >>> print(replacement_update({g: [Triple(g, g, Literal("x"))]}))
    DROP SILENT GRAPH <https://example.org/g> ;
    INSERT DATA {
    GRAPH <https://example.org/g> {
    <https://example.org/g> <https://example.org/g> "x"
    }
    }
    """
    parts = [f"DROP SILENT GRAPH {g}" for g in [*graphs, *remove]]
    if create:
        parts += [f"CREATE SILENT GRAPH {g}" for g in graphs]
    inserts = [f"GRAPH {g} {{\n" + " .\n".join(f"{t.subject} {t.predicate} {t.object}" for t in ts) + "\n}"
               for g, ts in graphs.items() if ts]
    if inserts:
        parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    return " ;\n".join(parts)


class OxigraphStore:
    """A pyoxigraph store, on disk or in memory.

    >>> store = OxigraphStore.memory()
    >>> g = NamedNode("https://example.org/doc")
    >>> store.replace_graph(g, [Triple(NamedNode("https://example.org/a"), NamedNode("https://example.org/p"), Literal("x"))])
    1
    >>> store.select("SELECT ?o WHERE { ?s ?p ?o }").values()
    [{'o': 'x'}]
    """

    def __init__(self, inner: ox.Store, *, location: str, read_only: bool) -> None:
        self._store = inner
        self.location = location
        self.read_only = read_only

    @property
    def inner(self) -> ox.Store:
        """The pyoxigraph store itself, for the SPARQL endpoint's bounded runner (``queries/bounded.py``)."""
        return self._store

    @classmethod
    def memory(cls) -> OxigraphStore:
        return cls(ox.Store(), location="memory:", read_only=False)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> OxigraphStore:
        """Open the on-disk store at ``path``. Read-write creates it when missing; read-only needs it to exist and
        sees a snapshot (writes made by another process after opening are not seen)."""
        path = Path(path)
        if read_only:
            if not (path / "CURRENT").exists():
                raise StoreError(f"{path}: no govgraph store here yet (load a document first: govgraph load PATH)")
            # A read-only open beside a live writer can catch its files mid-compaction; a retry sees a
            # consistent set.
            for attempt in range(5):
                try:
                    return cls(ox.Store.read_only(str(path)), location=str(path), read_only=True)
                except (OSError, RuntimeError) as exc:
                    error = exc
                    time.sleep(0.05 * (attempt + 1))
            raise StoreError(f"{path}: cannot open the store read-only: {error}") from error
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: is a file, not a store directory")
        try:
            path.mkdir(parents=True, exist_ok=True)
            store = cls(ox.Store(str(path)), location=str(path), read_only=False)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(f"{path}: the store is in use by {holder(path)}", holder=holder(path)) from exc
            raise StoreError(f"{path}: cannot open the store: {exc}") from exc
        store._note_holder()
        return store

    # --- writing -------------------------------------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.location}: the store is open read-only")

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        self._check_writable()
        triples = list(triples)  # a failing producer fails here, before the store is touched
        try:
            if len(triples) <= SINGLE_UPDATE_LIMIT:
                # One SPARQL update is one transaction: readers see the old graph or the new one, never a mix.
                # The text is built from parsed terms (their N-Triples form), never from raw strings.
                self._store.update(replacement_update({graph: triples}))
            else:
                self._replace_by_bulk_load(graph, triples)
        except (OSError, ValueError, SyntaxError, RuntimeError) as exc:
            raise StoreError(f"{self.location}: could not replace graph {graph.value}: {exc}") from exc
        if not self._store.contains_named_graph(graph):
            self._store.add_graph(graph)  # an empty document still shows up as loaded
        return self.count(graph=graph)

    def replace_graphs(self, graphs: Mapping[NamedNode, list[Triple]], *, remove: Iterable[NamedNode] = ()) -> None:
        self._check_writable()
        graphs = {g: list(ts) for g, ts in graphs.items()}
        remove = [g for g in remove if g not in graphs]
        if not graphs and not remove:
            return
        if sum(len(ts) for ts in graphs.values()) > SINGLE_UPDATE_LIMIT:
            # too big for one update text: each graph in its own step (each still all or nothing)
            for graph, triples in graphs.items():
                self.replace_graph(graph, triples)
            for graph in remove:
                self.remove_graph(graph)
            return
        try:
            self._store.update(replacement_update(graphs, remove))  # one update, one transaction
        except (OSError, ValueError, SyntaxError, RuntimeError) as exc:
            raise StoreError(f"{self.location}: could not replace {len(graphs)} graph(s): {exc}") from exc
        for graph in graphs:
            if not self._store.contains_named_graph(graph):
                self._store.add_graph(graph)

    def replace_graph_from_file(self, graph: NamedNode, path: Path, format: ox.RdfFormat, *,
                                finish: Callable[[], Iterable[Triple]] | None = None) -> int:
        """Replace ``graph`` by the triples of the RDF file at ``path`` with the engine's bulk loader; return the
        number of triples now in the graph. ``finish``, when given, is called once the file is in: it may refuse
        the load by raising (that exception is re-raised), or give triples to add to the graph (where a document
        came from, say).

        Relative IRIs in the file resolve against the file's own ``file:`` URI. A graph that did not exist is
        loaded straight into and removed again on failure; a graph that did is saved to a temporary file first
        and put back from it on failure. Unlike :meth:`replace_graph` this is not one transaction: a reader
        opening the store meanwhile may see the graph missing or half loaded.

        :raises StoreError: the file does not parse (with its line) or the store cannot be written; the graph
            keeps what it had.
        """
        self._check_writable()
        path = Path(path)
        existed = self._store.contains_named_graph(graph)
        with tempfile.TemporaryDirectory(prefix="govgraph-replace-") as folder:
            saved = Path(folder) / "graph.nt"
            try:
                if existed:
                    self._store.dump(output=str(saved), format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
                    self._store.remove_graph(graph)
                self._store.bulk_load(path=str(path), format=format, base_iri=path.resolve().as_uri(),
                                      to_graph=graph)
                extra = list(finish()) if finish is not None else []
                if extra:
                    self._store.extend(Quad(t.subject, t.predicate, t.object, graph) for t in extra)
                if not self._store.contains_named_graph(graph):
                    self._store.add_graph(graph)  # a file of no triples still shows up as loaded
            except BaseException as exc:
                self._put_back(graph, saved if existed else None)
                if isinstance(exc, SyntaxError):
                    line = re.search(r"line (\d+)", str(exc))
                    where = f"{path}:{line[1]}" if line else str(path)
                    raise StoreError(f"{where}: invalid {format.name}: {exc}") from exc
                if isinstance(exc, (OSError, ValueError, RuntimeError)):
                    raise StoreError(f"{self.location}: could not load {path} into graph {graph.value}: {exc}"
                                     ) from exc
                raise
        return self.count(graph=graph)

    def _put_back(self, graph: NamedNode, saved: Path | None) -> None:
        """Undo a failed bulk load: drop what got in, and reload what the graph held before (``saved``)."""
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)
        if saved is not None:
            self._store.bulk_load(path=str(saved), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            if not self._store.contains_named_graph(graph):
                self._store.add_graph(graph)

    def triples(self, graph: NamedNode) -> list[Triple]:
        return [Triple(q.subject, q.predicate, q.object) for q in self._store.quads_for_pattern(None, None, None, graph)]

    def _replace_by_bulk_load(self, graph: NamedNode, triples: list[Triple]) -> None:
        # Too big for one update text: written to a file and bulk loaded (300k triples: ~4 s, where filling a
        # staging graph and MOVEing it over the target took ~30 s).
        with tempfile.TemporaryDirectory(prefix="govgraph-replace-") as folder:
            path = Path(folder) / "graph.nt"
            with path.open("wb") as handle:
                ox.serialize(triples, handle, format=ox.RdfFormat.N_TRIPLES)
            self.replace_graph_from_file(graph, path, ox.RdfFormat.N_TRIPLES)
        self._sweep_staging()

    def _sweep_staging(self) -> None:
        # staging graphs are what earlier versions left behind when stopped mid-replace
        for name in list(self._store.named_graphs()):
            if isinstance(name, NamedNode) and name.value.startswith(STAGING_PREFIX):
                self._store.remove_graph(name)

    def remove_graph(self, graph: NamedNode) -> bool:
        self._check_writable()
        if not self._store.contains_named_graph(graph):
            return False
        self._store.remove_graph(graph)
        return True

    # --- reading -------------------------------------------------------------------------------------------------

    def graphs(self) -> list[NamedNode]:
        return sorted(
            (g for g in self._store.named_graphs()
             if isinstance(g, NamedNode) and not g.value.startswith(STAGING_PREFIX)),
            key=lambda g: g.value,
        )

    def count(self, *, graph: NamedNode | None = None) -> int:
        if graph is None:
            return len(self._store)
        # counted by the engine: 300k triples in ~0.1 s, where iterating them in Python took ~1.8 s
        rows = list(self._store.query(COUNT_GRAPH, substitutions={Variable("g"): graph}))
        return int(rows[0]["n"].value) if rows else 0

    def _query(self, query: str, bindings: Mapping[str, Term] | None):
        substitutions = {Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self._store.query(query, use_default_graph_as_union=True, substitutions=substitutions)
        except SyntaxError as exc:
            raise StoreError(f"the query is not valid SPARQL: {exc}") from exc
        except RuntimeError as exc:  # e.g. a binding for a variable the query does not project
            raise StoreError(f"the query cannot be run: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{self.location}: query failed: {exc}") from exc

    def select(self, query: str, *, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("expected a SELECT query")
        variables = [v.value for v in result.variables]
        rows = [{name: solution[name] for name in variables} for solution in result]
        return SelectResult(variables, rows)

    def construct(self, query: str, *, bindings: Mapping[str, Term] | None = None) -> list[Triple]:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("expected a CONSTRUCT or DESCRIBE query")
        return list(result)

    def ask(self, query: str, *, bindings: Mapping[str, Term] | None = None) -> bool:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("expected an ASK query")
        return bool(result)

    def dump(self, *, format: ExportFormat, graph: NamedNode | None = None) -> bytes:
        from govgraph.ontology import PREFIXES

        if graph is not None:
            quads = self._store.quads_for_pattern(None, None, None, graph)
        else:
            quads = (q for q in self._store if not (isinstance(q.graph_name, NamedNode)
                                                   and q.graph_name.value.startswith(STAGING_PREFIX)))
        if format.keeps_graphs:
            items: Iterable[Quad | Triple] = quads
            prefixes = PREFIXES if format is ExportFormat.TRIG else None
        else:
            # One graph's worth of triples: the union, without repeating a triple asserted by two documents.
            items = list(dict.fromkeys(q.triple for q in quads))
            prefixes = PREFIXES if format is ExportFormat.TURTLE else None
        out = ox.serialize(items, format=format.rdf_format, prefixes=prefixes)
        return out or b""

    def close(self) -> None:
        if not self.read_only:
            try:
                self._store.flush()
            except OSError:
                pass
            if self.location != "memory:":
                note = Path(self.location) / HOLDER_NOTE
                try:
                    if json.loads(note.read_text(encoding="utf-8")).get("pid") == os.getpid():
                        note.unlink()
                except (OSError, ValueError):
                    pass
        del self._store

    def _note_holder(self) -> None:
        """Say in the store's folder who holds its write lock, for a process that finds it locked to tell people
        (the engine's lock file says nothing of its holder)."""
        note = {"pid": os.getpid(), "command": _command_line(),
                "since": datetime.now().astimezone().isoformat(timespec="seconds")}
        try:
            (Path(self.location) / HOLDER_NOTE).write_text(json.dumps(note), encoding="utf-8")
        except OSError:
            pass  # a note is a courtesy: a store that cannot take it still works


def _command_line() -> str:
    """This process's command as people typed it: ``govgraph load a.pdf``, ``python -m pytest``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if name == "__main__.py":
        original = list(getattr(sys, "orig_argv", []))
        name = f"python -m {original[original.index('-m') + 1]}" if "-m" in original[:-1] else "python"
    text = " ".join([name, *sys.argv[1:]])
    return text if len(text) <= 160 else text[:157] + "..."


#: The file in a store's folder naming the process that holds its write lock (see :func:`holder`).
HOLDER_NOTE = "govgraph-writer.json"


def holder(path: Path) -> str:
    """Who holds an on-disk store's write lock, as far as its note says: ``'govgraph load a.pdf (process 123, since
    ...)'``, or ``'another process'`` when no live govgraph process left a note (an Oxigraph server, say)."""
    try:
        note = json.loads((Path(path) / HOLDER_NOTE).read_text(encoding="utf-8"))
        pid = int(note["pid"])
        os.kill(pid, 0)  # still running?
    except (OSError, ValueError, KeyError, TypeError):
        return "another process (a running 'govgraph serve' upload, a load, or another program)"
    return f"'{note.get('command') or 'govgraph'}' (process {pid}, since {note.get('since', '?')})"


def _open_remote(location: str, *, read_only: bool = False) -> GraphStore:
    """A SPARQL 1.1 server at an ``http(s)://`` URL, reached as the settings say (``GOVGRAPH_STORE_*``: endpoint
    paths, credentials, headers, time limit; see ``docs/backends.md``)."""
    from govgraph.queries.remote import RemoteStore
    from govgraph.server.settings import get_settings, remote_options

    return RemoteStore(location, options=remote_options(get_settings()), read_only=read_only)


#: Store backends by URL scheme: ``open_store("http://...")`` calls ``BACKENDS["http"](location, read_only=...)``.
BACKENDS: dict[str, Callable[..., GraphStore]] = {"http": _open_remote, "https": _open_remote}


def is_remote(location: str | Path) -> bool:
    """Whether ``location`` is a URL served by one of the :data:`BACKENDS` rather than a path or ``memory:``."""
    text = str(location)
    return "://" in text and text.split(":", 1)[0].lower() in BACKENDS


def open_store(location: str | Path, *, read_only: bool = False) -> GraphStore:
    """Open the store at ``location``: a directory path, ``memory:``, or the URL of a SPARQL 1.1 server
    (``http://127.0.0.1:7878``; see :mod:`govgraph.queries.remote`). Locking applies to on-disk stores only.

    :raises StoreError: the location cannot be used (with the location and the reason in the message).
    """
    text = str(location)
    if text == "memory:":
        return OxigraphStore.memory()
    scheme = text.split(":", 1)[0].lower() if "://" in text else ""
    if scheme:
        if scheme in BACKENDS:
            return BACKENDS[scheme](text, read_only=read_only)
        raise StoreError(
            f"{text}: no store backend for '{scheme}:' locations; use a directory path, 'memory:' or an http(s):// URL"
        )
    return OxigraphStore.open(Path(text).expanduser(), read_only=read_only)
