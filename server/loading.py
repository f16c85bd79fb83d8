"""Loading documents: each file read by its loader, matched with its council's other documents
(:mod:`govgraph.server.matching`) and written to its own named graph; removing one; listing what is loaded;
uploads."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Triple

from govgraph import loaders, queries
from govgraph.loaders import LoadedDocument, LoadError, LoadOptions
from govgraph.loaders.model import Skipped
from govgraph.loaders.sandbox import Limits, load_file_isolated
from govgraph.ontology import GG, RDF, RDFS, SUMMARY_RECORD_GRAPH, VOCABULARY_GRAPHS
from govgraph.queries.store import GraphStore, StoreError
from govgraph.server import matching, summaries

COUNTED = {GG.Recommendation: "recommendations", GG.Action: "actions", GG.Milestone: "milestones",
           GG.OfficerPost: "officer posts", GG.OversightBody: "oversight bodies", GG.Person: "people"}


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
               on_file: Callable[[Path], None] | None = None, limits: Limits | None = None) -> LoadSummary:
    """Load files and folders, each file into its own named graph, replacing what an earlier load of the same
    document put there. Each file is read in a child process within ``limits`` (the settings' by default). A file
    that fails is reported and changes nothing in the store; the others still load.
    """
    if limits is None:
        from govgraph.server.settings import get_settings, parse_limits

        limits = parse_limits(get_settings())
    summary = LoadSummary()
    existing = set(store.graphs())
    for path in expand_paths(paths):
        if on_file:
            on_file(path)
        result = DocumentResult(path)
        summary.documents.append(result)
        try:
            loaded: LoadedDocument = load_file_isolated(path, options, limits)
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
        elif not (t.predicate == RDFS.label and t.subject in mapping):
            out.append(Triple(subject, t.predicate, obj))
    return list(dict.fromkeys(out))


def write_document(store: GraphStore, graph: NamedNode, triples: list[Triple]) -> int:
    """Write one document's graph after matching it with the other documents of its council (read → match →
    write, :mod:`govgraph.server.matching`): its recommendations and actions take the IRIs of the same things in
    those documents, and the council's identity graph and summary (:mod:`govgraph.server.summaries`) are rebuilt,
    all in one step. RDF loaded as it is (naming no council of its own) is written, then the summaries of every
    council it bears on, before and after, are recomputed. Returns the graph's size.

    :raises StoreError: the graph's name is one govgraph derives, or the store cannot be written."""
    if summaries.is_derived(graph):
        raise StoreError(f"{graph.value} is derived by govgraph, not a document, and cannot be loaded into")
    _ensure_record(store)
    council = matching.council_in(graph, triples)
    if council is None:  # RDF loaded as it is
        return _write_as_is(store, graph, triples)
    written = matching.rematch(store, council, new=(graph, triples)).graphs
    before = matching.council_of(store, graph)
    if before is not None and before != council:  # the document now says another council: re-match the old one
        for name, rows in matching.rematch(store, before, removed=graph).graphs.items():
            written.setdefault(name, rows)
    figures, drop = summaries.summaries_for(store, [council, before], written=written)
    unattached = summaries.unattached_documents(store)
    if graph in unattached:  # it named no council before: it leaves the record's list
        figures[SUMMARY_RECORD_GRAPH] = summaries.record(store, unattached - {graph})
    store.replace_graphs({**written, **figures}, remove=drop)
    return store.count(graph=graph)


def _ensure_record(store: GraphStore) -> None:
    # a store made before summaries existed gets them before its first change, so each later change can update
    # only the councils it touches
    if SUMMARY_RECORD_GRAPH not in store.graphs():
        summaries.summarise(store)


def _write_as_is(store: GraphStore, graph: NamedNode, triples: list[Triple]) -> int:
    before = summaries.touched(store, graph) if graph in store.graphs() else set()
    unattached = summaries.unattached_documents(store) - {graph}
    # first step: the graph, and the record no longer listing it, so readers fall back to the named queries until
    # the second step has written the figures it changes
    store.replace_graphs({graph: triples, SUMMARY_RECORD_GRAPH: summaries.record(store, unattached)})
    refresh_after_write(store, graph, before)
    return store.count(graph=graph)


def refresh_after_write(store: GraphStore, graph: NamedNode, before: set[NamedNode]) -> None:
    """After a document naming no council of its own has been written to ``graph`` (by :func:`write_document`, or
    by ``store.replace_graph_from_file``): recompute the summaries of the councils it bore on (``before``, from
    :func:`summaries.touched` ahead of the write) and bears on now, and list it in the record."""
    figures, drop = summaries.summaries_for(store, before | summaries.touched(store, graph))
    figures[SUMMARY_RECORD_GRAPH] = summaries.record(store, summaries.unattached_documents(store) | {graph})
    store.replace_graphs(figures, remove=drop)


def remove_document(store: GraphStore, graph: NamedNode) -> bool:
    """Remove one document's graph; what it alone said goes, and the things it shared with other documents of its
    council keep their evidence (the council is matched again without it); the summaries of the councils it bore
    on are recomputed in the same step. :raises StoreError: a derived graph (vocabulary, identity, summary)."""
    if summaries.is_derived(graph):
        raise StoreError(f"{graph.value} is derived by govgraph, not a document, and cannot be removed")
    if graph not in store.graphs():
        return False
    _ensure_record(store)
    council = matching.council_of(store, graph)
    if council is None:
        figures, drop = summaries.summaries_for(store, summaries.touched(store, graph), removed=[graph])
        figures[SUMMARY_RECORD_GRAPH] = summaries.record(store, summaries.unattached_documents(store) - {graph})
        store.replace_graphs(figures, remove=[graph, *drop])
        return True
    rematched = matching.rematch(store, council, removed=graph)
    remove = [graph]
    if not [g for g in matching.council_documents(store, council) if g != graph]:
        remove.append(matching.identity_graph(council))
        rematched.graphs.pop(matching.identity_graph(council), None)
    figures, drop = summaries.summaries_for(store, [council], written=rematched.graphs, removed=remove)
    store.replace_graphs({**rematched.graphs, **figures}, remove=remove + drop)
    return True


@dataclass
class DocumentInfo:
    graph: str
    title: str | None
    source: str | None
    triples: int


def documents(store: GraphStore) -> list[DocumentInfo]:
    """The loaded documents (named graphs other than the vocabulary, identity and summary graphs), with their titles and sizes."""
    rows = store.select(
        queries.PREFIX_BLOCK
        + "SELECT ?g ?title ?file WHERE { GRAPH ?g { ?g a gg:SourceDocument . "
          "OPTIONAL { ?g dcterms:title ?title } OPTIONAL { ?g dcterms:source ?file } } }"
    ).rows
    meta = {r["g"].value: r for r in rows}
    out = []
    for graph in store.graphs():
        if summaries.is_derived(graph):
            continue
        row = meta.get(graph.value, {})
        out.append(DocumentInfo(graph.value, row.get("title") and row["title"].value,
                                row.get("file") and row["file"].value, store.count(graph=graph)))
    return out


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
