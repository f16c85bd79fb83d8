"""Figures across the whole corpus, kept at load time: each council's summary graph holds its figures as W3C Data
Cube observations (``qb:Observation``), so the dashboard, the comparison, a council over time and the report read a
few thousand observations instead of aggregating ten million triples.

How a council's figures are made: the graphs its figures come from (its documents, its identity graph, and any
graph saying something of it or of its things: ``queries/summary/neighbourhood.rq``, bound to the council) are
copied with the vocabulary into a scratch store, and the named queries themselves (``review-headlines``, the gap
queries counted, ``status-by-council``, ``theme-coverage-by-council``, ``council-over-time``, and open actions by due
date) run there. So the figures are the named queries' answers (the gap counts and open actions come from copies of
those queries' patterns, kept in step by the tests), and one council's cost grows with that council alone, not with
the store.

When they are made: :func:`summaries_for` is called by loading (:mod:`govgraph.server.loading`) with the graphs a
load or removal is about to write, so the summary graphs are written in the same step as the documents. Each summary
lists the documents it was made from (``gg:summarises``); the record graph holds the version of the figures, the
vocabulary digest, and the documents naming no council (RDF loaded as it is). A reader trusts the summaries only when
that record matches and every document graph is listed (:func:`is_current`); otherwise it runs the named queries
(the figures' callers do that), and a writer rebuilds them (:func:`ensure_summaries`, ``govgraph summarise``).
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Quad, Triple

from govgraph import queries
from govgraph.ontology import (
    GG,
    ID,
    ONTOLOGY_GRAPH,
    QB,
    RDF,
    SUMMARY_PREFIX,
    SUMMARY_RECORD_GRAPH,
    VOCABULARY_GRAPHS,
    XSD,
)
from govgraph.queries.store import ExportFormat, GraphStore, OxigraphStore

HERE = Path(queries.__file__).resolve().parent / "summary"
#: Bump when what the figures mean changes without any query text changing.
FORMAT = "1"


def _query(name: str) -> str:
    return queries.query_text("summary", name)


# --- the data sets ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DataSet:
    """One kind of figure: the query whose rows it keeps, its ``qb:DataSet``, and the columns that identify a row
    (the cube's dimensions). Every other column is a measure or an attribute."""

    name: str
    query: str  # a named query, or one of queries/summary/ (its columns then given here)
    node: NamedNode
    dimensions: tuple[str, ...]
    columns: tuple[str, ...] = ()  # a query of queries/summary/: the columns kept


DATASETS = (
    DataSet("review", "review-headlines", GG.reviewFigures, ("council", "review")),
    DataSet("status", "status-by-council", GG.statusMix, ("council", "review", "status")),
    DataSet("theme", "theme-coverage-by-council", GG.themeCoverage, ("council", "shared_theme")),
    DataSet("document", "council-over-time", GG.documentFigures, ("council", "document")),
    DataSet("due", "open-actions", GG.openActionsByDueDate, ("council", "review", "latest_end"),
            ("council", "review", "latest_end", "open_actions")),
    DataSet("words", "status-words", GG.statusWordCounts, ("council", "status_words", "status"),
            ("council", "council_name", "status_words", "status", "edited", "actions")),
    DataSet("words-year", "status-words", GG.statusWordsByYear, ("council", "year", "status_words", "status"),
            ("council", "council_name", "year", "status_words", "status", "edited", "actions")),
    DataSet("theme-year", "theme-years", GG.themeCoverageByYear, ("council", "year", "shared_theme"),
            ("council", "council_name", "year", "scheme_name", "shared_theme", "shared_theme_name",
             "recommendations", "actions")),
)
DATASET = {d.name: d for d in DATASETS}

#: The gap queries, counted per council and review into the review figures (by ``queries/summary/gap-counts.rq``,
#: one branch per query).
GAP_COUNTS = {"recommendations-without-actions": "without_action", "actions-without-owner": "without_owner",
              "actions-without-oversight": "without_oversight", "actions-without-due-date": "without_due_date"}

#: Each column of the queries above as the property an observation holds it by.
PROPERTY = {
    "council": GG.refCouncil, "review": GG.refReview, "status": GG.refStatus, "shared_theme": GG.refSharedTheme,
    "document": GG.refDocument, "latest_end": GG.refDueDate,
    "council_name": GG.councilName, "review_name": GG.reviewName, "scheme_name": GG.schemeName,
    "shared_theme_name": GG.sharedThemeName, "issued": GG.documentIssued, "title": GG.documentTitle,
    "recommendations": GG.recommendationCount, "answered": GG.answeredCount,
    "complete_chains": GG.completeChainCount, "actions": GG.actionCount, "with_owner": GG.withOwnerCount,
    "with_oversight": GG.withOversightCount, "with_due_date": GG.withDueDateCount,
    "without_action": GG.withoutActionCount, "without_owner": GG.withoutOwnerCount,
    "without_oversight": GG.withoutOversightCount, "without_due_date": GG.withoutDueDateCount,
    "answered_share": GG.answeredShare, "open_actions": GG.openActionCount,
    "year": GG.refYear, "status_words": GG.refStatusWords, "edited": GG.mappingEdited,
}
#: The data sets read by a query of queries/summary/ rather than a named query.
SUMMARY_QUERIES = {d.query for d in DATASETS if d.columns}
COLUMN = {p.value: c for c, p in PROPERTY.items()}


def version() -> str:
    """What the figures are computed by: the format and the text of every query they run. A store whose
    summaries were made by another version is recomputed."""
    return _version(FORMAT)


@lru_cache(maxsize=4)
def _version(form: str) -> str:
    digest = hashlib.sha256(form.encode())
    for name in sorted({d.query for d in DATASETS} | set(GAP_COUNTS) | {"gap-counts"}):
        path = HERE / f"{name}.rq" if name in SUMMARY_QUERIES | {"gap-counts"} else queries.get_query(name).path
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- graph names ------------------------------------------------------------------------------------------------

def summary_graph(council: NamedNode) -> NamedNode:
    """The name of a council's summary graph."""
    return NamedNode(SUMMARY_PREFIX + council.value.rsplit("/", 1)[-1])


def is_summary_graph(graph: NamedNode) -> bool:
    """Whether a graph is one of the derived summary graphs (a council's, or the record of them all)."""
    return graph == SUMMARY_RECORD_GRAPH or graph.value.startswith(SUMMARY_PREFIX)


def is_derived(graph: NamedNode) -> bool:
    """Whether govgraph derives the graph (vocabulary, identity, summaries): not a document, not removable."""
    from govgraph.server.matching import is_identity_graph

    return graph in VOCABULARY_GRAPHS or is_identity_graph(graph) or is_summary_graph(graph)


# --- computing one council's figures -------------------------------------------------------------------------------

def neighbourhood(store: GraphStore, council: NamedNode) -> list[NamedNode]:
    """The graphs in the store one council's figures are made of (not the vocabulary, not the summaries)."""
    return neighbourhoods(store, [council])


#: Councils asked about in one query by :func:`neighbourhoods`.
NEIGHBOURHOOD_BATCH = 500


def neighbourhoods(store: GraphStore, councils: Iterable[NamedNode]) -> list[NamedNode]:
    """The graphs in the store any of ``councils``' figures are made of, asked in batches (one query per council
    took a second for the 2,000 councils a big RDF file can name)."""
    from govgraph.server.matching import is_identity_graph

    wanted = list(dict.fromkeys(councils))
    found: set[NamedNode] = set()
    for at in range(0, len(wanted), NEIGHBOURHOOD_BATCH):
        rows = store.select(queries.with_rows(_query("neighbourhood"), ["council"],
                                              [(c,) for c in wanted[at:at + NEIGHBOURHOOD_BATCH]])).rows
        found.update(r["g"] for r in rows if not is_derived(r["g"]) or is_identity_graph(r["g"]))
    return sorted(found, key=lambda g: g.value)


def touched(store: GraphStore, graph: NamedNode) -> set[NamedNode]:
    """The councils whose figures a graph in the store bears on: those it names, and those of the things it states
    something of or points at."""
    return {r["council"] for r in store.select(_query("touched"), bindings={"g": graph}).rows
            if r["council"] is not None}


def _rows(scratch: GraphStore, name: str) -> list[dict]:
    if name in SUMMARY_QUERIES:
        return scratch.select(_query(name)).rows
    return scratch.select(queries.get_query(name).sparql).rows


def figures(store: GraphStore, council: NamedNode, *, written: Mapping[NamedNode, list[Triple]] | None = None,
            removed: Iterable[NamedNode] = ()) -> tuple[list[Triple], list[NamedNode]]:
    """One council's summary graph as it must be once ``written`` (graph name → triples) is written and
    ``removed`` is gone, and the documents it was made from. No documents: no triples.

    Only the council's neighbourhood is read (:func:`neighbourhood`); the named queries run on a copy of it.
    """
    return _figures(store, [council], written=written, removed=removed)[council]


@dataclass(frozen=True)
class FileCopy:
    """A graph's content as an RDF file (parsed as the bulk loader parsed it) and the triples added after it."""

    path: Path
    format: ox.RdfFormat
    added: tuple[Triple, ...] = ()


def _figures(store: GraphStore, councils: list[NamedNode], *, written: Mapping[NamedNode, list[Triple]] | None,
             removed: Iterable[NamedNode], files: Mapping[NamedNode, FileCopy] | None = None
             ) -> dict[NamedNode, tuple[list[Triple], list[NamedNode]]]:
    """:func:`figures` of several councils from one copy of their neighbourhoods: a graph bearing on many councils
    (an RDF file of a whole region, say) is copied and queried once, not once per council."""
    written = dict(written or {})
    removed = set(removed)
    from govgraph.server.matching import identity_graph

    identities = {identity_graph(c) for c in councils}
    stored = [g for g in neighbourhoods(store, councils) if g not in removed and g not in written]
    fresh = {g: triples for g, triples in written.items()
             if g not in removed and not is_summary_graph(g)
             and (g in identities or any(t.subject in councils or t.object in councils for t in triples))}
    out: dict[NamedNode, tuple[list[Triple], list[NamedNode]]] = {c: ([], []) for c in councils}
    # no document of these councils among the graphs: no figures, and nothing to copy (a big RDF file that is no
    # council's document, say)
    fresh_sources = any(t.subject == g and t.predicate == GG.councilOf and t.object in councils
                        for g, triples in fresh.items() for t in triples)
    if not fresh_sources and stored and not any(
            r["council"] in councils for r in store.select(queries.with_rows(SOURCES, ["g"], [(g,) for g in stored]))
            .rows):
        return out
    if not fresh_sources and not stored:
        return out
    scratch = OxigraphStore.memory()
    inner = scratch.inner
    # copied as N-Quads, parsed by the engine: about twice as fast as building the triples in Python; a graph that
    # is a file is read from the file (a bulk-loaded million triples: 2.4 s, against 9 s dumped and parsed again)
    files = files or {}
    for g in [*VOCABULARY_GRAPHS, *stored]:
        if g in files:
            copy = files[g]
            inner.bulk_load(path=str(copy.path), format=copy.format, base_iri=copy.path.resolve().as_uri(),
                            to_graph=g)
            inner.extend(Quad(t.subject, t.predicate, t.object, g) for t in copy.added)
        else:
            inner.load(input=store.dump(format=ExportFormat.NQUADS, graph=g), format=ox.RdfFormat.N_QUADS)
    for g, triples in fresh.items():
        inner.extend(Quad(t.subject, t.predicate, t.object, g) for t in triples)
    sources: dict[NamedNode, list[NamedNode]] = {}
    for r in scratch.select(SOURCES).rows:
        if r["council"] in councils and r["g"] != identity_graph(r["council"]):
            sources.setdefault(r["council"], []).append(r["g"])
    if not sources:
        return out
    # one copy of each fact: a fact every document of the council states (its name, say) otherwise comes back once
    # per document in every join, and the counts (all of distinct things, per council) are the same either way
    inner.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } ; DROP NAMED")
    rows = {dataset.query: _rows(scratch, dataset.query) for dataset in DATASETS}
    gaps = scratch.select(_query("gap-counts")).rows
    for council, found in sources.items():
        out[council] = (_observations(council, rows, gaps), sorted(set(found), key=lambda g: g.value))
    return out


