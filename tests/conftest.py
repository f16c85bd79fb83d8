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
        environment.update({"COLUMNS": "200", "NO_COLOR": "1"}, **(env or {}))
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


class LiveServer:
    """``govgraph serve`` started for real on a free loopback port; ``url`` is its base address."""

    def __init__(self, store: Path, env: dict | None = None):
        import httpx

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")}
        environment.update(env or {})
        self.log = store.parent / f"server-{self.port}.log"
        self.process = subprocess.Popen([str(GOVGRAPH), "serve", "--store", str(store), "--port", str(self.port)],
                                        env=environment, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        import time

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"govgraph serve exited {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"govgraph serve did not answer within 30 s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def live_server(tmp_path: Path):
    """A factory: ``live_server(store_dir, env={...})`` starts a server; all are stopped after the test."""
    started: list[LiveServer] = []

    def start(store: Path, env: dict | None = None) -> LiveServer:
        server = LiveServer(store, env)
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
