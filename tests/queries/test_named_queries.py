"""The named gap queries on small graphs made here, with the exact rows expected."""
from __future__ import annotations

from pathlib import Path

import pytest

from govgraph import queries
from govgraph.loaders.emit import document_triples
from govgraph.loaders.model import Action, ExtractedDocument, Mention, Milestone, Recommendation, Span
from govgraph.queries.store import OxigraphStore
from govgraph.server import service


def doc(name: str, *, council="Testshire County Council", recommendations=(), actions=(), bodies=(),
        plan_oversight=()) -> ExtractedDocument:
    return ExtractedDocument(path=Path(f"{name}.csv"), sha256="0" * 64, kind="action tracker", council=council,
                             review="LGA Corporate Peer Challenge 2022", published="2023-02",
                             recommendations=list(recommendations), actions=list(actions),
                             bodies=[Mention(b) for b in bodies], plan_oversight=[Mention(b) for b in plan_oversight])


def m(*texts: str) -> list[Mention]:
    return [Mention(text, Span(text, line=i + 2)) for i, text in enumerate(texts)]


def act(number: str, *, owners=(), oversight=(), due=(), responds_to=(), milestones=()) -> Action:
    return Action(key=number, text=f"Action {number} text.", number=number, owners=m(*owners),
                  oversight=m(*oversight), due=m(*due), responds_to=list(responds_to),
                  milestones=list(milestones), span=Span(f"Action {number} text.", line=int(number) + 10))


def store_of(*docs: ExtractedDocument) -> OxigraphStore:
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    for d in docs:
        graph, triples = document_triples(d)
        store.replace_graph(graph, triples)
    return store


def rows(store, name, **params) -> list[dict]:
    return queries.run(store, queries.get_query(name), params).values()


def short(result: list[dict], *columns: str) -> list[tuple]:
    return [tuple(r[c] for c in columns) for r in result]


RECS = [Recommendation("1", "Strengthen the scrutiny function.", "1", span=Span("Strengthen", line=3)),
        Recommendation("2", "Review the electoral cycle.", "2", span=Span("Review", line=4)),
        Recommendation("3", "Invest in member development.", "3", span=Span("Invest", line=5))]


def test_recommendations_without_actions():
    store = store_of(doc("plan", recommendations=RECS, actions=[
        act("1", responds_to=["1"]), act("2", responds_to=["1", "3"])]))
    result = rows(store, "recommendations-without-actions")
    assert short(result, "council_name", "review_name", "number", "text", "source") == [
        ("Testshire County Council", "LGA Corporate Peer Challenge 2022", "2", "Review the electoral cycle.",
         "plan.csv:4")]


def test_recommendation_answered_by_two_actions_is_not_a_gap_and_empty_case():
    store = store_of(doc("plan", recommendations=RECS[:1], actions=[
        act("1", responds_to=["1"]), act("2", responds_to=["1"])]))
    assert rows(store, "recommendations-without-actions") == []
    assert rows(store_of(), "recommendations-without-actions") == []


def test_actions_without_owner():
    store = store_of(doc("plan", actions=[
        act("1", owners=["Director of Resources", "Head of Internal Audit"]),  # two owners
        act("2"),
        act("3", owners=["TBC"]),
        act("4", milestones=[Milestone("Report to board.", owners=m("Chief Executive"))]),
    ]))
    result = rows(store, "actions-without-owner")
    assert short(result, "number", "stated_gap", "source") == [
        ("2", None, "plan.csv:12"),
        ("3", "accountable officer given as 'TBC'", "plan.csv:13")]


def test_actions_without_oversight_resolves_abbreviations_and_plan_oversight():
    with_abbreviation = doc("key-actions", bodies=["Corporate Governance and Audit Committee"], actions=[
        act("1", oversight=["CGAC"]),
        act("2", oversight=["?"]),
        act("3"),
        act("4", milestones=[Milestone("Decision.", oversight=m("Executive Board"))]),
    ])
    store = store_of(with_abbreviation)
    result = rows(store, "actions-without-oversight")
    assert short(result, "number", "stated_gap") == [("2", "oversight given as '?'"), ("3", None)]
    # the abbreviation and the full name are one body
    bodies = store.select(queries.PREFIX_BLOCK + "SELECT DISTINCT ?b WHERE { ?a gg:overseenBy ?b }").values()
    labels = store.select(queries.PREFIX_BLOCK + "SELECT ?l WHERE { ?b a gg:OversightBody ; skos:altLabel|skos:prefLabel ?l } ORDER BY ?l").values()
    assert len([b for b in bodies if "corporate-governance" in b["b"]]) == 1
    assert [r["l"] for r in labels] == ["CGAC", "Corporate Governance and Audit Committee", "Executive Board"]

    monitored = doc("plan", plan_oversight=["Audit and Accounts Committee"], actions=[act("1"), act("2")])
    assert rows(store_of(monitored), "actions-without-oversight") == []