#: Councils summarised from one copy of their graphs by :func:`summarise` (memory holds that many councils' graphs).
SUMMARISE_BATCH = 50

SOURCES = queries.PREFIX_BLOCK + "SELECT ?council ?g WHERE { GRAPH ?g { ?g gg:councilOf ?council } }"


def _observations(council: NamedNode, all_rows: dict[str, list[dict]], gap_rows: list[dict]) -> list[Triple]:
    graph = summary_graph(council)
    slug = graph.value.rsplit("/", 1)[-1]
    out: list[Triple] = [Triple(graph, RDF.type, GG.SummaryGraph), Triple(graph, GG.summaryOf, council)]
    rows_by_set: dict[str, list[dict]] = {}
    for dataset in DATASETS:
        rows = [dict(r) for r in all_rows[dataset.query] if r.get("council") == council]
        if dataset.name == "due":  # one row per open action: counted by its date
            counts = Counter((r["review"], r["latest_end"]) for r in rows if r["latest_end"] is not None)
            rows = [{"council": council, "review": review, "latest_end": end,
                     "open_actions": Literal(str(n), datatype=XSD.integer)}
                    for (review, end), n in sorted(counts.items(), key=lambda kv: (kv[0][0].value, kv[0][1].value))]
        elif dataset.name == "words":  # the words' counts of every year added up (each action is of one year)
            summed: Counter = Counter()
            for r in rows:
                summed[tuple(r.get(c) for c in dataset.columns[:-1])] += int(r["actions"].value)
            rows = [{**dict(zip(dataset.columns[:-1], key)), "actions": Literal(str(n), datatype=XSD.integer)}
                    for key, n in summed.items()]
        rows_by_set[dataset.name] = rows
    reviews = {(r["council"], r["review"]): r for r in rows_by_set["review"]}
    for counted in gap_rows:
        if counted["council"] != council:
            continue
        row = reviews.get((council, counted["review"]))
        if row is None:  # a gap in a review the headlines do not show: kept, so no gap is lost
            row = reviews[(council, counted["review"])] = {"council": council, "review": counted["review"]}
            rows_by_set["review"].append(row)
        for column in GAP_COUNTS.values():
            row[column] = counted[column]
    for row in rows_by_set["review"]:
        for column in GAP_COUNTS.values():
            row.setdefault(column, Literal("0", datatype=XSD.integer))
    for dataset in DATASETS:
        for row in rows_by_set[dataset.name]:
            key = "\x1f".join(row[d].value if row.get(d) is not None else "" for d in dataset.dimensions)
            obs = ID[f"summary/{slug}/{dataset.name}/{hashlib.sha256(key.encode()).hexdigest()[:16]}"]
            out += [Triple(obs, RDF.type, QB.Observation), Triple(obs, QB.dataSet, dataset.node)]
            out += [Triple(obs, PROPERTY[c], v) for c, v in row.items() if v is not None and c in PROPERTY]
    return list(dict.fromkeys(out))


