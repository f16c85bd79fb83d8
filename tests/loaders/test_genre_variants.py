"""Layouts the bundled samples do not show, read end to end (documents written for the tests, see variants/)."""
from __future__ import annotations

from pathlib import Path

from govgraph.server import service

VARIANTS = Path(__file__).parent / "variants"


def reading(name: str) -> dict:
    return service.extract(VARIANTS / name)[0]


def summary(doc: dict) -> list[tuple]:
    return [(a["text"].split(" ")[0], a["owners"], a["due"], a["oversight"], a["responds_to"]) for a in doc["actions"]]


def test_governance_statement_issues_table():
    doc = reading("wakefield-ags-significant-issues.txt")
    assert doc["council"] == "Wakefield Council"
    assert [r["text"] for r in doc["recommendations"]] == [
        "Information governance training completion is below target.",
        "Contract management arrangements are inconsistent across directorates.",
        "The Medium Term Financial Strategy shows a funding gap."]
    # the committee the statement says monitors the issues oversees every action
    assert summary(doc) == [
        ("Introduce", ["Director of Corporate Services"], ["March 2024"], ["Audit and Governance Committee"], ["R1"]),
        ("Roll", ["Head of Procurement"], ["December 2023"], ["Audit and Governance Committee"], ["R2"]),
        ("Deliver", ["Chief Finance Officer"], ["Ongoing"], ["Audit and Governance Committee"], ["R3"]),
    ]


def test_audit_report_with_labelled_recommendations_and_responses():
    doc = reading("norfolk-internal-audit-risk.md")
    assert (doc["council"], doc["published"]) == ("Norfolk County Council", "2023-10")
    assert [(r["number"], r["text"][:30]) for r in doc["recommendations"]] == [
        ("1", "The risk register should be re"), ("2", "Strategic risks should be repo")]
    assert [(a["text"], a["owners"], a["due"][-1], a["responds_to"]) for a in doc["actions"]] == [
        ("Quarterly review will be added to the directorate performance cycle.", ["Head of Performance"],
         "31 March 2024", ["R1"]),
        ("A risk report will go to the Audit Committee in January and July.",
         ["Director of Strategy and Transformation"], "January 2024", ["R2"]),
    ]
    assert doc["actions"][1]["oversight"] == ["Audit Committee"]


def test_markdown_pipe_table():
    doc = reading("calderdale-peer-challenge-plan.md")
    assert doc["council"] == "Calderdale Council"
    assert summary(doc) == [
        ("Publish", ["Director of Strategy"], ["June 2023"], [], ["R1"]),
        ("Launch", ["Head of Democratic Services"], ["September 2023"], [], ["R2"]),
    ]
    assert [a["number"] for a in doc["actions"]] == ["1", "2"]


def test_rag_status_table_with_areas_for_improvement():
    doc = reading("bristol-improvement-plan-rag.txt")
    assert [(a["number"], a["status"], a["owners"], a["due"], a["responds_to"]) for a in doc["actions"]] == [
        ("1.1", "on track", ["Director of Finance"], ["October 2023"], ["R1"]),
        ("1.2", "slippage", ["Head of Risk"], ["December 2023"], ["R2"]),
        ("2.1", "completed", ["Head of Democratic Services"], ["July 2023"], ["R3"]),
    ]
    assert doc["recommendations"][1]["text"] == "Risk appetite is not defined."


def test_labelled_actions_without_headings():
    doc = reading("south-gloucestershire-labelled-actions.md")
    assert doc["council"] == "South Gloucestershire Council"
    assert [(a["number"], a["text"], a["owners"], a["due"]) for a in doc["actions"]] == [
        ("1", "Review the officer scheme of delegation.", ["Monitoring Officer"], ["31 December 2023"]),
        ("2", "Publish a new performance framework.", ["Director of Policy"], ["March 2024"]),
    ]
