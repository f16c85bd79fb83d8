"""RDF files load as they are, one graph per file; malformed RDF is reported with its line."""
from __future__ import annotations

import json

import pyoxigraph as ox
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


# --- the streaming check before a bulk load -------------------------------------------------------------------

from govgraph.loaders import LoadOptions, rdf


def test_a_scan_counts_what_a_full_read_finds(tmp_path):
    path = tmp_path / "plan.ttl"
    path.write_text(TTL + "<https://example.org/a1> a gg:Action .\n"  # said twice: counted once, as a full read does
                    "<https://example.org/r1> a gg:Recommendation .\n")
    scan = rdf.scan(path, LoadOptions(), max_triples=100)
    loaded = load_file(path)
    assert scan.statements == 4 and scan.graph == loaded.graph.value and not scan.describes_itself
    assert dict(scan.types) == {"https://w3id.org/govgraph/def#Action": 1,
                                "https://w3id.org/govgraph/def#Recommendation": 1}
    assert set(scan.provenance()) == set(loaded.triples) - {t for t in loaded.triples
                                                            if t.subject.value.startswith("https://example.org/")}


def test_a_scan_refuses_what_a_full_read_refuses_with_the_same_message(tmp_path):
    (tmp_path / "bad.ttl").write_text(TTL + "<https://example.org/a2> a gg:Action ;\n  rdfs:label \"unterminated .\n")
    with pytest.raises(LoadError) as full:
        load_file(tmp_path / "bad.ttl")
    with pytest.raises(LoadError) as scanned:
        rdf.scan(tmp_path / "bad.ttl", LoadOptions(), max_triples=100)
    assert str(scanned.value) == str(full.value)
    (tmp_path / "empty.nt").write_text("# nothing but a comment\n")
    with pytest.raises(LoadError, match="holds no triples"):
        rdf.scan(tmp_path / "empty.nt", LoadOptions(), max_triples=100)
    with pytest.raises(LoadError, match=r"more than 2 triples; the limit is 2 \(GOVGRAPH_MAX_TRIPLES\)"):
        rdf.scan(tmp_path / "bad.ttl", LoadOptions(), max_triples=2)
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "x">\n<!ENTITY b "&a;&a;">\n]>\n'
              '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    (tmp_path / "laughs.rdf").write_text(laughs)
    with pytest.raises(LoadError, match="entities made of other entities"):
        rdf.scan(tmp_path / "laughs.rdf", LoadOptions(), max_triples=100)


def test_a_scan_reports_what_the_match_step_needs(tmp_path):
    graph = "https://w3id.org/govgraph/id/document/plan"
    (tmp_path / "plan.nq").write_text(
        f'<{graph}> <https://w3id.org/govgraph/def#councilOf> <https://example.org/leeds> .\n'
        '<https://example.org/b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/govgraph/def#OversightBody> .\n'
        '<https://example.org/b> <http://www.w3.org/2004/02/skos/core#prefLabel> "CGAC" .\n'
        '<https://example.org/b> <http://www.w3.org/ns/org#unitOf> <https://example.org/leeds> .\n'
        '<https://example.org/a> <https://example.org/p> "1" <https://example.org/g> .\n')
    scan = rdf.scan(tmp_path / "plan.nq", LoadOptions(), max_triples=100)
    assert scan.describes_itself and scan.provenance() == []
    assert scan.council == "https://example.org/leeds"
    assert scan.short_bodies == {"https://example.org/b": "CGAC"}
    assert scan.named_graphs == 1


def test_only_rdf_files_of_a_size_worth_it_are_bulk_loaded(tmp_path, monkeypatch):
    from govgraph import loaders

    monkeypatch.setattr(rdf, "BULK_MIN_BYTES", 10)
    monkeypatch.setattr(loaders, "MAX_BYTES", 1000)
    (tmp_path / "small.nt").write_text("<a:b> <a:c> <a:d> .\n"[:9])
    (tmp_path / "plan.nt").write_text("<a:b> <a:c> <a:d> .\n")
    (tmp_path / "plan.ttl").write_text("<a:b> <a:c> <a:d> .\n")
    (tmp_path / "plan.jsonld").write_text("{}" * 10)
    (tmp_path / "huge.nt").write_text("<a:b> <a:c> <a:d> .\n" * 100)  # past MAX_BYTES: refused as a full read is
    assert [rdf.bulk_format(tmp_path / n) for n in ("small.nt", "plan.nt", "plan.ttl", "plan.jsonld", "huge.nt",
                                                      "missing.nt")] == \
           [None, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, None, None, None]
