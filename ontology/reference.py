"""Generate the human-readable reference of the ontology (``docs/ontology.md``) from the Turtle.

Run ``python -m govgraph.ontology.reference > docs/ontology.md``; a test fails when the file is out of date.
"""
from __future__ import annotations

import sys

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from govgraph.ontology import ONTOLOGY_FILE, ONTOLOGY_IRI, PREFIXES, THEMES_FILE


def _curie(term) -> str:
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def _one(graph: rdflib.Graph, subject, predicate) -> str:
    value = graph.value(subject, predicate)
    return str(value) if value is not None else ""


def _list(graph: rdflib.Graph, subject, predicate) -> str:
    return ", ".join(sorted(f"`{_curie(o)}`" for o in graph.objects(subject, predicate)
                            if isinstance(o, rdflib.URIRef)))


def render() -> str:
    g = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")
    themes = rdflib.Graph().parse(THEMES_FILE, format="turtle")
    ontology = rdflib.URIRef(ONTOLOGY_IRI)
    gg = PREFIXES["gg"]
    lines = [
        f"# {_one(g, ontology, RDFS.label)}",
        "",
        "<!-- Generated from ontology/govgraph.ttl and ontology/themes.ttl by "
        "`python -m govgraph.ontology.reference`; do not edit by hand. -->",
        "",
        _one(g, ontology, RDFS.comment),
        "",
        f"- Namespace: `{gg}` (prefix `gg:`)",
        f"- Version: `{_one(g, ontology, OWL.versionIRI)}`",
        "",
    ]

    def own(kind) -> list:
        return sorted((s for s in g.subjects(RDF.type, kind) if str(s).startswith(gg)), key=str)

    lines += ["## Classes", ""]
    for cls in own(OWL.Class):
        lines += [f"### `{_curie(cls)}` — {_one(g, cls, RDFS.label)}", "", _one(g, cls, RDFS.comment), ""]
        if parents := _list(g, cls, RDFS.subClassOf):
            lines += [f"Subclass of {parents}.", ""]
    for title, kind in (("Object properties", OWL.ObjectProperty), ("Datatype properties", OWL.DatatypeProperty)):
        lines += [f"## {title}", "", "| Property | Label | Domain | Range | Meaning |", "|---|---|---|---|---|"]
        for prop in own(kind):
            comment = _one(g, prop, RDFS.comment).replace("|", "\\|")
            lines.append(f"| `{_curie(prop)}` | {_one(g, prop, RDFS.label)} | {_list(g, prop, RDFS.domain)} "
                         f"| {_list(g, prop, RDFS.range)} | {comment} |")
        lines.append("")
    lines += ["## Concept schemes", ""]
    for graph in (g, themes):
        for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=str):
            lines += [f"### `{_curie(scheme)}` — {_one(graph, scheme, RDFS.label)}", "",
                      _one(graph, scheme, RDFS.comment), "", "| Concept | Label | Meaning | Matches |",
                      "|---|---|---|---|"]
            concepts = sorted(graph.subjects(SKOS.inScheme, scheme), key=str)
            for concept in concepts:
                matches = ", ".join(f"`{_curie(o)}`" for p in (SKOS.closeMatch, SKOS.broadMatch)
                                    for o in sorted(graph.objects(concept, p)))
                alt = sorted(str(a) for a in graph.objects(concept, SKOS.altLabel))
                label = _one(graph, concept, SKOS.prefLabel) + (f" (also: {', '.join(alt)})" if alt else "")
                lines.append(f"| `{_curie(concept)}` | {label} | {_one(graph, concept, RDFS.comment)} | {matches} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
