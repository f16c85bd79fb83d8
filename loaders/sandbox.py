"""Parsing in a cage: each file is read in a child process with a memory limit (``RLIMIT_AS``), a CPU-time limit
(``RLIMIT_CPU``), a wall-clock limit and a cap on the triples it may produce. Whatever a file does to its parser
(entities nested a billion deep, a zip bomb, a 500 MB XML part, a parser that aborts), only the child dies; the
caller gets a :class:`~govgraph.loaders.LoadError` naming the file and the limit it hit, and the batch goes on.

The child sends back the triples as N-Triples (written by pyoxigraph from terms it built, parsed back here) and
the rest of what was read as plain data; or, for a big RDF file the store bulk loads itself, only what a
streaming check of it found (:func:`scan_file_isolated`). Children come from a fork server that has the loaders imported, so a
file costs a fork, not an interpreter start.

>>> Limits().memory_mb >= 512
True
"""
from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from govgraph.loaders import LoadedDocument, LoadError, LoadOptions


@dataclass(frozen=True)
class Limits:
    """What one file's parsing may use. The defaults suit documents and trackers of any real size."""

    memory_mb: int = 3072  # address space of the child, MB
    cpu_seconds: int = 600
    wall_seconds: float = 900.0
    max_triples: int = 5_000_000
    max_text_mb: float = 10.0  # characters of text one document may have, in millions
    max_pages: int = 2000


def _child(connection, task: str, path: str, options: LoadOptions, limits: Limits) -> None:
    import os
    import resource

    import pyoxigraph as ox

    from govgraph.loaders import load_file

    quiet = os.open(os.devnull, os.O_WRONLY)  # a parser's own crash report is not the user's message
    os.dup2(quiet, 2)
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    from govgraph.loaders import document
    from govgraph.loaders.converters import pdf

    document.MAX_TEXT_CHARS = int(limits.max_text_mb * 1_000_000)
    pdf.MAX_PAGES = limits.max_pages
    try:
        if task == "scan":
            from govgraph.loaders import rdf

            connection.send(("ok", rdf.scan(Path(path), options, max_triples=limits.max_triples)))
            return
        loaded = load_file(Path(path), options)
        if len(loaded.triples) > limits.max_triples:
            connection.send(("error", f"the file gives {len(loaded.triples):,} triples; the limit is "
                                      f"{limits.max_triples:,} (GOVGRAPH_MAX_TRIPLES)"))
            return
        data = ox.serialize(loaded.triples, format=ox.RdfFormat.N_TRIPLES) or b""
        connection.send(("ok", (loaded.loader, loaded.graph.value, data, loaded.document, loaded.skipped)))
    except LoadError as exc:
        connection.send(("error", exc.message, exc.line))
    except MemoryError:
        connection.send(("limit", f"parsing needed more than {limits.memory_mb:,} MB of memory "
                                  "(GOVGRAPH_PARSE_MEMORY_MB)"))
    except RecursionError:
        connection.send(("error", "the file is nested too deeply to read"))
    except Exception as exc:  # noqa: BLE001 - any failure of one file is that file's error
        connection.send(("error", f"could not be read: {type(exc).__name__}: {str(exc)[:300]}"))
    finally:
        connection.close()


_context = None
_context_lock = threading.Lock()


def _fork_server():
    global _context
    with _context_lock:  # a server may read uploads from several threads at once
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["govgraph.loaders", "govgraph.loaders.document",
                                            "govgraph.loaders.tracker", "govgraph.loaders.rdf", "pyoxigraph"])
            _context = context
    return _context


def start() -> None:
    """Start the fork server that children come from, so that the first file does not wait for it (it takes a
    few tenths of a second to import the loaders). Safe to call from any thread, any number of times."""
    from multiprocessing import forkserver

    _fork_server()
    forkserver.ensure_running()


