"""The match step's cost as councils are added: loading one document into a store of one council against a store
of many (1,000 by default). Matching reads and writes only the document's own council, so the ratio should stay
near 1 (the target is within 2x).

    python benchmarks/matching.py [COUNCILS] [ITEMS_PER_DOCUMENT]

It builds the other councils' graphs directly (each council a plan and its tracker, matched as loading would),
then times ``service.write_document`` of a new progress report for council 0 in both stores, median of 5.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from pyoxigraph import Quad

from govgraph.loaders.emit import document_triples
from govgraph.loaders.model import Action, ExtractedDocument, Mention, Recommendation, Span, StatusReport
from govgraph.queries.store import OxigraphStore
from govgraph.server import matching, service


def plan(council: int, items: int, *, name: str, published: str, numbered: bool, status: str | None = None
         ) -> ExtractedDocument:
    recs = [Recommendation(f"r{i}", f"Recommendation {i} of council {council}: strengthen governance area {i} and "
                                    f"report on it to members.", str(i) if numbered else None, span=Span("r", line=i))
            for i in range(items // 3)]
    actions = [Action(f"a{i}", f"Action {i}: review arrangement {i} for council {council} and publish the findings "
                               f"with a timetable.", str(i) if numbered else None, responds_to=[f"r{i // 3}"],
                      owners=[Mention(f"Director of Service {i % 5}")], due=[Mention("March 2025")],
                      status=StatusReport(status) if status else None, span=Span("a", line=100 + i))
               for i in range(items)]
    return ExtractedDocument(path=Path(f"{name}-{council}.txt"), sha256="0" * 64, kind="governance action plan",
                             council=f"Benchmark Council {council:04d}", review="Annual Governance Statement 2024",
                             published=published, recommendations=recs, actions=actions)


def build(councils: int, items: int) -> OxigraphStore:
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    for c in range(councils):
        for d in (plan(c, items, name="plan", published="2024-06", numbered=False),
                  plan(c, items, name="tracker", published="2024-09", numbered=True)):
            graph, triples = document_triples(d)
            if c == 0:
                service.write_document(store, graph, triples)  # council 0 as loading makes it
            else:  # the other councils written straight in: their matching is not what is measured
                store.inner.extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store


def time_load(store: OxigraphStore, items: int, repeat: int = 5) -> list[float]:
    report = plan(0, items, name="update", published="2024-12", numbered=True, status="in progress")
    graph, triples = document_triples(report)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        service.write_document(store, graph, triples)
        runs.append(time.perf_counter() - start)
    return runs


def measure(councils: int = 1000, items: int = 30, repeat: int = 5) -> tuple[list[float], list[float]]:
    """Seconds to load one document of ``items`` actions with matching into a store of one council and into a
    store of ``councils`` councils (``repeat`` runs each)."""
    small, large = build(1, items), build(councils, items)
    return time_load(small, items, repeat), time_load(large, items, repeat)


def main() -> None:
    councils = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    small, large = build(1, items), build(councils, items)
    alone, among = statistics.median(time_load(small, items)), statistics.median(time_load(large, items))
    print(f"store of 1 council: {small.count():,} quads; store of {councils:,} councils: {large.count():,} quads")
    print(f"loading one document ({items} actions) with matching, median of 5:")
    print(f"  into 1 council        {alone * 1000:8.1f} ms")
    print(f"  into {councils:,} councils {among * 1000:8.1f} ms")
    ratio = among / alone
    print(f"  ratio {ratio:.2f}x (target within 2x): {'ok' if ratio <= 2 else 'OVER TARGET'}")
    identity = matching.council_items(large, matching.council_in(*document_triples(plan(0, items, name="update",
                                      published="2024-12", numbered=True))))
    print(f"  items matched for council 0: {len(identity)}")


if __name__ == "__main__":
    main()
