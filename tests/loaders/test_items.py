"""Numbered and bulleted items read by what the words around them say they are: recommendations, decisions,
progress updates, actions under a time, quoted actions."""
from __future__ import annotations

from pathlib import Path

from govgraph.loaders.items import ItemsReader
from govgraph.loaders.text import TextDocument


def read(text: str):
    return ItemsReader().read(TextDocument(Path("minutes.txt"), "0" * 64, text))


def test_a_list_introduced_as_recommendations():
    reading = read("\n".join([
        "Key recommendations",
        "- Set out a clear vision for the district",
        "The vision should say what the council wants to achieve. - Strengthen financial planning",
        "Savings plans need more detail.",
        "- Invest in member development",
    ]))
    assert [r.text for r in reading.recommendations] == [
        "Set out a clear vision for the district", "Strengthen financial planning", "Invest in member development"]
    assert reading.actions == []


def test_decisions_noting_is_no_action_and_recommending_is_a_recommendation():
    reading = read("\n".join([
        "RESOLVED:",
        "1. That the report be noted.",
        "2. That the committee recommends that the scheme of delegation be reviewed.",
        "3. That an action log be kept, to be maintained by the democratic services team.",
        "4. That the draft protocol be submitted to the group leaders' panel for consideration in June 2024.",
    ]))
    assert [(r.number, r.text) for r in reading.recommendations] == [
        ("2", "That the committee recommends that the scheme of delegation be reviewed.")]
    assert [(a.number, [m.text for m in a.owners], [m.text for m in a.oversight], [m.text for m in a.due])
            for a in reading.actions] == [
        ("3", ["democratic services team"], [], []),
        ("4", [], ["group leaders' panel"], ["June 2024"]),
    ]


def test_lettered_decisions_and_deliverables_listed_in_one():
    reading = read("\n".join([
        "a) Noted the update on the improvement plan;",
        "b) Agreed that future reports would include a workforce update to Cabinet in March 2025; a housing "
        "repairs update by May 2025; and tenant engagement;",
        "c) Agreed to recommend the revised plan to Council.",
    ]))
    assert [(a.number, a.text, [m.text for m in a.oversight], [m.text for m in a.due]) for a in reading.actions] == [
        (None, "a workforce update to Cabinet in March 2025", ["Cabinet"], ["March 2025"]),
        (None, "a housing repairs update by May 2025", ["Cabinet"], ["May 2025"]),
        (None, "tenant engagement", ["Cabinet"], []),
        ("c", "Agreed to recommend the revised plan to Council.", ["Council"], []),
    ]


def test_progress_updates_numbered_no():
    reading = read("\n".join([
        "The officer said that 3 issues had been identified and gave an update on each:",
        "· No. 1 – the register of interests had now been completed.",
        "· No. 2 – the training programme was not progressing because of vacancies.",
        "· No. 3 – on track to finish by the year end.",
    ]))
    assert [(a.number, a.status.printed) for a in reading.actions] == [
        ("1", "completed"), ("2", "slippage"), ("3", "on track")]
    assert reading.actions[0].text == "the register of interests had now been completed."


def test_quoted_actions_in_minutes_with_their_quoted_status():
    reading = read("\n".join([
        "In response to questions on the action plan:",
        "1. The monitoring officer confirmed that the action ‘Review the members’ code of conduct’ should be "
        "marked as ‘part complete’.",
        "2. The head of finance said the action ‘Publish the contracts register online’ was ‘not progressing’.",
    ]))
    assert [(a.text, a.status.printed) for a in reading.actions] == [
        ("Review the members’ code of conduct", "in progress"),
        ("Publish the contracts register online", "slippage")]


def test_items_under_a_line_naming_a_time():
    reading = read("\n".join([
        "Action plan timeline", "Up to six months", "- Restructure the property team",
        "- Publish a new asset strategy", "Up to two years", "- Complete the asset disposals programme"]))
    assert [(a.text, [m.text for m in a.due]) for a in reading.actions] == [
        ("Restructure the property team", ["Up to six months"]), ("Publish a new asset strategy", ["Up to six months"]),
        ("Complete the asset disposals programme", ["Up to two years"])]


