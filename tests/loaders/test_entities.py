"""Roles, bodies, people and document facts found in council prose and table cells (inputs written here)."""
from __future__ import annotations

from pathlib import Path

import pytest

from govgraph.loaders import entities
from govgraph.loaders.text import TextDocument


def texts(found) -> list[str]:
    return [f.text for f in found]


@pytest.mark.parametrize("text, expected", [
    ("Director of Finance and Property  Head of Audit  Contact – Sam Jones", ["Director of Finance and Property", "Head of Audit"]),
    ("<p>Chief Officer (Legal Services)</p> <p>Contact – Sam Jones</p>", ["Chief Officer (Legal Services)"]),
    ("Service Director for Legal, Governance and Commissioning", ["Service Director for Legal, Governance and Commissioning"]),
    ("Estates Manager &amp; Principal Asset Valuer", ["Estates Manager", "Principal Asset Valuer"]),
    ("Report of the Acting Chief Executive", ["Acting Chief Executive"]),
    ("The new Chief Executive, Pat Smith, has been appointed", ["Chief Executive"]),
    ("Director of Place, Chief Officer IT & Chief Finance Officer", ["Director of Place", "Chief Officer IT", "Chief Finance Officer"]),
    ("Deputy Leader and Executive Member for Housing, Cllr Ann Lee, will be briefed",
     ["Deputy Leader and Executive Member for Housing"]),
    ("agreed by the Director and reported to ward members", ["ward members"]),
])
def test_roles(text, expected):
    assert texts(entities.find_roles(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Progress reported annually to Audit and Governance Committee; regular reports to Scrutiny Panel (Place)",
     ["Audit and Governance Committee", "Scrutiny Panel (Place)"]),
    ("reviewed by the Audit and Accounts Committee and Overview Scrutiny Board in May", ["Audit and Accounts Committee", "Overview Scrutiny Board"]),
    ("Executive Member and Planning Panel Chairs", []),
    ("approved by Full Council on 23 May and by Council Cabinet", ["Full Council", "Cabinet"]),
    ("Report to CGAC Sept 2020 with escalation to the IMB", ["CGAC", "IMB"]),
    ("the Cross-Party working group will consider it", ["Cross-Party working group"]),
    ("Consultation with the Cabinet Officer", []),
    ("Executive Board (August 2010)", ["Executive Board"]),
    ("Committee on Standards in Public Life", ["Committee on Standards in Public Life"]),
])
def test_bodies(text, expected):
    assert texts(entities.find_bodies(text)) == expected


def test_body_offsets_point_at_the_text_even_with_entities():
    text = "Reports to Information &amp; Records Board monthly"
    (found,) = entities.find_bodies(text)
    assert found.text == "Information & Records Board"
    assert text[found.start:found.end] == "Information &amp; Records Board"


def test_people():
    text = ("Contact – Jo Bloggs / Sam McTavish\tContact Anne O'Neil\nMonthly updates with Cllr Patel\n"
            "For more information contact:\tPat Smith – Head of Performance\n")
    assert [(p.name, p.role) for p in entities.find_people(text)] == [
        ("Jo Bloggs", "contact"), ("Sam McTavish", "contact"), ("Anne O'Neil", "contact"), ("Patel", "councillor"),
        ("Pat Smith", "Head of Performance")]


def test_people_in_a_table_of_role_holders():
    text = "Area\tStrategic Director\tHead of Service\nNorth\tAlex Brown\tChris Green\nSouth and East\tDee White\tEd Black\n"
    assert [(p.name, p.role) for p in entities.find_people(text)] == [
        ("Alex Brown", "Strategic Director"), ("Chris Green", "Head of Service"),
        ("Dee White", "Strategic Director"), ("Ed Black", "Head of Service")]


def test_council_printed_or_inferred_from_its_place():
    assert entities.find_council("Report to Sheffield City Council, Full Council meeting") == "Sheffield City Council"
    assert entities.find_council("Our Best Council Plan and the County Council") is None
    place = "Working across Calderdale with partners. Calderdale's ambition is clear. In Calderdale we will"
    assert entities.find_council(place) == "Calderdale Council"
    assert entities.find_council("SCC will report. Sheffield partners agree. Sheffield leads.") == "Sheffield City Council"


