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
from govgraph.ontology import GG, ID, ONTOLOGY_GRAPH, PREFIXES, RDF, RDFS, SHAPES_FILE, VOCABULARY_GRAPHS

RDFS_LABEL = RDFS.label
from govgraph.queries.extract import document_json
from govgraph.server import matching
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
            result.triples = write_document(store, loaded.graph, triples)
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


def write_document(store: GraphStore, graph: NamedNode, triples: list[Triple]) -> int:
    """Write one document's graph after matching it with the other documents of its council (read → match →
    write, :mod:`govgraph.server.matching`): its recommendations and actions take the IRIs of the same things in
    those documents, and the council's identity graph is rebuilt, all in one step. Returns the graph's size."""
    council = matching.council_in(graph, triples)
    if council is None:  # RDF loaded as it is
        return store.replace_graph(graph, triples)
    written = matching.rematch(store, council, new=(graph, triples)).graphs
    before = matching.council_of(store, graph)
    if before is not None and before != council:  # the document now says another council: re-match the old one
        for name, rows in matching.rematch(store, before, removed=graph).graphs.items():
            written.setdefault(name, rows)
    store.replace_graphs(written)
    return store.count(graph=graph)


def remove_document(store: GraphStore, graph: NamedNode) -> bool:
    """Remove one document's graph; what it alone said goes, and the things it shared with other documents of its
    council keep their evidence (the council is matched again without it)."""
    if graph in VOCABULARY_GRAPHS or matching.is_identity_graph(graph):
        raise StoreError(f"{graph.value} is derived by govgraph, not a document, and cannot be removed")
    if graph not in store.graphs():
        return False
    council = matching.council_of(store, graph)
    if council is None:
        return store.remove_graph(graph)
    rematched = matching.rematch(store, council, removed=graph)
    remove = [graph]
    if not [g for g in _council_documents(store, council) if g != graph]:
        remove.append(matching.identity_graph(council))
        rematched.graphs.pop(matching.identity_graph(council), None)
    store.replace_graphs(rematched.graphs, remove=remove)
    return True


COUNCIL_DOCUMENTS = queries.PREFIX_BLOCK + "SELECT DISTINCT ?council ?g WHERE { GRAPH ?g { ?g gg:councilOf ?council } }"


def _council_documents(store: GraphStore, council: NamedNode) -> list[NamedNode]:
    return [r["g"] for r in store.select(COUNCIL_DOCUMENTS, bindings={"council": council}).rows
            if not matching.is_identity_graph(r["g"])]


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
        if graph in VOCABULARY_GRAPHS or matching.is_identity_graph(graph):
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
    council_iri = council_term(store, council)

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


# --- resources: what the REST API and the pages show -----------------------------------------------------------

#: The kinds of thing the API lists, by their plural (the URL segment), with their class and singular.
RESOURCE_KINDS: dict[str, tuple[NamedNode, str]] = {
    "councils": (GG.Council, "council"),
    "reviews": (GG.Review, "review"),
    "recommendations": (GG.Recommendation, "recommendation"),
    "actions": (GG.Action, "action"),
    "posts": (GG.OfficerPost, "post"),
    "people": (GG.Person, "person"),
    "bodies": (GG.OversightBody, "body"),
    "documents": (GG.SourceDocument, "document"),
}
KIND_OF_CLASS = {cls.value: singular for cls, singular in RESOURCE_KINDS.values()}
PLURAL_OF = {singular: plural for plural, (_, singular) in RESOURCE_KINDS.items()}
ID_PREFIX = str(ID)
#: Links whose own label reads badly from this end.
OUT_LABELS = {PREFIXES["prov"] + "wasDerivedFrom": "read from"}
#: How a link reads from the other end ("answered by" for an action that responds to this recommendation).
INVERSE_LABELS = {
    GG.respondsTo.value: "answered by", GG.accountablePost.value: "accountable for", GG.overseenBy.value: "oversees",
    GG.inheritedOversight.value: "oversees the plan of", GG.councilOf.value: "has", GG.hasMilestone.value:
    "milestone of", GG.milestoneOf.value: "has milestone", GG.issuedBy.value: "made", GG.contact.value: "contact for",
    GG.actionOfPlan.value: "has action", GG.respondsToReview.value: "answered by the plan", GG.theme.value: "theme of",
    GG.reviewOf.value: "reviewed by", GG.describesPlan.value: "described by", GG.statusOf.value: "status update",
    PREFIXES["prov"] + "wasDerivedFrom": "source of", PREFIXES["org"] + "heldBy": "holds", PREFIXES["org"] + "postIn": "has post", PREFIXES["org"] + "unitOf":
    "has body", PREFIXES["org"] + "memberOf": "has member",
}


def _resource_query(name: str) -> str:
    return queries.PREFIX_BLOCK + (Path(queries.__file__).resolve().parent / "resources" / f"{name}.rq").read_text(
        encoding="utf-8")


