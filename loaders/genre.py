"""What kind of document a council document is, read from its title: the headings and paragraphs before its first
table or list (column headers such as "Progress" or "Due for Completion" say what a table holds, not what the
document is).

- committee minutes and decision notices say so ("Minutes", "Decisions", "RESOLVED");
- a peer challenge's action plan names the peer challenge or peer review anywhere;
- a progress report's title says progress, update or monitoring;
- anything else is a governance action plan.

>>> from govgraph.loaders.text import TextDocument
>>> kind = lambda text: document_kind(TextDocument(path=None, sha256="", text=text))
>>> kind("# Corporate Plan – Quarter 2 Progress Update\\n\\nAction\\tLead\\nReview the constitution\\tMonitoring Officer")
'improvement plan progress report'
>>> kind("Action\\tProgress\\tDue for completion\\nReview the constitution\\tStarted\\tMay 2024")
'governance action plan'
>>> kind("Minutes of the Audit Committee\\n\\nRESOLVED: that the report be noted.")
'committee minutes'
"""
from __future__ import annotations

import re

from govgraph.loaders.text import TextDocument

MINUTES = re.compile(r"\bminutes?\b|\bresolved\b|\bdecisions?\b", re.I)
PEER = re.compile(r"\bpeer\s+(?:challenge|review)\b", re.I)
PROGRESS = re.compile(r"\b(?:progress|update|updates|monitoring)\b", re.I)
TITLE_BLOCKS = 8  # a title is among the first few blocks


def title(doc: TextDocument) -> str:
    """The text before the document's first table or list item (at most its first few blocks)."""
    found = []
    for block in doc.blocks[:TITLE_BLOCKS]:
        if block.is_table or block.is_list_item:
            break
        found.append(block.text)
    return "\n".join(found)


def document_kind(doc: TextDocument) -> str:
    """The kind of document, one of the kinds the readers report (see the module's rules)."""
    head = title(doc)
    if MINUTES.search(head):
        return "committee minutes"
    if PEER.search(doc.text):
        return "peer challenge action plan"
    if PROGRESS.search(head):
        return "improvement plan progress report"
    return "governance action plan"
