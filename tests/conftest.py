"""Shared fixtures: temporary stores, the bundled sample, and the real `govgraph` command."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TRACKER = ROOT / "samples" / "trackers" / "leeds-2023-peer-challenge-tracker.csv"
GOVGRAPH = Path(sys.executable).parent / "govgraph"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A path for an on-disk store that does not exist yet."""
    return tmp_path / "store"


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run the installed `govgraph` console script; returns the CompletedProcess."""

    def run(*args: str, input: str | None = None, check: int | None = 0, env: dict | None = None):
        environment = {k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")}
        environment.update({"COLUMNS": "200", "NO_COLOR": "1"}, **remote_settings_env(), **(env or {}))
        proc = subprocess.run([str(GOVGRAPH), *args], capture_output=True, text=True, input=input,
                              env=environment, cwd=tmp_path, timeout=120)
        if check is not None and proc.returncode != check:
            raise AssertionError(f"govgraph {' '.join(args)} exited {proc.returncode}, expected {check}\n"
                                 f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc

    return run


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


# --- a real server and a real browser ---------------------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
BROWSER_HELP = ("headless Chromium is not installed: the browser tests did not run. Install it with "
                "'apt-get install chromium' (as root; 'make test' does this where it can) and run the tests again")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A server started for real (``process``, answering at ``url``, its output in ``log``)."""

    process: subprocess.Popen
    url: str
    log: Path

    def wait_until_answering(self, name: str, path: str) -> None:
        """Return once ``path`` answers 200; fail with the server's output if it exits or does not within 30 s."""
        import time

        import httpx

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{name} exited {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(self.url + path, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{name} did not answer within 30 s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


class LiveServer(ServerProcess):
    """``govgraph serve`` started for real on a free loopback port; ``url`` is its base address."""

    def __init__(self, store: Path | str, env: dict | None = None, log_dir: Path | None = None):

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")}
        environment.update(remote_settings_env(), **(env or {}))
        self.log = (log_dir or store.parent) / f"server-{self.port}.log"
        self.process = subprocess.Popen([str(GOVGRAPH), "serve", "--store", str(store), "--port", str(self.port)],
                                        env=environment, stdout=self.log.open("w"), stderr=subprocess.STDOUT)

        self.wait_until_answering("govgraph serve", "/healthz")



@pytest.fixture
def live_server(tmp_path: Path):
    """A factory: ``live_server(store_dir, env={...})`` starts a server; all are stopped after the test."""
    started: list[LiveServer] = []

    def start(store: Path | str, env: dict | None = None) -> LiveServer:
        server = LiveServer(store, env, log_dir=tmp_path)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium (Debian's, driven by Playwright). Without it the test is skipped, loudly; with
    GOVGRAPH_REQUIRE_BROWSER=1 (as CI sets) a missing browser fails the test instead."""
    import shutil
    import warnings

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if executable is None or sync_playwright is None:
        message = BROWSER_HELP if executable is None else "playwright is not installed: pip install -e '.[test]'"
        if os.environ.get("GOVGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        warnings.warn(message)
        print(f"\n\n*** {message} ***\n", file=sys.stderr)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- a SPARQL server as the store ---------------------------------------------------------------------------------

#: Set (to the server's URL) by ``make test-virtuoso``: the remote-store cases then run against that server, with its
#: GOVGRAPH_STORE_* settings from the environment, instead of an ``oxigraph serve`` started here.
EXTERNAL_SERVER = os.environ.get("GOVGRAPH_TEST_SPARQL_SERVER")


def remote_settings_env() -> dict[str, str]:
    """The GOVGRAPH_STORE_* settings (endpoint paths, credentials) an external test server needs, for the
    subprocesses the tests start (which otherwise get no GOVGRAPH_* variables)."""
    if not EXTERNAL_SERVER:
        return {}
    return {k: v for k, v in os.environ.items() if k.startswith("GOVGRAPH_STORE_")}


class OxigraphServer(ServerProcess):
    """``oxigraph serve`` (the PyPI package ``oxigraph``, same version as pyoxigraph) on a free loopback port, with
    its data in ``location`` and the union of the named graphs as the default graph, as govgraph needs."""

    def __init__(self, location: Path):
        import shutil


        executable = Path(sys.executable).parent / "oxigraph"
        if not executable.exists():
            executable = shutil.which("oxigraph")
        if executable is None:
            pytest.skip("the oxigraph server is not installed: pip install -e '.[test]'")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = location.parent / f"oxigraph-{self.port}.log"
        self.process = subprocess.Popen(
            [str(executable), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph", "--timeout-s", "10"],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        self.wait_until_answering("oxigraph serve", "/query?query=ASK%7B%7D")



@pytest.fixture(scope="session")
def sparql_server(tmp_path_factory) -> str:
    """The URL of one SPARQL server for the whole session: ``oxigraph serve`` started here, or the server named by
    GOVGRAPH_TEST_SPARQL_SERVER."""
    if EXTERNAL_SERVER:
        yield EXTERNAL_SERVER
        return
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "data")
    yield server.url
    server.stop()


def empty_remote_store(url: str):
    """The store at ``url`` with every document graph removed (the server's own graphs stay)."""
    from govgraph.queries.store import open_store
    from govgraph.server.settings import get_settings

    get_settings.cache_clear()
    store = open_store(url)
    for graph in store.graphs():
        store.remove_graph(graph)
    return store


@pytest.fixture
def remote_store_url(sparql_server: str) -> str:
    """The session's SPARQL server, emptied for this test."""
    empty_remote_store(sparql_server).close()
    return sparql_server


BACKENDS = ["disk", "remote"]


@pytest.fixture(params=BACKENDS)
def store_location(request, tmp_path: Path) -> str:
    """Where a test's store is, once per backend: a new on-disk store directory, or the session's SPARQL server
    (emptied). Pass it as ``--store``."""
    if request.param == "remote":
        return request.getfixturevalue("remote_store_url")
    return str(tmp_path / "store")
