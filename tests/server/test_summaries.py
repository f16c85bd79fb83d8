"""The figures kept at load time equal the named queries' answers after any sequence of loads, replacements and
removals; readers fall back to the named queries when the summaries are missing or out of date; the summary graphs
are derived, not documents."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode, Triple

from govgraph import queries
from govgraph.loaders import load_file
from govgraph.ontology import GG, RDF, SUMMARY_RECORD_GRAPH
from govgraph.queries.store import OxigraphStore, StoreError
from govgraph.server import matching, service, summaries
from govgraph.server.reports import run_query

AS_OF = ("2021-01-01", "2023-07-01", "2024-04-01", "2030-01-01")
DUE = ("March 2024", "??", "June 2021", "31 January 2025", "", "ongoing")
STATUS = ("In progress", "Completed", "Not started", "")

#: The documents the property test loads: (file stem, council number, review), two of them of one council's review
#: (a plan and its tracker, matched by their numbers).
TRACKERS = {"c0-plan": (0, "LGA Corporate Peer Challenge 2023"), "c0-tracker": (0, "LGA Corporate Peer Challenge 2023"),
            "c1-plan": (1, "LGA Corporate Peer Challenge 2023"), "c2-plan": (2, "Annual Governance Statement 2022")}
DOCUMENTS = (*TRACKERS, "shared")  # "shared": an RDF file bearing on councils 0 and 1


def write_tracker(folder: Path, stem: str, rows: list[tuple[bool, bool, int, int]]) -> Path:
    """A CSV tracker like ``benchmarks/run.py``'s, each row (owner named, oversight named, due, status)."""
    council, review = TRACKERS[stem]
    path = folder / f"{stem}.csv"
    with path.open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow([f"Council: Council {council:03d}"])
        w.writerow([f"Review: {review}"])
        w.writerow(["Rec ref", "Recommendation", "Action ref", "Action", "Lead officer", "Oversight", "Due date",
                    "Status"])
        for a, (owner, oversight, due, status) in enumerate(rows):
            rec = a // 2
            w.writerow([str(rec), f"Recommendation {rec} about governance and scrutiny arrangements." if a % 2 == 0
                        else "", str(a), f"Action {a}: strengthen risk management and member development.",
                        f"Director of Service {a % 3}" if owner else "", "Audit Committee" if oversight else "",
                        DUE[due], STATUS[status]])
    return path


def first_action(folder: Path, stem: str) -> tuple[NamedNode, NamedNode]:
    """The council of a tracker and the IRI its first action takes."""
    loaded = load_file(write_tracker(folder, stem, [(True, True, 0, 0)]))
    council = matching.council_in(loaded.graph, loaded.triples)
    action = next(t.subject for t in loaded.triples if t.predicate == RDF.type and t.object == GG.Action)
    return council, action


def write_shared(folder: Path, variant: int, things: dict[str, tuple[NamedNode, NamedNode]]) -> Path:
    """RDF bearing on two councils: an action of its own for each (with or without owner and due date), and, for
    council 1, a status update and an oversight body for an action its tracker read."""
    lines = ["@prefix gg: <https://w3id.org/govgraph/def#> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix time: <http://www.w3.org/2006/time#> .", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
             "@prefix ex: <https://example.org/shared/> ."]
    for n, stem in enumerate(("c0-plan", "c1-plan")):
        council, action = things[stem]
        lines += [(f"ex:action{n} a gg:Action ; gg:councilOf <{council.value}> ; rdfs:label \"Shared action {n}\" ;"
                   f" gg:actionOfPlan ex:plan{n} ; gg:due ex:due{n} ."),
                  f"ex:plan{n} gg:respondsToReview ex:review{n} . ex:review{n} rdfs:label \"Joint review {n}\" .",
                  (f"ex:due{n} gg:readable true ; gg:printedAs \"March 2023\" ;"
                   f" time:hasEnd [ time:inXSDDate \"2023-03-3{variant % 2}\"^^xsd:date ] .")]
        if variant % 3:
            lines.append(f"ex:action{n} gg:accountablePost ex:post{n} .")
        if n == 1 and variant % 2:
            lines += [f"ex:update gg:statusOf <{action.value}> ; gg:status gg:status-completed .",
                      f"<{action.value}> gg:overseenBy ex:board ."]
    path = folder / "shared.ttl"
    path.write_text("\n".join(lines) + "\n")
    return path


def load(store, path: Path) -> NamedNode:
    """Load one file as ``govgraph load`` does, in this process."""
    loaded = load_file(path)
    service.write_document(store, loaded.graph, service.resolve_abbreviated_bodies(store, loaded.triples))
    return loaded.graph


def _multiset(rows: list[dict], columns: list[str]) -> Counter:
    return Counter(tuple(r.get(c) for c in columns) for r in rows)


