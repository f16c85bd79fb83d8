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
