"""The service layer: what the CLI and the web server both do, and the only module that knows loaders, store and
queries together.

Data goes one way: file -> loader -> triples with provenance -> store (one named graph per document) -> named
query -> rows.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Triple

from govgraph import loaders, queries
from govgraph.loaders import LoadError, LoadOptions, LoadedDocument
from govgraph.loaders.model import Skipped
from govgraph.ontology import GG, ONTOLOGY_GRAPH, PREFIXES, RDF, RDFS, SHAPES_FILE, VOCABULARY_GRAPHS

RDFS_LABEL = RDFS.label
from govgraph.queries.extract import document_json
from govgraph.queries.store import ExportFormat, GraphStore, OxigraphStore, SelectResult, StoreError, open_store

#: The named queries that make up the coverage-gap report, in the order they are shown.
GAP_QUERIES = ("recommendations-without-actions", "actions-without-owner", "actions-without-oversight",
               "actions-without-due-date")
COUNTED = {GG.Recommendation: "recommendations", GG.Action: "actions", GG.Milestone: "milestones",
           GG.OfficerPost: "officer posts", GG.OversightBody: "oversight bodies", GG.Person: "people"}


# --- the store -------------------------------------------------------------------------------------------------

def vocabulary_digest() -> str:
    digest = hashlib.sha256()
    for path in VOCABULARY_GRAPHS.values():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_vocabulary(store: GraphStore) -> bool:
    """Load the ontology and theme schemes into their own graphs when missing or changed; return whether it did."""
    digest = vocabulary_digest()
    current = store.select(
        "SELECT ?g ?p ?digest WHERE { GRAPH ?g { ?g ?p ?digest } }",
        bindings={"g": ONTOLOGY_GRAPH, "p": GG.sha256},
    ) if not store.read_only else None
    if current is not None and [r["digest"].value for r in current.rows] == [digest]:
        return False
    if store.read_only:
        return False
    for graph, path in VOCABULARY_GRAPHS.items():
        triples = list(dict.fromkeys(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))
        if graph == ONTOLOGY_GRAPH:
            triples.append(Triple(graph, GG.sha256, Literal(digest)))
        store.replace_graph(graph, triples)
    return True


@contextmanager
def opened(location: str | Path, *, write: bool):
    """Open a store for one command. A read that finds the store held by a writer (a running server, say) falls
    back to a read-only snapshot. :raises StoreError: the store cannot be opened."""
    from govgraph.queries.store import StoreLockedError

    try:
        store = open_store(location, read_only=False)
    except StoreLockedError:
        if write:
            raise
        store = open_store(location, read_only=True)
    try:
        ensure_vocabulary(store)
        yield store
    finally:
        store.close()


# --- loading ---------------------------------------------------------------------------------------------------

@dataclass
class DocumentResult:
    """What happened to one file."""

    path: Path
    graph: NamedNode | None = None
    loader: str | None = None
    triples: int = 0
    counts: Counter = field(default_factory=Counter)
    skipped: list[Skipped] = field(default_factory=list)
    replaced: bool = False
    error: str | None = None


@dataclass
class LoadSummary:
    documents: list[DocumentResult] = field(default_factory=list)

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.error]

    @property
    def loaded(self) -> list[DocumentResult]:
        return [d for d in self.documents if not d.error]

    def totals(self) -> Counter:
        total: Counter = Counter()
        for d in self.loaded:
            total.update(d.counts)
        return total


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to load: files as given, and the files inside folders (recursively) whose suffix a loader claims.
    Hidden files and folders are left out. A path that does not exist is kept, so it is reported."""
    suffixes = set(loaders.supported_suffixes())
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*")
                            if p.is_file() and p.suffix.lower() in suffixes
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def count_things(triples: Iterable[Triple]) -> Counter:
    counts: Counter = Counter()
    for t in triples:
        if t.predicate == RDF.type and t.object in COUNTED:
            counts[COUNTED[t.object]] += 1
    return counts


def load_paths(store: GraphStore, paths: Iterable[Path], options: LoadOptions | None = None, *,
               on_file: Callable[[Path], None] | None = None) -> LoadSummary:
    """Load files and folders, each file into its own named graph, replacing what an earlier load of the same
    document put there. A file that fails is reported and changes nothing in the store; the others still load.
    """
    summary = LoadSummary()
    existing = set(store.graphs())
    for path in expand_paths(paths):
        if on_file:
            on_file(path)
        result = DocumentResult(path)
        summary.documents.append(result)
        try:
            loaded: LoadedDocument = loaders.load_file(path, options)
            result.graph, result.loader, result.skipped = loaded.graph, loaded.loader, loaded.skipped
            if loaded.graph in VOCABULARY_GRAPHS:
                raise LoadError(path, f"{loaded.graph.value} is reserved for govgraph's own vocabulary")
            result.replaced = loaded.graph in existing
            triples = resolve_abbreviated_bodies(store, loaded.triples)
            triples = triples + progress_chain(store, loaded.graph, triples)
            result.triples = store.replace_graph(loaded.graph, triples)
            result.counts = count_things(loaded.triples)
            existing.add(loaded.graph)
        except LoadError as exc:
            result.error = str(exc)
        except StoreError as exc:
            result.error = f"{path}: {exc}"
    return summary


