"""Named queries, the coverage-gap report, the audit committee's report, export, validation against the shapes, and
extraction as JSON."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from govgraph import queries
from govgraph.loaders import LoadedDocument, LoadOptions
from govgraph.ontology import PREFIXES, SHAPES_FILE, VOCABULARY_GRAPHS
from govgraph.queries.extract import document_json
from govgraph.queries.store import ExportFormat, GraphStore, OxigraphStore, SelectResult
from govgraph.server.loading import documents
from govgraph.server.stores import ensure_vocabulary

#: The named queries that make up the coverage-gap report, in the order they are shown.
GAP_QUERIES = ("recommendations-without-actions", "actions-without-owner", "actions-without-oversight",
               "actions-without-due-date")


# --- queries, reports, export, validation ----------------------------------------------------------------------

def run_query(store: GraphStore, name_or_file: str, params: dict[str, str] | None = None
              ) -> tuple[queries.NamedQuery, SelectResult]:
    """Run a named query (or a ``.rq`` file). :raises QueryError: unknown query or parameters."""
    query = queries.get_query(name_or_file)
    return query, queries.run(store, query, params)


def gap_report(store: GraphStore, params: dict[str, str] | None = None
               ) -> list[tuple[queries.NamedQuery, SelectResult]]:
    """The coverage-gap queries, each with its rows."""
    return [run_query(store, name, params) for name in GAP_QUERIES]


def gap_counts(store: GraphStore, *, council: NamedNode | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """How many rows each gap query has per (council IRI, review IRI), keyed by the summaries' names
    (``without_action``, ``without_owner``, ``without_oversight``, ``without_due_date``); pairs with no gap are
    left out. From the summaries when they are current, else by running the gap queries."""
    from govgraph.server import memo

    if council is None:
        return memo.kept(store, "gap counts", lambda: _gap_counts(store, None))
    return _gap_counts(store, council)


def _gap_counts(store: GraphStore, council: NamedNode | None) -> dict[tuple[str, str], dict[str, int]]:
    from govgraph.server import summaries

    out: dict[tuple[str, str], dict[str, int]] = {}
    if summaries.is_current(store):
        for r in summaries.values(summaries.observations(store, "review", council=council)):
            counts = {c: int(r.get(c) or 0) for c in summaries.GAP_COUNTS.values()}
            if any(counts.values()):
                out[(r["council"], r["review"])] = counts
        return out
    params = {"council": council.value} if council is not None else None
    for name, column in summaries.GAP_COUNTS.items():
        for r in run_query(store, name, params)[1].values():
            cell = out.setdefault((r["council"], r["review"]), dict.fromkeys(summaries.GAP_COUNTS.values(), 0))
            cell[column] += 1
    return out


def council_figures(store: GraphStore, *, council: NamedNode | None = None, as_of: str) -> list[dict]:
    """Per council (by name): the dashboard's figures summed over its reviews, with its gap counts and the actions
    overdue at ``as_of``; each a dict with ``name`` and the figures' names."""
    from govgraph.server.figures import dashboard

    gaps = gap_counts(store, council=council)
    out: dict[str, dict] = {}
    for f in dashboard(store, as_of=as_of):
        if council is not None and f.council != council.value:
            continue
        cell = out.setdefault(f.council, Counter(name=f.council_name))
        for k in ("recommendations", "answered", "complete_chains", "actions", "with_owner", "with_oversight",
                  "with_due_date", "overdue"):
            cell[k] += getattr(f, k)
        for k, n in gaps.get((f.council, f.review), {}).items():
            cell[k] += n
    for cell in out.values():
        for k in ("without_action", "without_owner", "without_oversight", "without_due_date"):
            cell.setdefault(k, 0)
    return sorted(out.values(), key=lambda c: c["name"])


def export(store: GraphStore, fmt: ExportFormat, *, graph: NamedNode | None = None) -> bytes:
    return store.dump(format=fmt, graph=graph)


#: Export formats that keep the named graphs, and so can be imported as they are.
DATASET_FORMATS = {".nq": ExportFormat.NQUADS, ".trig": ExportFormat.TRIG}