def test_document_date_and_counts():
    text = "\n\nCABINET 14 March 2022\n\nThe plan now contains 45 actions answering twelve recommendations."
    assert entities.find_published(text) == "2022-03-14"
    assert entities.find_published("## Action Plan\n\nJanuary 2020\n") == "2020-01"
    assert entities.find_stated_counts(text) == {"actions": 45, "recommendations": 12}


def test_describe_lists_each_name_once_under_its_fullest_form():
    text = ("Reported to Exec Board.\nThe Executive Board agreed.\nCGAC will review; Corporate Governance and Audit "
            "Committee receives reports.\nDirector of Place and Director of Place\n")
    doc = TextDocument(Path("x.txt"), "0" * 64, text)
    described = entities.describe(doc)
    assert [m.text for m in described.bodies] == ["Executive Board", "Corporate Governance and Audit Committee"]
    assert [m.text for m in described.roles] == ["Director of Place"]


def test_long_capitalised_lines_do_not_make_matching_run_away():
    # a guard against regular expressions that backtrack without end on long runs of capitalised words
    # (it failed to finish in minutes before the name patterns were made unambiguous)
    import subprocess
    import sys

    code = ("from govgraph.loaders import entities\n"
            "line = ' '.join(['Director Head Chief Officer Committee Board Council Resources and of the & Panel'] * 60)\n"
            "entities.find_roles(line); entities.find_bodies(line); entities.find_people(line)\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)



def test_posts_in_any_council_wording():
    from govgraph.loaders.posts import find_roles

    text = ("The interim head of legal services confirmed it. The vice-chairperson asked. The Group Manager for "
            "Performance, Governance and Data Security reported; the Chairman of Scrutiny, the Chief Auditor, the "
            "Joint Assistant Director, CYPS and the Leader of the Executive agreed. Thanks to Principal Programme "
            "Manager.")
    assert [f.text for f in find_roles(text)] == [
        "interim head of legal services", "vice-chairperson", "Group Manager for Performance, Governance and Data "
        "Security", "Chairman of Scrutiny", "Chief Auditor", "Joint Assistant Director, CYPS", "Leader of the Executive",
        "Principal Programme Manager"]


def test_people_written_beside_their_posts():
    from govgraph.loaders.people import find_people

    text = ("Jo Bloggs, Executive Director of Resources, presented the report. It was given by the Governance "
            "Advisor, Sam Patel. Since the arrival of Chief Executive Tony Reed in 2018. Apologies from Mr Bond and "
            "Dr Horne. Leader (Cllr Ann Smith) said so; Cllr Smith added that the Deputy Leader agreed.")
    assert [(p.name, p.role) for p in find_people(text)] == [
        ("Jo Bloggs", "Executive Director of Resources"), ("Sam Patel", "Governance Advisor"),
        ("Tony Reed", "Chief Executive"), ("Mr Bond", "attendee"), ("Dr Horne", "attendee"),
        ("Ann Smith", "councillor")]


def test_bodies_by_one_word_in_lower_case_and_teams_that_decide():
    from govgraph.loaders.bodies import find_bodies, find_lower_bodies

    text = ("Reported to Scrutiny and agreed by the Executive; recommend the report to Council. Approval by the "
            "Corporate Design Team. The Health and Safety Team will deliver it.")
    assert [f.text for f in find_bodies(text)] == ["Scrutiny", "Executive", "Council", "Corporate Design Team"]
    text = ("The overview and scrutiny committee recommends it; to council assembly; the customer journey programme "
            "board; the performance board; consult management teams; the committee asked.")
    assert [f.text for f in find_lower_bodies(text)] == [
        "overview and scrutiny committee", "council assembly", "customer journey programme board"]


def test_bodies_outside_the_council_and_acronyms_that_are_not_bodies():
    from govgraph.loaders.bodies import find_bodies

    text = ("Audit Scotland reported to the Accounts Commission. The Corporate Peer Challenge (CPC) was discussed at "
            "the Audit Committee and at CGAC.")
    assert [f.text for f in find_bodies(text)] == ["Audit Committee", "CGAC"]


@pytest.mark.parametrize("head", ["Decision Maker: Governance Committee", "Report to: Governance Committee",
                                  "Meeting: 12/03/2025 - Governance Committee (Item 7)"])
def test_the_body_a_report_or_decision_is_for_oversees_its_plan(head):
    from govgraph.loaders.entities import find_plan_oversight

    text = f"Decision details\n\nAudit Recommendation Tracker\n\n{head}\n\nThe Committee considered the report."
    assert [f.text for f in find_plan_oversight(text)] == ["Governance Committee"]
