"""Labelled records: record numbers, labels with or without a colon, values on the same line or the next."""
from __future__ import annotations

from pathlib import Path

from govgraph.loaders.records import RecordsReader
from govgraph.loaders.text import TextDocument


def read(text: str):
    return RecordsReader().read(TextDocument(Path("report.txt"), "0" * 64, text))


def summary(reading) -> list[tuple]:
    return [(a.text, [m.text for m in a.owners], [m.text for m in a.due],
             a.status.printed if a.status else None, a.responds_to) for a in reading.actions]


def test_audit_report_records_with_labels_on_their_own_lines():
    reading = read("\n".join([
        "Recommendation 1: The contracts register should be published every quarter.",
        "Priority: High",
        "Management response: Agreed. Procurement will publish the register each quarter.",
        "Responsible officer",
        "Head of Procurement",
        "Target date: 30 June 2024",
        "",
        "Recommendation 2: Waivers should be reported to the Audit Committee.",
        "Management response – Agreed. A waivers report will go to each Audit Committee.",
        "By whom",
        "Chief Finance Officer",
        "Implementation date",
        "September 2024",
    ]))
    assert [(r.number, r.text) for r in reading.recommendations] == [
        ("1", "The contracts register should be published every quarter."),
        ("2", "Waivers should be reported to the Audit Committee.")]
    assert summary(reading) == [
        ("Procurement will publish the register each quarter.", ["Head of Procurement"], ["30 June 2024"], None,
         ["l1"]),
        ("A waivers report will go to each Audit Committee.", ["Chief Finance Officer"], ["September 2024"], None,
         ["l2"]),
    ]


def test_labels_without_colons_and_status_with_progress():
    reading = read("\n".join([
        "Proposal 1",
        "The council should publish its performance data annually.",
        "Status: In progress",
        "The first annual report was published in May; the second is being prepared.",
        "Proposal 2",
        "The council should agree benchmarks with other councils.",
        "RAG Amber",
        "Lead officer Head of Performance",
    ]))
    assert [r.text for r in reading.recommendations] == [
        "The council should publish its performance data annually.",
        "The council should agree benchmarks with other councils."]
    assert summary(reading) == [
        ("The first annual report was published in May; the second is being prepared.", [], [], "In progress",
         ["l1"]),
        ("The council should agree benchmarks with other councils.", ["Head of Performance"], [], "Amber", ["l2"]),
    ]


def test_report_metadata_and_section_titles_are_not_records():
    assert read("Date: 8 March 2024\nReport to: Cabinet\nRecommendations\nMembers are asked to note the report.\n") is None


def test_cells_broken_one_per_line_with_their_separators():
    reading = read("\n".join([
        "Proposal 1 |", "The council should review its scheme of delegation. |", "---|---|",
        "Status: Complete |", "The scheme was reviewed in March. |"]))
    assert summary(reading) == [("The scheme was reviewed in March.", [], [], "Complete", ["l1"])]
