"""Record numbers as councils print them at the head of a recommendation, action or issue: "Recommendation One",
"R3", "Rec 2", "(a)", "1.1", "No. 4", "Action 3:", "Issue 2 –", "ii)", "AR 297", and audit trackers' references ("22 S 03").

>>> record_number("Recommendation One: Refresh the plan")
RecordNumber(kind='recommendation', number='1', end=20)
>>> record_number("No. 4 – the Members Away Day had taken place")
RecordNumber(kind=None, number='4', end=8)
>>> record_number("R3 Improve scrutiny").number
'3'
>>> record_number("Issue 2 – Contract management").kind
'issue'
>>> record_number("22 CTAX & NNDR 01 No progress to date").number
'22 CTAX & NNDR 01'
>>> record_number("Review the plan") is None
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass

WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
ROMAN = r"(?:xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)"
KINDS = {"recommendation": "recommendation", "rec": "recommendation", "r": "recommendation",
         "action": "action", "a": "action", "issue": "issue", "finding": "issue", "observation": "issue",
         "proposal": "recommendation", "area": "issue", "objective": "action", "resolution": None,
         "decision": None, "no": None, "item": None, "number": None, "ar": "recommendation", "priority": None,
         "step": "action", "task": "action"}
LABEL = (r"(?P<label>recommendation|rec|action|issue|finding|observation|proposal|area|objective|resolution|"
         r"decision|number|item|priority|step|task|no|ar)")
NUMBER = (rf"(?P<num>\d{{1,3}}(?:\.\d{{1,3}}){{0,2}}[a-z]?(?:\s*(?:-|–|and|&|to)\s*\d{{1,3}})?|"
          rf"{'|'.join(sorted(WORD_NUMBERS, key=len, reverse=True))}|{ROMAN}\b)")
LABELLED = re.compile(rf"^\s*{LABEL}\.?\s*{NUMBER}(?![\w/])\s*(?:[:.)–—-]+\s*)?", re.I)
PREFIXED = re.compile(r"^\s*(?P<label>[RA])(?P<num>\d{1,3}(?:\.\d{1,3})?)\b\s*(?:[:.)–—-]+\s*)?")
# an audit tracker's reference: year, service code, number ('22 S 03', '21 CSM&R', '22 CTAX & NNDR 01', 'IA/23/05')
TRACKER_REF = re.compile(r"^\s*(?P<num>\d{2}\s[A-Z][A-Z&]{0,7}(?:\s&\s[A-Z]{1,8})?(?:\s\d{1,3})?|"
                         r"[A-Z]{2,5}/\d{2,4}/\d{1,3})(?=\s+[A-Z])\s*")
MARKER = re.compile(rf"^\s*(?:\((?P<a>\d{{1,2}}|[a-z]|{ROMAN})\)|(?P<b>\d{{1,2}}|[a-z]|{ROMAN})[.)]|"
                    rf"(?P<c>\d{{1,2}}(?:\.\d{{1,2}}){{1,2}})\.?)(?=\s)\s*", re.I)


@dataclass(frozen=True)
class RecordNumber:
    """A record's number: what it says the record is (recommendation, action, issue, or None when the numbering
    does not say), the number as a plain string, and where the text after it starts."""

    kind: str | None
    number: str
    end: int


def _plain(number: str) -> str:
    low = number.lower()
    if low in WORD_NUMBERS:
        return str(WORD_NUMBERS[low])
    return re.sub(r"\s+", " ", number).strip()


def record_number(text: str) -> RecordNumber | None:
    """The record number at the head of ``text``, or None."""
    if m := LABELLED.match(text):
        label = m["label"].lower()
        if label in ("area", "priority", "number", "item") and not re.match(r"\s*[:.)–—-]", text[m.end("num"):]):
            # 'Area 2' is a number only when punctuation follows; 'Priority 1' may be a rating
            if label in ("area", "priority"):
                return None
        return RecordNumber(KINDS.get(label), _plain(m["num"]), m.end())
    if m := PREFIXED.match(text):
        return RecordNumber(KINDS[m["label"].lower()], m["num"], m.end())
    if m := TRACKER_REF.match(text):
        return RecordNumber(None, m["num"], m.end())
    return None


def marker_number(marker: str | None) -> str | None:
    """The number a list marker gives: '(a)' -> 'a', '2.' -> '2', '1.1' -> '1.1'; None for bullets."""
    if not marker:
        return None
    m = MARKER.match(marker + " ")
    if not m:
        return None
    return (m["a"] or m["b"] or m["c"]).lower()
