"""CSV and XLSX action trackers: header synonyms, column order, metadata lines, bad rows and bad files."""
from __future__ import annotations

import openpyxl
import pytest

from govgraph.loaders import LoadError, LoadOptions, load_file
from govgraph.loaders.tracker import match_header
from govgraph.queries.extract import document_json
from govgraph.queries.store import OxigraphStore
from govgraph.server import service
from tests.conftest import write_csv


def loaded_store(loaded) -> OxigraphStore:
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    store.replace_graph(loaded.graph, loaded.triples)
    return store


def reading(loaded) -> dict:
    return document_json(loaded_store(loaded))


@pytest.mark.parametrize("headers, expected", [
    (["Recommendation", "Action", "Lead officer", "Democratic Oversight", "By when", "Status"],
     ["recommendation", "action", "owner", "oversight", "due", "status"]),
    (["REF", "Agreed Action", "Responsible Officer(s)", "Reporting to", "Target date", "RAG status", "Progress update"],
     ["action_ref", "action", "owner", "oversight", "due", "status", "progress"]),
    (["Key Action", "Outline plan", "Key decision times", "Officer accountability", "Democratic Oversight"],
     ["action", "milestone", "due", "owner", "oversight"]),
    (["Improvement Activity", "Progress", "Due for Completion"], ["action", "progress", "due"]),
    (["Theme", "Corporate Peer Review Recommendations", "How we will progress this", "Who is accountable", "Timescales"],
     ["theme", "recommendation", "action", "owner", "due"]),
])
def test_header_synonyms(headers, expected):
    mapping = match_header(headers)
    assert [f for f, _ in sorted(mapping.items(), key=lambda kv: kv[1])] == expected


def test_reordered_columns_other_words_semicolons_and_metadata(tmp_path):
    path = write_csv(tmp_path / "tracker.csv", [
        ["Council: Testshire County Council"],
        ["Review: External audit 2021/22 value for money"],
        ["As at: 30 June 2022"],
        [],
        ["Target date", "RAG status", "Responsible officer", "Agreed action", "Ref", "Finding", "Rec no",
         "Reporting to", "Progress update"],
        ["March 2022", "Complete", "Section 151 Officer", "Refresh the medium term financial plan.", "A1",
         "The MTFP is out of date.", "F1", "Audit Committee", "Approved by cabinet in February."],
        ["??", "Amber", "Head of Internal Audit; Monitoring Officer", "Strengthen contract monitoring.", "A2",
         "Contract monitoring is weak.", "F2", "?", ""],
    ], delimiter=";")
    loaded = load_file(path)
    doc = loaded.document
    assert (doc.council, doc.review, doc.review_kind, doc.published) == (
        "Testshire County Council", "External audit 2021/22 value for money", "audit", "2022-06-30")
    j = reading(loaded)
    assert [(r["number"], r["text"]) for r in j["recommendations"]] == [
        ("F1", "The MTFP is out of date."), ("F2", "Contract monitoring is weak.")]
    a1, a2 = j["actions"]
    assert (a1["number"], a1["owners"], a1["oversight"], a1["due"], a1["status"], a1["responds_to"]) == (
        "A1", ["Section 151 Officer"], ["Audit Committee"], ["March 2022"], "completed", ["R1"])
    assert a1["progress"] == "Approved by cabinet in February."
    assert (a2["owners"], a2["oversight"], a2["due"], a2["status"]) == (
        ["Head of Internal Audit", "Monitoring Officer"], [], [], "slippage")  # '??' is a gap, not a date
    assert j["gaps"] == ["due date given as '??'", "oversight given as '?'"]
    assert [s.reason for s in loaded.skipped] == []


def test_one_action_answering_several_recommendations_and_rows_that_only_refer(tmp_path):
    path = write_csv(tmp_path / "t.csv", [
        ["Council", "Rec ref", "Recommendation", "Action ref", "Action", "Owner"],
        ["Testshire County Council", "1", "Review the electoral cycle.", "", "", ""],
        ["Testshire County Council", "2", "Invest in member development.", "", "", ""],
        ["Testshire County Council", "3", "Strengthen risk management.", "", "", ""],
        ["Testshire County Council", "1, 2", "", "7", "Consult members on all-out elections.", "Chief Executive"],
        ["Testshire County Council", "3", "", "7", "Consult members on all-out elections.", "Chief Executive"],
        ["Testshire County Council", "9", "", "8", "Refresh the induction programme.", "Head of Democratic Services"],
    ])
    loaded = load_file(path)
    j = reading(loaded)
    assert [(a["number"], a["responds_to"]) for a in j["actions"]] == [("7", ["R1", "R2", "R3"]), ("8", [])]
    assert [(s.line, s.reason) for s in loaded.skipped] == [
        (7, "recommendation '9' is referred to but never described; the link was not made")]


