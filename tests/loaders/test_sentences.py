"""Owners, oversight, due dates and status read from the words of a sentence."""
from __future__ import annotations

import pytest

from govgraph.loaders import sentences


def names(found) -> list[str]:
    return [f.text for f in found]


@pytest.mark.parametrize("text, owners", [
    ("That a risk log be kept, to be maintained by the finance team.", ["finance team"]),
    ("The review will be led by the Director of Resources.", ["Director of Resources"]),
    ("It was agreed that the in house ICT team would build the tool.", ["in house ICT team"]),
    ("Head of Audit to review the register by June.", ["Head of Audit"]),
    ("The plan was discussed at length.", []),
    # posts written in lower case, and work given to someone
    ("The procurement manager was tasked with refreshing the contract rules.", ["procurement manager"]),
    ("A review to be conducted by the committee chairs in spring.", ["committee chairs"]),
    ("The following officers attended the meeting.", []),
])
def test_owners_are_the_agents_of_the_work(text, owners):
    assert names(sentences.owners(text)) == owners


@pytest.mark.parametrize("text, bodies", [
    ("That a report on the review be submitted to the group leaders' panel for consideration.",
     ["group leaders' panel"]),
    ("A budget update to Cabinet in March 2024.", ["Cabinet"]),
    ("That matters requiring cabinet/full council approval be brought to their next meetings.",
     ["cabinet", "full council"]),
    ("The Policy Board had received the briefing.", ["Policy Board"]),
    ("The strategy would be considered by the Housing Forum next week.", ["Housing Forum"]),
    ("Agreed to recommend the revised code to Council.", ["Council"]),
    ("The council's website was updated.", []),
])
def test_oversight_is_where_the_work_goes(text, bodies):
    assert names(sentences.overseers(text)) == bodies


def test_due_timings_leave_out_meetings_already_held():
    text = "At the meeting on 12 March 2024 members asked for a report by September 2024 and updates every quarter."
    assert sentences.timings(text) == ["September 2024", "every quarter"]


@pytest.mark.parametrize("text, status", [
    ("The new code of conduct had now been completed.", "completed"),
    ("The training had been delayed by staff absence.", "slippage"),
    ("Work on the register was not progressing.", "slippage"),
    ("The action should be marked as part complete.", "in progress"),
    ("The review is on track to finish in May.", "on track"),
    ("The officer would check that the review had been completed.", None),
    ("The committee discussed the plan.", None),
    ("No progress to date on the asset review.", "not started"),
    ("A time extension was requested to allow for the restructure.", "slippage"),
    ("The policy is expected to be completed by the end of June.", "in progress"),
    ("The audit would be finished in May 2025.", "in progress"),
])
def test_status_said_in_words(text, status):
    assert sentences.status_of(text) == status
