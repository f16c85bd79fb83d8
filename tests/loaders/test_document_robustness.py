"""Whatever text a document holds, reading it ends in a reading or a clear LoadError, never a crash."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govgraph.loaders import LoadError
from govgraph.loaders.document import read_document
from govgraph.loaders.emit import document_triples
from govgraph.loaders.text import TextDocument

PIECES = st.sampled_from([
    "\t", "\n", "\n\n", "  ", "<p>", "</p>", "<ul><li>", "</li></ul>", "&amp;", "•", "??", ":", "(", ")", "1.",
    "2.1", "(5.3)", "Action", "Key Action", "Lead officer", "Officer lead:", "By when:", "Recommendation 1:",
    "Due date", "Director of Resources", "Head of Audit", "Contact – Jo Bloggs", "Audit Committee", "Cabinet",
    "Executive Board", "completed", "slippage", "revised timescales", "March 2024", "w/c 9th", "Early Autumn",
    "2023/24", "From the peer team", "Response", "Proposed actions", "### ", "**", "Leeds City Council", "the",
    "will", "review", "plan", "monitored by", "The following actions have been completed:", "- ",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=80).map("".join))
def test_reading_any_text_ends_in_a_reading_or_a_load_error(text):
    doc = TextDocument(Path("fuzz.txt"), "0" * 64, text)
    try:
        reading = read_document(doc)
    except LoadError:
        return
    graph, triples = document_triples(reading)
    assert triples and graph.value.endswith("/fuzz")
    assert not [s for s in reading.skipped if "reader failed" in s.reason], reading.skipped