def test_repeated_headers_blank_rows_and_rows_without_text_are_reported(tmp_path):
    header = ["Action", "Lead officer", "Due date"]
    path = write_csv(tmp_path / "t.csv", [
        header,
        ["Publish the annual governance statement.", "Head of Governance", "July 2023"],
        [],
        header,
        ["", "Chief Executive", ""],
        ["Review the code of conduct.", "Monitoring Officer\nHead of Democratic Services", "Autumn 2023"],
    ])
    loaded = load_file(path, LoadOptions(council="Testshire County Council"))
    assert [(s.line, s.reason) for s in loaded.skipped] == [
        (4, "repeated header row"),
        (5, "no recommendation, action or milestone text in this row (filled cells: Lead officer)")]
    j = reading(loaded)
    assert [a["owners"] for a in j["actions"]] == [
        ["Head of Governance"], ["Monitoring Officer", "Head of Democratic Services"]]


def test_milestones_and_contacts(tmp_path):
    path = write_csv(tmp_path / "t.csv", [
        ["Ref", "Key action", "Milestone", "Officer accountability", "Contact", "Democratic oversight", "Key decision times"],
        ["1", "Devolution deal for the region.", "Public consultation closes.", "Chief Executive",
         "Mike Eakins (Chief Officer Strategy and Policy)", "Executive Board", "19 July 2020"],
        ["", "", "Executive Board decides on consent.", "", "", "Full Council", "November 2020"],
    ])
    loaded = load_file(path, LoadOptions(council="Testshire County Council"))
    j = reading(loaded)
    (action,) = j["actions"]
    assert action["due"] == []
    assert [(m["text"], m["due"], m["oversight"]) for m in action["milestones"]] == [
        ("Public consultation closes.", ["19 July 2020"], ["Executive Board"]),
        ("Executive Board decides on consent.", ["November 2020"], ["Full Council"])]
    assert action["people"] == [{"name": "Mike Eakins", "role": "contact"}]
    assert j["people"] == [{"name": "Mike Eakins", "role": "Chief Officer Strategy and Policy"}]


def test_xlsx_tracker_with_header_below_a_title_and_a_revised_date(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "Nothing to see here"
    sheet = book.create_sheet("Tracker")
    sheet.append(["Corporate improvement plan tracker"])
    sheet.append(["Council", "Derbyshire Dales District Council"])
    sheet.append(["Action no", "Action", "Lead", "Due", "Revised due date", "Status"])
    sheet.append([5.3, "Complete asset valuations programme.", "Director of Finance", "March 2018", "September 2018",
                  "Revised timescale"])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    loaded = load_file(path)
    assert loaded.document.council == "Derbyshire Dales District Council"
    store = loaded_store(loaded)
    rows = store.select("""PREFIX gg: <https://w3id.org/govgraph/def#>
        SELECT ?old ?new WHERE { ?r a gg:DueDateRevision ; gg:previousDue/gg:printedAs ?old ;
                                    gg:revisedDue/gg:printedAs ?new }""").values()
    assert rows == [{"old": "March 2018", "new": "September 2018"}]
    (action,) = document_json(store)["actions"]
    assert action["due"] == ["March 2018", "September 2018"]
    assert (action["number"], action["status"], action["owners"]) == ("5.3", "in progress", ["Director of Finance"])


def test_no_council_is_an_error_unless_given(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["Action", "Owner"], ["Do a thing.", "Chief Executive"]])
    with pytest.raises(LoadError, match=r"t.csv: no council is named: add a 'Council' column"):
        load_file(path)
    assert load_file(path, LoadOptions(council="Testshire County Council")).document.council == \
        "Testshire County Council"


def test_two_councils_in_one_tracker_is_an_error_with_the_row(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["Council", "Action"], ["Leeds City Council", "A."],
                                          ["Kirklees Council", "B."]])
    with pytest.raises(LoadError, match=r"t.csv:3: a tracker holds one council's actions"):
        load_file(path)


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "the file is empty"),
    ("binary.csv", b"\x00\x01\x02PNG\x00" * 50, "the content is not recognised as an action tracker"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
     "the content is not recognised as an action tracker"),
    ("broken.xlsx", b"PK\x03\x04 this is not really a zip", "not a readable XLSX workbook"),
    ("notes.csv", b"just,some\nwords,here\n", "the content is not recognised as an action tracker"),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "unrecognised file type '.png'"),
])
def test_bad_files_get_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError, match=message) as info:
        load_file(path)
    assert str(info.value).startswith(str(path))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_file(tmp_path / "nope.csv")
    with pytest.raises(LoadError, match="is a directory"):
        load_file(tmp_path)


def test_a_later_progress_report_revises_the_earlier_status(tmp_path):
    header = ["Council", "Action ref", "Action", "Status", "Progress"]
    first = write_csv(tmp_path / "march.csv", [["Date: March 2024"], ["Review: LGA Corporate Peer Challenge 2023"], header,
                                               ["Testshire County Council", "1", "Refresh the risk register.", "Not started", ""]])
    second = write_csv(tmp_path / "june.csv", [["Date: June 2024"], ["Review: LGA Corporate Peer Challenge 2023"], header,
                                               ["Testshire County Council", "1", "Refresh the risk register.", "Completed", "Done in May."]])
    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    service.load_paths(store, [first, second])
    rows = store.select("""PREFIX gg: <https://w3id.org/govgraph/def#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?now ?before WHERE { ?u prov:wasRevisionOf ?p . ?u gg:status/skos:prefLabel ?now .
                                    ?p gg:status/skos:prefLabel ?before }""").values()
    assert rows == [{"now": "completed", "before": "not started"}]
