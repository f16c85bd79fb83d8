"""RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) loaded as they are, one graph per file.

A file that is already RDF is trusted to use the govgraph ontology; ``govgraph validate`` says where it does
not. Quads that a dataset format puts in named graphs are merged into the file's graph, and that is reported.
"""
from __future__ import annotations

import re

import pyoxigraph as ox
from pyoxigraph import Literal, Triple

from govgraph.loaders import LoadedDocument, LoadError, LoadOptions, Source
from govgraph.loaders.emit import document_iri
from govgraph.loaders.model import Skipped
from govgraph.ontology import DCTERMS, GG, PROV, RDF

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
                raise LoadError(source.path, "the RDF/XML declares entities made of other entities, which govgraph "
                                             "does not expand (nested entities can ask a parser for gigabytes); "
                                             "it was not read")
            quads = list(ox.parse(source.data, format=fmt, base_iri=source.path.resolve().as_uri()))
        except SyntaxError as exc:
            line = _line_of(str(exc))
            raise LoadError(source.path, f"invalid {fmt.name}: {exc}", line=line) from exc
        except (ValueError, OSError) as exc:
            raise LoadError(source.path, f"invalid {fmt.name}: {exc}") from exc
        graph = options.graph or document_iri(source.path.stem)
        skipped = []
        named = {q.graph_name.value for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
        if named:
            skipped.append(Skipped(None, f"{len(named)} named graph(s) in the file were merged into {graph.value}"))
        triples = list(dict.fromkeys(q.triple for q in quads))
        if not triples:
            raise LoadError(source.path, f"the {fmt.name} file holds no triples")
        if not any(t.subject == graph for t in triples):
            # say where these triples came from, as every other loader does
            triples += [Triple(graph, RDF.type, GG.SourceDocument), Triple(graph, RDF.type, PROV.Entity),
                        Triple(graph, DCTERMS.title, Literal(source.path.name)),
                        Triple(graph, DCTERMS.source, Literal(source.path.name)),
                        Triple(graph, GG.sha256, Literal(source.sha256)),
                        Triple(graph, GG.documentKind, Literal(f"RDF data ({fmt.name})"))]
        return LoadedDocument(source.path, self.name, graph, triples, None, skipped)


def _line_of(message: str) -> int | None:
    if m := re.search(r"line (\d+)|(\d+):\d+", message):
        return int(m[1] or m[2])
    return None


ENTITY = re.compile(rb"<!ENTITY\s+%?\s*[\w.-]+\s+(?:\"([^\"]*)\"|'([^']*)')")


def _expanding_entities(data: bytes) -> bool:
    """Whether an XML file's DTD declares entities built from other entities (or very many of them): the shape of
    a 'billion laughs'. Plain namespace entities (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``) are fine."""
    head = data[:1024 * 1024]
    if b"<!ENTITY" not in head:
        return False
    values = [m.group(1) or m.group(2) or b"" for m in ENTITY.finditer(head)]
    return len(values) > 200 or any(b"&" in v or b"%" in v for v in values) or b"SYSTEM" in head.split(b"]>")[0]