def _select(store: GraphStore, name: str, bound: dict, suffix: str = "") -> list[dict]:
    """Run one of ``queries/resources/`` with terms joined through a VALUES block (never pasted as text)."""
    return store.select(queries.with_values(_resource_query(name), bound) + suffix).values()


def page_path(iri: str) -> str:
    """The server path of a node's page: ``/id/...`` for govgraph's own IRIs, ``/resource?iri=...`` otherwise."""
    from urllib.parse import quote

    if iri.startswith(ID_PREFIX):
        return "/id/" + quote(iri[len(ID_PREFIX):], safe="/")
    return "/resource?iri=" + quote(iri, safe="")


def resolve_kind(kind: str) -> NamedNode:
    """The class of a resource kind ('actions'). :raises QueryError: unknown kind, listing the known ones."""
    if kind not in RESOURCE_KINDS:
        raise queries.QueryError(f"no resource kind {kind!r}; known kinds: {', '.join(RESOURCE_KINDS)}")
    return RESOURCE_KINDS[kind][0]


def council_term(store: GraphStore, council: str | None) -> NamedNode | None:
    """A council given by name, abbreviation or IRI, as its IRI. :raises QueryError: matches none or several."""
    if not council:
        return None
    return queries.resolve_term(store, queries.Parameter("council", "iri", "gg:Council"), council)


@dataclass
class ResourcePage:
    """One page of a list: ``items`` (dicts with ``iri``, ``label``, ``page`` ...) out of ``total``."""

    kind: str
    items: list[dict]
    total: int
    limit: int
    offset: int


def list_resources(store: GraphStore, kind: str, *, council: str | None = None, limit: int = 50,
                   offset: int = 0) -> ResourcePage:
    """The things of one kind, in council and document order, ``limit`` from ``offset``.

    :raises QueryError: unknown kind or council, or a limit outside 1..1000 or a negative offset.
    """
    cls = resolve_kind(kind)
    if not 1 <= limit <= 1000 or offset < 0:
        raise queries.QueryError("limit must be between 1 and 1000 and offset at least 0")
    bound = {"class": cls}
    term = council_term(store, council)
    if term is not None:
        bound["council"] = term
    total = int(_select(store, "count", bound)[0]["total"])
    rows = _select(store, "list", bound, f"\nLIMIT {int(limit)} OFFSET {int(offset)}")
    items = [{"iri": r["item"], "label": r["label"], "number": r["number"], "council": r["council"],
              "council_name": r["council_name"], "review": r["review"], "review_name": r["review_name"],
              "page": page_path(r["item"])} for r in rows]
    return ResourcePage(kind, items, total, limit, offset)


@dataclass
class Resource:
    """A node as a page or an API answer shows it."""

    iri: str
    kind: str | None
    label: str
    types: list[str]
    properties: list[dict]  # property, property_label, value
    links: list[dict]  # direction, property, property_label, other, other_label, other_kind, page
    sections: dict[str, SelectResult] = field(default_factory=dict)  # named-query answers about it, by title


def describe(store: GraphStore, iri: str) -> Resource | None:
    """What the store says about ``iri``, with the named-query answers for its kind: the accountability chain of a
    recommendation or action, what a body oversees, what a post is accountable for. None if nothing is known."""
    try:
        node = NamedNode(iri)
    except ValueError:
        return None
    about = _select(store, "about", {"node": node})
    if not about:
        return None
    types = [r["value"] for r in about if r["property"] == RDF.type.value]
    kind = next((KIND_OF_CLASS[t] for t in types if t in KIND_OF_CLASS), None)
    properties = [r for r in about if r["property"] != RDF.type.value]
    label = _label_in(properties)
    links = []
    for r in _select(store, "links", {"node": node}):
        r["other_kind"] = KIND_OF_CLASS.get(r["other_class"] or "")
        r["relation"] = (OUT_LABELS.get(r["property"], r["property_label"]) if r["direction"] == "out" else
                         INVERSE_LABELS.get(r["property"], f"is the {r['property_label']} of"))
        other = r["other_kind"]
        r["group"] = (r["relation"] if not other or other in r["relation"]
                      else f"{r['relation']}: {PLURAL_OF[other]}")
        r["page"] = page_path(r["other"])
        links.append(r)
    resource = Resource(iri, kind, label or iri.rsplit("/", 1)[-1], types, properties, links)
    named = {"recommendation": ("accountability-chain", "recommendation"), "action": ("accountability-chain", "action"),
             "body": ("body-oversees", "body"), "post": ("post-workload", "post")}
    if kind in named:
        name, parameter = named[kind]
        query, result = run_query(store, name, {parameter: iri})
        resource.sections[query.title] = result
    return resource