def test_a_body_named_in_full_in_one_document_and_abbreviated_in_another():
    full = doc("one", actions=[act("1", oversight=["Corporate Governance and Audit Committee"])])
    abbreviated = doc("two", bodies=["Corporate Governance and Audit Committee"],
                      actions=[act("7", oversight=["CGAC"])])
    store = store_of(full, abbreviated)
    overseen = store.select(queries.PREFIX_BLOCK + """
        SELECT ?body (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a gg:overseenBy ?body } GROUP BY ?body""").values()
    assert len(overseen) == 1 and overseen[0]["n"] == "2"


def test_actions_without_due_date():
    store = store_of(doc("plan", actions=[
        act("1", due=["December 2020"]),
        act("2", due=["??"]),
        act("3"),
        act("4", milestones=[Milestone("First step.", due=m("w/c 9th November"))]),
        act("5", due=["Ongoing"]),
    ]))
    result = rows(store, "actions-without-due-date")
    assert short(result, "number", "due_as_printed") == [("2", "??"), ("3", None)]


def test_council_parameter_by_name_or_iri_and_errors():
    store = store_of(doc("a", actions=[act("1")]), doc("b", council="Kirklees Council", actions=[act("1")]))
    assert len(rows(store, "actions-without-owner")) == 2
    by_name = rows(store, "actions-without-owner", council="kirklees council")
    assert short(by_name, "council_name") == [("Kirklees Council",)]
    by_iri = rows(store, "actions-without-owner", council=by_name[0]["council"])
    assert by_iri == by_name
    # any name people write for a council, as the councils list knows it
    assert rows(store, "actions-without-owner", council="Kirklees") == by_name
    with pytest.raises(queries.QueryError, match=r"no gg:Council named 'Nowhere'; known: Kirklees Council; "
                                                 r"Testshire County Council"):
        rows(store, "actions-without-owner", council="Nowhere")
    with pytest.raises(queries.QueryError, match=r"has no parameter 'councl'; its parameters: council, review"):
        rows(store, "actions-without-owner", councl="x")
    with pytest.raises(queries.QueryError, match="no query named 'nope'; known queries: .*actions-without-owner"):
        queries.get_query("nope")


def test_a_hostile_parameter_changes_nothing():
    store = store_of(doc("a", actions=[act("1")]))
    before = store.count()
    with pytest.raises(queries.QueryError, match="no gg:Council named"):
        rows(store, "actions-without-owner", council='x" } DROP ALL #')
    assert store.count() == before


@pytest.mark.parametrize("query", list(queries.catalogue().values()), ids=lambda q: q.name)
def test_headers_match_the_query(query):
    assert query.title and query.description
    required = {query.requires[0]: "https://example.org/nothing"} if query.requires else {}
    projected = queries.run(store_of(), query, required).variables
    declared = [c for c, _ in query.columns]
    assert declared == projected, "the #+ column lines must list the projected variables in order"
    assert all(desc for _, desc in query.columns)


def test_spellings_and_abbreviations_of_one_post_are_one_post():
    store = store_of(doc("plan", actions=[
        act("1", owners=["Director of Resources and Housing"]),
        act("2", owners=["Director Resources and Housing"]),
        act("3", owners=["Director of R&H"]),
        act("4", owners=["Director of Resources"]),
    ]))
    posts = store.select(queries.PREFIX_BLOCK + """
        SELECT ?label (COUNT(DISTINCT ?a) AS ?actions) WHERE { ?a gg:accountablePost ?p . ?p skos:prefLabel ?label }
        GROUP BY ?label ORDER BY ?label""").values()
    assert posts == [{"label": "Director of Resources", "actions": "1"},
                     {"label": "Director of Resources and Housing", "actions": "3"}]
    alt = store.select(queries.PREFIX_BLOCK + """SELECT ?alt WHERE { ?p skos:prefLabel "Director of Resources and Housing"@en ;
        skos:altLabel ?alt } ORDER BY ?alt""").values()
    assert [r["alt"] for r in alt] == ["Director Resources and Housing", "Director of R&H"]


