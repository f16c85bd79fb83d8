"""The table reader on small tables written here: headers in other words and orders, page breaks, sub-rows,
stacked owner cells, theme tables and section headings."""
from __future__ import annotations

from pathlib import Path

from govgraph.loaders.tables import TableReader
from govgraph.loaders.text import TextDocument


def read(text: str):
    return TableReader().read(TextDocument(Path("plan.txt"), "0" * 64, text))


def owners(action) -> list[str]:
    return [m.text for m in action.owners]


KEY_ACTIONS = "\n".join([
    "## Key actions 2021",
    "",
    "\t<b>Key Action</b>\t<b>Outline plan</b>\t<b>Key decision times</b>\t<b>Officer accountability</b>\t<b>Democratic Oversight</b>",
    "1\tWe will refresh the treasury management strategy.\tDraft strategy to Audit Committee.\tJune 2021\tDirector of Finance  Head of Treasury  Contact – Sam Jones\tAudit Committee",
    "\t\tFinal strategy approved.\tJuly 2021\t\tFull Council",
    "2\tWe will review the constitution so that delegations are clear and\tWorking group to propose\t??\tMonitoring Officer\t?",
    "",
    "\tKey Action\tOutline plan\tKey decision times\tOfficer accountability\tDemocratic Oversight",
    "\tup to date.\tchanges.\t\t\t",
    "3\tWe will publish an annual scrutiny report.\tReport drafted.\tMarch 2022\tHead of Scrutiny\tScrutiny Management Board",
])


def test_numbered_key_actions_with_milestones_and_page_breaks():
    reading = read(KEY_ACTIONS)
    assert [(a.number, a.text) for a in reading.actions] == [
        ("1", "We will refresh the treasury management strategy."),
        ("2", "We will review the constitution so that delegations are clear and up to date."),
        ("3", "We will publish an annual scrutiny report."),
    ]
    first, second, third = reading.actions
    assert owners(first) == ["Director of Finance", "Head of Treasury"]
    assert [(p.name, p.role) for p in first.people] == [("Sam Jones", "contact")]
    assert [m.text for m in first.oversight] == ["Audit Committee", "Full Council"]
    assert [(m.text, [d.text for d in m.due], [o.text for o in m.oversight]) for m in first.milestones] == [
        ("Draft strategy to Audit Committee.", ["June 2021"], ["Audit Committee"]),
        ("Final strategy approved.", ["July 2021"], ["Full Council"]),
    ]
    # the row cut by the page break is one milestone, its '??' date and '?' oversight kept as printed
    assert [m.text for m in second.milestones] == ["Working group to propose changes."]
    assert [d.text for d in second.due] == ["??"] and [o.text for o in second.oversight] == ["?"]
    assert owners(third) == ["Head of Scrutiny"]


THEMES = "\n".join([
    "Priority area\tRecommendations\tWhat we will do\tLead officer\tTimescale",
    "<p>Financial resilience</p> <p>(Supporting a balanced budget.)</p>\t<p>Rebuild reserves over three years.</p> "
    "<p>Report savings delivery quarterly.</p>\t<p>Set a reserves strategy.</p> <p>Add savings tracking to the "
    "quarterly finance report.</p>\t<p>Director of Finance &amp; Head of Corporate Finance</p>\t<p>April 2024</p> "
    "<p>Quarterly from June 2024</p>",
    "<p>Member development</p>\t<p>Invest in member training.</p>\t<p>Refresh the induction programme:</p> "
    "<ul><li>Design the programme.</li><li>Run the sessions.</li></ul>\t<p>Head of Democratic Services</p>\t"
    "<p>May 2024</p>",
    "\t<p>Review scrutiny arrangements.</p>\t<p>Commission an external review.</p>\t\t<p>Autumn 2024</p>",
])


def test_theme_table_with_several_recommendations_and_actions_per_row():
    reading = read(THEMES)
    assert [t.name for t in reading.themes] == ["Financial resilience", "Member development"]
    assert [r.text for r in reading.recommendations] == [
        "Rebuild reserves over three years.", "Report savings delivery quarterly.", "Invest in member training.",
        "Review scrutiny arrangements."]
    rows = [(a.text, a.responds_to, owners(a), [d.text for d in a.due], a.theme) for a in reading.actions]
    assert rows == [
        ("Set a reserves strategy.", ["r1", "r2"], ["Director of Finance", "Head of Corporate Finance"],
         ["April 2024"], "financial resilience"),
        ("Add savings tracking to the quarterly finance report.", ["r1", "r2"],
         ["Director of Finance", "Head of Corporate Finance"], ["Quarterly from June 2024"], "financial resilience"),
        # bullets under a lead-in ending with a colon are the actions
        ("Design the programme.", ["r3"], ["Head of Democratic Services"], ["May 2024"], "member development"),
        ("Run the sessions.", ["r3"], ["Head of Democratic Services"], ["May 2024"], "member development"),
        # a blank owner cell is merged with the one above; the row's own recommendation is answered
        ("Commission an external review.", ["r4"], ["Head of Democratic Services"], ["Autumn 2024"],
         "member development"),
    ]


