"""Loading and gap-query speed: the embedded on-disk store against the in-memory one, side by side.

Run with `make bench`. It writes synthetic trackers (councils x actions) to a temporary folder, loads them into
both stores through the service layer, runs the four gap queries, and prints times and ratios. Figures vary
with the machine's load; compare within one run.
"""
from __future__ import annotations

import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

from govgraph.queries.store import OxigraphStore, open_store
from govgraph.server import service

COUNCILS = 40  # set from the command line only when this file is run itself (see the end), never on import
ACTIONS = 60


def write_trackers(folder: Path) -> list[Path]:
    paths = []
    for c in range(COUNCILS):
        path = folder / f"council-{c:03d}.csv"
        with path.open("w", newline="") as handle:
            w = csv.writer(handle)
            w.writerow([f"Council: Council {c:03d}"])
            w.writerow(["Review: LGA Corporate Peer Challenge 2023"])
            w.writerow(["Rec ref", "Recommendation", "Action ref", "Action", "Lead officer", "Oversight", "Due date", "Status"])
            for a in range(ACTIONS):
                rec = a // 3
                w.writerow([str(rec), f"Recommendation {rec} about governance and scrutiny arrangements." if a % 3 == 0 else "",
                            str(a), f"Action {a}: strengthen risk management and member development programme.",
                            "" if a % 7 == 0 else f"Director of Service {a % 5}", "" if a % 5 == 0 else "Audit Committee",
                            "??" if a % 11 == 0 else "March 2024", "In progress"])
        paths.append(path)
    return paths


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "trackers"
        folder.mkdir()
        paths = write_trackers(folder)
        memory = OxigraphStore.memory()
        disk = open_store(Path(tmp) / "store")
        for store in (memory, disk):
            service.ensure_vocabulary(store)
        load_memory = timed(lambda: service.load_paths(memory, paths), repeat=1)
        load_disk = timed(lambda: service.load_paths(disk, paths), repeat=1)
        quads = disk.count()
        print(f"{COUNCILS} trackers x {ACTIONS} actions, {quads:,} quads")
        print(f"load (parse + replace graph)  memory {load_memory:6.2f} s   disk {load_disk:6.2f} s   "
              f"disk/memory {load_disk / load_memory:4.2f}   {quads / load_disk:,.0f} quads/s on disk")
        for name in service.GAP_QUERIES:
            t_mem = timed(lambda: service.run_query(memory, name))
            t_disk = timed(lambda: service.run_query(disk, name))
            rows = len(service.run_query(disk, name)[1])
            print(f"{name:34s} memory {t_mem * 1000:7.1f} ms   disk {t_disk * 1000:7.1f} ms   "
                  f"disk/memory {t_disk / t_mem:4.2f}   {rows} rows")
        disk.close()


if __name__ == "__main__":
    COUNCILS = int(sys.argv[1]) if len(sys.argv) > 1 else COUNCILS
    ACTIONS = int(sys.argv[2]) if len(sys.argv) > 2 else ACTIONS
    main()
