"""SHACL shapes accept what the loaders produce and reject malformed graphs with messages a person can act on."""
from __future__ import annotations

import pyoxigraph as ox

from govgraph.loaders import load_file
from govgraph.queries.store import OxigraphStore
from govgraph.server import service
from tests.conftest import SAMPLE_TRACKER

BAD = """
@prefix gg: <https://w3id.org/govgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix ex: <https://example.org/> .
ex:leeds a gg:Council ; rdfs:label "Leeds City Council" .
ex:a1 a gg:Action ; gg:councilOf ex:leeds ; gg:accountablePost ex:kate .
ex:kate a gg:Person ; rdfs:label "Kate" .
ex:r1 a gg:Recommendation ; rdfs:label "Strengthen scrutiny" ; gg:councilOf ex:leeds .
ex:due a gg:DueDate ; gg:printedAs "??" .
"""


def store_with(triples_by_graph: dict[str, list]) -> OxigraphStore:
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    for graph, triples in triples_by_graph.items():
        store.replace_graph(ox.NamedNode(graph), triples)
    return store


def test_the_loaded_sample_conforms():
    loaded = load_file(SAMPLE_TRACKER)
    report = service.validate(store_with({loaded.graph.value: loaded.triples}))
    assert report.violations == []
    assert report.conforms


def test_malformed_graph_is_rejected_with_actionable_messages():
    triples = [q.triple for q in ox.parse(BAD, format=ox.RdfFormat.TURTLE)]
    report = service.validate(store_with({"https://example.org/bad": triples}))
    assert not report.conforms
    found = {(v.focus.rsplit("/", 1)[-1], v.path, v.message) for v in report.violations}
    assert ("a1", "rdfs:label", "An action needs the text of the commitment (rdfs:label).") in found
    assert ("a1", "prov:wasDerivedFrom",
            "An action must say which document it was read from (prov:wasDerivedFrom).") in found
    assert ("a1", "gg:accountablePost",
            "An accountable officer must be a post (org:Post), not a person or a free-text name.") in found
    assert ("r1", "gg:issuedBy",
            "A recommendation must belong to the review that made it (gg:issuedBy a gg:Review).") in found
    assert ("due", "gg:readable",
            "A due date must say whether it could be read (one gg:readable boolean).") in found
    # the recommendation is labelled and names its council, so those constraints are not reported
    assert not any(v.focus.endswith("/r1") and v.path in ("rdfs:label", "gg:councilOf") for v in report.violations)