NAME_PROPERTIES = (RDFS.label.value, PREFIXES["skos"] + "prefLabel", PREFIXES["dcterms"] + "title")


def _label_in(properties: list[dict]) -> str | None:
    return next((r["value"] for r in properties if r["property"] in NAME_PROPERTIES), None)


def label_of(store: GraphStore, iri: str) -> str | None:
    """A node's name (or its IRI when it has none), or None when the store knows nothing about it. Cheap: for
    checking that a node exists without running the named queries :func:`describe` runs."""
    try:
        about = _select(store, "about", {"node": NamedNode(iri)})
    except ValueError:
        return None
    return (_label_in(about) or iri) if about else None


def document_sources(store: GraphStore) -> dict[str, str]:
    """The file each loaded document was read from, to the document's IRI (without counting triples)."""
    rows = store.select(queries.PREFIX_BLOCK + "SELECT ?file ?g WHERE { GRAPH ?g { ?g a gg:SourceDocument ; "
                        "dcterms:source ?file } }").values()
    return {r["file"]: r["g"] for r in rows}


def describe_rdf(store: GraphStore, iri: str, fmt: ExportFormat) -> bytes:
    """Every triple about ``iri`` and pointing at it, serialised (for linked-data clients asking for RDF)."""
    from govgraph.ontology import PREFIXES as prefixes

    triples = store.construct(queries.with_values(_resource_query("describe"), {"node": NamedNode(iri)}))
    return ox.serialize(list(dict.fromkeys(triples)), format=fmt.rdf_format,
                        prefixes=prefixes if fmt is ExportFormat.TURTLE else None) or b""


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


def dashboard(store: GraphStore, *, as_of: str | None = None) -> list[ReviewFigures]:
    """Headline figures per council and review (``review-headlines``), with the actions overdue at ``as_of``
    (today when not given). :raises QueryError: a date not in YYYY-MM-DD form."""
    from datetime import date

    as_of = as_of or date.today().isoformat()
    overdue = Counter((r["council"], r["review"]) for r in run_query(store, "overdue-actions", {"as_of": as_of})[1]
                      .values())
    out = []
    for r in run_query(store, "review-headlines")[1].values():
        out.append(ReviewFigures(r["council"], r["council_name"], r["review"], r["review_name"],
                                 *(int(r[k]) for k in ("recommendations", "answered", "complete_chains", "actions",
                                                       "with_owner", "with_oversight", "with_due_date")),
                                 overdue[(r["council"], r["review"])]))
    return out


@dataclass
class Comparison:
    """Councils side by side: ``councils`` (names, in order); ``status[status][council]`` and
    ``themes[(scheme, theme)][council]`` hold counts (themes as (recommendations, actions))."""

    councils: list[str]
    status: dict[str, dict[str, int]]
    themes: dict[tuple[str, str], dict[str, tuple[int, int]]]


def compare(store: GraphStore, *, council: list[str] | None = None) -> Comparison:
    """Status mix and shared-theme coverage per council, for the compare page and ``/api/compare``."""
    wanted = {council_term(store, c).value for c in council or []}
    status_rows = [r for r in run_query(store, "status-by-council")[1].values()
                   if not wanted or r["council"] in wanted]
    theme_rows = [r for r in run_query(store, "theme-coverage-by-council")[1].values()
                  if not wanted or r["council"] in wanted]
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


def network_facets(store: GraphStore) -> dict[str, list[dict]]:
    """The councils, reviews, themes and statuses a network view can be filtered by, with action counts."""
    facets: dict[str, list[dict]] = {"council": [], "review": [], "theme": [], "status": []}
    for r in _select(store, "filters", {}):
        facets[r["facet"]].append({"value": r["value"], "label": r["label"], "actions": int(r["actions"])})
    return facets


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
    graph = build_network(*fetch(store))
    if bound:
        actions = {r["action"] for r in _select(store, "scope", bound)}
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
    for node, data in graph.nodes(data=True):
        data["url"] = page_path(node)
        council = graph.nodes[data["council"]]["label"] if data.get("council") in graph else None
        data["detail"] = "\n".join(x for x in (f"{data['kind']}: {data['label']}", council) if x)
    return graph


# --- uploads -----------------------------------------------------------------------------------------------------

def load_upload(store: GraphStore, filename: str, content: bytes, options: LoadOptions | None = None
                ) -> DocumentResult:
    """Load one uploaded file (its bytes and the name it was sent with) as ``govgraph load`` would, replacing an
    earlier load of the same document. A failure changes nothing in the store and is in ``error``."""
    import tempfile

    name = Path(filename or "").name.strip() or "upload"
    if name.startswith("."):
        name = "upload" + name
    with tempfile.TemporaryDirectory(prefix="govgraph-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        summary = load_paths(store, [path], options)
    result = summary.documents[0]
    if result.error:
        result.error = result.error.replace(str(path), name)
    result.path = Path(name)
    return result
