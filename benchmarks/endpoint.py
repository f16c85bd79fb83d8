"""The HTTP endpoints under load: govgraph's ``/sparql`` and its REST gap report (``/api/gaps``) against
``oxigraph serve-read-only`` on the same on-disk store, 8 concurrent clients on loopback (httpx in threads), each
test bounded in requests and in time.

- ``/sparql``: the accountability chain of one action, the SPARQL govgraph's own page sends (a per-item query), as
  a GET to both servers;
- gap report for one council: one GET of ``/api/gaps?council=...`` against, on oxigraph, the five queries that
  endpoint runs (four gap lists and overdue actions), sent one after the other as one client's unit of work.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import Figure, Ratio, peak_rss_bytes

AS_OF = "2024-06-01"
CLIENTS = 8
#: govgraph's throughput over oxigraph's on the same work
THROUGHPUT_TARGET = 0.7


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process on loopback, started with ``command`` and ready when ``ready_path`` answers 200."""

    def __init__(self, command: list[str], port: int, ready_path: str, env: dict | None = None) -> None:
        self.command, self.port, self.ready_path, self.env = command, port, ready_path, env
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:  # noqa: PYI034
        import httpx

        self.process = subprocess.Popen(self.command, env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command[0]} exited: {self.process.stderr.read().decode()[-500:]}")
            try:
                if httpx.get(self.base + self.ready_path, timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"{self.command[0]} did not answer within 120 s")

    def peak_rss(self) -> int | None:
        return peak_rss_bytes(self.process.pid) if self.process else None

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server from the PyPI package of that name, next to this Python or on the PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server is not installed: pip install -e '.[bench]'")
    return found


def load(base: str, unit, *, clients: int = CLIENTS, requests: int = 400, seconds: float = 20.0
         ) -> tuple[Figure, Figure, int]:
    """``clients`` threads each repeating ``unit(client, base)`` (which makes one or more requests and raises on a
    bad answer) until ``requests`` units are done or ``seconds`` pass. Returns throughput (units/s, one run),
    latency per unit (s) and the number of failed units."""
    import httpx

    latencies: list[float] = []
    failures = [0]
    done = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            while time.monotonic() < stop_at:
                with lock:
                    if done[0] >= requests:
                        return
                    done[0] += 1
                started = time.perf_counter()
                try:
                    unit(http)
                    with lock:
                        latencies.append(time.perf_counter() - started)
                except (httpx.HTTPError, AssertionError, ValueError):
                    with lock:
                        failures[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    return (Figure("throughput", [len(latencies) / took], unit="req/s"), Figure("latency", latencies),
            failures[0])


def _sparql_get(path: str, query: str):
    # POSTed as the protocol allows: a long query in a GET's URL is refused by oxigraph serve (its headers must fit
    # in 8 kB; the chain query with its prefixes does not)
    def unit(http) -> None:
        r = http.post(path, content=query.encode("utf-8"), headers={
            "Accept": "application/sparql-results+json", "Content-Type": "application/sparql-query"})
        assert r.status_code == 200, r.text[:200]
        r.json()
    return unit


def _get_json(path: str, params: dict):
    def unit(http) -> None:
        r = http.get(path, params=params)
        assert r.status_code == 200, r.text[:200]
        assert r.json()["ok"]
    return unit


def _several(path: str, queries: list[str]):
    def unit(http) -> None:
        for q in queries:
            r = http.get(path, params={"query": q}, headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200, r.text[:200]
            r.json()
    return unit


@dataclass
class EndpointFigures:
    test: str
    govgraph: tuple[Figure, Figure, int]
    oxigraph: tuple[Figure, Figure, int]

    @property
    def ratio(self) -> Ratio:
        return Ratio(f"{self.test}: govgraph / oxigraph throughput", self.govgraph[0], self.oxigraph[0],
                     at_least=THROUGHPUT_TARGET)


@dataclass
class EndpointRun:
    tests: list[EndpointFigures] = field(default_factory=list)
    rss: dict[str, int | None] = field(default_factory=dict)


def sparql_texts(store: Path) -> tuple[str, list[str], str]:
    """The SPARQL of one action's chain and of the gap report for council 0, as govgraph builds them (values bound
    into the text through its VALUES block, which any endpoint accepts), and council 0's IRI."""
    from benchmarks.scaling import PICK
    from govgraph import queries
    from govgraph.queries.store import OxigraphStore
    from govgraph.server import service

    db = OxigraphStore.open(store, read_only=True)
    try:
        items = db.select(queries.PREFIX_BLOCK + PICK).values()[0]

        def text(name: str, params: dict[str, str]) -> str:
            query = queries.get_query(name)
            return queries.with_values(query.sparql, queries.bind(db, query, params))

        chain = text("accountability-chain", {"action": items["action"]})
        council = {"council": items["council"]}
        gaps = [text(n, council) for n in service.GAP_QUERIES] + [
            text("overdue-actions", {**council, "as_of": AS_OF})]
    finally:
        db.close()
    return chain, gaps, items["council"]


def measure(store: Path, *, requests: int = 400, seconds: float = 20.0, log=print) -> EndpointRun:
    """Both tests against both servers on ``store``, one server at a time."""
    chain, gaps, council = sparql_texts(store)
    run = EndpointRun()
    port = free_port()
    env = {**os.environ, "GOVGRAPH_STORE": str(store), "GOVGRAPH_QUERY_TIMEOUT": "60"}
    govgraph = [sys.executable, "-m", "govgraph.server.cli", "serve", "--port", str(port), "--store", str(store)]
    with Server(govgraph, port, "/healthz", env) as server:
        g_sparql = load(server.base, _sparql_get("/sparql", chain), requests=requests, seconds=seconds)
        g_gaps = load(server.base, _get_json("/api/gaps", {"council": council, "as_of": AS_OF}),
                      requests=requests, seconds=seconds)
        run.rss["govgraph serve"] = server.peak_rss()
    port = free_port()
    oxigraph = [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
                "--union-default-graph", "--timeout-s", "60"]
    with Server(oxigraph, port, "/query?query=ASK%7B%7D") as server:
        o_sparql = load(server.base, _sparql_get("/query", chain), requests=requests, seconds=seconds)
        o_gaps = load(server.base, _several("/query", gaps), requests=requests, seconds=seconds)
        run.rss["oxigraph serve-read-only"] = server.peak_rss()
    run.tests = [EndpointFigures("/sparql, one action's chain", g_sparql, o_sparql),
                 EndpointFigures("gap report of one council", g_gaps, o_gaps)]
    for t in run.tests:
        log(f"  {t.test:32} govgraph {t.govgraph[0].text()} p95 {fmt_p95(t.govgraph[1])} ({t.govgraph[2]} failed)"
            f"   oxigraph {t.oxigraph[0].text()} p95 {fmt_p95(t.oxigraph[1])} ({t.oxigraph[2]} failed)"
            f"   {t.ratio.text()}")
    return run


def fmt_p95(latency: Figure) -> str:
    from benchmarks.measure import fmt

    return fmt(latency.p95, "s") if latency.ok else "-"