def assert_summaries_match(store) -> None:
    """Every figure the summaries hold equals the named query's answer over the whole store."""
    assert summaries.is_current(store)
    for dataset, name in (("review", "review-headlines"), ("status", "status-by-council"),
                          ("theme", "theme-coverage-by-council"), ("document", "council-over-time")):
        columns = [c for c, _ in queries.get_query(name).columns]
        kept = [r for r in summaries.values(summaries.observations(store, dataset)) if r.get(columns[-1]) is not None]
        assert _multiset(kept, columns) == _multiset(run_query(store, name)[1].values(), columns), name
    gaps = {(r["council"], r["review"]): {c: int(r[c]) for c in summaries.GAP_COUNTS.values()}
            for r in summaries.values(summaries.observations(store, "review"))}
    for name, column in summaries.GAP_COUNTS.items():
        raw = Counter((r["council"], r["review"]) for r in run_query(store, name)[1].values())
        assert {k: v[column] for k, v in gaps.items() if v[column]} == dict(raw), name
    for as_of in AS_OF:
        raw = Counter((r["council"], r["review"]) for r in run_query(store, "overdue-actions", {"as_of": as_of})[1]
                      .values())
        assert summaries.overdue_counts(store, as_of) == raw, as_of


row = st.tuples(st.booleans(), st.booleans(), st.integers(0, len(DUE) - 1), st.integers(0, len(STATUS) - 1))
step = st.one_of(
    st.tuples(st.just("load"), st.sampled_from(list(TRACKERS)), st.lists(row, min_size=1, max_size=5)),
    st.tuples(st.just("load"), st.just("shared"), st.integers(0, 5)),
    st.tuples(st.just("remove"), st.sampled_from(DOCUMENTS), st.just(None)),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_summaries_equal_the_named_queries_after_any_loads_replacements_and_removals(tmp_path_factory, steps):
    folder = tmp_path_factory.mktemp("docs")
    things = {stem: first_action(folder, stem) for stem in ("c0-plan", "c1-plan")}
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    summaries.ensure_summaries(store)
    graphs: dict[str, NamedNode] = {}
    for op, stem, arg in steps:
        if op == "load" and stem == "shared":
            graphs[stem] = load(store, write_shared(folder, arg, things))
        elif op == "load":
            graphs[stem] = load(store, write_tracker(folder, stem, arg))
        elif stem in graphs:
            assert service.remove_document(store, graphs.pop(stem))
        assert_summaries_match(store)
    # and the views read them: the same figures as the named queries give
    dashboard = service.dashboard(store, as_of="2024-04-01")
    raw = run_query(store, "review-headlines")[1].values()
    assert [(f.council, f.review, f.recommendations, f.actions, f.with_owner) for f in dashboard] == \
        [(r["council"], r["review"], int(r["recommendations"]), int(r["actions"]), int(r["with_owner"])) for r in raw]
    # one council's figures, read from its own summary graph, and the comparison of chosen councils
    for council in {f.council for f in dashboard}:
        assert service.dashboard(store, as_of="2024-04-01", council=NamedNode(council)) == \
            [f for f in dashboard if f.council == council]
        whole = service.compare(store)
        chosen = service.compare(store, council=[council])
        assert chosen.status == {status: {name: n for name, n in cells.items() if name in chosen.councils}
                                 for status, cells in whole.status.items()
                                 if any(name in chosen.councils for name in cells)}


@pytest.fixture
def loaded(tmp_path):
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    things = {stem: first_action(tmp_path, stem) for stem in ("c0-plan", "c1-plan")}
    load(store, write_tracker(tmp_path, "c0-plan", [(True, False, 0, 0), (False, True, 2, 1), (True, True, 1, 3)]))
    load(store, write_tracker(tmp_path, "c1-plan", [(True, True, 2, 0), (False, False, 3, 2)]))
    load(store, write_shared(tmp_path, 1, things))
    return store


def test_a_store_without_summaries_gets_them_from_its_first_writer_and_readers_fall_back_meanwhile(loaded):
    expected = service.dashboard(loaded, as_of="2024-04-01")
    kept = [g for g in loaded.graphs() if summaries.is_summary_graph(g)]
    assert SUMMARY_RECORD_GRAPH in kept and len(kept) == 3  # the record and councils 0 and 1
    loaded.replace_graphs({}, remove=kept)  # a store made before summaries existed
    assert not summaries.is_current(loaded)
    assert service.dashboard(loaded, as_of="2024-04-01") == expected  # from the named queries
    assert summaries.ensure_summaries(loaded) and summaries.is_current(loaded)
    assert not summaries.ensure_summaries(loaded)  # nothing to do the second time
    assert service.dashboard(loaded, as_of="2024-04-01") == expected
    assert_summaries_match(loaded)


def test_a_document_written_past_loading_makes_the_summaries_untrusted(loaded, tmp_path):
    other = load_file(write_tracker(tmp_path, "c2-plan", [(True, True, 0, 0)]))
    loaded.replace_graph(other.graph, other.triples)  # not through write_document: no summary for it
    assert not summaries.is_current(loaded)
    figures = {(f.council, f.review): f.actions for f in service.dashboard(loaded, as_of="2024-04-01")}
    assert len(figures) == len(run_query(loaded, "review-headlines")[1])  # the new council is shown all the same
    comparison = service.compare(loaded)
    assert "Council 002" in comparison.councils


def test_a_changed_vocabulary_or_version_makes_the_summaries_untrusted(loaded, monkeypatch):
    assert summaries.is_current(loaded)
    monkeypatch.setattr(summaries, "FORMAT", "another")
    assert not summaries.is_current(loaded)
    monkeypatch.undo()
    record = [t for t in loaded.triples(SUMMARY_RECORD_GRAPH) if t.predicate != GG.vocabularyDigest]
    loaded.replace_graph(SUMMARY_RECORD_GRAPH, record + [Triple(SUMMARY_RECORD_GRAPH, GG.vocabularyDigest,
                                                                 __import__("pyoxigraph").Literal("0" * 64))])
    assert not summaries.is_current(loaded)


def test_summary_graphs_are_derived_not_documents(loaded):
    assert not any(summaries.is_summary_graph(NamedNode(d.graph)) for d in service.documents(loaded))
    for graph in [g for g in loaded.graphs() if summaries.is_summary_graph(g)]:
        with pytest.raises(StoreError, match="derived"):
            service.remove_document(loaded, graph)


def test_the_summaries_are_data_cube_observations_that_conform_to_the_shapes(loaded):
    rows = loaded.select(queries.PREFIX_BLOCK + """
        SELECT ?dataset (COUNT(?obs) AS ?n) WHERE { ?obs a qb:Observation ; qb:dataSet ?dataset .
                                                    ?dataset qb:structure/qb:component ?c } GROUP BY ?dataset""")
    assert {r["dataset"] for r in rows.rows} >= {GG.reviewFigures, GG.statusMix, GG.documentFigures,
                                                  GG.openActionsByDueDate}
    summary_node = "https://w3id.org/govgraph/id/summary/"
    assert [v for v in service.validate(loaded).violations if v.focus.startswith(summary_node)] == []
    graph = next(g for g in loaded.graphs() if g.value.endswith("/council-000"))
    broken = [t for t in loaded.triples(graph) if t.predicate != GG.refCouncil]  # observations naming no council
    loaded.replace_graph(graph, broken)
    messages = {v.message for v in service.validate(loaded).violations if v.focus.startswith(summary_node)}
    assert messages == {"An observation of the summaries counts for exactly one council (gg:refCouncil)."}


def test_one_councils_figures_are_made_from_its_own_graphs_only(loaded, tmp_path):
    (c0, _), (c1, _) = first_action(tmp_path, "c0-plan"), first_action(tmp_path, "c1-plan")
    around = summaries.neighbourhood(loaded, c0)
    assert sorted(g.value.rsplit("/", 1)[-1] for g in around) == ["c0-plan", "council-000", "shared"]
    assert summaries.touched(loaded, NamedNode("https://w3id.org/govgraph/id/document/shared")) == {c0, c1}


def test_the_council_parameter_narrows_the_counting_of_review_headlines(loaded, tmp_path):
    query = queries.get_query("review-headlines")
    council = queries.bind(loaded, query, {"council": "Council 000"})
    text = queries.with_values(query.sparql, council)
    # the block comes first and the counting subquery is looked up per council (LATERAL), so it counts one council
    counting = text.index("SELECT ?council ?review (COUNT")
    assert text.index("VALUES (?council)") < counting
    assert re.search(r"\bLATERAL\s*\{\s*$", text[:counting])
    one = run_query(loaded, "review-headlines", {"council": "Council 000"})[1].values()
    every = run_query(loaded, "review-headlines")[1].values()
    assert one and one == [r for r in every if r["council_name"] == "Council 000"]


def test_govgraph_summarise_recomputes_the_figures(run_cli, tmp_path):
    store = tmp_path / "store"
    run_cli("load", str(write_tracker(tmp_path, "c0-plan", [(True, True, 0, 0)])), "--store", str(store))
    done = run_cli("summarise", "--store", str(store))
    assert "summarised 1 council(s)" in done.stdout


def test_every_view_gives_the_same_from_the_summaries_as_from_the_named_queries(loaded, monkeypatch):
    from govgraph.visualise.report import to_markdown

    def views():
        return (service.dashboard(loaded, as_of="2024-04-01"), service.compare(loaded),
                service.compare(loaded, council=["Council 001"]), service.council_over_time(loaded),
                service.council_over_time(loaded, council="Council 000"), service.gap_counts(loaded),
                to_markdown(service.build_report(loaded, as_of="2024-04-01")),
                to_markdown(service.build_report(loaded, council="Council 001", as_of="2030-01-01")))

    assert summaries.is_current(loaded)
    from_summaries = views()
    monkeypatch.setattr(summaries, "is_current", lambda store: False)
    from_queries = views()
    assert from_summaries == from_queries
    assert from_summaries[0] and from_summaries[3] and "Council 001" in from_summaries[7]


def test_a_document_cannot_be_written_over_a_derived_graph(loaded):
    for graph in [g for g in loaded.graphs() if summaries.is_summary_graph(g)]:
        with pytest.raises(StoreError, match="derived"):
            service.write_document(loaded, graph, [])
