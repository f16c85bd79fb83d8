"""Names of posts, oversight bodies and people: the keys that make one post of "Director Resources and Housing"
and "Director of Resources & Housing", and the slugs their IRIs are built from.

>>> post_key("Director of Resources & Housing") == post_key("Director Resources and Housing")
True
>>> post_key("Director of Resources") == post_key("Director of Resources and Housing")
False
>>> body_kind("Strategy and Resources Scrutiny Board")
'scrutiny'
>>> expands_to("CGAC", "Corporate Governance and Audit Committee")
True
"""
from __future__ import annotations

import re
import unicodedata

# Words that never change which post or body is meant.
FILLER = {"of", "the", "and", "for", "to", "a", "an", "in", "on", "with", "&"}


def collapse(text: str) -> str:
    """Text as printed, with tags dropped, the common HTML entities decoded and whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&amp;", "&").replace("&nbsp;", " ").replace("&quot;", '"').replace("&#39;", "'")
    return re.sub(r"\s+", " ", text).strip()


def clean(text: str) -> str:
    """Collapse whitespace, decode the common HTML entity, drop tags and surrounding punctuation."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"<[^>]+>", " ", text).replace("&amp;", "&").replace("\u2019", "'")
    text = re.sub(r"\s+", " ", text)
    return text.strip(" \t\n.;:,-\u2013\u2014")


def first_sentence(text: str, limit: int = 160) -> str:
    """A label for a long text: its first sentence, cut at a word boundary when longer than ``limit``.

    >>> first_sentence("Review the plan. Then report it.")
    'Review the plan.'
    """
    text = collapse(text)
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])", text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "\u2026"


def words(text: str) -> list[str]:
    folded = clean(text).lower().replace("&", " and ")
    return [w for w in re.split(r"[^a-z0-9']+", folded) if w and w not in FILLER]


def post_key(title: str) -> str:
    """The identity of an officer post title within one council."""
    return " ".join(words(title))


def body_key(name: str) -> str:
    """The identity of an oversight body name within one council ("Scrutiny Board (Strategy and Resources)" and
    "Strategy and Resources Scrutiny Board" are one body)."""
    name = re.sub(r"\b([A-Z]{2,})s\b", r"\1", name)  # 'CCGs' and 'CCG' are one body
    return " ".join(sorted(w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w
                           for w in words(name)))


TEAM = re.compile(r"\b(?:team|teams|unit|units|service|services|directorate|directorates|department|departments|section|"
                  r"directorate\(s\))\s*$|^internal\saudit$", re.I)


POST_WORD = re.compile(r"\b(?:head|heads|director|directors|officer|officers|manager|managers|chief|lead|leader|chair|"
                       r"member|members|executive|owner|solicitor|secretary|adviser|advisor)\b", re.I)


def is_team(name: str) -> bool:
    """Whether an owner named is a team, service or unit rather than a post ('the scrutiny team', 'Internal Audit',
    'relevant Directorate(s)'); a post over a service ('Head of Service') stays a post.

    >>> is_team("scrutiny team"), is_team("Head of Audit"), is_team("Internal Audit"), is_team("Head of Service")
    (True, False, True, False)
    """
    printed = clean(name)
    return bool(TEAM.search(printed)) and not POST_WORD.search(printed)


def slug(text: str, *, limit: int = 80) -> str:
    """A lowercase, hyphenated IRI path segment."""
    ascii_text = unicodedata.normalize("NFKD", clean(text)).encode("ascii", "ignore").decode().lower()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.replace("&", " and ")).strip("-")
    return value[:limit].rstrip("-") or "unnamed"


def initials(name: str) -> str:
    return "".join(w[0] for w in words(name))


def expands_to(abbreviation: str, name: str) -> bool:
    """Whether an all-capitals abbreviation ("CGAC", "S&R") is the initials of ``name``."""
    compact = re.sub(r"[^A-Za-z]", "", abbreviation)
    return (compact.isupper() and 2 <= len(compact) <= 8
            and compact.lower() == initials(name))


BODY_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("scrutiny", re.compile(r"\bscrutiny\b|\boverview\b", re.I)),
    ("full-council", re.compile(r"\bfull council\b|\bcouncil meeting\b|^council$|\bannual council\b", re.I)),
    ("executive", re.compile(r"\bcabinet\b|\bexecutive board\b|^executive$|\bthe executive\b", re.I)),
    ("committee", re.compile(r"\bcommittee\b", re.I)),
    ("panel", re.compile(r"\bpanel\b", re.I)),
    ("board", re.compile(r"\bboard\b", re.I)),
    ("officer-group", re.compile(r"\bgroup\b|\bteam\b|\bforum\b|\bnetwork\b", re.I)),
]


def body_kind(name: str) -> str | None:
    """The kind of an oversight body from its name (a gg:BodyKinds concept suffix), or None when the name does
    not look like a body at all."""
    for kind, pattern in BODY_KINDS:
        if pattern.search(clean(name)):
            return kind
    return None
