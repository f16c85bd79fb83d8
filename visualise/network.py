"""The accountability network as a networkx graph, and the measures officers read from it.

Pure functions over query results: :func:`build_network` takes the rows of ``queries/network/edges.rq`` and the
labels of ``queries/network/labels.rq`` (as plain dicts, see :func:`fetch`); nothing here reads a store itself.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

KINDS = ("recommendation", "action", "post", "person", "body", "council")


def fetch(store) -> tuple[list[dict], dict[str, str]]:
    """The network's edge rows and node labels from a store (the only function here that queries)."""
    from pathlib import Path

    from govgraph.queries import PREFIX_BLOCK

    folder = Path(__file__).resolve().parent.parent / "queries" / "network"
    if not folder.exists():  # installed: the queries live in the govgraph.queries package
        import govgraph.queries as q

        folder = Path(q.__file__).resolve().parent / "network"
    edges = store.select(PREFIX_BLOCK + (folder / "edges.rq").read_text()).values()
    labels = {r["node"]: r["name"] for r in store.select(PREFIX_BLOCK + (folder / "labels.rq").read_text()).values()}
    return edges, labels


def build_network(edges: list[dict], labels: dict[str, str]) -> nx.DiGraph:
    """A directed graph: nodes carry ``kind``, ``label`` and ``council``; edges carry ``relation``."""
    graph = nx.DiGraph()
    for e in edges:
        for node, kind in ((e["source"], e["source_kind"]), (e["target"], e["target_kind"])):
            if node not in graph:
                graph.add_node(node, kind=kind, label=labels.get(node, node.rsplit("/", 1)[-1]),
                               council=e["council"])
        graph.add_edge(e["source"], e["target"], relation=e["relation"])
    return graph


def nodes_of(graph: nx.DiGraph, kind: str, council: str | None = None) -> list[str]:
    return [n for n, d in graph.nodes(data=True) if d["kind"] == kind and (council is None or d["council"] == council)]


def ranking(graph: nx.DiGraph, kind: str, *, council: str | None = None) -> list[tuple[str, int]]:
    """Bodies by how many actions they oversee, or posts by how many they own: (label, actions), most first."""
    counts = Counter()
    for node in nodes_of(graph, kind, council):
        counts[graph.nodes[node]["label"]] += sum(1 for s in graph.predecessors(node)
                                                  if graph.nodes[s]["kind"] == "action")
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class Chain:
    """How far a council's chains reach: recommendation -> action -> post, and action -> body."""

    council: str
    recommendations: int
    complete: int
    actions: int
    without_owner: int
    without_oversight: int

    @property
    def completeness(self) -> float | None:
        return self.complete / self.recommendations if self.recommendations else None


def _has(graph: nx.DiGraph, node: str, kind: str) -> bool:
    return any(graph.nodes[t]["kind"] == kind for t in graph.successors(node))


def broken_chains(graph: nx.DiGraph, council: str | None = None) -> list[tuple[str, list[str]]]:
    """Actions whose chain breaks: (action label, what is missing)."""
    out = []
    for action in nodes_of(graph, "action", council):
        missing = [what for what, kind in (("accountable post", "post"), ("oversight body", "body"))
                   if not _has(graph, action, kind)]
        if missing:
            out.append((graph.nodes[action]["label"], missing))
    return sorted(out)


def chain_completeness(graph: nx.DiGraph) -> list[Chain]:
    """Per council: recommendations with at least one complete chain (an answering action that has both an
    accountable post and an oversight body), and the actions whose chain breaks."""
    by_council: dict[str, Chain] = {}
    councils = {d["council"] for _, d in graph.nodes(data=True)}
    for council in sorted(c for c in councils if c):
        name = graph.nodes[council]["label"] if council in graph else council
        recs = nodes_of(graph, "recommendation", council)
        actions = nodes_of(graph, "action", council)
        complete = sum(1 for r in recs if any(graph.nodes[a]["kind"] == "action" and _has(graph, a, "post")
                                              and _has(graph, a, "body") for a in graph.successors(r)))
        by_council[council] = Chain(name, len(recs), complete, len(actions),
                                    sum(1 for a in actions if not _has(graph, a, "post")),
                                    sum(1 for a in actions if not _has(graph, a, "body")))
    return list(by_council.values())


__all__ = ["KINDS", "Chain", "broken_chains", "build_network", "chain_completeness", "fetch", "nodes_of", "ranking",
           ]
