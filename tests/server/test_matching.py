"""The match step of loading on small documents written here: one thing read from several documents of a council is
one node with its history, never across councils, whatever the order of loading."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from govgraph import queries
from govgraph.loaders.emit import document_triples
from govgraph.loaders.model import Action, ExtractedDocument, Mention, Recommendation, Span, StatusReport
from govgraph.queries.store import ExportFormat, OxigraphStore
from govgraph.server import matching, service

COUNCIL = "Testshire County Council"
AGS = "Annual Governance Statement 2023/24"


def doc(name: str, *, published: str, review: str = AGS, council: str = COUNCIL, recommendations=(),
        actions=()) -> ExtractedDocument:
    return ExtractedDocument(path=Path(f"{name}.txt"), sha256="0" * 64, kind="governance action plan",
                             council=council, review=review, published=published,
                             recommendations=list(recommendations), actions=list(actions))


def act(text: str, number: str | None = None, *, due=(), status: str | None = None, responds_to=(),
        line: int = 1) -> Action:
    return Action(key=f"a{line}", text=text, number=number, due=[Mention(d, Span(d, line=line)) for d in due],
                  status=StatusReport(status) if status else None, responds_to=list(responds_to),
                  span=Span(text, line=line))


def rec(text: str, number: str | None = None, *, line: int = 1) -> Recommendation:
    return Recommendation(key=f"r{line}", text=text, number=number, span=Span(text, line=line))


def fresh() -> OxigraphStore:
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    return store


def load(store, *docs: ExtractedDocument) -> OxigraphStore:
    for d in docs:
        graph, triples = document_triples(d)
        service.write_document(store, graph, triples)
    return store


def rows(store, name, **params) -> list[dict]:
    return queries.run(store, queries.get_query(name), params).values()


def canonical(store) -> list[str]:
    return sorted(store.dump(format=ExportFormat.NQUADS).decode().splitlines())


def count(store, cls: str) -> int:
    return int(store.select(queries.PREFIX_BLOCK + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}")
               .values()[0]["n"])


PLAN = doc("plan", published="2023-06", recommendations=[
    rec("Strengthen contract management so that every contract over £100k has a named manager.", line=2),
    rec("Refresh the risk management strategy and embed it in service planning.", line=3),
], actions=[
    act("Appoint a contract manager for every contract over £100k and record them in the register.", due=["December 2023"],
        responds_to=["r2"], line=5),
    act("Publish a refreshed risk management strategy approved by the Audit Committee.", due=["March 2024"],
        responds_to=["r3"], line=6),
    act("Train all budget holders in the new risk framework.", due=["June 2024"], responds_to=["r3"], line=7),
])
# the tracker numbers what the plan did not, and words one action a little differently
TRACKER = doc("tracker", published="2023-09", recommendations=[
    rec("Strengthen contract management so that every contract over £100k has a named manager.", "1", line=2),
    rec("Refresh the risk management strategy and embed it in service planning.", "2", line=3),
], actions=[
    act("Appoint a contract manager for every contract over £100k and record them in the contracts register.", "1",
        due=["December 2023"], responds_to=["r2"], line=5),
    act("Publish a refreshed risk management strategy approved by the Audit Committee.", "2", due=["March 2024"],
        status="on track", responds_to=["r3"], line=6),
    act("Run risk workshops for heads of service.", "3", due=["June 2024"], responds_to=["r3"], line=7),
])


def test_a_plan_and_its_tracker_are_one_review_with_evidence_from_both():
    store = load(fresh(), PLAN, TRACKER)
    assert count(store, "gg:Recommendation") == 2
    # two actions matched; one each read only in the plan and only in the tracker
    assert count(store, "gg:Action") == 4
    first = store.select(queries.PREFIX_BLOCK + """
        SELECT ?a (GROUP_CONCAT(DISTINCT ?file; separator=" ") AS ?files) WHERE {
          ?a a gg:Action ; dcterms:identifier "1" . GRAPH ?g { ?a gg:readAs ?own } ?g dcterms:source ?file
        } GROUP BY ?a""").values()
    assert len(first) == 1 and sorted(first[0]["files"].split()) == ["plan.txt", "tracker.txt"]
    # the number a tracker gives becomes the thing's IRI, for a lookup by number
    assert first[0]["a"].endswith("/1")
    headline = rows(store, "review-headlines")
    assert [(r["recommendations"], r["actions"]) for r in headline] == [("2", "4")]


def test_any_order_of_loading_gives_the_same_graph_and_removing_one_document_undoes_it():
    docs = [PLAN, TRACKER, doc("other", published="2024-01", council="Otherton Borough Council",
                               recommendations=[rec("Refresh the risk management strategy and embed it in "
                                                    "service planning.", line=2)])]
    graphs = {tuple(canonical(load(fresh(), *order))) for order in itertools.permutations(docs)}
    assert len(graphs) == 1
    store = load(fresh(), *docs)
    assert service.remove_document(store, document_triples(TRACKER)[0])
    assert canonical(store) == canonical(load(fresh(), PLAN, docs[2]))
    # the matched things keep the plan's evidence
    assert count(store, "gg:Action") == 3


def test_identical_text_in_two_councils_is_never_merged():
    text = "Refresh the risk management strategy and embed it in service planning."
    store = load(fresh(), doc("a", published="2023-01", recommendations=[rec(text)]),
                 doc("b", published="2023-01", council="Otherton Borough Council", recommendations=[rec(text)]))
    assert count(store, "gg:Recommendation") == 2
    assert rows(store, "possible-duplicates") == []


def test_close_but_not_the_same_is_a_possible_duplicate_not_a_merge():
    plan = doc("plan", published="2023-06", actions=[
        act("Review the scheme of delegation and publish it on the intranet for all managers.", line=2)])
    later = doc("update", published="2023-12", actions=[
        act("Review the officer scheme of delegation and publish it on the intranet.", line=2)])
    store = load(fresh(), plan, later)
    assert count(store, "gg:Action") == 2
    pairs = rows(store, "possible-duplicates")
    assert [(r["kind"], r["first_read_in"] != r["second_read_in"]) for r in pairs] == [("action", True)]
    assert matching.CANDIDATE <= float(pairs[0]["similarity"]) < matching.MERGE


def test_a_plan_and_two_progress_reports_give_an_action_its_timeline():
    agreed = doc("plan", published="2023-06", actions=[
        act("Publish a refreshed risk management strategy.", "4.1", due=["December 2023"], line=3)])
    first = doc("update-1", published="2023-12", actions=[
        act("Publish a refreshed risk management strategy.", "4.1", due=["March 2024"], status="slippage", line=3)])
    second = doc("update-2", published="2024-06", actions=[
        act("Publish a refreshed risk management strategy.", "4.1", due=["September 2024"], status="in progress",
            line=3)])
    for order in ([agreed, first, second], [second, agreed, first]):
        store = load(fresh(), *order)
        slipped = rows(store, "slipped-actions")
        assert [(r["number"], r["revisions"], r["due_dates"]) for r in slipped] == [
            ("4.1", "2", "March 2024 → September 2024")]
        history = rows(store, "action-history", action="4.1")
        assert [(r["date"], r["event"]) for r in history if r["event"] != "due"] == [
            ("2023-06", "named in"), ("2023-12", "due revised"), ("2023-12", "named in"), ("2023-12", "status"),
            ("2024-06", "due revised"), ("2024-06", "named in"), ("2024-06", "status")]
        statuses = [r["detail"] for r in history if r["event"] == "status"]
        assert statuses[0].startswith("slippage") and statuses[1].startswith("in progress")


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1)])
def test_an_issue_carried_over_three_years_is_a_recurring_issue(order):
    issue = ["Procurement rules are not consistently followed across directorates.",
             "Procurement rules are not consistently followed across all directorates.",
             "Procurement rules are still not consistently followed across directorates."]
    years = [doc(f"ags-{year}", published=f"{year}-07", review=f"Annual Governance Statement {year - 1}/{year % 100}",
                 recommendations=[rec(text), rec(other, line=4)])
             for year, text, other in zip((2022, 2023, 2024), issue, (
                 "Improve the timeliness of responses to internal audit.", "Adopt the new member code of conduct.",
                 "Publish the register of gifts and hospitality every quarter."))]
    store = load(fresh(), *(years[i] for i in order))
    recurring = rows(store, "recurring-issues")
    assert [(r["text"], r["reviews"]) for r in recurring] == [(issue[2].rstrip("."), "3")]
    assert recurring[0]["first_review"].startswith("2022")
    # one carried-forward link per year, each an assertion with its similarity
    assert count(store, "gg:Recommendation") == 6