def import_dataset(store: GraphStore, path: Path) -> dict[NamedNode, int]:
    """Load an export that keeps its graphs (``govgraph export --format nq`` or ``trig``) as it is: each named graph
    in the file replaces the graph of that name, in one step (a dataset past the store's single-update size goes
    graph by graph). This moves a store between backends without loss. Returns the triples per graph written.

    :raises ValueError: the file is not N-Quads or TriG, does not parse, or has triples outside any named graph
        (nothing is written then).
    :raises StoreError: the store refused the change.
    """
    import pyoxigraph as ox

    fmt = DATASET_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: import reads N-Quads (.nq) or TriG (.trig), the export formats that keep graphs")
    graphs: dict[NamedNode, dict] = {}
    try:
        for quad in ox.parse(path=str(path), format=fmt.rdf_format):
            if not isinstance(quad.graph_name, NamedNode):
                raise ValueError(  # noqa: TRY004 - the file's content, not an argument's typef"{path}: a triple outside any named graph ({quad.triple}); govgraph keeps every "
                                 "triple in a document's graph")
            graphs.setdefault(quad.graph_name, {})[quad.triple] = None
    except (SyntaxError, OSError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    store.replace_graphs({g: list(ts) for g, ts in graphs.items()})
    return {g: len(ts) for g, ts in graphs.items()}


@dataclass
class Violation:
    severity: str
    focus: str
    focus_label: str | None
    path: str | None
    message: str
    source: str | None


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]


def validate(store: GraphStore) -> ValidationReport:
    """Check the whole graph against ``ontology/shapes.ttl`` with pySHACL."""
    import rdflib
    from pyshacl import validate as shacl_validate

    data = rdflib.Graph()
    data.parse(data=store.dump(format=ExportFormat.NTRIPLES).decode("utf-8"), format="nt")
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    ont = rdflib.Graph()
    for path in VOCABULARY_GRAPHS.values():
        ont.parse(path, format="turtle")
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ont, inference="none",
                                          advanced=True, allow_warnings=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        violations.append(Violation(
            severity=str(results.value(result, sh.resultSeverity)).rsplit("#", 1)[-1],
            focus=str(focus),
            focus_label=_label(data, focus),
            path=_curie(path) if isinstance(path, rdflib.URIRef) else (str(path) if path else None),
            message=str(results.value(result, sh.resultMessage) or "does not conform"),
            source=_source_of(data, focus),
        ))
    violations.sort(key=lambda v: (v.source or "", v.focus, v.path or ""))
    return ValidationReport(bool(conforms), violations)


def _curie(iri) -> str:
    text = str(iri)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


def _label(data, node) -> str | None:
    import rdflib

    value = data.value(node, rdflib.RDFS.label)
    return str(value) if value is not None else None


def _source_of(data, node) -> str | None:
    """'file.csv:12' for a node read from a document, so a violation can be found in the source."""
    import rdflib

    prov = rdflib.Namespace(PREFIXES["prov"])
    dct = rdflib.Namespace(PREFIXES["dcterms"])
    gg = rdflib.Namespace(PREFIXES["gg"])
    doc = data.value(node, prov.wasDerivedFrom)
    if doc is None:
        return None
    file = data.value(doc, dct.source)
    lines = [int(line) for ev in data.objects(node, gg.evidence) for line in data.objects(ev, gg.sourceLine)]
    where = str(file) if file is not None else _curie(doc)
    return f"{where}:{min(lines)}" if lines else where


# --- extraction ----------------------------------------------------------------------------------------------

def extract(path: Path, options: LoadOptions | None = None) -> tuple[dict, LoadedDocument]:
    """Read one file and return its gold-schema JSON, built by querying the graph it loads into.

    :raises LoadError: the file cannot be read.
    """
    from govgraph.loaders.sandbox import load_file_isolated
    from govgraph.server.settings import get_settings, parse_limits

    loaded = load_file_isolated(path, options, parse_limits(get_settings()))
    store = OxigraphStore.memory()
    ensure_vocabulary(store)
    store.replace_graph(loaded.graph, loaded.triples)
    reading = document_json(store)
    reading["document"] = path.name
    return reading, loaded


# --- the report -------------------------------------------------------------------------------------------------