def summaries_for(store: GraphStore, councils: Iterable[NamedNode], *,
                  written: Mapping[NamedNode, list[Triple]] | None = None, removed: Iterable[NamedNode] = (),
                  files: Mapping[NamedNode, FileCopy] | None = None
                  ) -> tuple[dict[NamedNode, list[Triple]], list[NamedNode]]:
    """The summary graphs of ``councils`` as they must be once ``written`` is written and ``removed`` is gone:
    (graphs to write, graphs to remove), to be written in the same step as the documents. ``files``: graphs in the
    store that hold exactly an RDF file (and a few triples more), read from that file rather than copied out of
    the store."""
    wanted = list(dict.fromkeys(c for c in councils if c is not None))
    write: dict[NamedNode, list[Triple]] = {}
    drop: list[NamedNode] = []
    if not wanted:
        return write, drop
    for council, (observations, sources) in _figures(store, wanted, written=written, removed=removed,
                                                     files=files).items():
        graph = summary_graph(council)
        if sources:
            write[graph] = observations + [Triple(graph, GG.summarises, g) for g in sources]
        else:
            drop.append(graph)
    return write, drop


# --- the record of what the summaries cover -------------------------------------------------------------------------

def _vocabulary_digest(store: GraphStore) -> str | None:
    rows = store.select("SELECT ?g ?p ?digest WHERE { GRAPH ?g { ?g ?p ?digest } }",
                        bindings={"g": ONTOLOGY_GRAPH, "p": GG.sha256}).rows
    return rows[0]["digest"].value if rows else None


