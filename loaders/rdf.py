"""RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) loaded as they are, one graph per file.

A file that is already RDF is trusted to use the govgraph ontology; ``govgraph validate`` says where it does
not. Quads that a dataset format puts in named graphs are merged into the file's graph, and that is reported.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Triple

from govgraph.loaders import LoadedDocument, LoadError, LoadOptions, Source
from govgraph.loaders.emit import document_iri
from govgraph.loaders.model import Skipped
from govgraph.ontology import DCTERMS, GG, ORG, PROV, RDF, SKOS

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json-ld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
}


def _guess(source: Source) -> ox.RdfFormat | None:
    head = source.data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if source.suffix in FORMATS and source.suffix not in (".json", ".xml"):
        return FORMATS[source.suffix]
    if head.startswith((b"{", b"[")) and b"@context" in source.data[:65536] or b'"@id"' in head:
        return ox.RdfFormat.JSON_LD
    if head.startswith(b"<?xml") and b"rdf:RDF" in source.data[:65536] or head.startswith(b"<rdf:RDF"):
        return ox.RdfFormat.RDF_XML
    if re.match(rb"(@prefix|@base|PREFIX|BASE)\b", head, re.I):
        return ox.RdfFormat.TURTLE
    return None


class RdfLoader:
    """Reads RDF serialisations with pyoxigraph's parsers."""

    name = "rdf"
    suffixes = tuple(FORMATS)
    description = "RDF (Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML)"

    def sniff(self, source: Source) -> bool:
        return _guess(source) is not None

    def load(self, source: Source, options: LoadOptions) -> LoadedDocument:
        fmt = _guess(source)
        if fmt is None:
            raise LoadError(source.path, "not recognised as RDF")
        source.text()  # refuses binary content with a clear message
        try:
            if fmt is ox.RdfFormat.RDF_XML and _expanding_entities(source.data):
                raise LoadError(source.path, ENTITIES_REFUSED)
            quads = list(ox.parse(source.data, format=fmt, base_iri=source.path.resolve().as_uri()))
        except SyntaxError as exc:
            line = _line_of(str(exc))
            raise LoadError(source.path, f"invalid {fmt.name}: {exc}", line=line) from exc
        except (ValueError, OSError) as exc:
            raise LoadError(source.path, f"invalid {fmt.name}: {exc}") from exc
        graph = graph_for(source.path, options)
        skipped = []
        named = {q.graph_name.value for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
        if named:
            skipped.append(Skipped(None, f"{len(named)} named graph(s) in the file were merged into {graph.value}"))
        triples = list(dict.fromkeys(q.triple for q in quads))
        if not triples:
            raise LoadError(source.path, f"the {fmt.name} file holds no triples")
        if not any(t.subject == graph for t in triples):
            triples += provenance(graph, source.path, source.sha256, fmt)
        return LoadedDocument(source.path, self.name, graph, triples, None, skipped)


def graph_for(path: Path, options: LoadOptions) -> NamedNode:
    """The graph an RDF file loads into: the one the user named, else the document IRI made from the file name."""
    return options.graph or document_iri(path.stem)


def provenance(graph: NamedNode, path: Path, sha256: str, fmt: ox.RdfFormat) -> list[Triple]:
    """Where a file's triples came from, as every other loader says it; added when the file does not describe its
    own graph."""
    return [Triple(graph, RDF.type, GG.SourceDocument), Triple(graph, RDF.type, PROV.Entity),
            Triple(graph, DCTERMS.title, Literal(path.name)), Triple(graph, DCTERMS.source, Literal(path.name)),
            Triple(graph, GG.sha256, Literal(sha256)), Triple(graph, GG.documentKind, Literal(f"RDF data ({fmt.name})"))]


# --- big files: checked by a streaming read, then handed to the store's bulk loader ----------------------------------

#: Formats the store's bulk loader takes straight from a file (JSON-LD stays with :class:`RdfLoader`).
BULK_FORMATS = {suffix: fmt for suffix, fmt in FORMATS.items()
                if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG,
                           ox.RdfFormat.RDF_XML) and suffix not in (".xml",)}
#: Files smaller than this are read whole by :class:`RdfLoader`; bulk loading pays off above it.
BULK_MIN_BYTES = 4 * 1024 * 1024
#: Labels this short may be abbreviations (the service decides, see ``resolve_abbreviated_bodies``).
SHORT_LABEL = 12


def bulk_format(path: Path) -> ox.RdfFormat | None:
    """The format to bulk load ``path`` in, when it is an RDF file big enough for it to pay off (and not past the
    size :func:`govgraph.loaders.read_source` refuses); else None."""
    from govgraph.loaders import MAX_BYTES

    fmt = BULK_FORMATS.get(path.suffix.lower())
    try:
        return fmt if fmt is not None and path.is_file() and BULK_MIN_BYTES <= path.stat().st_size <= MAX_BYTES \
            else None
    except OSError:
        return None


