"""Run the SPARQL-server-store test cases against Virtuoso (``make test-virtuoso``).

Starts Debian's ``virtuoso-t`` on free loopback ports with a temporary database (a copy of the packaged
``virtuoso.ini`` with its files moved to a temporary folder), waits for its ``/sparql`` endpoint, runs the
backend-parametrised cases with the server named by ``GOVGRAPH_TEST_SPARQL_SERVER`` and Virtuoso's endpoint paths
and digest credentials as ``GOVGRAPH_STORE_*`` settings, then stops the server and removes the folder.

``python tests/virtuoso.py [PYTEST ARGS...]``; with ``--serve`` it only starts the server and prints the settings.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
#: Graphs a fresh Virtuoso database holds for itself; they are not documents.
SYSTEM_GRAPHS = ["http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#", "http://localhost:8890/",
                 "http://www.w3.org/2002/07/owl#"]
#: The cases that use the SPARQL server store: the parametrised store, CLI and endpoint cases, and the comparison.
CASES = ["tests/queries/test_store.py", "tests/queries/test_remote.py", "tests/server/test_cli.py",
         "tests/server/test_sparql.py", "tests/server/test_backends.py", "-k", "remote or test_backends"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_ini(folder: Path, sql_port: int, http_port: int) -> Path:
    """The packaged configuration with the database files in ``folder``, both ports on loopback, and results not
    cut at 10,000 rows (govgraph reads whole graphs with one SELECT)."""
    text = PACKAGED_INI.read_text(encoding="utf-8")
    section = None
    out = []
    for line in text.splitlines():
        header = re.match(r"\s*\[(.+)\]", line)
        if header:
            section = header.group(1)
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith(";") else None
        if section in ("Database", "TempDatabase") and key in (
                "DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"):
            name = Path(line.split("=", 1)[1].strip()).name
            line = f"{key} = {folder / name}"
        elif section == "Parameters" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif section == "Parameters" and key == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad"
        elif section == "HTTPServer" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif section == "SPARQL" and key == "ResultSetMaxRows":
            line = "ResultSetMaxRows = 10000000"
        out.append(line)
    ini = folder / "virtuoso.ini"
    ini.write_text("\n".join(out) + "\n", encoding="utf-8")
    return ini


def start(folder: Path) -> tuple[subprocess.Popen, str]:
    """Start ``virtuoso-t`` in ``folder``; return the process and the server's base URL once /sparql answers."""
    executable = shutil.which("virtuoso-t")
    if executable is None:
        sys.exit("virtuoso-t is not installed: apt-get install virtuoso-opensource (make test-virtuoso does it as root)")
    http_port = free_port()
    ini = write_ini(folder, free_port(), http_port)
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([executable, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=log,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"virtuoso-t exited {process.returncode}:\n{(folder / 'server.log').read_text()[-3000:]}")
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.terminate()
    sys.exit(f"virtuoso-t did not answer within 120 s:\n{(folder / 'server.log').read_text()[-3000:]}")


def settings(url: str) -> dict[str, str]:
    """What govgraph needs to use this Virtuoso as its store (see docs/backends.md)."""
    return {"GOVGRAPH_TEST_SPARQL_SERVER": url, "GOVGRAPH_STORE_QUERY_PATH": "/sparql",
            "GOVGRAPH_STORE_UPDATE_PATH": "/sparql-auth", "GOVGRAPH_STORE_GRAPH_STORE_PATH": "/sparql-graph-crud-auth",
            "GOVGRAPH_STORE_ONE_UPDATE": "false", "GOVGRAPH_STORE_USER": "dba", "GOVGRAPH_STORE_PASSWORD": "dba", "GOVGRAPH_STORE_AUTH": "digest",
            "GOVGRAPH_STORE_EXCLUDED_GRAPHS": json.dumps(SYSTEM_GRAPHS)}


def main(argv: list[str]) -> int:
    folder = Path(tempfile.mkdtemp(prefix="govgraph-virtuoso-"))
    started = time.monotonic()
    process, url = start(folder)
    print(f"Virtuoso answered at {url}/sparql after {time.monotonic() - started:.0f} s (data in {folder})",
          flush=True)
    try:
        environment = {**os.environ, **settings(url)}
        if argv[:1] == ["--serve"]:
            for key, value in settings(url).items():
                print(f"export {key}='{value}'")
            process.wait()
            return 0
        return subprocess.call([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *(argv or CASES)],
                               cwd=ROOT, env=environment)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
