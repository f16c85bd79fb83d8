"""Tables whose structure the text lost, built back: one cell per line, and rows run together on one line."""
from __future__ import annotations

from pathlib import Path

from govgraph.loaders.flattened import rebuild
from govgraph.loaders.tables import TableReader
from govgraph.loaders.text import TextDocument


def doc(text: str) -> TextDocument:
    return TextDocument(Path("page.txt"), "0" * 64, text)


def rows(text: str) -> list[list[str]]:
    (table,) = [b for b in rebuild(doc(text)).blocks if b.is_table]
    return [r.texts for r in table.rows]


def test_one_cell_per_line_under_header_lines():
    text = "\n\n".join([
        "Improvement actions 2024", "Area for improvement", "Responsible officer", "Target date",
        "Review the contract register and publish it quarterly", "Head of Procurement", "June 2024",
        "Train budget holders in the new finance system so that", "all of them can use it",
        "Chief Finance Officer", "September 2024",
        "Refresh the whistleblowing policy", "December 2024",
        "Other business followed."])
    assert rows(text) == [
        ["Area for improvement", "Responsible officer", "Target date"],
        ["Review the contract register and publish it quarterly", "Head of Procurement", "June 2024"],
        ["Train budget holders in the new finance system so that all of them can use it", "Chief Finance Officer",
         "September 2024"],
        ["Refresh the whistleblowing policy", "", "December 2024"],
    ]


def test_rows_run_together_under_a_header_run_together():
    text = "\n".join([
        "Action Lead Officer Due date",
        "Strengthen the scrutiny of the capital programme by members",
        "Set up a capital programme board. Director of Finance March 2024",
        "Report progress to the Audit Committee every quarter. Head of Audit Q2 2024/25",
        "Improve how the council hears from residents",
        "Run a residents' survey every year. Communications Manager June 2024 onwards",
    ])
    assert rows(text) == [
        ["Action", "Lead Officer", "Due date"],
        ["Strengthen the scrutiny of the capital programme by members", "", ""],
        ["Set up a capital programme board.", "Director of Finance", "March 2024"],
        ["Report progress to the Audit Committee every quarter.", "Head of Audit", "Q2 2024/25"],
        ["Improve how the council hears from residents", "", ""],
        ["Run a residents' survey every year.", "Communications Manager", "June 2024 onwards"],
    ]
    reading = TableReader().read(rebuild(doc(text)))
    assert [r.text for r in reading.recommendations] == [
        "Strengthen the scrutiny of the capital programme by members", "Improve how the council hears from residents"]
    assert [(a.text, [m.text for m in a.owners], [m.text for m in a.due], a.responds_to) for a in reading.actions] == [
        ("Set up a capital programme board.", ["Director of Finance"], ["March 2024"], ["r1"]),
        ("Report progress to the Audit Committee every quarter.", ["Head of Audit"], ["Q2 2024/25"], ["r1"]),
        ("Run a residents' survey every year.", ["Communications Manager"], ["June 2024 onwards"], ["r2"]),
    ]


def test_rows_run_together_without_a_header():
    text = "\n".join([
        "Publish the annual governance statement on time. Monitoring Officer July 2024",
        "Complete the review of the constitution. Head of Legal Services December 2024",
    ])
    assert rows(text) == [
        ["Publish the annual governance statement on time.", "Monitoring Officer", "July 2024"],
        ["Complete the review of the constitution.", "Head of Legal Services", "December 2024"],
    ]
    (table,) = rebuild(doc(text)).tables()
    assert table.fields == ["action", "owner", "due"]


def test_prose_is_left_alone():
    text = "The committee met in March 2024.\nIt noted the report of the Chief Executive.\n"
    assert not [b for b in rebuild(doc(text)).blocks if b.is_table]


def test_a_cell_of_several_paragraphs_and_bullets_goes_on_until_its_owner():
    text = "\n\n".join([
        "Governance issue", "Action update", "By when", "By whom",
        "Information governance needs strengthening",
        "The information governance policy has been agreed.",
        "A records officer was appointed in May. Work completed so far:",
        "- Retention schedule drafted", "- Staff guidance published",
        "March 2025", "Head of Legal Services",
        "Member training is not consistent",
        "A new induction programme has been designed.",
        "June 2025", "Democratic Services Manager",
    ])
    assert [[c[:24] for c in r] for r in rows(text)[1:]] == [
        ["Information governance n", "The information governan", "March 2025", "Head of Legal Services"],
        ["Member training is not c", "A new induction programm", "June 2025", "Democratic Services Mana"],
    ]
    first = rows(text)[1][1]
    assert "Retention schedule drafted" in first and "Staff guidance published" in first


def test_a_header_line_naming_no_trailing_field_is_left_alone():
    # found by fuzzing: a run-together header with text fields only has no cells to cut off a row's end
    assert [b.kind.name for b in rebuild(doc("Action # \n Action")).blocks] == ["PARAGRAPH", "PARAGRAPH"]