SECTIONS = "\n".join([
    "Head of Legal Services 2021/22 Actions",
    "Improvement Activity\tProgress\tDue for Completion",
    "Procurement rules are not fully complied with, therefore training will be delivered to all buyers.\t"
    "Training has started. Report to Audit Committee in May.\tJune 2022",
    "Review the scheme of delegation\tScheme reviewed and signed off by Standards Committee.\tCompleted",
    "\tGuidance issued to directorates.\tJuly 2022",
    "Improvement Activity\tProgress\tDue for Completion",
    "Refresh the information asset register.\tWork is under way.\tDecember 2022",
])


def test_section_heading_owns_the_table_after_it_and_issues_become_recommendations():
    reading = read(SECTIONS)
    first, second, third = reading.actions
    assert owners(first) == owners(second) == ["Head of Legal Services"]
    assert owners(third) == []  # a new table without its own heading
    assert [r.text for r in reading.recommendations] == ["Procurement rules are not fully complied with."]
    assert first.responds_to == ["r1"]
    assert [o.text for o in first.oversight] == ["Audit Committee"]
    assert first.status.printed == "in progress" and first.status.progress == "Training has started."
    assert second.status.printed == "completed"
    assert [o.text for o in second.oversight] == ["Standards Committee"]
    # a row with no activity but its own date continues the activity above as a milestone
    assert [(m.text, [d.text for d in m.due]) for m in second.milestones] == [
        ("Guidance issued to directorates.", ["July 2022"])]
    assert [d.text for d in second.due] == ["Completed", "July 2022"]


BROKEN_HEADINGS = "\n".join([
    "Director of Place and Regener\tration 2023/2\t4 Actions",
    "Improvement Activity\tProgress\tDue for Completion",
    "Refresh the regeneration strategy.\tDraft written.\tMarch 2024",
    "Head of Housing Services 2023/24 Act\t\u00b7\tDue for",
    "Improvement Activity\tProgress\tDue for Completion",
    "Review the allocations policy.\tNot started.\tJune 2024",
    "Regeneration and housing in 2023/24 ...",
])


def test_a_post_heading_broken_at_column_edges_still_owns_its_table():
    # text extraction breaks a line at column edges, mid-word or mid-year, sometimes repeating the letter at the
    # break, and leaves fragments of other columns beside it; the word is whole when the document spells it
    regeneration, allocations = read(BROKEN_HEADINGS).actions
    assert owners(regeneration) == ["Director of Place and Regeneration"]
    assert owners(allocations) == ["Head of Housing Services"]


def test_no_table_is_not_this_genre():
    assert read("Just a paragraph about the council.\n\nAnother one.") is None
    assert read("Name\tAge\nSam\t40\n") is None


HEADERLESS = "\n".join([
    "Review the constitution so that delegations are clear.\tMonitoring Officer\tMarch 2024\tIn progress",
    "Publish a scrutiny work programme for the year ahead.\tHead of Democratic Services\tJune 2024\tNot started",
    "Refresh the risk management strategy and appetite.\tChief Finance Officer\tSeptember 2024\tCompleted",
])


def test_a_table_without_headers_is_read_by_what_its_columns_hold_and_says_so():
    reading = read(HEADERLESS)
    assert [(owners(a), [d.text for d in a.due], a.status.printed) for a in reading.actions] == [
        (["Monitoring Officer"], ["March 2024"], "In progress"),
        (["Head of Democratic Services"], ["June 2024"], "Not started"),
        (["Chief Finance Officer"], ["September 2024"], "Completed"),
    ]
    assert {a.how for a in reading.actions} == {"content typing"}
    assert {m.how for a in reading.actions for m in a.owners + a.due} == {"content typing"}


def test_how_each_value_was_read():
    first, second, third = read(SECTIONS).actions
    # the columns are named by the header; the owner comes from the heading above the table
    assert first.how == "labelled header" and [d.how for d in first.due] == ["labelled header"]
    assert [m.how for m in first.owners] == ["position"]
    # a body named in the progress sentence is read from the sentence
    assert [(o.text, o.how) for o in first.oversight] == [("Audit Committee", "sentence")]