def record(store: GraphStore, unattached: Iterable[NamedNode]) -> list[Triple]:
    """The record graph's triples: the version of the figures, the vocabulary digest and the documents that name
    no council (whose figures, if any, are in the summaries of the councils they bear on)."""
    g = SUMMARY_RECORD_GRAPH
    out = [Triple(g, RDF.type, GG.SummaryRecord), Triple(g, GG.summaryVersion, Literal(version())),
           Triple(g, GG.vocabularyDigest, Literal(_vocabulary_digest(store) or ""))]
    return out + [Triple(g, GG.summarises, d) for d in sorted(set(unattached), key=lambda n: n.value)]


def unattached_documents(store: GraphStore) -> set[NamedNode]:
    """The documents the record lists (those naming no council of their own)."""
    return {t.object for t in store.triples(SUMMARY_RECORD_GRAPH) if t.predicate == GG.summarises}


def is_current(store: GraphStore) -> bool:
    """Whether the summaries can be trusted: made by this version, with the vocabulary in the store, from exactly
    the documents now loaded."""
    facts = {(t.predicate, t.object.value) for t in store.triples(SUMMARY_RECORD_GRAPH)}
    if (GG.summaryVersion, version()) not in facts or \
            (GG.vocabularyDigest, _vocabulary_digest(store) or "") not in facts:
        return False
    listed = {r["document"] for r in store.select(_query("sources")).rows}
    return listed == {g for g in store.graphs() if not is_derived(g)}