def test_overdue_actions():
    from govgraph.loaders.model import StatusReport

    def with_status(action, printed, revised_to=()):
        action.status = StatusReport(printed, None, revised_from=list(action.due), revised_to=m(*revised_to))
        return action

    store = store_of(doc("plan", actions=[
        act("1", due=["March 2023"]),                                    # overdue
        with_status(act("2", due=["March 2023"]), "Completed"),          # done
        act("3", due=["Ongoing"]),                                       # never overdue
        with_status(act("4", due=["March 2023"]), "Revised timescale", ["December 2023"]),  # revised later
        act("5", due=["??"]),                                            # unreadable: a gap, not overdue
        act("6", due=["September 2023"]),                                # not yet due on 2023-07-01
        with_status(act("7", due=["January 2023"]), "Slippage"),         # overdue, status shown
    ]))
    result = rows(store, "overdue-actions", as_of="2023-07-01")
    assert short(result, "as_of", "number", "latest_end", "status") == [
        ("2023-07-01", "1", "2023-03-31", None), ("2023-07-01", "7", "2023-01-31", "slippage")]
    assert [r["number"] for r in rows(store, "overdue-actions", as_of="2024-01-01")] == ["1", "4", "6", "7"]
    assert rows(store, "overdue-actions", as_of="2022-01-01") == []
    # without a date, today is used: every dated action above is long past
    assert [r["number"] for r in rows(store, "overdue-actions")] == ["1", "4", "6", "7"]
    with pytest.raises(queries.QueryError, match="must be a date as YYYY-MM-DD"):
        rows(store, "overdue-actions", as_of="next week")


def test_a_body_only_abbreviated_in_a_later_document_is_the_body_named_in_full_before(tmp_path):
    from govgraph.server import service as svc
    from tests.conftest import write_csv

    full = write_csv(tmp_path / "one.csv", [["Council", "Action", "Oversight"],
                                            ["Testshire County Council", "Refresh the risk register.",
                                             "Corporate Governance and Audit Committee"]])
    short_form = write_csv(tmp_path / "two.csv", [["Council", "Action", "Oversight"],
                                                  ["Testshire County Council", "Publish the annual report.", "CGAC"]])
    store = OxigraphStore.memory()
    svc.ensure_vocabulary(store)
    svc.load_paths(store, [full, short_form])
    result = rows(store, "body-oversees", body="CGAC")
    assert short(result, "body_name", "text", "how") == [
        ("Corporate Governance and Audit Committee", "Refresh the risk register.", "named for it"),
        ("Corporate Governance and Audit Committee", "Publish the annual report.", "named for it")]


def test_body_oversees_and_post_workload():
    store = store_of(doc("plan", plan_oversight=["Audit Committee"], actions=[
        act("1", owners=["Director of Finance"], oversight=["Cabinet"], due=["March 2024"]),
        act("2", owners=["Director of Finance", "Head of Audit"],
            milestones=[Milestone("Draft the policy.", oversight=m("Cabinet"), span=Span("Draft", line=30))]),
    ]))
    cabinet = rows(store, "body-oversees", body="cabinet")
    assert short(cabinet, "kind", "number", "text", "how") == [
        ("action", "1", "Action 1 text.", "named for it"), ("milestone", "2", "Draft the policy.", "named for it")]
    audit = rows(store, "body-oversees", body="Audit Committee")
    assert short(audit, "number", "how") == [("1", "oversees the plan"), ("2", "oversees the plan")]
    workload = rows(store, "post-workload", post="director of finance")
    assert short(workload, "post_name", "kind", "number", "due_as_printed") == [
        ("Director of Finance", "action", "1", "March 2024"), ("Director of Finance", "action", "2", None)]
    assert rows(store, "post-workload", post="Head of Audit")[0]["number"] == "2"
    with pytest.raises(queries.QueryError, match="no gg:OfficerPost named 'Chief Executive'"):
        rows(store, "post-workload", post="Chief Executive")


