"""Figures across councils: the dashboard, the comparison and the network views."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pyoxigraph import NamedNode

from govgraph import queries
from govgraph.queries.store import GraphStore
from govgraph.server import memo, summaries
from govgraph.server.reports import run_query
from govgraph.server.resources import council_term, page_path

# --- the dashboard and comparison -------------------------------------------------------------------------------

@dataclass
class ReviewFigures:
    council: str
    council_name: str
    review: str
    review_name: str
    recommendations: int
    answered: int
    complete_chains: int
    actions: int
    with_owner: int
    with_oversight: int
    with_due_date: int
    overdue: int

    @property
    def complete_share(self) -> float | None:
        return self.complete_chains / self.recommendations if self.recommendations else None


def dashboard(store: GraphStore, *, as_of: str | None = None, council: NamedNode | None = None
              ) -> list[ReviewFigures]:
    """Headline figures per council and review (``review-headlines``), with the actions overdue at ``as_of``
    (today when not given), in council then review order. Read from the summaries kept at load time
    (:mod:`govgraph.server.summaries`) when they are current, else from the named queries: the same figures.
    With ``council``, that council's reviews only, read from its own summary graph.

    :raises QueryError: a date not in YYYY-MM-DD form."""
    from datetime import date

    as_of = as_of or date.today().isoformat()
    try:
        date.fromisoformat(as_of)
    except ValueError as exc:
        raise queries.QueryError(f"parameter 'as_of' must be a date as YYYY-MM-DD, not {as_of!r}") from exc
    if council is not None:
        return _dashboard(store, as_of, council)
    return memo.kept(store, ("dashboard", as_of), lambda: _dashboard(store, as_of, None))


def _dashboard(store: GraphStore, as_of: str, council: NamedNode | None) -> list[ReviewFigures]:
    if summaries.is_current(store):
        overdue = summaries.overdue_counts(store, as_of, council=council)
        rows = sorted(summaries.values(summaries.observations(store, "review", council=council)),
                      key=lambda r: (r.get("council_name") or "", r.get("review_name") or "", r["council"],
                                     r["review"]))
        rows = [r for r in rows if r.get("recommendations") is not None]  # reviews with gaps but no headline row
    else:
        scope = {"council": council.value} if council is not None else {}
        overdue = Counter((r["council"], r["review"]) for r in run_query(store, "overdue-actions",
                                                                         {**scope, "as_of": as_of})[1].values())
        rows = run_query(store, "review-headlines", scope)[1].values()
    return [ReviewFigures(r["council"], r["council_name"], r["review"], r["review_name"],
                          *(int(r[k]) for k in ("recommendations", "answered", "complete_chains", "actions",
                                                "with_owner", "with_oversight", "with_due_date")),
                          overdue[(r["council"], r["review"])])
            for r in rows]


def council_over_time(store: GraphStore, *, council: str | None = None) -> list[dict[str, str | None]]:
    """The ``council-over-time`` rows (each document of a council by date with its figures), from the summaries
    when they are current, else from the named query. :raises QueryError: an unknown council."""
    if not summaries.is_current(store):
        return run_query(store, "council-over-time", {"council": council} if council else None)[1].values()
    term = council_term(store, council) if council else None
    rows = summaries.values(summaries.observations(store, "document", council=term))
    columns = [c for c, _ in queries.get_query("council-over-time").columns]
    return sorted(({c: r.get(c) for c in columns} for r in rows),
                  key=lambda r: (r["council_name"] or "", r["issued"] or "", r["title"] or "", r["document"]))


@dataclass
class Comparison:
    """Councils side by side: ``councils`` (names, in order); ``status[status][council]`` and
    ``themes[(scheme, theme)][council]`` hold counts (themes as (recommendations, actions))."""

    councils: list[str]
    status: dict[str, dict[str, int]]
    themes: dict[tuple[str, str], dict[str, tuple[int, int]]]


def compare(store: GraphStore, *, council: list[str] | None = None) -> Comparison:
    """Status mix and shared-theme coverage per council, for the compare page and ``/api/compare``; from the
    summaries when they are current, else from the named queries. :raises QueryError: an unknown council."""
    terms = [council_term(store, c) for c in council or []]
    wanted = {t.value for t in terms}
    if not terms:
        return memo.kept(store, "compare", lambda: _compare(store, terms, wanted))
    return _compare(store, terms, wanted)


def _compare(store: GraphStore, terms: list[NamedNode], wanted: set[str]) -> Comparison:
    if summaries.is_current(store):
        def observed(dataset: str) -> list[dict]:  # the chosen councils' own summary graphs, or every council's
            if not terms:
                return summaries.observations(store, dataset)
            return [r for t in dict.fromkeys(terms) for r in summaries.observations(store, dataset, council=t)]

        status_all = sorted(summaries.values(observed("status")),  # the query's order
                            key=lambda r: (r["council_name"] or "", r["review_name"] or "", -int(r["actions"]),
                                           r["status"]))
        theme_all = summaries.values(observed("theme"))
    else:
        status_all = run_query(store, "status-by-council")[1].values()
        theme_all = run_query(store, "theme-coverage-by-council")[1].values()
    status_rows = [r for r in status_all if not wanted or r["council"] in wanted]
    theme_rows = [r for r in theme_all if not wanted or r["council"] in wanted]
    councils = sorted({r["council_name"] for r in status_rows + theme_rows})
    status: dict[str, dict[str, int]] = {}
    for r in status_rows:
        cell = status.setdefault(r["status"], {})
        cell[r["council_name"]] = cell.get(r["council_name"], 0) + int(r["actions"])
    themes: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    for r in theme_rows:
        themes.setdefault((r["scheme_name"], r["shared_theme_name"]), {})[r["council_name"]] = (
            int(r["recommendations"]), int(r["actions"]))
    return Comparison(councils, status, dict(sorted(themes.items())))


# --- network views -----------------------------------------------------------------------------------------------

@dataclass
class NetworkFilters:
    """What a network view shows; each is a name or IRI, or None for all."""

    council: str | None = None
    review: str | None = None
    theme: str | None = None
    status: str | None = None
    focus: str | None = None  # a recommendation or action IRI: its chain only


def network_facets(store: GraphStore, *, council: str | None = None) -> dict[str, list[dict]]:
    """The councils, reviews, themes and statuses a network view can be filtered by. Councils by name; the others
    with how many actions carry them, counted over the actions of ``council`` (a name or IRI) when given, so the
    choices follow the council chosen and are read from its neighbourhood alone, else over every action.

    :raises QueryError: a council that names none or several."""
    facets: dict[str, list[dict]] = {"council": [], "review": [], "theme": [], "status": []}
    facets["council"] = [{"value": r["value"], "label": r["label"], "actions": None}
                         for r in memo.kept(store, "network councils", lambda: store.select(_network_query("councils")).values())]
    if council is None:  # every action's: a whole-corpus view, kept with the snapshot
        counted, labels = memo.kept(store, "network facets", lambda: _counted_facets(store, None))
    else:
        actions = scoped_actions(store, {"council": council_term(store, council)})
        counted, labels = _counted_facets(store, actions)
    for r in counted:
        if r["value"] in labels:
            facets[r["facet"]].append({"value": r["value"], "label": labels[r["value"]], "actions": int(r["actions"])})
    for options in facets.values():
        options.sort(key=lambda o: (o["label"].casefold(), o["value"]))
    return facets


def _counted_facets(store: GraphStore, actions: list[str] | None) -> tuple[list[dict], dict[str, str]]:
    """The facets' values with the number of ``actions`` (every action when None) carrying each, and their labels."""
    if actions is None:
        counted = store.select(_network_query("facets")).values()
    else:
        counted = store.select(queries.with_rows(_network_query("facets"), ["action"],
                                                 [(NamedNode(a),) for a in actions])).values() if actions else []
    values = sorted({r["value"] for r in counted})
    labels = {r["value"]: r["label"] for r in store.select(queries.with_rows(
        _network_query("facet-labels"), ["value"], [(NamedNode(v),) for v in values])).values()} if values else {}
    return counted, labels