class Reading:
    """One file being read in its own child process, started at once; :meth:`result` waits for it. Several can
    run side by side: start them, then take their results in any order (each within the wall-clock limit,
    counted from its start).

    ``task`` is ``"load"`` (:func:`govgraph.loaders.load_file`: the result is a
    :class:`~govgraph.loaders.LoadedDocument`) or ``"scan"`` (:func:`govgraph.loaders.rdf.scan`: an
    :class:`~govgraph.loaders.rdf.RdfScan`).
    """

    def __init__(self, task: str, path: Path, options: LoadOptions | None = None, limits: Limits | None = None
                 ) -> None:
        self.task, self.path, self.limits = task, Path(path), limits or Limits()
        self._outcome: tuple[bool, object] | None = None
        context = _fork_server()
        self._receiver, sender = context.Pipe(duplex=False)
        self._child = context.Process(target=_child, daemon=True,
                                      args=(sender, task, str(self.path), options or LoadOptions(), self.limits))
        self._started = time.monotonic()
        self._child.start()
        sender.close()

    def result(self):
        """What the child read (the same object on every call).

        :raises LoadError: the file is unreadable, unrecognised or malformed, or reading it hit a limit.
        """
        if self._outcome is None:
            try:
                self._outcome = (True, self._finish(self._receive()))
            except LoadError as exc:
                self._outcome = (False, exc)
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """Stop the child if it still runs (its result is not wanted)."""
        self._receiver.close()
        if self._child.is_alive():
            self._child.kill()
        self._child.join(5)

    def _receive(self):
        path, limits = self.path, self.limits
        try:
            if not self._receiver.poll(max(0.0, limits.wall_seconds - (time.monotonic() - self._started))):
                raise LoadError(path, f"reading took longer than {limits.wall_seconds:g} s and was stopped "
                                      "(GOVGRAPH_PARSE_SECONDS)")
            try:
                message = self._receiver.recv()
            except (EOFError, OSError):
                self._child.join(5)
                raise LoadError(path, _death(self._child.exitcode, limits)) from None
        finally:
            self.stop()
        kind, *rest = message
        if kind != "ok":
            raise LoadError(path, rest[0], line=rest[1] if len(rest) > 1 else None)
        return rest[0]

    def _finish(self, payload):
        if self.task != "load":
            return payload
        import pyoxigraph as ox
        from pyoxigraph import NamedNode, Triple

        loader, graph, data, document, skipped = payload
        triples = [Triple(q.subject, q.predicate, q.object)
                   for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)] if data else []
        return LoadedDocument(path=self.path, loader=loader, graph=NamedNode(graph), triples=triples,
                              document=document, skipped=skipped)


def load_file_isolated(path: Path, options: LoadOptions | None = None, limits: Limits | None = None
                       ) -> LoadedDocument:
    """:func:`govgraph.loaders.load_file` in a child process within ``limits``.

    :raises LoadError: the file is unreadable, unrecognised or malformed, or reading it hit a limit.
    """
    return Reading("load", path, options, limits).result()


def scan_file_isolated(path: Path, options: LoadOptions | None = None, limits: Limits | None = None):
    """:func:`govgraph.loaders.rdf.scan` (a streaming check of an RDF file that keeps no triples) in a child
    process within ``limits``; returns its :class:`~govgraph.loaders.rdf.RdfScan`.

    :raises LoadError: the file is unreadable or malformed, or reading it hit a limit.
    """
    return Reading("scan", path, options, limits).result()


def _death(code: int | None, limits: Limits) -> str:
    """Why a child ended without an answer, in words a user can act on."""
    if code is not None and code < 0:
        if -code == signal.SIGXCPU or -code == signal.SIGKILL:
            return f"reading used more than {limits.cpu_seconds} s of processor time and was stopped " \
                   "(GOVGRAPH_PARSE_CPU_SECONDS)"
        if -code in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS):
            return (f"the parser gave up (it needed more than {limits.memory_mb:,} MB of memory or met input it "
                    "cannot read); nothing was loaded from this file (GOVGRAPH_PARSE_MEMORY_MB)")
        return f"reading was stopped by signal {signal.Signals(-code).name}"
    return f"reading ended without an answer (exit code {code}); nothing was loaded from this file"


__all__ = ["Limits", "Reading", "load_file_isolated", "scan_file_isolated", "start"]
