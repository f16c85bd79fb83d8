"""Each named query through govgraph (``service.run_query``) against the same SPARQL sent straight to pyoxigraph,
and to rdflib at the smaller size.

The SPARQL compared is what govgraph actually sends: each case is first run once through a store that records the
queries it is given (text and bound terms), and those are replayed to the engine. Whole-corpus questions run as the
gap report runs them (no parameters); per-council and per-item questions are bound to council 0 and one of its
actions, recommendations, posts and bodies. Every run happens in a worker process with a time limit (pyoxigraph
cannot interrupt a query), so a query past the limit is reported as such instead of stalling the run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import Figure, Ratio, Worker

AS_OF = "2024-06-01"
#: per-item overhead target: govgraph's median over pyoxigraph's on the same SPARQL
OVERHEAD_TARGET = 1.2


@dataclass
class Case:
    """One named query with its parameters, and whether it reads the whole corpus, one council or one item."""

    query: str
    scope: str  # corpus | council | item
    params: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        shown = ", ".join(f"{k}" for k in self.params if k != "as_of")
        return f"{self.query} ({self.scope}{': ' + shown if shown and self.scope == 'item' else ''})"


# --- in the worker ------------------------------------------------------------------------------------------------

class _Recorder:
    """A GraphStore that passes every call to the real store and keeps the SELECT/CONSTRUCT/ASK calls it saw."""

    def __init__(self, store) -> None:
        self._store = store
        self.calls: list[tuple[str, str, dict]] = []

    def __getattr__(self, name):
        return getattr(self._store, name)

    def select(self, query, *, bindings=None):
        self.calls.append(("select", query, dict(bindings or {})))
        return self._store.select(query, bindings=bindings)

    def construct(self, query, *, bindings=None):
        self.calls.append(("construct", query, dict(bindings or {})))
        return self._store.construct(query, bindings=bindings)

    def ask(self, query, *, bindings=None):
        self.calls.append(("ask", query, dict(bindings or {})))
        return self._store.ask(query, bindings=bindings)


def open_oxigraph(path: str) -> dict:
    from govgraph.queries.store import OxigraphStore

    return {"store": OxigraphStore.open(Path(path), read_only=True)}


def pick_items(state: dict) -> dict[str, str]:
    """IRIs of council 0 and of one of its actions (with an owner), recommendations, posts and bodies."""
    from govgraph import queries

    store = state["store"]
    q = queries.PREFIX_BLOCK + """SELECT ?council ?action ?rec ?post ?body WHERE {
      ?council a gg:Council ; rdfs:label "Benchmark Council 0000" .
      ?action gg:councilOf ?council ; gg:respondsTo ?rec ; gg:accountablePost ?post .
      ?body a gg:OversightBody ; org:unitOf ?council .
    } LIMIT 1"""
    row = store.select(q).values()[0]
    return {"council": row["council"], "action": row["action"], "recommendation": row["rec"], "post": row["post"],
            "body": row["body"]}


def run_govgraph(state: dict, name: str, params: dict[str, str]) -> tuple[float, int]:
    from govgraph.server import service

    started = time.perf_counter()
    _, result = service.run_query(state["store"], name, params)
    return time.perf_counter() - started, len(result)


def record(state: dict, name: str, params: dict[str, str]) -> list[tuple[str, str, dict[str, str]]]:
    """The queries govgraph sends for one case, with bound terms in N-Triples form (they cross processes)."""
    from govgraph.server import service

    recorder = _Recorder(state["store"])
    service.run_query(recorder, name, params)
    return [(kind, text, {k: str(v) for k, v in bindings.items()}) for kind, text, bindings in recorder.calls]


def _term(text: str):
    import pyoxigraph as ox

    return next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES))).object


def run_direct(state: dict, calls: list[tuple[str, str, dict[str, str]]]) -> tuple[float, int]:
    """The recorded queries sent straight to pyoxigraph, every answer read to its end."""
    from pyoxigraph import QuerySolutions, Variable

    inner = state["store"].inner
    subs = [{Variable(k): _term(v) for k, v in bindings.items()} for _, _, bindings in calls]
    started = time.perf_counter()
    n = 0
    for (_, text, _), substitutions in zip(calls, subs):
        result = inner.query(text, use_default_graph_as_union=True, substitutions=substitutions)
        if isinstance(result, QuerySolutions):
            for solution in result:
                tuple(solution)
                n += 1
        elif not isinstance(result, bool):
            n += sum(1 for _ in result)
    return time.perf_counter() - started, n


def open_rdflib(corpus: str) -> dict:
    import rdflib

    dataset = rdflib.Dataset(default_union=True)
    started = time.perf_counter()
    dataset.parse(corpus, format="nquads")
    return {"dataset": dataset, "parse_s": time.perf_counter() - started}


def rdflib_parse_time(state: dict) -> float:
    return state["parse_s"]


def run_rdflib(state: dict, calls: list[tuple[str, str, dict[str, str]]], cap_s: float) -> tuple[float, int]:
    """The recorded queries run by rdflib; a query past ``cap_s`` is interrupted (rdflib is pure Python, so an alarm
    stops it) and raises TimeoutError."""
    import signal

    from rdflib.util import from_n3

    def stop(*_):
        raise TimeoutError(f"more than {cap_s:g} s")

    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, cap_s)
    try:
        started = time.perf_counter()
        n = 0
        for _, text, bindings in calls:
            result = state["dataset"].query(text, initBindings={k: from_n3(v) for k, v in bindings.items()})
            n += sum(1 for _ in result)
        return time.perf_counter() - started, n
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


# --- in the runner ------------------------------------------------------------------------------------------------

def cases(items: dict[str, str]) -> list[Case]:
    """Every named query: whole corpus where it can run without parameters, for council 0 where it takes a
    council, and for one item where it is about one thing."""
    from govgraph import queries

    out = []
    item_params = {"action": "action", "recommendation": "recommendation", "post": "post", "body": "body"}
    for name, query in queries.catalogue().items():
        names = {p.name for p in query.parameters}
        base = {"as_of": AS_OF} if "as_of" in names else {}
        per_item = [p for p in query.parameters if p.name in item_params]
        if per_item:
            for p in per_item:
                out.append(Case(name, "item", {**base, p.name: items[p.name]}))
            continue
        if not query.requires:
            out.append(Case(name, "corpus", base))
        if "council" in names:
            out.append(Case(name, "council", {**base, "council": items["council"]}))
    return out


@dataclass
class QueryFigures:
    case: Case
    govgraph: Figure
    pyoxigraph: Figure
    rdflib: Figure | None = None
    rows: int | None = None

    @property
    def overhead(self) -> Ratio:
        return Ratio(f"{self.case.label}: govgraph / pyoxigraph", self.govgraph, self.pyoxigraph,
                     at_most=OVERHEAD_TARGET if self.case.scope == "item" else None)

    @property
    def against_rdflib(self) -> Ratio | None:
        return None if self.rdflib is None else Ratio(f"{self.case.label}: rdflib / pyoxigraph", self.rdflib,
                                                      self.pyoxigraph)


def _repeat(worker: Worker, fn, *args, name: str, cap_s: float, repeat: int, budget_s: float) -> tuple[Figure, int]:
    """Runs of ``fn`` in the worker (the first untimed) until ``repeat`` runs or ``budget_s`` seconds."""
    figure = Figure(name)
    rows = -1
    try:
        _, rows = worker.call(fn, *args, timeout_s=cap_s)
        spent = 0.0
        while len(figure.runs) < repeat and spent < budget_s:
            took, rows = worker.call(fn, *args, timeout_s=cap_s)
            figure.runs.append(took)
            spent += took
    except TimeoutError:
        figure.note = f"over the {cap_s:g} s limit"
        figure.runs = []
    except RuntimeError as exc:
        figure.note = f"failed: {exc}"[:120]
        figure.runs = []
    return figure, rows


def measure(store: Path, *, corpus: Path | None = None, cap_s: float = 20.0, repeat: int = 20,
            budget_s: float = 5.0, rdflib_cap_s: float = 20.0, rdflib_repeat: int = 5, only: set[str] | None = None,
            log=print) -> tuple[list[QueryFigures], dict[str, float]]:
    """Every case on the on-disk ``store``; with ``corpus`` (its N-Quads) also rdflib on the same data. Returns the
    figures per case and extra facts (rdflib's parse time)."""
    extra: dict[str, float] = {}
    out: list[QueryFigures] = []
    with Worker(open_oxigraph, str(store)) as ox_worker:
        items = ox_worker.call(pick_items, timeout_s=120)
        all_cases = [c for c in cases(items) if only is None or c.query in only]
        recorded = {}
        for case in all_cases:
            try:
                calls = ox_worker.call(record, case.query, case.params, timeout_s=cap_s)
            except (TimeoutError, RuntimeError) as exc:
                note = (f"over the {cap_s:g} s limit" if isinstance(exc, TimeoutError) else f"failed: {exc}"[:120])
                out.append(QueryFigures(case, Figure("govgraph", note=note),
                                        Figure("pyoxigraph", note="not run (its SPARQL is recorded from govgraph's run)")))
                log(f"  {case.label:58} govgraph {note}")
                continue
            recorded[case.label] = calls
            direct, _ = _repeat(ox_worker, run_direct, calls, name="pyoxigraph", cap_s=cap_s, repeat=repeat,
                                budget_s=budget_s)
            via, rows = _repeat(ox_worker, run_govgraph, case.query, case.params, name="govgraph", cap_s=cap_s,
                                repeat=repeat, budget_s=budget_s)
            out.append(QueryFigures(case, via, direct, rows=rows if rows >= 0 else None))
            log(f"  {case.label:58} govgraph {via.text():34} pyoxigraph {direct.text()}")
    if corpus is not None:
        with Worker(open_rdflib, str(corpus), setup_timeout_s=1800) as rdf_worker:
            extra["rdflib parse"] = rdf_worker.call(rdflib_parse_time, timeout_s=60)
            for figures in out:
                calls = recorded.get(figures.case.label)
                if calls is None:
                    figures.rdflib = Figure("rdflib", note="not run")
                    continue
                figure = Figure("rdflib")
                try:
                    spent = 0.0
                    while len(figure.runs) < rdflib_repeat and spent < budget_s:
                        took, _ = rdf_worker.call(run_rdflib, calls, rdflib_cap_s, timeout_s=rdflib_cap_s + 30)
                        figure.runs.append(took)
                        spent += took
                except (TimeoutError, RuntimeError) as exc:
                    figure.runs = []
                    figure.note = (f"over the {rdflib_cap_s:g} s limit" if "more than" in str(exc)
                                   else f"failed: {exc}"[:120])
                figures.rdflib = figure
                log(f"  {figures.case.label:58} rdflib {figure.text()}")
    return out, extra