def _network_query(name: str) -> str:
    return queries.query_text("network", name)


#: The filters in the order they narrow a view: the most selective first, each next one run on the actions left.
SCOPE_ORDER = ("council", "review", "focus", "theme", "status")


def scoped_actions(store: GraphStore, bound: dict[str, NamedNode]) -> list[str]:
    """The IRIs of the actions that every bound filter selects (``council``, ``review``, ``focus``, ``theme``,
    ``status``). Each filter is one query of ``queries/network/scope/``; the first runs on its value, each next one
    on the actions left (bound as rows), so the work follows the actions selected, not the store's size."""
    actions: list[str] | None = None
    for name in (n for n in SCOPE_ORDER if n in bound):
        query = _network_query(f"scope/{name}")
        if actions is None:
            query = queries.with_values(query, {name: bound[name]})
        elif not actions:
            return []
        else:
            query = queries.with_rows(query, ["action", name], [(NamedNode(a), bound[name]) for a in actions])
        actions = [r["action"] for r in store.select(query).values()]
    return sorted(actions or [])


def network_around(store: GraphStore, actions: list[str], *, recommendations: list[NamedNode] = ()):
    """The network's edges touching ``actions`` (their recommendations, posts and the people holding them, bodies
    and councils) and the councils ``recommendations`` were made to, as :func:`build_network` builds them: the
    part of the whole network that a view of those actions shows, read without reading the rest."""
    from govgraph.visualise.network import build_network

    edges = []
    if actions:
        edges += store.select(queries.with_rows(_network_query("around"), ["action"],
                                                [(NamedNode(a),) for a in actions])).values()
    if recommendations:
        edges += store.select(queries.with_rows(_network_query("made-to"), ["source"],
                                                [(r,) for r in recommendations])).values()
    nodes = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    labels = {}
    if nodes:
        labels = {r["node"]: r["name"] for r in store.select(queries.with_rows(
            _network_query("labels-of"), ["node"], [(NamedNode(n),) for n in nodes])).values()}
    return build_network(edges, labels)


