"""The ontology parses, every term it defines is labelled and explained, and the reference is in sync."""
from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from govgraph.ontology import ONTOLOGY_FILE, ONTOLOGY_IRI, PREFIXES, SHAPES_FILE, THEMES_FILE, VERSION_IRI
from govgraph.ontology.reference import render
from tests.conftest import ROOT

GG = rdflib.Namespace(PREFIXES["gg"])


def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


def test_ontology_has_stable_namespace_and_version():
    g = ontology()
    iri = rdflib.URIRef(ONTOLOGY_IRI)
    assert (iri, RDF.type, OWL.Ontology) in g
    assert (iri, OWL.versionIRI, rdflib.URIRef(VERSION_IRI)) in g


def test_every_term_is_labelled_and_commented():
    g = ontology()
    terms = {s for s in g.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(str(GG))}
    assert len(terms) > 60
    unlabelled = sorted(str(t) for t in terms if g.value(t, RDFS.label) is None)
    uncommented = sorted(str(t) for t in terms if g.value(t, RDFS.comment) is None)
    assert unlabelled == []
    assert uncommented == []


def test_core_terms_reuse_standard_vocabularies():
    g = ontology()
    org = rdflib.Namespace(PREFIXES["org"])
    assert (GG.Council, RDFS.subClassOf, rdflib.URIRef("http://data.europa.eu/m8g/PublicOrganisation")) in g
    assert (GG.OfficerPost, RDFS.subClassOf, org.Post) in g
    assert (GG.Action, RDFS.subClassOf, rdflib.URIRef("https://schema.org/PlanAction")) in g
    assert (GG.StatusUpdate, RDFS.subClassOf, rdflib.URIRef(PREFIXES["prov"] + "Entity")) in g
    # every status maps to a schema.org ActionStatusType, directly or through a broader status
    for status in g.subjects(SKOS.inScheme, GG.Statuses):
        matches = list(g.objects(status, SKOS.closeMatch)) + list(g.objects(status, SKOS.broadMatch))
        assert matches, status


def test_theme_schemes_hold_the_five_lga_components_and_seven_cipfa_principles():
    g = rdflib.Graph().parse(THEMES_FILE, format="turtle")
    ggt = rdflib.Namespace(PREFIXES["ggt"])
    lga = set(g.subjects(SKOS.inScheme, ggt["lga-cpc"]))
    cipfa = set(g.subjects(SKOS.inScheme, ggt["cipfa-solace"]))
    assert len(lga) == 5
    assert sorted(str(g.value(c, SKOS.notation)) for c in cipfa) == list("ABCDEFG")
    for concept in lga | cipfa:
        assert g.value(concept, RDFS.label) and g.value(concept, RDFS.comment)


def test_shapes_parse_and_every_property_shape_has_a_message():
    g = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    property_shapes = list(g.objects(None, sh.property))
    assert len(property_shapes) > 20
    silent = [p for p in property_shapes if g.value(p, sh.message) is None
              and g.value(p, sh.hasValue) is None]
    assert silent == []


def test_reference_document_is_in_sync_with_the_turtle():
    committed = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/ontology.md is stale: run `make docs`"


def test_each_reading_method_in_the_ontology_has_the_confidence_the_loaders_give_it():
    from govgraph.loaders.confidence import METHODS, method_slug

    g = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")
    gg = rdflib.Namespace(PREFIXES["gg"])
    in_scheme = set(g.subjects(SKOS.inScheme, gg.ReadingMethods))
    assert {str(c) for c in in_scheme} == {str(gg[method_slug(m)]) for m in METHODS}
    for method, value in METHODS.items():
        assert float(g.value(gg[method_slug(method)], gg.confidence)) == value
