"""What every benchmark needs: timed runs summarised as median, p95 and min-max; ratios with their targets; a time
limit on work that pyoxigraph cannot interrupt (run in a worker process that is killed); on-disk stores built from
a generated corpus with the engine's bulk loader; and a description of the machine."""
from __future__ import annotations

import multiprocessing
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Figure:
    """Repeated measurements of one thing (seconds, bytes, requests/s ...): ``runs`` in the order taken, or
    ``note`` saying why there are none (a time limit reached)."""

    name: str
    runs: list[float] = field(default_factory=list)
    unit: str = "s"
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        ordered = sorted(self.runs)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def text(self) -> str:
        """'12.3 ms (11.9-14.0, n=5)', or the note."""
        if not self.runs:
            return self.note or "-"
        if len(self.runs) == 1:
            return f"{fmt(self.runs[0], self.unit)} (n=1)"
        return (f"{fmt(self.median, self.unit)} ({fmt(min(self.runs), self.unit)}-{fmt(max(self.runs), self.unit)},"
                f" n={len(self.runs)})")


def fmt(value: float, unit: str) -> str:
    """A value in a readable unit: seconds as µs/ms/s, bytes as kB/MB/GB, others with thousands separators."""
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.0f} µs"
        if value < 1:
            return f"{value * 1e3:.1f} ms"
        return f"{value:.2f} s"
    if unit == "B":
        for scale, name in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
            if value >= scale:
                return f"{value / scale:.1f} {name}"
        return f"{value:.0f} B"
    return f"{value:,.1f} {unit}".rstrip()