def network(store: GraphStore, filters: NetworkFilters):
    """The accountability network restricted to the actions the filters select (and the recommendations, posts,
    people, bodies and councils linked to them), as a networkx graph whose nodes carry ``url`` and ``detail``.

    :raises QueryError: a filter value that names nothing.
    """
    from govgraph.visualise.network import build_network, fetch

    classes = {"council": "gg:Council", "review": "gg:Review", "theme": "skos:Concept", "status": "skos:Concept"}
    bound: dict = {}
    for name, cls in classes.items():
        raw = getattr(filters, name)
        if raw:
            bound[name] = queries.resolve_term(store, queries.Parameter(name, "iri", cls), raw)
    if filters.focus:
        try:
            bound["focus"] = NamedNode(filters.focus)
        except ValueError as exc:
            raise queries.QueryError(f"focus must be the IRI of a recommendation or action, not {filters.focus!r}") \
                from exc
    if not bound:
        graph = build_network(*fetch(store))
    else:
        actions = scoped_actions(store, bound)
        graph = network_around(store, actions, recommendations=[bound["focus"]] if "focus" in bound else [])
        keep = set(actions)
        for action in actions:
            if action not in graph:
                continue
            for other in list(graph.successors(action)) + list(graph.predecessors(action)):
                keep.add(other)
                if graph.nodes[other]["kind"] == "post":
                    keep.update(graph.successors(other))
        if filters.focus and filters.focus in graph:
            keep.add(filters.focus)
        graph = graph.subgraph(keep).copy()
    return _described(store, graph)


#: The kinds of node a document numbers ("2.2", "R6"); the map shows the number before the text.
NUMBERED = ("recommendation", "action")


def _described(store: GraphStore, graph):
    """The graph's nodes given their page (``url``), their hover text (``detail``) and, for recommendations and
    actions, the ``number`` their document gives them (one query, bound to those nodes alone)."""
    numbered = [n for n, d in graph.nodes(data=True) if d["kind"] in NUMBERED]
    numbers = {r["node"]: r["number"] for r in store.select(queries.with_rows(
        _network_query("numbers-of"), ["node"], [(NamedNode(n),) for n in numbered])).values()} if numbered else {}
    for node, data in graph.nodes(data=True):
        data["url"] = page_path(node)
        if numbers.get(node):
            data["number"] = numbers[node]
        council = graph.nodes[data["council"]]["label"] if data.get("council") in graph else None
        data["detail"] = "\n".join(x for x in (f"{data['kind']}: {data['label']}", council) if x)
    return graph


#: At most this many actions are read around one node when its neighbours are asked for (a council's own).
NEIGHBOURHOOD_ACTIONS = 2000


def network_neighbours(store: GraphStore, node: str):
    """The nodes next to ``node`` (an IRI of the network: a recommendation, action, post, person, body or
    council) and the links between them and it, as a graph shaped like :func:`network`'s: what a map adds when
    one of its nodes is expanded. Read from the actions next to the node (``queries/network/touching.rq``), at
    most :data:`NEIGHBOURHOOD_ACTIONS` of them, so the work follows the node's neighbourhood.

    :raises QueryError: ``node`` is not an IRI, or names nothing in the network."""
    try:
        term = NamedNode(node)
    except ValueError as exc:
        raise queries.QueryError(f"node must be the IRI of a node of the network, not {node!r}") from exc
    actions = sorted(r["action"] for r in store.select(queries.with_values(
        _network_query("touching"), {"node": term})).values())[:NEIGHBOURHOOD_ACTIONS]
    around = network_around(store, actions, recommendations=[term])
    if node not in around:
        raise queries.QueryError(f"{node} is not a node of the accountability network")
    keep = {node, *around.successors(node), *around.predecessors(node)}
    return _described(store, around.subgraph(keep).copy())
