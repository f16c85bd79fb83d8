"""Fuzzing the readers and the date parser with generated text (hypothesis): whatever the text, a document is read
or refused with a LoadError, and a date is read or said to be unreadable; nothing else escapes, and nothing hangs."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govgraph.loaders import LoadError
from govgraph.loaders.dates import read_due
from govgraph.loaders.document import read_document
from govgraph.loaders.text import TextDocument

# pieces council documents are made of, shuffled into lines, cells and fragments
WORDS = st.sampled_from(["Action", "Recommendation 3:", "Lead officer", "Due", "March 2025", "Q3 2024/25", "??",
                         "Director of Resources", "Audit Committee", "RESOLVED", "1.", "(a)", "-", "•", "\t", "|",
                         "<p>", "</li>", "&amp;", "#", "**", "completed", "on track", "by June", "Chief Executive",
                         "that the report be noted", "No. 4 –", "22 S 03", "Minutes:", "\n", "\n\n", "Page 2 of 9"])
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=80).map(" ".join)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_is_read_or_refused(text):
    doc = TextDocument(Path("fuzz.txt"), "0" * 64, text)
    try:
        reading = read_document(doc)
    except LoadError:
        return
    for action in reading.actions:
        assert action.text.strip()


@settings(max_examples=400, deadline=500)
@given(st.one_of(st.text(max_size=40), st.lists(WORDS, max_size=6).map(" ".join)),
       st.one_of(st.none(), st.integers(min_value=1990, max_value=2040)))
def test_any_date_text_is_read_or_called_unreadable(text, year):
    due = read_due(text, context_year=year)
    assert isinstance(due.readable, bool)
    if due.start is not None and due.end is not None:
        assert due.start <= due.end
