"""The govgraph ontology: namespaces, graph names and the paths of the Turtle files. Nothing else lives here."""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

HERE = Path(__file__).resolve().parent
ONTOLOGY_FILE = HERE / "govgraph.ttl"
THEMES_FILE = HERE / "themes.ttl"
SHAPES_FILE = HERE / "shapes.ttl"

ONTOLOGY_IRI = "https://w3id.org/govgraph/def"
VERSION_IRI = "https://w3id.org/govgraph/def/0.1.0"


class Namespace:
    """An IRI prefix whose attributes and items are pyoxigraph named nodes; ``str()`` gives the prefix.

    >>> GG.Action
    <NamedNode value=https://w3id.org/govgraph/def#Action>
    >>> GG["status-completed"].value
    'https://w3id.org/govgraph/def#status-completed'
    """

    __slots__ = ("prefix",)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return NamedNode(self.prefix + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.prefix + name)

    def __str__(self) -> str:
        return self.prefix

    def __repr__(self) -> str:
        return f"Namespace({self.prefix!r})"


GG = Namespace("https://w3id.org/govgraph/def#")
GGT = Namespace("https://w3id.org/govgraph/themes/")
ID = Namespace("https://w3id.org/govgraph/id/")
GRAPH = Namespace("https://w3id.org/govgraph/graph/")

RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
QB = Namespace("http://purl.org/linked-data/cube#")

#: Prefixes used in queries, exports and documentation.
PREFIXES: dict[str, str] = {
    "gg": str(GG), "ggt": str(GGT), "ggid": str(ID), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL),
    "xsd": str(XSD), "skos": str(SKOS), "dcterms": str(DCTERMS), "org": str(ORG), "cv": str(CV),
    "prov": str(PROV), "oa": str(OA), "time": str(TIME), "schema": str(SCHEMA), "foaf": str(FOAF),
    "qb": str(QB),
}

#: Named graphs that hold the vocabulary rather than any one document's facts.
ONTOLOGY_GRAPH = GRAPH.ontology
THEMES_GRAPH = GRAPH.themes
VOCABULARY_GRAPHS = {ONTOLOGY_GRAPH: ONTOLOGY_FILE, THEMES_GRAPH: THEMES_FILE}
#: Derived graphs of figures kept at load time: one per council (this prefix and the council's key) and one record
#: of what they were computed from.
SUMMARY_PREFIX = GRAPH["summary/"].value
SUMMARY_RECORD_GRAPH = GRAPH.summaries
