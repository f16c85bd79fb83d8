"""Record numbers in the styles councils print them."""
from __future__ import annotations

import pytest

from govgraph.loaders.numbering import marker_number, record_number


@pytest.mark.parametrize("text, kind, number, rest", [
    ("Recommendation One: Refresh the plan", "recommendation", "1", "Refresh the plan"),
    ("Recommendation 12 – Improve scrutiny", "recommendation", "12", "Improve scrutiny"),
    ("R3 Publish the register", "recommendation", "3", "Publish the register"),
    ("Rec 2: Review reserves", "recommendation", "2", "Review reserves"),
    ("Action 3: Train members", "action", "3", "Train members"),
    ("Issue 2 – Contract management", "issue", "2", "Contract management"),
    ("No. 4 – the away day took place", None, "4", "the away day took place"),
    ("No.4 and 5, had been completed", None, "4 and 5", ", had been completed"),
    ("AR 297-304 Direct payments", "recommendation", "297-304", "Direct payments"),
    ("Finding 1.2: Weak controls", "issue", "1.2", "Weak controls"),
    # an audit tracker's references: year, service code, number
    ("23 HR 04 Policies have been refreshed", None, "23 HR 04", "Policies have been refreshed"),
    ("24 ICT & DATA 02 Not yet started", None, "24 ICT & DATA 02", "Not yet started"),
    ("IA/24/07 Controls tested in March", None, "IA/24/07", "Controls tested in March"),
])
def test_labelled_numbers(text, kind, number, rest):
    found = record_number(text)
    assert (found.kind, found.number, text[found.end:]) == (kind, number, rest)


@pytest.mark.parametrize("text", ["Review the plan", "Area for improvement", "Recommendations", "Priority 1 high",
                                  "24 recommendations were made", "12 Members attended"])
def test_text_with_no_number(text):
    assert record_number(text) is None


@pytest.mark.parametrize("marker, number", [("(a)", "a"), ("b)", "b"), ("3.", "3"), ("1.1", "1.1"), ("iv.", "iv"),
                                            ("(ii)", "ii"), ("-", None), ("•", None)])
def test_list_markers(marker, number):
    assert marker_number(marker) == number
