"""Whole-corpus views from the summaries kept at load time against the named queries over the whole store.

    python benchmarks/summaries.py [COUNCILS] [ITEMS_PER_DOCUMENT] [--trackers] [--memory] [--runs N]

It builds a synthetic store on disk (in memory with ``--memory``): by default each council a plan and its tracker
written straight in (``benchmarks/matching.py``; 300 councils of 30 items is about 1M quads), then every council's
summary computed; with ``--trackers``, CSV trackers (``benchmarks/run.py``) loaded through ``load_paths`` as
``govgraph load`` does, summaries kept as they load (100 councils of 300 actions is about 1M quads). It times, each
N times (10 by default) side by side: the dashboard, compare and all-council gap counts read from the summaries, and
the same views from the named queries (the readers' fallback); prints p50, p95 and their ratio, and checks the two
give the same figures. It also times recomputing one council's summary in a store of 10 councils and in this one
(the cost should not grow with the other councils). Targets: p95 at most 300 ms, at least 10x faster.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pyoxigraph import Quad

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching import plan

from govgraph.loaders.emit import document_triples
from govgraph.queries.store import OxigraphStore
from govgraph.server import figures, reports, service, summaries


def build(store: OxigraphStore, councils: int, items: int, years: int = 1) -> None:
    """Each council's plan and tracker written straight in (as matching would leave them: numbered items take the
    plan's IRIs), with a status on every third council's tracker so the status mix is not one word; with ``years``,
    that many reviews a council, one a year, each with its plan and tracker."""
    service.ensure_vocabulary(store)
    for c in range(councils):
        status = ("in progress", "completed", None)[c % 3]
        for year in range(2024 - years + 1, 2025):
            for d in (plan(c, items, name=f"plan{year}", published=f"{year}-06", numbered=True),
                      plan(c, items, name=f"tracker{year}", published=f"{year}-09", numbered=True, status=status)):
                d.review = f"Annual Governance Statement {year}"
                graph, triples = document_triples(d)
                store.inner.extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)


def load_trackers(store: OxigraphStore, councils: int, actions: int, folder: Path) -> None:
    import run

    run.COUNCILS, run.ACTIONS = councils, actions
    folder.mkdir(exist_ok=True)
    service.ensure_vocabulary(store)
    summaries.ensure_summaries(store)
    result = service.load_paths(store, run.write_trackers(folder))
    assert not result.failed, [d.error for d in result.failed]


def percentiles(fn, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times) * 1000, p95 * 1000, result


class RawQueries:
    """Readers as they are when the summaries are missing: every view runs the named queries."""

    def __enter__(self):
        self.saved = summaries.is_current
        summaries.is_current = lambda store: False
        return self

    def __exit__(self, *exc):
        summaries.is_current = self.saved


def recompute_one(store: OxigraphStore, council) -> float:
    return percentiles(lambda: summaries.summaries_for(store, [council]), 5)[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("councils", nargs="?", type=int, default=300)
    parser.add_argument("items", nargs="?", type=int, default=30)
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--trackers", action="store_true")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--years", type=int, default=1, help="reviews a council, each with a plan and a tracker")
    parser.add_argument("--raw-runs", type=int, default=None,
                        help="runs of the named queries (default a third of --runs; 0 leaves them out)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = OxigraphStore.memory() if args.memory else OxigraphStore.open(Path(tmp) / "store")
        start = time.perf_counter()
        if args.trackers:
            load_trackers(store, args.councils, args.items, Path(tmp) / "trackers")
            built = time.perf_counter() - start
            start = time.perf_counter()
            summaries.summarise(store)
            summarised = time.perf_counter() - start
            what = f"{args.councils:,} trackers x {args.items} actions loaded with their summaries"
        else:
            build(store, args.councils, args.items, args.years)
            built = time.perf_counter() - start
            start = time.perf_counter()
            summaries.summarise(store)
            summarised = time.perf_counter() - start
            what = f"{args.councils:,} councils x {2 * args.years} documents x {args.items} actions"
        print(f"{what}: {store.count():,} quads ({'memory' if args.memory else 'disk'}), built in {built:.0f} s; "
              f"every summary recomputed in {summarised:.1f} s ({summarised / args.councils * 1000:.0f} ms a "
              f"council)")
        assert summaries.is_current(store)
        as_of = "2025-06-01"
        views = {
            "dashboard": lambda: [(f.council, f.review, f.recommendations, f.answered, f.complete_chains, f.actions,
                                   f.with_owner, f.with_oversight, f.with_due_date, f.overdue)
                                  for f in figures.dashboard(store, as_of=as_of)],
            "compare": lambda: figures.compare(store),
            "gap counts": lambda: reports.gap_counts(store),
        }
        print(f"{'view':<12} {'summaries p50/p95 ms':>22} {'named queries p50/p95 ms':>26} {'ratio (p95)':>12}  target")
        raw_runs = max(3, args.runs // 3) if args.raw_runs is None else args.raw_runs
        for name, view in views.items():
            fast50, fast95, fast = percentiles(view, args.runs)
            if not raw_runs:
                print(f"{name:<12} {fast50:>10.1f} / {fast95:>8.1f} {'not run':>26} {'':>12}  "
                      f"{'ok' if fast95 <= 300 else 'OVER TARGET'} (p95 at most 300 ms)")
                continue
            with RawQueries():
                slow50, slow95, slow = percentiles(view, raw_runs)
            same = fast == slow
            ok = fast95 <= 300 and slow95 / fast95 >= 10
            print(f"{name:<12} {fast50:>10.1f} / {fast95:>8.1f} {slow50:>13.1f} / {slow95:>10.1f} "
                  f"{slow95 / fast95:>11.1f}x  {'ok' if ok else 'OVER TARGET'}{'' if same else '  FIGURES DIFFER'}")
        small = OxigraphStore.memory() if args.memory else OxigraphStore.open(Path(tmp) / "small")
        if args.trackers:
            load_trackers(small, 10, args.items, Path(tmp) / "small-trackers")
        else:
            build(small, 10, args.items, args.years)
        first = service.matching.council_in(*document_triples(plan(0, 3, name="plan", published="2024-06",
                                                                  numbered=True)))
        if args.trackers:
            first = next(c for c in (r["council"] for r in store.select(service.matching.COUNCIL_DOCUMENTS).rows)
                         if c.value.endswith("council-000"))
        alone, among = recompute_one(small, first), recompute_one(store, first)
        print(f"recomputing one council's summary: {alone:.0f} ms among 10 councils, {among:.0f} ms among "
              f"{args.councils:,} ({among / alone:.2f}x)")


if __name__ == "__main__":
    main()
