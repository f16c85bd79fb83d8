"""What the web server's pages and endpoint cost, at two corpus sizes side by side.

Run with `make bench` (or `python benchmarks/server.py SMALL LARGE`, numbers of councils, default 10 and 40, each
with 60 actions). For each size it loads synthetic trackers into an on-disk store and times, through the service
layer the routes call: the dashboard, one council's network, the network filters, an action's page, a
recommendation's chain, a body's page; then a trivial and an aggregate query through the SPARQL endpoint's bounded
runner (a worker process) against the same query run in-process. It prints medians and the large/small ratio:
per-item pages should stay near 1, whole-corpus views grow with the corpus.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import timed as median  # noqa: E402  (the median of repeated runs, as the loading benchmark times)
from run import write_trackers  # noqa: E402  (the same synthetic trackers as the loading benchmark)

import run as loading  # noqa: E402
from govgraph.queries.bounded import QueryRunner, Request  # noqa: E402
from govgraph.queries.store import open_store  # noqa: E402
from govgraph.server import service  # noqa: E402

SMALL = int(sys.argv[1]) if len(sys.argv) > 1 else 10
LARGE = int(sys.argv[2]) if len(sys.argv) > 2 else 40
AGGREGATE = ("SELECT ?council (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <https://w3id.org/govgraph/def#Action> ; "
             "<https://w3id.org/govgraph/def#councilOf> ?council } GROUP BY ?council")


def measure(councils: int, tmp: Path) -> tuple[int, dict[str, float]]:
    loading.COUNCILS = councils
    folder = tmp / f"trackers-{councils}"
    folder.mkdir()
    paths = write_trackers(folder)
    location = tmp / f"store-{councils}"
    with service.opened(location, write=True) as store:
        service.load_paths(store, paths)
    store = open_store(location, read_only=True)
    quads = store.count()
    action = service.list_resources(store, "actions", council="Council 000", limit=1).items[0]["iri"]
    recommendation = service.list_resources(store, "recommendations", council="Council 000", limit=1).items[0]["iri"]
    body = service.list_resources(store, "bodies", council="Council 000", limit=1).items[0]["iri"]
    times = {
        "dashboard (whole corpus)": median(lambda: service.dashboard(store, as_of="2024-06-01")),
        "network filters (whole corpus)": median(lambda: service.network_facets(store)),
        "network of one council": median(lambda: service.network(store, service.NetworkFilters(
            council="Council 000"))),
        "action page": median(lambda: service.describe(store, action)),
        "recommendation page (chain)": median(lambda: service.describe(store, recommendation)),
        "body page": median(lambda: service.describe(store, body)),
    }
    store.close()
    runner = QueryRunner(str(location), timeout_s=60, workers=1)
    try:
        runner.run(Request("ASK { ?s ?p ?o }"))  # start the worker before timing
        times["endpoint: trivial query"] = median(lambda: runner.run(Request("ASK { ?s ?p ?o }")), repeat=5)
        times["endpoint: aggregate"] = median(lambda: runner.run(Request(AGGREGATE)))
    finally:
        runner.close()
    direct = open_store(location, read_only=True)
    times["in-process: aggregate"] = median(lambda: direct.select(AGGREGATE))
    direct.close()
    return quads, times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small_quads, small = measure(SMALL, Path(tmp))
        large_quads, large = measure(LARGE, Path(tmp))
    print(f"{SMALL} councils ({small_quads:,} quads) against {LARGE} councils ({large_quads:,} quads), "
          f"ratio {large_quads / small_quads:.1f}x the data; medians")
    print(f"{'':34} {'small':>10} {'large':>10} {'large/small':>12}")
    for name in small:
        print(f"{name:34} {small[name] * 1000:8.1f}ms {large[name] * 1000:8.1f}ms {large[name] / small[name]:11.1f}x")
    overhead = large["endpoint: aggregate"] / large["in-process: aggregate"]
    print(f"the endpoint's worker process against the same query in-process (large): {overhead:.2f}x")


if __name__ == "__main__":
    main()
