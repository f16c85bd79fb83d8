"""Figures across councils: the dashboard, the comparison and the network views."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pyoxigraph import NamedNode

from govgraph import queries
from govgraph.ontology import GG
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


@dataclass(frozen=True)
class StatusWords:
    """Some of a council's own status words and the common status they are counted at: ``status`` is the common
    scale's label (or the words themselves where they map to none of it), ``concept`` its gg:Statuses IRI (None
    then), ``edited`` whether a mapping loaded as data chose it, ``actions`` how many actions' latest status they
    are (in the years chosen). ``words`` is None for actions no document gives a status."""

    council: str
    council_iri: str
    words: str | None
    status: str
    concept: str | None
    edited: bool
    actions: int


@dataclass
class Comparison:
    """Councils side by side: ``councils`` (names, in order); ``status[status][council]`` and
    ``themes[(scheme, theme)][council]`` hold counts (themes as (recommendations, actions)); ``words`` each
    council's own status words with the common status each is counted at (when ``words_listed``: councils were
    chosen, or there are few); ``years`` the document years the
    councils have (for choosing); ``undated`` how many actions of undated documents are left out by a choice of
    years."""

    councils: list[str]
    status: dict[str, dict[str, int]]
    themes: dict[tuple[str, str], dict[str, tuple[int, int]]]
    words: list[StatusWords] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    undated: int = 0
    words_listed: bool = True  # False: too many councils to list their words with none chosen


def compare(store: GraphStore, *, council: list[str] | None = None, year_from: int | None = None,
            year_to: int | None = None, every_word: bool = False) -> Comparison:
    """Status mix and shared-theme coverage per council, for the compare page and ``/api/compare``, counted over
    the documents of the years from ``year_from`` to ``year_to`` (each bound optional; none: every document,
    undated ones too); from the summaries when they are current, else from their queries run on the store.
    Each council's own status words are listed when councils are chosen, there are few, or ``every_word``.
    Kept per read snapshot.

    :raises QueryError: an unknown council, or a year range that ends before it starts."""
    if year_from is not None and year_to is not None and year_from > year_to:
        raise queries.QueryError(f"the years run from {year_from} to {year_to}: 'from' must not be after 'to'")
    terms = list(dict.fromkeys(council_term(store, c) for c in council or []))
    return memo.kept(store, ("compare", tuple(t.value for t in terms), year_from, year_to, every_word),
                     lambda: _compare(store, terms, year_from, year_to, every_word))


#: Up to this many councils, compare lists every council's own status words with none chosen.
WORDS_LISTED = 25


def _compare(store: GraphStore, terms: list[NamedNode], year_from: int | None, year_to: int | None,
             every_word: bool) -> Comparison:
    wanted = {t.value for t in terms}
    chosen = year_from is not None or year_to is not None
    summarised = summaries.is_current(store)

    def observed(dataset: str) -> list[dict]:  # the chosen councils' own summary graphs, or every council's
        if not terms:
            return summaries.values(summaries.observations(store, dataset))
        return summaries.values([r for t in terms for r in summaries.observations(store, dataset, council=t)])

    def queried(folder: str, name: str) -> list[dict]:  # the same rows, from the queries the summaries run
        return store.select(queries.query_text(folder, name)).values()

    def in_years(r: dict) -> bool:
        year = r.get("year")
        return bool(year) and (year_from is None or int(year) >= year_from) and (year_to is None or
                                                                              int(year) <= year_to)

    undated = 0
    word_rows: list[dict] | None = None
    if chosen:  # some years: the status mix from the words of those years' documents, and their themes
        word_rows = observed("words-year") if summarised else queried("summary", "status-words")
        theme_rows = observed("theme-year") if summarised else queried("summary", "theme-years")
        word_rows = [r for r in word_rows if not wanted or r["council"] in wanted]
        undated = sum(int(r["actions"]) for r in word_rows if not r.get("year"))
        word_rows = [r for r in word_rows if in_years(r)]
        theme_rows = [r for r in theme_rows if (not wanted or r["council"] in wanted) and in_years(r)]
        status_rows = word_rows
    else:  # every year: status-by-council's and theme-coverage-by-council's figures, as read before years
        status_rows = observed("status") if summarised else run_query(store, "status-by-council")[1].values()
        theme_rows = observed("theme") if summarised else \
            run_query(store, "theme-coverage-by-council")[1].values()
        status_rows = [r for r in status_rows if not wanted or r["council"] in wanted]
        theme_rows = [r for r in theme_rows if not wanted or r["council"] in wanted]
    councils = sorted({r["council_name"] for r in status_rows + theme_rows if r.get("council_name")})
    status: dict[str, dict[str, int]] = {}
    for r in status_rows:
        cell = status.setdefault(r["status"], {})
        cell[r["council_name"]] = cell.get(r["council_name"], 0) + int(r["actions"])
    themes: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    for r in theme_rows:
        cell = themes.setdefault((r["scheme_name"], r["shared_theme_name"]), {})
        before = cell.get(r["council_name"], (0, 0))
        cell[r["council_name"]] = (before[0] + int(r["recommendations"]), before[1] + int(r["actions"]))
    if word_rows is None and (terms or every_word or len(councils) <= WORDS_LISTED):  # a list one can read
        word_rows = observed("words") if summarised else queried("summary", "status-words")
        word_rows = [r for r in word_rows if not wanted or r["council"] in wanted]
    words: Counter = Counter()
    for r in word_rows or []:
        words[(r["council_name"], r["council"], r.get("status_words"), r["status"],
               GG["status-" + r["status"].replace(" ", "-")].value if r["status"] in SCALE else None,
               r.get("edited") == "true")] += int(r["actions"])
    listed = sorted((StatusWords(*key, n) for key, n in words.items()),
                    key=lambda w: (w.council, w.words is None, (w.words or "").casefold(), w.status))
    scale = list(SCALE)  # the common scale's order; a council's own words after it, 'no status reported' last
    status = dict(sorted(status.items(), key=lambda kv: (
        kv[0] == "no status reported", scale.index(kv[0]) if kv[0] in scale else len(scale), kv[0])))
    return Comparison(councils, status, dict(sorted(themes.items())), listed,
                      _years(store, terms, summarised=summarised), undated, words_listed=word_rows is not None)


def _years(store: GraphStore, terms: list[NamedNode], *, summarised: bool) -> list[str]:
    """The years of the documents of the councils (every council's when none), to choose from: every council's
    read from the summaries when they are current (a sixth of the time at 1,000 councils), some councils' from
    their documents."""
    if summarised and not terms:
        return [r["year"] for r in store.select(queries.query_text("compare", "years-summarised")).values()]
    query = queries.query_text("compare", "years")
    if terms:
        query = queries.with_rows(query, ["council"], [(t,) for t in terms])
    return [r["year"] for r in store.select(query).values()]


@lru_cache(maxsize=1)
def shared_themes() -> list[tuple[str, str]]:
    """Every concept of the shared theme schemes (``ontology/themes.ttl``) as (scheme name, theme name): the
    schemes by name, as the comparison lists them, each scheme's themes by notation."""
    import pyoxigraph as ox

    from govgraph.ontology import SKOS, THEMES_FILE

    triples = list(ox.parse(path=str(THEMES_FILE), format=ox.RdfFormat.TURTLE))
    value = {(t.subject, t.predicate): t.object.value for t in triples}
    themes = [(value[(t.object, SKOS.prefLabel)], value.get((t.subject, SKOS.notation), ""),
               value[(t.subject, SKOS.prefLabel)]) for t in triples if t.predicate == SKOS.inScheme]
    return [(scheme, theme) for scheme, _, theme in sorted(themes)]


#: The common status scale's labels in the order the comparison lists them (gg:Statuses, 'revised timescale'
#: counted as 'in progress', its broader status).
SCALE = ("completed", "on track", "in progress", "slippage", "not started", "deferred")


def status_words_turtle(words: list[StatusWords]) -> str:
    """Each council's own status words as a SKOS concept scheme in Turtle, the scheme the council's
    (``gg:statusWords``), each words a ``skos:Concept`` with the words as printed as its ``skos:prefLabel`` and a
    ``skos:exactMatch`` to the gg:Statuses concept they are counted at (none for words that map to none). Loaded
    back with ``govgraph load`` (edited or not), the file's mapping takes precedence over the reading of the words.

    >>> text = status_words_turtle([StatusWords("Derby", "https://w3id.org/govgraph/id/council/derby", "Amber",
    ...                                         "slippage", "https://w3id.org/govgraph/def#status-slippage", False, 3)])
    >>> print(text[text.index("<https://w3id.org/govgraph/id/status-words/derby/amber>"):].expandtabs(2))
    <https://w3id.org/govgraph/id/status-words/derby/amber> a skos:Concept ;
      skos:inScheme <https://w3id.org/govgraph/id/status-words/derby> ;
      skos:prefLabel "Amber" ;
      skos:scopeNote "The latest status of 3 actions in the years shown."@en ;
      skos:exactMatch gg:status-slippage .
    <BLANKLINE>
    """
    import re

    import pyoxigraph as ox
    from pyoxigraph import Literal, Triple

    from govgraph.ontology import GG, ID, RDF, SKOS

    triples: list[Triple] = []
    for w in words:
        if not w.words:
            continue
        council = NamedNode(w.council_iri)
        slug = w.council_iri.rstrip("/").rsplit("/", 1)[-1]
        scheme = ID[f"status-words/{slug}"]
        concept = ID[f"status-words/{slug}/{re.sub(r'[^a-z0-9]+', '-', w.words.casefold()).strip('-') or 'words'}"]
        triples += [Triple(council, RDF.type, GG.Council), Triple(council, GG.statusWords, scheme), Triple(scheme, RDF.type, SKOS.ConceptScheme),
                    Triple(scheme, SKOS.prefLabel, Literal(f"Status words of {w.council}", language="en")),
                    Triple(concept, RDF.type, SKOS.Concept), Triple(concept, SKOS.inScheme, scheme),
                    Triple(concept, SKOS.prefLabel, Literal(w.words)),
                    Triple(concept, SKOS.scopeNote, Literal(
                        f"The latest status of {w.actions} action{'s' if w.actions != 1 else ''} in the years shown.",
                        language="en"))]
        if w.concept:
            triples.append(Triple(concept, SKOS.exactMatch, NamedNode(w.concept)))
    prefixes = {"gg": GG.prefix, "skos": SKOS.prefix}
    return TURTLE_HEADER + ox.serialize(list(dict.fromkeys(triples)), format=ox.RdfFormat.TURTLE,
                                        prefixes=prefixes).decode()


TURTLE_HEADER = """\
# Each council's own status words (skos:prefLabel, as printed) and the common status each is counted at
# (skos:exactMatch, a concept of gg:Statuses). To count some words at another status, change the skos:exactMatch
# (or use skos:closeMatch or skos:broadMatch) to one of gg:status-completed, gg:status-on-track,
# gg:status-in-progress, gg:status-slippage, gg:status-not-started, gg:status-deferred, and load this file:
#   govgraph load status-words.ttl
# The file's mapping then takes precedence over how the words were read. Remove its graph to go back:
#   govgraph remove <its graph, as govgraph documents lists it>
"""


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