@dataclass
class RdfScan:
    """What a streaming read of an RDF file found, without keeping its triples.

    ``statements`` counts the triples read (a repeated one counts each time); ``types`` counts subjects of each
    ``rdf:type`` (IRIs as strings); ``council`` is the ``gg:councilOf`` the file says of its own graph;
    ``short_bodies`` maps oversight bodies of a council (``org:unitOf``) known by a short label to that label.
    """

    path: Path
    graph: str
    media_type: str  # the format's (pyoxigraph's format objects do not pickle, and scans cross processes)
    statements: int = 0
    named_graphs: int = 0
    describes_itself: bool = False
    council: str | None = None
    types: Counter = field(default_factory=Counter)
    short_bodies: dict[str, str] = field(default_factory=dict)
    sha256: str = ""

    @property
    def format(self) -> ox.RdfFormat:
        return ox.RdfFormat.from_media_type(self.media_type)

    def provenance(self) -> list[Triple]:
        """The triples saying where the file came from, when the file does not describe its graph itself."""
        if self.describes_itself:
            return []
        return provenance(NamedNode(self.graph), self.path, self.sha256, self.format)


def scan(path: Path, options: LoadOptions, *, max_triples: int) -> RdfScan:
    """Read an RDF file once as a stream, refusing it as :class:`RdfLoader` would, and say what it holds.

    Memory stays small whatever the file's size: only counts and a few terms are kept.

    :raises LoadError: the file cannot be read, is not RDF of its suffix's format, does not parse (with the line),
        holds no triples, gives more than ``max_triples``, or is RDF/XML declaring nested entities.
    """
    import hashlib

    from govgraph.loaders import check_readable

    path = Path(path)
    check_readable(path)
    fmt = BULK_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(path, f"not a format the bulk loader reads ({path.suffix or 'no suffix'})")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        head = handle.read(1024 * 1024)
        digest.update(head)
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if b"\x00" in head[:8192]:
        raise LoadError(path, "this is a binary file, not text")
    if fmt is ox.RdfFormat.RDF_XML and _expanding_entities(head):
        raise LoadError(path, ENTITIES_REFUSED)
    graph = graph_for(path, options)
    found = RdfScan(path, graph.value, fmt.media_type, sha256=digest.hexdigest())
    typed: set[tuple] = set()
    bodies, units, labels = set(), set(), {}
    rdf_type, council_of, unit_of, pref_label = RDF.type, GG.councilOf, ORG.unitOf, SKOS.prefLabel
    body_class, default = GG.OversightBody, ox.DefaultGraph()
    named: set = set()
    try:
        with path.open("rb") as handle:  # a handle, not a path: pyoxigraph's message then reads as a full read's
            for quad in ox.parse(handle, format=fmt, base_iri=path.resolve().as_uri()):
                found.statements += 1
                if found.statements > max_triples:
                    raise LoadError(path, f"the file gives more than {max_triples:,} triples; the limit is "
                                          f"{max_triples:,} (GOVGRAPH_MAX_TRIPLES)")
                if quad.graph_name != default:
                    named.add(quad.graph_name)
                subject, predicate = quad.subject, quad.predicate
                if subject == graph:
                    found.describes_itself = True
                    if predicate == council_of:
                        found.council = quad.object.value
                if predicate == rdf_type:
                    typed.add((subject, quad.object))
                    if quad.object == body_class:
                        bodies.add(subject)
                elif predicate == unit_of:
                    units.add(subject)
                elif predicate == pref_label and len(quad.object.value) <= SHORT_LABEL:
                    labels[subject] = quad.object.value
    except SyntaxError as exc:
        raise LoadError(path, f"invalid {fmt.name}: {exc}", line=_line_of(str(exc))) from exc
    except (ValueError, OSError) as exc:
        raise LoadError(path, f"invalid {fmt.name}: {exc}") from exc
    if not found.statements:
        raise LoadError(path, f"the {fmt.name} file holds no triples")
    found.named_graphs = len(named)
    found.types = Counter(kind.value for _, kind in typed if isinstance(kind, NamedNode))
    found.short_bodies = {b.value: labels[b] for b in bodies & units if b in labels}
    return found


def _line_of(message: str) -> int | None:
    if m := re.search(r"line (\d+)|(\d+):\d+", message):
        return int(m[1] or m[2])
    return None


ENTITIES_REFUSED = ("the RDF/XML declares entities made of other entities, which govgraph does not expand (nested "
                    "entities can ask a parser for gigabytes); it was not read")
ENTITY = re.compile(rb"<!ENTITY\s+%?\s*[\w.-]+\s+(?:\"([^\"]*)\"|'([^']*)')")


def _expanding_entities(data: bytes) -> bool:
    """Whether an XML file's DTD declares entities built from other entities (or very many of them): the shape of
    a 'billion laughs'. Plain namespace entities (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``) are fine."""
    head = data[:1024 * 1024]
    if b"<!ENTITY" not in head:
        return False
    values = [m.group(1) or m.group(2) or b"" for m in ENTITY.finditer(head)]
    return len(values) > 200 or any(b"&" in v or b"%" in v for v in values) or b"SYSTEM" in head.split(b"]>")[0]