def test_a_plain_list_is_not_read():
    assert read("The report identified strengths including:\n- Strong communities\n- Committed staff\n") is None


def test_a_list_of_what_has_been_done():
    reading = read("\n".join([
        "The inspectors found that the council has responded well and has:",
        "• agreed a new workforce strategy.",
        "• made progress in filling senior vacancies.",
        "• reviewed its complaints process."]))
    assert [(a.text, a.status.printed) for a in reading.actions] == [
        ("agreed a new workforce strategy.", "completed"), ("made progress in filling senior vacancies.", "in progress"),
        ("reviewed its complaints process.", "completed")]


def test_a_panel_recommends_that():
    reading = read("The Panel notes the plan and recommends that:\n(i) targets are set within the year; and\n"
                   "(ii) measures are reported to members each quarter.")
    assert [(r.number, r.text) for r in reading.recommendations] == [
        ("i", "targets are set within the year; and"), ("ii", "measures are reported to members each quarter.")]


def test_governance_issues_with_their_actions():
    reading = read("\n".join([
        "The statement identified significant governance issues, as follows:",
        "1) Workforce capacity - recruitment to key posts is in progress.",
        "2) Contract management",
        "a) Procurement rules – a new register was completed in May.",
        "b) Supplier risk – reviews have been delayed by vacancies."]))
    assert [(r.number, r.text) for r in reading.recommendations] == [("1", "Workforce capacity"),
                                                                     ("2", "Contract management")]
    assert [(a.number, a.text, a.status.printed, a.responds_to) for a in reading.actions] == [
        ("1", "recruitment to key posts is in progress.", "in progress", ["i1"]),
        ("2a", "Procurement rules – a new register was completed in May.", "completed", ["i2"]),
        ("2b", "Supplier risk – reviews have been delayed by vacancies.", "slippage", ["i2"])]


def test_items_led_by_tracker_references_that_say_how_far_they_have_got_are_progress():
    reading = read("\n".join([
        "The Director explained the position on the items overdue:",
        "- 23 HR 04 Policies would be finished in March 2025 once consultation ends.",
        "- 23 ICT 02 No progress to date owing to the system replacement.",
        "- 24 FIN 01 Had been postponed until the new finance system is live in June 2025.",
    ]))
    assert [(a.number, a.status.printed, [d.text for d in a.due]) for a in reading.actions] == [
        ("23 HR 04", "in progress", ["March 2025"]), ("23 ICT 02", "not started", []),
        ("24 FIN 01", "deferred", ["June 2025"])]


def test_a_report_recommending_that_a_meeting_note_it_is_no_recommendation():
    reading = read("\n".join([
        "Recommendation:",
        "That the Audit Committee resolves to:",
        "1. Note the progress update against the action plan.",
        "2. Note the revised timetable for the remaining actions.",
    ]))
    assert reading is None or (reading.recommendations == [] and reading.actions == [])


def test_action_by_under_a_decision_list_names_the_owners_of_its_items():
    reading = read("\n".join([
        "DECISION",
        "1. To agree the revised improvement plan before it goes to the Secretary of State by 30th June 2025.",
        "2. To agree that officers report progress every quarter.",
        "Action by:",
        "CORPORATE DIRECTOR, RESOURCES (J. SMITH)",
        "Acting Service Head, Strategy and Performance (A. Jones)",
        "Minutes:",
        "The Mayor introduced the report.",
    ]))
    assert [[o.text for o in a.owners] for a in reading.actions] == [
        ["Corporate Director, Resources", "Acting Service Head, Strategy and Performance"]] * 2


def test_an_action_list_marks_each_item_open_or_closed():
    reading = read("\n".join([
        "Action list from the previous meeting",
        "1. Fraud figures: circulated to Members by email. [ACTION CLOSED]",
        "2. Statement of accounts: to come back in January 2026. [ACTION OPEN]",
    ]))
    assert [a.status.printed for a in reading.actions] == ["completed", "in progress"]