COUNCIL_BODIES = queries.PREFIX_BLOCK + """
SELECT ?council ?body ?label WHERE { ?body a gg:OversightBody ; org:unitOf ?council ; skos:prefLabel ?label }"""


def resolve_abbreviated_bodies(store: GraphStore, triples: list[Triple]) -> list[Triple]:
    """A body a document names only by its abbreviation ('CGAC') is the body another document in the store names
    in full ('Corporate Governance and Audit Committee') for the same council: use that body's IRI."""
    from govgraph.loaders.names import expands_to
    from govgraph.ontology import ORG, SKOS

    bodies = {t.subject for t in triples if t.predicate == RDF.type and t.object == GG.OversightBody}
    labels = {t.subject: t.object.value for t in triples if t.predicate == SKOS.prefLabel and t.subject in bodies}
    councils = {t.subject: t.object for t in triples if t.predicate == ORG.unitOf and t.subject in bodies}
    mapping: dict = {}
    for body, label in labels.items():
        if not re.fullmatch(r"[A-Z&]{2,8}s?", label) or body not in councils:
            continue
        known = store.select(COUNCIL_BODIES, bindings={"council": councils[body]}).rows
        matches = {r["body"] for r in known if r["body"] != body and expands_to(label, r["label"].value)}
        if len(matches) == 1:
            mapping[body] = matches.pop()
    if not mapping:
        return triples
    out = []
    for t in triples:
        subject, obj = mapping.get(t.subject, t.subject), mapping.get(t.object, t.object)
        if t.predicate == SKOS.prefLabel and t.subject in mapping:
            out.append(Triple(subject, SKOS.altLabel, t.object))  # the abbreviation becomes another name of it
        elif not (t.predicate == RDFS_LABEL and t.subject in mapping):
            out.append(Triple(subject, t.predicate, obj))
    return list(dict.fromkeys(out))


EARLIER_UPDATES = queries.PREFIX_BLOCK + """
SELECT ?item ?update ?date ?g WHERE {
  GRAPH ?g { ?update a gg:StatusUpdate ; gg:statusOf ?item . OPTIONAL { ?update dcterms:date ?date } }
}"""


def progress_chain(store: GraphStore, graph: NamedNode, triples: list[Triple]) -> list[Triple]:
    """``prov:wasRevisionOf`` links from the status updates of a document being loaded to the latest earlier
    update of the same action or milestone that other documents already in the store report, so progress over
    time is a chain. (Documents loaded out of date order are linked when the later one is loaded again.)"""
    from govgraph.ontology import DCTERMS, PROV

    items: dict = {}
    dates: dict = {}
    for t in triples:
        if t.predicate == GG.statusOf:
            items[t.subject] = t.object
        elif t.predicate == DCTERMS.date:
            dates[t.subject] = t.object.value
    links = []
    for update, item in items.items():
        when = dates.get(update)
        if when is None:
            continue
        earlier = [(r["date"].value, r["update"]) for r in
                   store.select(EARLIER_UPDATES, bindings={"item": item}).rows
                   if r["g"] != graph and r["date"] is not None and r["date"].value < when]
        if earlier:
            links.append(Triple(update, PROV.wasRevisionOf, max(earlier, key=lambda e: e[0])[1]))
    return links


def remove_document(store: GraphStore, graph: NamedNode) -> bool:
    if graph in VOCABULARY_GRAPHS:
        raise StoreError(f"{graph.value} is govgraph's own vocabulary and cannot be removed")
    return store.remove_graph(graph)


@dataclass
class DocumentInfo:
    graph: str
    title: str | None
    source: str | None
    triples: int


def documents(store: GraphStore) -> list[DocumentInfo]:
    """The loaded documents (named graphs other than the vocabulary), with their titles and sizes."""
    rows = store.select(
        queries.PREFIX_BLOCK
        + "SELECT ?g ?title ?file WHERE { GRAPH ?g { ?g a gg:SourceDocument . "
          "OPTIONAL { ?g dcterms:title ?title } OPTIONAL { ?g dcterms:source ?file } } }"
    ).rows
    meta = {r["g"].value: r for r in rows}
    out = []
    for graph in store.graphs():
        if graph in VOCABULARY_GRAPHS:
            continue
        row = meta.get(graph.value, {})
        out.append(DocumentInfo(graph.value, row.get("title") and row["title"].value,
                                row.get("file") and row["file"].value, store.count(graph=graph)))
    return out


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


