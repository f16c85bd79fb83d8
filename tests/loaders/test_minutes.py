"""Commitments made in running prose: requests made by a meeting, actions cited by number, recommendations stated
in a sentence; and a copy cut off mid-sentence."""
from __future__ import annotations

from pathlib import Path

import pytest

from govgraph.loaders import LoadError
from govgraph.loaders.document import read_document
from govgraph.loaders.minutes import MinutesReader
from govgraph.loaders.text import TextDocument


def doc(text: str) -> TextDocument:
    return TextDocument(Path("minutes.txt"), "0" * 64, text)


def test_requests_made_by_a_meeting():
    reading = MinutesReader().read(doc(
        "The panel discussed late audit actions. The panel asked that service managers set revised dates by "
        "October 2024. It was requested that the Head of Audit report back to the Audit Committee."))
    assert [(a.text, [o.text for o in a.owners], [d.text for d in a.due], [b.text for b in a.oversight])
            for a in reading.actions] == [
        ("The panel asked that service managers set revised dates by October 2024.", ["service managers"],
         ["October 2024"], []),
        ("It was requested that the Head of Audit report back to the Audit Committee.", ["Head of Audit"], [],
         ["Audit Committee"]),
    ]


def test_an_action_cited_by_number_in_a_paragraph():
    reading = MinutesReader().read(doc(
        "Members' attention was drawn to Action 4 - Review the customer complaints policy and members were told "
        "that the review was on track."))
    assert [(a.number, a.text, a.status.printed) for a in reading.actions] == [
        ("4", "Review the customer complaints policy", "on track")]


def test_a_recommendation_stated_in_a_sentence():
    reading = MinutesReader().read(doc(
        "One of the key recommendations requires the council to publish a medium term financial plan."))
    assert [r.text for r in reading.recommendations] == [
        "One of the key recommendations requires the council to publish a medium term financial plan."]


def test_a_last_sentence_cut_off_is_not_read():
    reading = read_document(doc("The committee asked that the clerk circulate the notes.\n\n"
                                "The chair requested that officers give consi"))
    assert [a.text for a in reading.actions] == ["The committee asked that the clerk circulate the notes."]
    with pytest.raises(LoadError):
        read_document(doc("The chair requested that officers give consi"))