def test_stated_vs_found_status_mix_and_theme_gaps():
    from govgraph.loaders.model import StatusReport, Theme

    def status(action, printed):
        action.status = StatusReport(printed)
        return action

    plan = doc("plan", recommendations=[Recommendation("1", "Rebuild reserves.", "1", theme="money",
                                                       span=Span("Rebuild", line=3))],
               actions=[status(act("1", responds_to=["1"]), "Completed"), status(act("2"), "Slippage"),
                        status(act("3"), "Revised timescale"), act("4")])
    plan.stated_counts = {"actions": 6, "recommendations": 1}
    plan.themes = [Theme("money", "Financial resilience", Span("Financial", line=2)),
                   Theme("people", "Workforce", Span("Workforce", line=4))]
    plan.actions[0].theme = "money"
    store = store_of(plan)
    assert short(rows(store, "stated-vs-found"), "what", "stated", "found", "difference") == [
        ("actions", "6", "4", "-2"), ("recommendations", "1", "1", "0")]
    assert short(rows(store, "status-by-council"), "status", "actions") == [
        ("completed", "1"), ("in progress", "1"), ("no status reported", "1"), ("slippage", "1")]
    assert short(rows(store, "theme-gaps"), "theme_name", "recommendations", "actions", "source") == [
        ("Workforce", "0", "0", "plan.csv:4")]
    empty = store_of(doc("other", actions=[act("1")]))
    assert rows(empty, "stated-vs-found") == [] and rows(empty, "theme-gaps") == []


def test_accountability_chain_from_a_recommendation_and_from_an_action():
    plan = doc("plan", recommendations=RECS[:1], plan_oversight=["Audit Committee"], actions=[
        act("1", responds_to=["1"], owners=["Director of Finance", "Head of Audit"], due=["June 2024"]),
        act("2", responds_to=["1"], oversight=["?"]),
        act("3"),
    ])
    store = store_of(plan)
    rec = rows(store, "recommendations-without-actions") or None
    assert rec is None  # both actions answer it
    chain = rows(store, "accountability-chain", recommendation="1")
    got = [(r["action"].rsplit("/", 1)[1], r["step"], r["target_name"] or r["printed"], r["source"]) for r in chain]
    assert got == [
        ("1", "accountable post", "Director of Finance", "plan.csv:2"),
        ("1", "accountable post", "Head of Audit", "plan.csv:3"),
        ("1", "answers", "Strengthen the scrutiny function", "plan.csv:11"),
        ("1", "council", "Testshire County Council", None),
        ("1", "due", "June 2024", "plan.csv:2"),
        ("1", "oversees the plan", "Audit Committee", None),
        ("2", "answers", "Strengthen the scrutiny function", "plan.csv:12"),
        ("2", "council", "Testshire County Council", None),
        ("2", "gap shown in the document", "oversight given as '?'", None),
        ("2", "oversees the plan", "Audit Committee", None),
    ]
    alone = rows(store, "accountability-chain", action="3")
    assert [(r["step"], r["target_name"]) for r in alone] == [
        ("council", "Testshire County Council"), ("oversees the plan", "Audit Committee")]
    with pytest.raises(queries.QueryError, match="needs one of the parameters: recommendation, action"):
        rows(store, "accountability-chain")


def test_theme_coverage_by_council_on_the_shared_schemes():
    from govgraph.loaders.model import Theme

    plan = doc("plan", recommendations=[
        Recommendation("1", "Rebuild reserves.", "1", theme="money", span=Span("Rebuild", line=3)),
        Recommendation("2", "Report savings.", "2", theme="money", span=Span("Report", line=4)),
    ], actions=[act("1", responds_to=["1"])])
    plan.themes = [Theme("money", "Financial planning", Span("Financial", line=2))]
    plan.actions[0].theme = "money"
    result = rows(store_of(plan), "theme-coverage-by-council")
    assert short(result, "council_name", "shared_theme_name", "recommendations", "actions", "answered_share") == [
        ("Testshire County Council", "Financial planning and viability", "2", "1", "0.5")]
    assert rows(store_of(doc("none", actions=[act("1")])), "theme-coverage-by-council") == []