def summarise(store: GraphStore) -> int:
    """Recompute every council's summary and the record, replacing what was there. Returns the number of councils.
    :raises StoreError: the store is read-only or the write fails."""
    from govgraph.server.matching import COUNCIL_DOCUMENTS

    councils = sorted({r["council"] for r in store.select(COUNCIL_DOCUMENTS).rows}, key=lambda c: c.value)
    documents = [g for g in store.graphs() if not is_derived(g)]
    attached = {r["g"] for r in store.select(COUNCIL_DOCUMENTS).rows}
    unattached = [g for g in documents if g not in attached]
    councils = sorted(set(councils) | {c for g in unattached for c in touched(store, g)}, key=lambda c: c.value)
    stale = [g for g in store.graphs() if is_summary_graph(g) and g != SUMMARY_RECORD_GRAPH]
    for at in range(0, len(councils), SUMMARISE_BATCH):  # councils in batches: one copy of their graphs each
        write, drop = summaries_for(store, councils[at:at + SUMMARISE_BATCH])
        store.replace_graphs(write, remove=drop)
    keep = {summary_graph(c) for c in councils}
    store.replace_graphs({SUMMARY_RECORD_GRAPH: record(store, unattached)},
                         remove=[g for g in stale if g not in keep])
    return len(councils)


def ensure_summaries(store: GraphStore) -> bool:
    """Recompute the summaries when they are missing or out of date (a store made before them, another vocabulary,
    another version); return whether it did. A read-only store is left alone (its readers fall back to the named
    queries)."""
    if store.read_only or is_current(store):
        return False
    summarise(store)
    return True


