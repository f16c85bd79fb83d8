"""Loading documents: each file read by its loader, matched with its council's other documents
(:mod:`govgraph.server.matching`) and written to its own named graph; removing one; listing what is loaded;
uploads."""
from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import NamedNode, Triple

from govgraph import loaders, queries
from govgraph.loaders import LoadedDocument, LoadError, LoadOptions, rdf, sandbox
from govgraph.loaders.model import Skipped
from govgraph.loaders.sandbox import Limits, load_file_isolated
from govgraph.ontology import GG, RDF, RDFS, SUMMARY_RECORD_GRAPH, VOCABULARY_GRAPHS
from govgraph.queries.store import GraphStore, StoreError
from govgraph.server import matching, summaries

#: How a body's label looks when it is an abbreviation ('CGAC', 'O&S').
ABBREVIATION = re.compile(r"[A-Z&]{2,8}s?")
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
    bulk: bool = False  # written by the store's bulk loader (a big RDF file taken as it is)


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
    Hidden files and folders are left out, and so are store folders (a store kept beside the documents is not one of
    them). A path that does not exist is kept, so it is reported."""
    suffixes = set(loaders.supported_suffixes())
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            stores = {p.parent for p in path.rglob("CURRENT") if (p.parent / "LOCK").exists()}
            found += sorted(p for p in path.rglob("*")
                            if p.is_file() and p.suffix.lower() in suffixes
                            and not any(part.startswith(".") for part in p.relative_to(path).parts)
                            and not any(parent in stores for parent in p.parents))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def count_things(triples: Iterable[Triple]) -> Counter:
    counts: Counter = Counter()
    for t in triples:
        if t.predicate == RDF.type and t.object in COUNTED:
            counts[COUNTED[t.object]] += 1
    return counts


def start_readers() -> None:
    """Start the process that file readers are forked from ahead of the first file: it imports the loaders (a few
    tenths of a second), which can overlap opening the store."""
    sandbox.start()


def load_paths(store: GraphStore, paths: Iterable[Path], options: LoadOptions | None = None, *,
               on_file: Callable[[Path], None] | None = None, limits: Limits | None = None,
               workers: int | None = None) -> LoadSummary:
    """Load files and folders, each file into its own named graph, replacing what an earlier load of the same
    document put there; return what happened to each file, in input order.

    Each file is read in a child process within ``limits`` (the settings' by default), up to ``workers`` files at
    once (the settings' ``load_workers`` by default); matching and writing take the files one at a time in input
    order, so the store ends the same whatever the number of workers. An RDF file of at least
    ``rdf.BULK_MIN_BYTES`` is checked by a streaming read in its child and written by the store's bulk loader
    (:meth:`GraphStore.replace_graph_from_file`), unless it needs matching. A file that fails is reported and
    changes nothing in the store; the others still load. ``on_file`` is called with each file as its writing
    begins.
    """
    if limits is None or workers is None:
        from govgraph.server.settings import get_settings, parse_limits

        settings = get_settings()
        limits = limits or parse_limits(settings)
        workers = workers or settings.load_workers
    options = options or LoadOptions()
    summary = LoadSummary()
    existing = set(store.graphs())
    files = iter(expand_paths(paths))
    # Children are started and collected from this thread alone: no reader threads, so garbage the store's
    # objects leave is never collected on a thread pyoxigraph refuses to drop them from.
    reading: deque[tuple[Path, ox.RdfFormat | None, sandbox.Reading]] = deque()

    def read_ahead() -> None:
        # the file being written plus up to ``workers`` reads: memory holds at most that many documents
        while len(reading) < workers and (path := next(files, None)) is not None:
            bulk = rdf.bulk_format(path)
            reading.append((path, bulk, sandbox.Reading("scan" if bulk else "load", path, options, limits)))

    try:
        read_ahead()
        while reading:
            path, bulk, read = reading.popleft()
            read_ahead()
            if on_file:
                on_file(path)
            result = DocumentResult(path)
            summary.documents.append(result)
            try:
                if bulk is not None:
                    _write_rdf(store, result, bulk, read, options, limits, existing)
                else:
                    _write_loaded(store, result, read.result(), existing)
            except LoadError as exc:
                result.error = str(exc)
            except StoreError as exc:
                result.error = f"{path}: {exc}"
            if result.graph is not None and not result.error:
                existing.add(result.graph)
    finally:
        for _, _, read in reading:  # left over when something unexpected stopped the load
            read.stop()
    from govgraph.server import search

    # a big RDF file is indexed by the first search after it (8 s a million triples: loading stays near the
    # engine's speed); every other document now
    search.after_change(store, [d.graph for d in summary.loaded if d.graph is not None and not d.bulk],
                        leave=[d.graph for d in summary.loaded if d.graph is not None and d.bulk])
    return summary


def _write_loaded(store: GraphStore, result: DocumentResult, loaded: LoadedDocument, existing: set) -> None:
    result.graph, result.loader, result.skipped = loaded.graph, loaded.loader, loaded.skipped
    if loaded.graph in VOCABULARY_GRAPHS:
        raise LoadError(result.path, f"{loaded.graph.value} is reserved for govgraph's own vocabulary")
    result.replaced = loaded.graph in existing
    triples = resolve_abbreviated_bodies(store, loaded.triples)
    result.triples = write_document(store, loaded.graph, triples)
    result.counts = count_things(loaded.triples)


def write_reading(store: GraphStore, loaded: LoadedDocument) -> DocumentResult:
    """Write one document already read (a reading shown before it is committed), as :func:`load_paths` writes each
    file it reads: matched with its council's other documents, replacing an earlier load of the same graph, and
    searchable. A failure changes nothing in the store and is in ``error``."""
    result = DocumentResult(loaded.path)
    try:
        _write_loaded(store, result, loaded, set(store.graphs()))
    except LoadError as exc:
        result.error = str(exc)
    except StoreError as exc:
        result.error = f"{loaded.path}: {exc}"
    if not result.error:
        from govgraph.server import search

        search.after_change(store, [result.graph])
    return result


class _NeedsMatching(Exception):
    """An RDF file says things the match step works on; it is read whole instead of bulk loaded."""


def _write_rdf(store: GraphStore, result: DocumentResult, fmt: ox.RdfFormat, read: sandbox.Reading,
               options: LoadOptions, limits: Limits, existing: set) -> None:
    """Write a big RDF file with the store's bulk loader. A graph that is new is bulk loaded while the file's
    streaming check still runs (the check decides, and a refusal takes the graph out again); an existing graph is
    only touched once the check has passed. Triple formats only: a dataset's quads could land in other graphs."""
    path = result.path
    graph = rdf.graph_for(path, options)
    if graph in VOCABULARY_GRAPHS or summaries.is_derived(graph):
        raise LoadError(path, f"{graph.value} is derived by govgraph, not a document, and cannot be loaded into")
    result.graph, result.loader, result.replaced = graph, "rdf", graph in existing
    checked: list[rdf.RdfScan] = []

    def finish() -> list[Triple]:
        scan = read.result()  # raises the file's LoadError
        checked.append(scan)
        if scan.named_graphs or scan.council or any(ABBREVIATION.fullmatch(label)
                                                     for label in scan.short_bodies.values()):
            raise _NeedsMatching
        return scan.provenance()

    speculate = not result.replaced and fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE)
    # the summaries: the councils the graph bore on before, and the record no longer listing it while it is
    # written, so readers fall back to the named queries until the figures it changes are written after it
    # (a store without summaries yet gets them all once the file is in)
    had_record = SUMMARY_RECORD_GRAPH in store.graphs()
    before = summaries.touched(store, graph) if had_record and result.replaced else set()
    unattached = summaries.unattached_documents(store) if had_record else set()
    if graph in unattached:
        store.replace_graphs({SUMMARY_RECORD_GRAPH: summaries.record(store, unattached - {graph})})
    try:
        try:
            if not speculate:
                finish()
            result.triples = store.replace_graph_from_file(graph, path, fmt, finish=finish if speculate else
                                                           checked[0].provenance)
        except BaseException:
            if graph in unattached:  # the graph kept what it had: so does the record
                store.replace_graphs({SUMMARY_RECORD_GRAPH: summaries.record(store, unattached)})
            raise
    except _NeedsMatching:
        _write_loaded(store, result, load_file_isolated(path, options, limits), existing)
        return
    except StoreError:
        read.result()  # where the file itself is at fault, its check (line and all) says it best
        raise
    if had_record:
        refresh_after_write(store, graph, before, file=summaries.FileCopy(path, fmt, tuple(checked[0].provenance())))
    else:
        summaries.summarise(store)
    result.counts = Counter({COUNTED[NamedNode(kind)]: n for kind, n in checked[0].types.items()
                             if NamedNode(kind) in COUNTED})
    result.bulk = True


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
        if not ABBREVIATION.fullmatch(label) or body not in councils:
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


def refresh_after_write(store: GraphStore, graph: NamedNode, before: set[NamedNode], *,
                        file: summaries.FileCopy | None = None) -> None:
    """After a document naming no council of its own has been written to ``graph`` (by :func:`write_document`, or
    by ``store.replace_graph_from_file`` from ``file``): recompute the summaries of the councils it bore on
    (``before``, from :func:`summaries.touched` ahead of the write) and bears on now, and list it in the record."""
    figures, drop = summaries.summaries_for(store, before | summaries.touched(store, graph),
                                            files={graph: file} if file is not None else None)
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
        _search_after_change(store)
        return True
    rematched = matching.rematch(store, council, removed=graph)
    remove = [graph]
    if not [g for g in matching.council_documents(store, council) if g != graph]:
        remove.append(matching.identity_graph(council))
        rematched.graphs.pop(matching.identity_graph(council), None)
    figures, drop = summaries.summaries_for(store, [council], written=rematched.graphs, removed=remove)
    store.replace_graphs({**rematched.graphs, **figures}, remove=remove + drop)
    _search_after_change(store)
    return True


def _search_after_change(store: GraphStore) -> None:
    from govgraph.server import search

    search.after_change(store)


@dataclass
class DocumentInfo:
    graph: str
    title: str | None
    source: str | None
    triples: int


def documents(store: GraphStore) -> list[DocumentInfo]:
    """The loaded documents (named graphs other than the vocabulary, identity and summary graphs), with their titles
    and sizes; on a read-only snapshot, counted once and kept with it (a graph's size is a count of its quads)."""
    from govgraph.server import memo

    return list(memo.kept(store, "documents", lambda: _documents(store)))


def _documents(store: GraphStore) -> list[DocumentInfo]:
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

def upload_name(filename: str | None) -> str:
    """The name an uploaded file is read under: the last part of the name it was sent with, never hidden.

    >>> upload_name("../../etc/plan.txt"), upload_name(".env"), upload_name("")
    ('plan.txt', 'upload.env', 'upload')
    """
    name = Path(filename or "").name.strip() or "upload"
    return "upload" + name if name.startswith(".") else name


def load_upload(store: GraphStore, filename: str, content: bytes, options: LoadOptions | None = None
                ) -> DocumentResult:
    """Load one uploaded file (its bytes and the name it was sent with) as ``govgraph load`` would, replacing an
    earlier load of the same document. A failure changes nothing in the store and is in ``error``."""
    import tempfile

    name = upload_name(filename)
    with tempfile.TemporaryDirectory(prefix="govgraph-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        summary = load_paths(store, [path], options)
    result = summary.documents[0]
    if result.error:
        result.error = result.error.replace(str(path), name)
    result.path = Path(name)
    return result
