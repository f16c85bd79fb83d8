"""The pieces names are made of in council writing, shared by the finders of posts, bodies and people: capitalised
words and runs of them, the segments of a text that no name spans (cells, paragraphs, runs split by two spaces), and
the clause words a name never starts with."""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

# A capitalised word or acronym ('Resources', 'IM&G', 'Sub-Ward', "HRBP's"). Words and the separators between them
# are written so that a run of words can be matched in one way only, and runs are bounded: long capitalised
# lines must not make the matching backtrack without end.
CAP = r"[A-Z][\w'’&]*(?:-[A-Za-z][\w'’]*)*"
CONNECT = r"(?:and|of|for|the|to|on|in|with)"
# a run of capitalised words joined by connectors and single spaces ("Resources and Housing", "Legal, Governance")
PHRASE = rf"{CAP}(?:(?:, | {CONNECT} (?:the )?| & | )(?:{CAP})){{0,9}}"
PAREN = r"\s?\([A-Z][^()\n\t]{1,60}\)"
# a bracketed name or abbreviation after a body, but not a date: "(Strategy and Resources)", "(LSIL)"
BODY_PAREN = r"\s?\((?!(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)[A-Z][^()\n\t\d]{1,60}\)"

WORD_ABBREVIATIONS = {"exec": "executive", "cttee": "committee", "dept": "department", "mgt": "management",
                      "asst": "assistant", "cx": "chief executive", "ceo": "chief executive"}
CAPITALISED_NOISE = {"thanks", "the", "our", "a", "an", "this", "that", "its", "their", "new", "and", "of", "to", "by", "with",
                     "from", "for", "at", "in", "on", "each", "all", "any", "every", "monthly", "weekly", "annual",
                     "regular", "quarterly", "report", "reports", "via", "through", "while", "whilst", "where",
                     "when", "if", "as", "consultation", "escalation", "contact", "progress", "both", "other", "key",
                     "two", "three", "four", "five", "current", "existing", "continued", "including", "relevant",
                     "individual", "approval", "updates", "briefings", "establish", "develop", "review", "ensure"}
# words that start a sentence or a clause, not a name
LEADING_NOISE = {"the", "our", "a", "an", "this", "that", "its", "their", "new", "and", "of", "to", "by", "with",
                 "from", "for", "at", "in", "on", "each", "all", "any", "every", "relevant", "individual", "monthly",
                 "weekly", "annual", "regular", "quarterly", "report", "reports", "reported", "via", "through",
                 "while", "whilst", "where", "when", "if", "as", "chair", "chaired", "consultation", "escalation",
                 "approval", "approved", "agreed", "endorsed", "considered", "members", "member", "contact", "thanks",
                 "thank", "welcomed", "congratulated", "presented", "introduced",
                 "progress", "updates", "update", "briefings", "led", "lead", "both", "other", "key", "two",
                 "three", "four", "five", "include", "including", "includes", "also", "current", "existing",
                 "continued", "continue", "ensure", "establish", "establishment", "develop", "review", "support"}


@dataclass(frozen=True)
class Found:
    """A name found in a text, with its character offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class FoundPerson:
    name: str
    role: str
    start: int
    end: int


def segments(text: str) -> list[tuple[int, str]]:
    """Pieces of text that no name spans: cells, ``<p>`` paragraphs, runs split by two or more spaces."""
    out = []
    for m in re.finditer(r"[^\t\n]+", text):
        piece, offset = m.group(), m.start()
        for part in re.finditer(r"(?:(?!</?(?:p|li|ul|ol|br|b|i|u|span|sup|strong|em)\b)[^<]|<(?!/?(?:p|li|ul|ol|br|b|i|u|span|sup|strong|em)\b))+", piece):
            for sub in re.finditer(r"\S+(?:\s\S+)*", part.group()):  # runs split by two or more spaces
                out.append((offset + part.start() + sub.start(), sub.group()))
    return out


def trim(text: str) -> tuple[str, int]:
    """Drop leading clause words ("the", "Monthly", "Report to"); return the rest and how many characters went.
    A lowercase word never starts a name; a capitalised one only when it is a clause word ('The', 'Monthly')."""
    words = text.split(" ")
    cut = 0
    while words and ((words[0].strip("(").lower() in LEADING_NOISE and
                      (words[0][:1].islower() or words[0].strip("(").lower() in CAPITALISED_NOISE))
                     or re.fullmatch(r"[A-Za-z]{3,}(?:ed|ing)", words[0]) and len(words) > 1
                     and words[1] in ("to", "by", "with", "from", "through", "via", "at", "in", "for", "the")):
        cut += len(words[0]) + 1
        words = words[1:]
    return " ".join(words), cut


def clean_tail(text: str) -> str:
    text = re.sub(r"[\s,;:.&–—-]+$", "", text)
    text = re.sub(r"\s(?:and|of|for|the|&|to|on|in|with)$", "", text, flags=re.I)
    return text


ENTITY_CHARS = {"&amp;": "&", "&nbsp;": " ", "&#39;": "'", "&quot;": '"'}
SPECIAL = re.compile(r"&amp;|&nbsp;|&#39;|&quot;|\*|\n ")


def decode_entities(text: str) -> tuple[str, array]:
    """The text with ``&amp;``/``&nbsp;`` decoded, Markdown emphasis marks dropped and a line wrapped with an indent
    joined, and for each character of it the offset in the original (and one past the end). Runs of ordinary text
    are copied whole, so the cost is linear in the text.

    >>> text, where = decode_entities("A &amp; B *x*")
    >>> text, list(where)
    ('A & B x', [0, 1, 2, 7, 8, 9, 11, 13])
    """
    parts: list[str] = []
    where = array("l")
    last = ""  # the last character written
    pos = 0
    while True:
        m = SPECIAL.search(text, pos)
        end = m.start() if m else len(text)
        if end > pos:
            parts.append(text[pos:end])
            where.extend(range(pos, end))
            last = text[end - 1]
        if m is None:
            break
        token = m.group()
        if token == "*":  # Markdown emphasis inside a name ('Harrogate ***Health and Care Partnership***')
            pos = m.end()
        elif token == "\n ":
            if parts and last not in "\n\t ":
                parts.append(" ")  # a line wrapped with an indent goes on: 'Strategic\n Director of ...'
                where.append(m.start())
                last = " "
                pos = m.end()
            else:
                parts.append("\n")
                where.append(m.start())
                last = "\n"
                pos = m.start() + 1
        else:
            parts.append(ENTITY_CHARS[token])
            where.append(m.start())
            last = ENTITY_CHARS[token]
            pos = m.end()
    where.append(len(text))
    return "".join(parts), where


def dedupe_overlaps(found: list[Found]) -> list[Found]:
    """Where two names overlap, the longer one."""
    out: list[Found] = []
    for f in found:
        if out and f.start < out[-1].end:
            if f.end - f.start > out[-1].end - out[-1].start:
                out[-1] = f
            continue
        out.append(f)
    return out