# --- reading ------------------------------------------------------------------------------------------------------

def observations(store: GraphStore, dataset: str, *, council: NamedNode | None = None) -> list[dict]:
    """The rows one data set keeps (``review``, ``status``, ``theme``, ``document``, ``due``, ``words``,
    ``words-year``, ``theme-year``), each a dict of the
    named query's columns to terms, for every council or one. :raises KeyError: an unknown data set."""
    node = DATASET[dataset].node
    rows: dict[str, dict] = defaultdict(dict)
    if council is not None:  # one council's figures: its own summary graph, found by name
        triples = store.triples(summary_graph(council))
        wanted = {t.subject for t in triples if t.predicate == QB.dataSet and t.object == node}
        found = ((t.subject, t.predicate, t.object) for t in triples if t.subject in wanted)
    else:  # every council's: one row per observation, its columns joined by the engine (3x faster than pivoting here)
        result = store.select(_observations_query(dataset), bindings={"dataset": node})
        return [{c: r[c] for c in result.variables if c in PROPERTY and r[c] is not None} for r in result.rows]
    for obs, p, o in found:
        column = COLUMN.get(p.value)
        if column:
            rows[obs.value][column] = o
    return [r for r in rows.values() if council is None or r.get("council") == council]


def columns(dataset: str) -> list[str]:
    """The columns a data set keeps: its query's, and for the review figures the gap counts."""
    query = DATASET[dataset].query
    if DATASET[dataset].columns:
        return list(DATASET[dataset].columns)
    names = [c for c, _ in queries.get_query(query).columns] + (list(GAP_COUNTS.values()) if dataset == "review"
                                                                  else [])
    return [c for c in names if c in PROPERTY]


@lru_cache(maxsize=8)
def _observations_query(dataset: str) -> str:
    cols = columns(dataset)
    optional = "\n".join(f"  OPTIONAL {{ ?obs <{PROPERTY[c].value}> ?{c} }}" for c in cols)
    return (queries.PREFIX_BLOCK + f"SELECT ?dataset ?obs {' '.join('?' + c for c in cols)} WHERE {{\n"
            f"  ?obs qb:dataSet ?dataset .\n{optional}\n}}")


def values(rows: list[dict]) -> list[dict[str, str | None]]:
    """Rows of terms as rows of plain strings, as :meth:`SelectResult.values` gives them."""
    return [{k: (None if v is None else v.value) for k, v in r.items()} for r in rows]


def overdue_counts(store: GraphStore, as_of: str, *, council: NamedNode | None = None) -> Counter:
    """Actions overdue at ``as_of`` (YYYY-MM-DD) per (council IRI, review IRI): the open actions whose latest due
    date is before it."""
    out: Counter = Counter()
    if council is None:  # every council's: summed by the engine (read row by row here, 0.7 s at 1,000 councils)
        from pyoxigraph import Literal

        result = store.select(queries.with_values(_overdue_query(), {"dataset": DATASET["due"].node,
                                                                     "as_of": Literal(as_of)}))
        for r in result.values():
            out[(r["council"], r["review"])] += int(r["overdue"])
        return out
    for r in observations(store, "due", council=council):
        if r["latest_end"].value < as_of:
            out[(r["council"].value, r["review"].value)] += int(r["open_actions"].value)
    return out


@lru_cache(maxsize=1)
def _overdue_query() -> str:
    p = {c: f"<{PROPERTY[c].value}>" for c in ("council", "review", "latest_end", "open_actions")}
    return (queries.PREFIX_BLOCK + "SELECT ?council ?review (SUM(?n) AS ?overdue) WHERE {\n"
            f"  ?obs qb:dataSet ?dataset ; {p['council']} ?council ; {p['review']} ?review ;\n"
            f"       {p['latest_end']} ?end ; {p['open_actions']} ?n .\n"
            "  FILTER(STR(?end) < ?as_of)\n} GROUP BY ?council ?review")