def test_similar_recommendations_across_councils():
    a = doc("a", recommendations=[
        Recommendation("1", "Consider reviewing the electoral cycle to move to all-out elections.", "1"),
        Recommendation("2", "Invest in member development and training.", "2")])
    b = doc("b", council="Kirklees Council", recommendations=[
        Recommendation("1", "Review the electoral cycle and consider all-out elections every four years.", "1"),
        Recommendation("2", "Strengthen risk management across directorates.", "2")])
    store = store_of(a, b)
    result = rows(store, "similar-recommendations")
    assert [sorted([(r["council_name"], r["text"][:20]), (r["similar_council_name"], r["similar_text"][:20])])
            for r in result] == [[("Kirklees Council", "Review the electoral"),
                                  ("Testshire County Council", "Consider reviewing t")]]
    assert float(result[0]["score"]) >= 0.4
    one = rows(store, "similar-recommendations", council="Kirklees Council")
    assert [(r["council_name"], r["similar_council_name"]) for r in one] == [("Kirklees Council", "Testshire County Council")]
    assert rows(store, "similar-recommendations", min_score="99") == []
    assert rows(store_of(a), "similar-recommendations") == []  # one council: nothing to compare with


def test_similar_recommendations_of_one_council_over_time():
    def year(name, published, review, text):
        d = doc(name, recommendations=[Recommendation("1", text, "1"),
                                       Recommendation("2", f"Publish the {name} annual report on time.", "2")])
        d.published, d.review = published, review
        return d

    store = store_of(year("later", "2024-07", "Annual Governance Statement 2023/24",
                          "Embed contract management across all directorates."),
                     year("earlier", "2022-07", "Annual Governance Statement 2021/22",
                          "Embed contract management across the directorates."),
                     doc("elsewhere", council="Kirklees Council", recommendations=[
                         Recommendation("1", "Embed contract management across all directorates.", "1")]))
    result = rows(store, "similar-recommendations", view="over-time")
    # within one council only, the earlier review first
    assert [(r["council_name"], r["review_name"], r["similar_review_name"]) for r in result
            if r["text"].startswith("Embed")] == [
        ("Testshire County Council", "Annual Governance Statement 2021/22", "Annual Governance Statement 2023/24")]
    with pytest.raises(queries.QueryError, match="must be one of councils, over-time"):
        rows(store, "similar-recommendations", view="sideways")


def test_posts_without_oversight_and_a_council_over_time():
    early = doc("early", actions=[act("1", owners=["Head of Audit"]), act("2", owners=["Head of Audit"]),
                                  act("3", owners=["Head of Audit", "Director of Finance"], oversight=["Cabinet"])])
    early.published = "2020"
    later = doc("later", actions=[act("1", owners=["Chief Executive"], due=["May 2024"]), act("2")])
    later.published = "2023-05"
    later.review = "LGA Corporate Peer Challenge 2023"
    store = store_of(early, later)
    # Head of Audit has one overseen action, so it is not listed; nor is a post with a single unseen action
    assert rows(store, "posts-without-oversight") == []
    assert short(rows(store, "posts-without-oversight", min_actions="1"), "post_name", "actions") == [
        ("Chief Executive", "1")]
    over_time = rows(store, "council-over-time")
    assert short(over_time, "issued", "actions", "with_owner", "with_oversight", "with_due_date") == [
        ("2020", "3", "3", "1", "0"), ("2023-05", "2", "1", "0", "1")]


def test_low_confidence_readings_list_what_was_read_by_position_or_sentence_least_certain_first():
    rec = Recommendation("1", "Strengthen the scrutiny function.", "1", span=Span("Strengthen", line=3),
                         how="labelled header")
    by_header = act("1", owners=["Head of Audit"], responds_to=["1"])
    by_header.how = "labelled header"
    by_place = act("2", owners=["Monitoring Officer"], due=["June 2024"])
    by_place.how = "position"
    by_place.due = [Mention("June 2024", Span("by June 2024", line=12), how="sentence")]
    store = store_of(doc("plan", recommendations=[rec], actions=[by_header, by_place]))
    result = rows(store, "low-confidence-readings")
    assert short(result, "what", "value", "read_by", "confidence", "source") == [
        ("due", "June 2024", "sentence", "0.5", "plan.csv:12"),
        ("accountable post", "Monitoring Officer", "position", "0.6", "plan.csv:2"),
        ("action", None, "position", "0.6", "plan.csv:12"),
    ]
    everything = rows(store, "low-confidence-readings", below="0.95")
    assert ("recommendation", "labelled header") in short(everything, "what", "read_by")
    assert ("accountable post", "Head of Audit", "labelled header") in short(everything, "what", "value", "read_by")
    with pytest.raises(queries.QueryError, match="must be a number"):
        rows(store, "low-confidence-readings", below="most")
