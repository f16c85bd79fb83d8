"""How each recommendation, action and link was read, and how far to trust it.

A reader says how it found what it reports; the confidence follows from that, the same for every reader:

- ``labelled header``: a table column or a record label that names the field ("Lead officer", "By when");
- ``content typing``: a column with an unknown or missing header, typed by what its cells hold (dates, post
  titles, body names);
- ``position``: where the text sits: numbered or bulleted under a heading that names it, in the row or record
  of the thing it belongs to without a label, or carried from a heading or the row above;
- ``sentence``: the wording of a sentence ("the Director of Finance will ... by June 2024").

The confidences are ranks, not measured probabilities: they order what an officer should check first (the
``low-confidence-readings`` query) and are written to the graph as ``gg:confidence`` beside ``gg:readBy``.

>>> confidence("labelled header") > confidence("content typing") > confidence("position") > confidence("sentence")
True
>>> method_slug("content typing")
'reading-content-typing'
"""
from __future__ import annotations

LABELLED_HEADER = "labelled header"
CONTENT_TYPING = "content typing"
POSITION = "position"
SENTENCE = "sentence"

METHODS: dict[str, float] = {
    LABELLED_HEADER: 0.9,
    CONTENT_TYPING: 0.7,
    POSITION: 0.6,
    SENTENCE: 0.5,
}
CHECK_BELOW = 0.7  # readings under this are listed for an officer to check


def confidence(method: str | None) -> float:
    """The confidence of a reading made by ``method`` (one of :data:`METHODS`; unknown counts as position)."""
    return METHODS.get(method or POSITION, METHODS[POSITION])


def method_slug(method: str | None) -> str:
    """The local name of the method's concept in the ontology's ``gg:ReadingMethods`` scheme."""
    return "reading-" + (method if method in METHODS else POSITION).replace(" ", "-")
