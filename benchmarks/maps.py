"""Network maps: the time to build the accountability network (``service.network``) and to render its page
(``govgraph.visualise.maps.render_network``), and the page's size, at about 500, 5,000 and 50,000 nodes.

Each size is the whole-corpus network of a store with enough councils (one review each) to give that many nodes.
The page is rendered twice: with every node (``max_nodes`` above the node count: what vis-network gets to lay out)
and as the server shows it (the default limit, past which the network is summarised).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import Figure, Worker, build_store
from benchmarks.scaling import PROFILE

#: the server's default limit before a network is summarised (settings.max_network_nodes)
SERVER_LIMIT = 1500


def open_store(path: str) -> dict:
    from govgraph.queries.store import OxigraphStore

    return {"store": OxigraphStore.open(Path(path), read_only=True)}


def nodes_in(state: dict) -> int:
    from govgraph.server import service

    return service.network(state["store"], service.NetworkFilters()).number_of_nodes()


def build_and_render(state: dict, nodes: int) -> dict[str, float]:
    """Build the whole-corpus network, keep its first ``nodes`` nodes (by council, so chains stay whole), render it
    in full and as the server would; seconds and bytes."""
    from govgraph.server import service
    from govgraph.visualise.maps import render_network

    started = time.perf_counter()
    graph = service.network(state["store"], service.NetworkFilters())
    build = time.perf_counter() - started
    if graph.number_of_nodes() > nodes:
        order = sorted(graph.nodes, key=lambda n: (str(graph.nodes[n].get("council") or ""), str(n)))
        graph = graph.subgraph(order[:nodes]).copy()
    started = time.perf_counter()
    full = render_network(graph, title="benchmark", max_nodes=graph.number_of_nodes() + 1)
    render_full = time.perf_counter() - started
    started = time.perf_counter()
    served = render_network(graph, title="benchmark", max_nodes=SERVER_LIMIT)
    render_served = time.perf_counter() - started
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "build": build,
            "render full": render_full, "render served": render_served, "bytes full": len(full.encode()),
            "bytes served": len(served.encode())}


@dataclass
class MapFigures:
    target: int
    nodes: int = 0
    edges: int = 0
    councils: int = 0
    figures: dict[str, Figure] = field(default_factory=dict)


def measure(targets: list[int], work: Path, *, cap_s: float = 300.0, repeat: int = 3, log=print) -> list[MapFigures]:
    from benchmarks.corpus import cached_corpus

    # nodes per council, from a one-council store
    corpus = cached_corpus(work / "corpora", councils=1, profile=PROFILE)
    store, _ = build_store(corpus.path, work / "stores" / corpus.path.stem)
    with Worker(open_store, str(store)) as worker:
        per_council = worker.call(nodes_in, timeout_s=120)
    out = []
    for target in targets:
        councils = max(1, math.ceil(target / per_council * 1.05))
        corpus = cached_corpus(work / "corpora", councils=councils, profile=PROFILE, workers=2)
        store, _ = build_store(corpus.path, work / "stores" / corpus.path.stem)
        result = MapFigures(target, councils=councils)
        names = {"build": ("build (service.network)", "s"), "render full": ("render, every node", "s"),
                 "render served": (f"render, as served (limit {SERVER_LIMIT:,})", "s"),
                 "bytes full": ("page size, every node", "B"), "bytes served": ("page size, as served", "B")}
        for key, (name, unit) in names.items():
            result.figures[key] = Figure(name, unit=unit)
        with Worker(open_store, str(store)) as worker:
            try:
                for _ in range(repeat):
                    got = worker.call(build_and_render, target, timeout_s=cap_s)
                    result.nodes, result.edges = int(got["nodes"]), int(got["edges"])
                    for key in names:
                        result.figures[key].runs.append(got[key])
            except (TimeoutError, RuntimeError) as exc:
                for figure in result.figures.values():
                    if not figure.runs:
                        figure.note = f"over the {cap_s:g} s limit" if isinstance(exc, TimeoutError) else str(exc)
        log(f"  {target:>6} nodes ({result.nodes:,} nodes, {result.edges:,} edges, {councils} councils): "
            + "; ".join(f"{f.name} {f.text()}" for f in result.figures.values()))
        out.append(result)
    return out