def export(store: GraphStore, fmt: ExportFormat, *, graph: NamedNode | None = None) -> bytes:
    return store.dump(format=fmt, graph=graph)


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
    loaded = loaders.load_file(path, options)
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

    from govgraph.visualise.network import build_network, chain_completeness, fetch, ranking
    from govgraph.visualise.report import Report, Table

    as_of = as_of or date.today().isoformat()
    params = {"council": council} if council else {}
    council_iri = queries.bind(store, queries.get_query("actions-without-owner"), params).get("council")

    def rows(name: str, extra: dict | None = None) -> list[dict]:
        return run_query(store, name, {**params, **(extra or {})})[1].values()

    graph = build_network(*fetch(store))
    chains = [c for c in chain_completeness(graph) if council_iri is None or c.council ==
              graph.nodes.get(council_iri.value, {}).get("label")]
    overdue = rows("overdue-actions", {"as_of": as_of})
    overdue_by = Counter(r["council_name"] for r in overdue)
    unanswered_by = Counter(r["council_name"] for r in rows("recommendations-without-actions"))

    def share(part: int, whole: int) -> str:
        return f"{part} ({part / whole:.0%})" if whole else "none"

    headline = Table("Headline figures", ["Council", "Recommendations", "Recommendations with actions",
                                          "Recommendations with a complete chain", "Actions", "Actions without an owner",
                                          "Actions without oversight", "Overdue actions"],
                     [[c.council, str(c.recommendations),
                       share(c.recommendations - unanswered_by.get(c.council, 0), c.recommendations),
                       share(c.complete, c.recommendations), str(c.actions), str(c.without_owner),
                       str(c.without_oversight), share(overdue_by.get(c.council, 0), c.actions)]
                      for c in chains],
                     "A complete chain: the recommendation is answered by an action with an accountable post and an "
                     "oversight body.")

    def gap_table(name: str, title: str, extra_column: str | None = None, extra: dict | None = None) -> Table:
        result = rows(name, extra)
        columns = ["Council", "Review", "No.", "Text"] + ([extra_column.replace("_", " ").capitalize()]
                                                          if extra_column else []) + ["Source"]
        return Table(f"{title} ({len(result)})", columns,
                     [[r["council_name"], r["review_name"], r.get("number") or "", r["text"]]
                      + ([r.get(extra_column) or ""] if extra_column else []) + [r.get("source") or ""]
                      for r in result])

    sections = [
        gap_table("recommendations-without-actions", "Recommendations without actions"),
        gap_table("actions-without-owner", "Actions without an accountable officer", "stated_gap"),
        gap_table("actions-without-oversight", "Actions without an oversight body", "stated_gap"),
        gap_table("actions-without-due-date", "Actions without a readable due date", "due_as_printed"),
        gap_table("overdue-actions", f"Actions overdue at {as_of}", "due_as_printed", {"as_of": as_of}),
    ]
    status = rows("status-by-council")
    sections.append(Table("Status of actions by council and review", ["Council", "Review", "Status", "Actions"],
                          [[r["council_name"], r["review_name"], r["status"], r["actions"]] for r in status]))
    coverage = rows("theme-coverage-by-council")
    sections.append(Table("Recommendations and actions by shared theme",
                          ["Council", "Scheme", "Theme", "Recommendations", "Actions", "Share answered"],
                          [[r["council_name"], r["scheme_name"], r["shared_theme_name"], r["recommendations"],
                            r["actions"], r["answered_share"] or ""] for r in coverage]))
    stated = rows("stated-vs-found")
    sections.append(Table("What documents say they hold against what was read",
                          ["Council", "Document", "What", "Stated", "Found"],
                          [[r["council_name"], r["title"] or "", r["what"], r["stated"], r["found"]] for r in stated]))
    scope = council_iri.value if council_iri is not None else None
    sections.append(Table("Bodies by the actions they oversee", ["Body", "Actions"],
                          [[name, str(n)] for name, n in ranking(graph, "body", council=scope)[:15]]))
    sections.append(Table("Posts by the actions they are accountable for", ["Post", "Actions"],
                          [[name, str(n)] for name, n in ranking(graph, "post", council=scope)[:15]]))
    mix: dict[str, dict[str, int]] = {}
    for r in status:
        mix.setdefault(r["council_name"], Counter())[r["status"]] += int(r["actions"])
    return Report(title="Accountability gaps in council action plans", as_of=as_of,
                  scope=f"Council: {chains[0].council}" if council and chains else
                  f"{len(chains)} council(s), {len(documents(store))} document(s)",
                  headline=headline, sections=sections, status_mix=mix)
