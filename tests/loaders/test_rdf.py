"""RDF files load as they are, one graph per file; malformed RDF is reported with its line."""
from __future__ import annotations

import json

import pytest

from govgraph.loaders import LoadError, load_file

TTL = """@prefix gg: <https://w3id.org/govgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/a1> a gg:Action ; rdfs:label "Publish the statement" .
"""


def test_turtle_ntriples_and_jsonld_load_to_the_same_triples(tmp_path):
    (tmp_path / "plan.ttl").write_text(TTL)
    (tmp_path / "plan.nt").write_text(
        "<https://example.org/a1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/govgraph/def#Action> .\n"
        "<https://example.org/a1> <http://www.w3.org/2000/01/rdf-schema#label> \"Publish the statement\" .\n")
    (tmp_path / "plan.jsonld").write_text(json.dumps({
        "@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
        "@id": "https://example.org/a1", "@type": "https://w3id.org/govgraph/def#Action",
        "rdfs:label": "Publish the statement"}))
    loaded = [load_file(tmp_path / name) for name in ("plan.ttl", "plan.nt", "plan.jsonld")]
    assert {l.loader for l in loaded} == {"rdf"}
    facts = [{t for t in l.triples if t.subject.value == "https://example.org/a1"} for l in loaded]
    assert facts[0] == facts[1] == facts[2] and len(facts[0]) == 2
    assert loaded[0].graph.value == "https://w3id.org/govgraph/id/document/plan"


def test_content_decides_for_a_json_file(tmp_path):
    (tmp_path / "data.json").write_text('{"not": "linked data"}')
    with pytest.raises(LoadError, match="not recognised as RDF"):
        load_file(tmp_path / "data.json")


def test_malformed_turtle_names_the_line(tmp_path):
    (tmp_path / "bad.ttl").write_text(TTL + "<https://example.org/a2> a gg:Action ;\n  rdfs:label \"unterminated .\n")
    with pytest.raises(LoadError) as info:
        load_file(tmp_path / "bad.ttl")
    assert info.value.line in (4, 5)
    assert str(info.value).startswith(f"{tmp_path / 'bad.ttl'}:{info.value.line}: invalid Turtle")


def test_named_graphs_in_a_dataset_are_merged_and_reported(tmp_path):
    (tmp_path / "data.nq").write_text(
        "<https://example.org/a> <https://example.org/p> \"1\" <https://example.org/g> .\n")
    loaded = load_file(tmp_path / "data.nq")
    assert len([t for t in loaded.triples if t.subject.value == "https://example.org/a"]) == 1
    assert "1 named graph(s) in the file were merged" in loaded.skipped[0].reason
