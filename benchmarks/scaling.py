"""How govgraph's answers grow with the corpus: the same pages at 1, 10, 100 and 1,000 councils.

Pages about one thing (``service.describe`` of an action, a recommendation, a post, a person, an oversight body, a
review, a council; an action's accountability chain) should stay flat; whole-corpus views (the dashboard, the
comparison, the gap report, the network filters) are measured too, and grow. Each size's store is built from the
generated N-Quads with the engine's bulk loader (not through the document readers); every call runs in a worker
process with a time limit.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.corpus import Profile, cached_corpus
from benchmarks.measure import Figure, Ratio, Worker, build_store

AS_OF = "2024-06-01"
#: one review per council, so 1,000 councils stay a few million triples
PROFILE = Profile(years=5, review_every=5)
#: per-item pages: the largest size's median over that at 10 councils (or the smallest size, when 10 is not run)
FLAT_TARGET = 1.2
BASE_COUNCILS = 10

PICK = """SELECT ?council ?action ?recommendation ?post ?person ?body ?review ?document WHERE {
  ?council a gg:Council ; rdfs:label "Benchmark Council 0000" .
  ?action gg:councilOf ?council ; gg:respondsTo ?recommendation ; gg:accountablePost ?post .
  ?body a gg:OversightBody ; org:unitOf ?council .
  ?review a gg:Review ; gg:reviewOf ?council .
  OPTIONAL { GRAPH ?d { ?person a gg:Person } ?d gg:councilOf ?council }
  ?document a gg:SourceDocument ; gg:councilOf ?council .
} LIMIT 1"""


def open_store(path: str) -> dict:
    from govgraph.queries.store import OxigraphStore

    return {"store": OxigraphStore.open(Path(path), read_only=True), "path": path}


def pick(state: dict) -> dict[str, str]:
    from govgraph import queries

    row = state["store"].select(queries.PREFIX_BLOCK + PICK).values()[0]
    return {k: v for k, v in row.items() if v}


def count(state: dict) -> int:
    return state["store"].count()


def page(state: dict, what: str, arg: str | None) -> float:
    """Seconds one service call takes: ``describe`` of an IRI, or a whole-corpus view by name."""
    from govgraph.server import service

    store = state["store"]
    started = time.perf_counter()
    if what.endswith(" (cold)"):
        # the first request after a change: a snapshot opened afresh (the server opens one when the store's files
        # change), so nothing computed on an earlier one is kept; the opening is timed too
        from govgraph.queries.store import OxigraphStore

        store = state["store"] = OxigraphStore.open(Path(state["path"]), read_only=True)
        what = what.removesuffix(" (cold)")
    if what == "describe":
        service.describe(store, arg)
    elif what == "chain":
        service.run_query(store, "accountability-chain", {"action": arg})
    elif what == "council network":  # as the page builds it: the network and the filters for that council
        service.network(store, service.NetworkFilters(council=arg))
        service.network_facets(store, council=arg)
    elif what == "dashboard":
        service.dashboard(store, as_of=AS_OF)
    elif what == "compare":
        service.compare(store)
    elif what == "gap counts":
        service.gap_counts(store)
    elif what == "gap report":
        service.gap_report(store)
    elif what == "network filters":
        service.network_facets(store)
    else:
        raise ValueError(what)
    return time.perf_counter() - started


PER_ITEM = ["action", "recommendation", "post", "person", "body", "review", "council", "document"]
#: whole-corpus views, each the first time on a snapshot (cold) and again (kept with it: the server's case)
WHOLE = ["dashboard (cold)", "dashboard", "compare (cold)", "compare", "gap counts (cold)", "gap counts",
         "gap report", "network filters"]


@dataclass
class SizeFigures:
    councils: int
    quads: int
    load_s: float
    figures: dict[str, Figure] = field(default_factory=dict)


def measure_size(store: Path, councils: int, load_s: float, *, cap_s: float, repeat: int, budget_s: float,
                 log=print) -> SizeFigures:
    with Worker(open_store, str(store)) as worker:
        items = worker.call(pick, timeout_s=120)
        size = SizeFigures(councils, worker.call(count, timeout_s=120), load_s)
        plan = [(f"{k} page", "describe", items.get(k)) for k in PER_ITEM if items.get(k)]
        plan += [("action's chain", "chain", items["action"]),
                 ("one council's network", "council network", items["council"])]
        plan += [(f"{w.removesuffix(' (cold)')}{', first on a snapshot' if w.endswith(' (cold)') else ''} (whole corpus)",
                  w, None) for w in WHOLE]
        for name, what, arg in plan:
            figure = Figure(name)
            try:
                worker.call(page, what, arg, timeout_s=cap_s)  # warm up
                spent = 0.0
                while len(figure.runs) < repeat and spent < budget_s:
                    figure.runs.append(worker.call(page, what, arg, timeout_s=cap_s))
                    spent += figure.runs[-1]
            except TimeoutError:
                figure.runs, figure.note = [], f"over the {cap_s:g} s limit"
            except RuntimeError as exc:
                figure.runs, figure.note = [], f"failed: {exc}"[:120]
            size.figures[name] = figure
            log(f"  {councils:>5} councils  {name:34} {figure.text()}")
    return size


def measure(sizes: list[int], work: Path, *, cap_s: float = 30.0, repeat: int = 7, budget_s: float = 5.0,
            log=print) -> list[SizeFigures]:
    """The pages at each number of councils (one review per council: the corpus profile of 5 years)."""
    out = []
    for councils in sizes:
        corpus = cached_corpus(work / "corpora", councils=councils, profile=PROFILE, workers=2)
        store, load_s = build_store(corpus.path, work / "stores" / corpus.path.stem)
        out.append(measure_size(store, councils, load_s, cap_s=cap_s, repeat=repeat, budget_s=budget_s, log=log))
    return out


def ratios(sizes: list[SizeFigures]) -> list[Ratio]:
    """Largest over smallest size, per page: per-item pages with the flat target, whole-corpus views without."""
    if len(sizes) < 2:
        return []
    small = next((s for s in sizes if s.councils == BASE_COUNCILS and s is not sizes[-1]), sizes[0])
    large = sizes[-1]
    out = []
    for name, figure in large.figures.items():
        flat = "(whole corpus)" not in name
        out.append(Ratio(f"{name}: {large.councils:,} / {small.councils:,} councils", figure, small.figures[name],
                         at_most=FLAT_TARGET if flat else None))
    return out