@dataclass
class Ratio:
    """``numerator / denominator`` of two figures' medians, with a target: at most ``at_most`` or at least
    ``at_least`` (or none, just reported)."""

    name: str
    numerator: Figure
    denominator: Figure
    at_most: float | None = None
    at_least: float | None = None
    use_p95: bool = False  # the numerator's p95 rather than its median

    @property
    def value(self) -> float | None:
        if not (self.numerator.ok and self.denominator.ok) or self.denominator.median == 0:
            return None
        return (self.numerator.p95 if self.use_p95 else self.numerator.median) / self.denominator.median

    @property
    def target(self) -> str:
        if self.at_most is not None:
            return f"<= {self.at_most:g}x"
        if self.at_least is not None:
            return f">= {self.at_least:g}x"
        return "-"

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when there is no target or no value."""
        value = self.value
        if value is None or (self.at_most is None and self.at_least is None):
            return None
        return value <= self.at_most if self.at_most is not None else value >= self.at_least

    def text(self) -> str:
        value = self.value
        shown = f"{value:.2f}x" if value is not None else "n/a"
        met = {True: "met", False: "NOT met", None: ""}[self.met]
        return f"{shown} (target {self.target}{', ' + met if met else ''})"


def timed(fn: Callable[[], object], *, repeat: int = 5, budget_s: float = 30.0, warmup: int = 1) -> list[float]:
    """Seconds taken by ``repeat`` calls of ``fn`` after ``warmup`` untimed calls; fewer (at least one) when the
    calls together pass ``budget_s``."""
    for _ in range(warmup):
        fn()
    runs: list[float] = []
    started = time.perf_counter()
    while len(runs) < repeat:
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
        if time.perf_counter() - started > budget_s:
            break
    return runs


# --- work with a time limit: a worker process killed when its time is up ----------------------------------------

def _serve(conn, setup: Callable, setup_args: tuple) -> None:
    state = setup(*setup_args)
    conn.send(("ready", None))
    while True:
        message = conn.recv()
        if message is None:
            return
        fn, args = message
        try:
            conn.send(("ok", fn(state, *args)))
        except Exception as exc:  # noqa: BLE001  (the error travels back as the answer; the worker goes on)
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class Worker:
    """A process holding some state (an open store, a parsed graph) that runs functions on it with a time limit.
    A call past its limit kills the process; the next call starts a fresh one. ``setup(*setup_args)`` makes the
    state (must be a module-level function, as must the functions called)."""

    def __init__(self, setup: Callable, *setup_args, setup_timeout_s: float = 900.0) -> None:
        self.setup, self.setup_args, self.setup_timeout_s = setup, setup_args, setup_timeout_s
        self.process = None
        self.conn = None
        self.pid: int | None = None

    def _start(self) -> None:
        context = multiprocessing.get_context("forkserver")
        parent, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, self.setup, self.setup_args), daemon=True)
        self.process.start()
        self.conn, self.pid = parent, self.process.pid
        if not parent.poll(self.setup_timeout_s):
            self.close()
            raise TimeoutError(f"worker setup took more than {self.setup_timeout_s:.0f} s")
        parent.recv()

    def call(self, fn: Callable, *args, timeout_s: float):
        """``fn(state, *args)`` in the worker. :raises TimeoutError: past ``timeout_s`` (the worker is killed).
        :raises RuntimeError: ``fn`` raised (its message)."""
        if self.process is None or not self.process.is_alive():
            self._start()
        self.conn.send((fn, args))
        if not self.conn.poll(timeout_s):
            self.close()
            raise TimeoutError(f"more than {timeout_s:g} s")
        try:
            status, value = self.conn.recv()
        except EOFError as exc:  # the worker died (out of memory, say)
            self.close()
            raise RuntimeError("the worker process died") from exc
        if status == "error":
            raise RuntimeError(value)
        return value

    def close(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                try:
                    self.conn.send(None)
                    self.process.join(2)
                except (OSError, BrokenPipeError):
                    pass
            if self.process.is_alive():
                self.process.kill()
                self.process.join(5)
        self.process = self.conn = None

    def __enter__(self) -> Worker:  # noqa: PYI034
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- stores ------------------------------------------------------------------------------------------------------

def build_store(corpus: Path, folder: Path) -> tuple[Path, float]:
    """An on-disk pyoxigraph store of the N-Quads ``corpus`` in ``folder`` (made by ``bulk_load`` the first time,
    with the summaries govgraph keeps at load time, reused afterwards), and the seconds loading took (0 when
    reused)."""
    import pyoxigraph as ox

    from govgraph.server import summaries

    folder = Path(folder)
    done = folder / ".loaded-from"
    # a store is reused only with summaries of this version (a changed query changes them: readers would fall back
    # to the named queries, and the whole-corpus views would be measured on the wrong path)
    marker = f"{corpus}\nsummaries {summaries.version()}"
    if done.exists() and done.read_text() == marker:
        return folder, 0.0
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    store = ox.Store(str(folder))
    store.bulk_load(path=str(corpus), format=ox.RdfFormat.N_QUADS)
    from govgraph.queries.store import OxigraphStore
    from govgraph.server import service

    kept = OxigraphStore(store, location=str(folder), read_only=False)
    service.ensure_vocabulary(kept)
    summaries.summarise(kept)  # the figures govgraph keeps as it loads, which the whole-corpus views read
    store.optimize()
    store.flush()
    del kept, store
    took = time.perf_counter() - started
    done.write_text(marker)
    return folder, took


# --- the machine -------------------------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    """CPU count and model, RAM, Python, pyoxigraph and rdflib versions, git commit, date."""
    import pyoxigraph
    import rdflib

    info = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpus": str(os.cpu_count())}
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
        info["cpu"] = model
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "?"
    try:
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
        info["ram"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        info["ram"] = "?"
    try:
        info["load average"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        pass
    info["python"] = platform.python_version()
    info["pyoxigraph"] = pyoxigraph.__version__
    info["rdflib"] = rdflib.__version__
    try:
        here = Path(__file__).resolve().parent
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True, text=True,
                                timeout=10, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        info["git commit"] = commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        info["git commit"] = "?"
    return info


def peak_rss_bytes(pid: int) -> int | None:
    """The peak resident memory of a running process (Linux ``VmHWM``), or None where it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None