def build_report(store: GraphStore, *, council: str | None = None, as_of: str | None = None):
    """The gap and accountability report: headline figures per council, the gap lists with their sources, the
    comparison tables and the rankings of bodies and posts. :raises QueryError: unknown council or bad date."""
    from datetime import date

    from govgraph.server import summaries
    from govgraph.server.resources import council_term
    from govgraph.visualise.network import build_network, fetch, ranking
    from govgraph.visualise.report import Report, Table

    as_of = as_of or date.today().isoformat()
    params = {"council": council} if council else {}
    council_iri = council_term(store, council)

    def rows(name: str, extra: dict | None = None) -> list[dict]:
        return run_query(store, name, {**params, **(extra or {})})[1].values()

    def share(part: int, whole: int) -> str:
        return f"{part} ({part / whole:.0%})" if whole else "none"

    headline = Table("Headline figures", ["Council", "Recommendations", "Recommendations with actions",
                                          "Recommendations with a complete chain", "Actions", "Actions without an owner",
                                          "Actions without oversight", "Overdue actions"],
                     [[c["name"], str(c["recommendations"]),
                       share(c["recommendations"] - c["without_action"], c["recommendations"]),
                       share(c["complete_chains"], c["recommendations"]), str(c["actions"]), str(c["without_owner"]),
                       str(c["without_oversight"]), share(c["overdue"], c["actions"])]
                      for c in council_figures(store, council=council_iri, as_of=as_of)],
                     "A complete chain: the recommendation is answered by an action with an accountable post and an "
                     "oversight body.")

    def gap_table(name: str, title: str, sheet: str, extra_column: str | None = None, extra: dict | None = None
                  ) -> Table:
        result = rows(name, extra)
        columns = ["Council", "Review", "No.", "Text"] + ([extra_column.replace("_", " ").capitalize()]
                                                          if extra_column else []) + ["Source"]
        return Table(f"{title} ({len(result)})", columns,
                     [[r["council_name"], r["review_name"], r.get("number") or "", r["text"]]
                      + ([r.get(extra_column) or ""] if extra_column else []) + [r.get("source") or ""]
                      for r in result], sheet=sheet)

    sections = [
        gap_table("recommendations-without-actions", "Recommendations without actions", "No action"),
        gap_table("actions-without-owner", "Actions without an accountable officer", "No accountable officer",
                  "stated_gap"),
        gap_table("actions-without-oversight", "Actions without an oversight body", "No oversight body", "stated_gap"),
        gap_table("actions-without-due-date", "Actions without a readable due date", "No readable due date",
                  "due_as_printed"),
        gap_table("overdue-actions", f"Actions overdue at {as_of}", f"Overdue at {as_of}", "due_as_printed",
                  {"as_of": as_of}),
    ]
    if summaries.is_current(store):  # the same rows as the named queries, in their order
        status = sorted(summaries.values(summaries.observations(store, "status", council=council_iri)),
                        key=lambda r: (r["council_name"] or "", r["review_name"] or "", -int(r["actions"]),
                                       r["status"]))
        coverage = sorted(summaries.values(summaries.observations(store, "theme", council=council_iri)),
                          key=lambda r: (r["council_name"] or "", r["scheme_name"] or "", r["shared_theme"]))
    else:
        status, coverage = rows("status-by-council"), rows("theme-coverage-by-council")
    sections.append(Table("Status of actions by council and review", ["Council", "Review", "Status", "Actions"],
                          [[r["council_name"], r["review_name"], r["status"], r["actions"]] for r in status],
                          sheet="Status by council"))
    sections.append(Table("Recommendations and actions by shared theme",
                          ["Council", "Scheme", "Theme", "Recommendations", "Actions", "Share answered"],
                          [[r["council_name"], r["scheme_name"], r["shared_theme_name"], r["recommendations"],
                            r["actions"], r["answered_share"] or ""] for r in coverage], sheet="Shared themes"))
    stated = rows("stated-vs-found")
    sections.append(Table("What documents say they hold against what was read",
                          ["Council", "Document", "What", "Stated", "Found"],
                          [[r["council_name"], r["title"] or "", r["what"], r["stated"], r["found"]] for r in stated],
                          sheet="Stated against found"))
    scope = council_iri.value if council_iri is not None else None
    if council_iri is None:
        graph = build_network(*fetch(store))
    else:  # the council's own part of the network, read without the rest
        from govgraph.server.figures import network_around, scoped_actions

        graph = network_around(store, scoped_actions(store, {"council": council_iri}))
    sections.append(Table("Bodies by the actions they oversee", ["Body", "Actions"],
                          [[name, str(n)] for name, n in ranking(graph, "body", council=scope)[:15]],
                          sheet="Bodies by actions"))
    sections.append(Table("Posts by the actions they are accountable for", ["Post", "Actions"],
                          [[name, str(n)] for name, n in ranking(graph, "post", council=scope)[:15]],
                          sheet="Posts by actions"))
    mix: dict[str, dict[str, int]] = {}
    for r in status:
        mix.setdefault(r["council_name"], Counter())[r["status"]] += int(r["actions"])
    return Report(title="Accountability gaps in council action plans", as_of=as_of,
                  scope=f"Council: {headline.rows[0][0]}" if council and headline.rows else
                  f"{len(headline.rows)} council(s), {len(documents(store))} document(s)",
                  headline=headline, sections=sections, status_mix=mix)
