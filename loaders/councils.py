"""The UK's principal councils, current and abolished since 2008, with the names people write for them and the
ONS (GSS) codes of their areas (``lexicons/councils.csv``), and the council a document is by. The codes are from
mySociety's UK local authority names and codes (https://github.com/mysociety/uk_local_authority_names_and_codes,
CC BY 4.0), matched to the councils by name.

>>> resolve("leeds").name
'Leeds City Council'
>>> resolve("RBKC").name
'Royal Borough of Kensington and Chelsea'
>>> resolve("E08000034").name
'Kirklees Council'
>>> find_council("LONDON BOROUGH OF SOUTHWARK\\nOverview and scrutiny committee minutes")
'London Borough of Southwark'
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICONS = Path(__file__).with_name("lexicons")
COUNCIL_WORDS = r"(?:(?:City|County|Borough|District|Metropolitan\s+Borough|Metropolitan\s+District|County\s+Borough)\s+)?Council"
# '<Place> [City|Borough|...] Council' for a council the list does not know (a parish or town council, a misspelling)
COUNCIL_RE = re.compile(r"\b((?:[A-Z][a-z]+ ){1,3}?(?:City |County |Borough |District |Metropolitan Borough |"
                        r"Metropolitan District )?Council)\b(?! [A-Z])")
NOT_COUNCIL_PREFIX = {"Full", "The", "County", "City", "Borough", "District", "Parish", "Town", "Best", "Our", "Each",
                      "Leading", "Annual", "September", "October", "November", "December", "January", "February",
                      "March", "April", "May", "June", "July", "August", "Constituent", "Executive", "Municipal",
                      "Local", "Every", "Whole", "Members", "Neighbouring", "Other", "This", "That", "Your"}


@dataclass(frozen=True)
class Council:
    """A principal council: the name it uses for itself, the other names written for it, what kind of council it
    is, its nation, the year it was abolished (None while it exists), and the ONS (GSS) codes of its area, the
    current one first (none for the councils abolished in 2009, which the source of the codes does not list)."""

    name: str
    short_forms: tuple[str, ...]
    kind: str
    nation: str
    abolished: int | None
    gss: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name,) + self.short_forms


@lru_cache(maxsize=1)
def councils() -> tuple[Council, ...]:
    """Every council in the list, in its order."""
    with (LEXICONS / "councils.csv").open(encoding="utf-8", newline="") as f:
        return tuple(Council(row["name"].strip(), tuple(s.strip() for s in row["short_forms"].split(";") if s.strip()),
                             row["kind"].strip(), row["nation"].strip(),
                             int(row["abolished"]) if row["abolished"].strip() else None,
                             tuple(c.strip().upper() for c in (row.get("gss") or "").split(";") if c.strip()))
                     for row in csv.DictReader(f))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    lines = (LEXICONS / "common_place_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(l.strip().lower() for l in lines if l.strip() and not l.startswith("#"))


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """The first word of every council's place name ('Leeds', 'Kensington', 'Mid'), as written."""
    out = set()
    for council in councils():
        for form in council.forms:
            first = re.sub(r"^(?:The|City of|Royal Borough of|London Borough of|Borough of)\s+", "", form).split()
            if first and first[0][:1].isupper() and first[0] not in ("North", "South", "East", "West", "Mid", "Great",
                                                                      "Royal", "City", "County", "Cyngor"):
                out.add(first[0])
    return frozenset(out)


def _fold(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("’", "'")
    return re.sub(r"[^a-z0-9']+", " ", re.sub(r"^the\s+", "", text.strip())).strip()


@lru_cache(maxsize=1)
def _by_form() -> dict[str, tuple[Council, ...]]:
    out: dict[str, list[Council]] = {}
    for council in councils():
        for form in council.forms:
            out.setdefault(_fold(form), []).append(council)
    # a current council before an abolished one of the same name
    return {k: tuple(sorted(v, key=lambda c: c.abolished is not None)) for k, v in out.items()}


def resolve(name: str) -> Council | None:
    """The council a name stands for ('Leeds', 'leeds', 'Leeds CC', 'City of York', 'RBKC'); None when it is
    unknown or could be more than one council (see :func:`candidates`)."""
    found = candidates(name)
    return found[0] if len(found) == 1 else None


#: An ONS (GSS) code of a local authority's area: a letter for the nation and eight digits ('E08000035').
GSS_CODE = re.compile(r"[ENSW]\d{8}")


def candidates(name: str) -> list[Council]:
    """Every council a name could stand for: one for a name in the list or its area's ONS code ('E08000035'),
    several for a part of several names ('Devon' names Devon County Council; 'Newcastle' two councils).

    >>> [c.name for c in candidates("e06000014")]
    ['City of York Council']
    """
    if GSS_CODE.fullmatch(name.strip().upper()):
        code = name.strip().upper()
        return sorted((c for c in councils() if code in c.gss), key=lambda c: c.gss.index(code))
    key = _fold(name)
    key = re.sub(r"\s+(?:cc|bc|dc|mbc|mdc)$", "", key) if key not in _by_form() else key
    if key in _by_form():
        return list(dict.fromkeys(_by_form()[key]))
    if not key:
        return []
    return [c for c in councils() if any(re.search(rf"\b{re.escape(key)}\b", _fold(f)) for f in c.forms)]


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    """Every name and short form of several words, and every one-word place followed by a council word."""
    forms = sorted({f for c in councils() for f in c.forms}, key=len, reverse=True)
    alternatives = []
    for form in forms:
        words = ["(?:&|and)" if w in ("&", "and") else re.escape(w) for w in form.split()]
        alternatives.append(r"\s+".join(words))
    return re.compile(rf"(?<![\w-])(?:the\s+)?(?P<form>{'|'.join(alternatives)})(?P<council>\s+{COUNCIL_WORDS})?(?![\w-])",
                      re.I)


COUNCIL_SCAN = 60_000  # characters of a document read for the council it is by
COMPARED = re.compile(r"\b(?:with|than|alongside|including|like|such\s+as|versus|vs|other|neighbouring|"
                      r"compared\s+(?:to|with)|as\s+(?:did|do|does))\s+(?:the\s+)?$", re.I)


def find_council(text: str) -> str | None:
    """The council a document is by, under the name the council uses for itself: the one its text names most
    (full names and several-word forms in any case, as in capitalised headings; a one-word place only when it is
    written with a capital, and a place that is also a common word only beside 'Council'); a council named after
    'with', 'than', 'such as' is one the document compares itself or works with, and counts for less; failing all
    that, the most often named '<Place> Council' the list does not know.

    >>> find_council("Leeds' approach ... benchmarking with Barnsley MBC ... as Leeds had planned")
    'Leeds City Council'
    """
    scores: Counter[Council] = Counter()
    text = text[:COUNCIL_SCAN]  # a document names its council early; the rest would only cost time
    for m in _pattern().finditer(text):
        form = m["form"]
        several_words = len(form.split()) > 1
        if not several_words:
            if not (form[0].isupper() and (form[1:].islower() or form.isupper())):
                continue  # 'reading' the verb, not Reading
            if form.lower() in _common_words() and not m["council"]:
                continue
        matched = candidates(form + (m["council"] or "")) or candidates(form)
        if len(matched) == 1:
            weight = 3 if several_words or m["council"] else 1
            if COMPARED.search(text[max(0, m.start() - 40):m.start()]):
                weight /= 3  # a council the document compares itself with or works with, not its own
            scores[matched[0]] += weight
    if scores:
        best, score = scores.most_common(1)[0]
        if score >= 2:  # a full name once, or a place named twice
            return best.name
    counts: Counter[str] = Counter()
    for m in COUNCIL_RE.finditer(text):
        words = m.group(1).split()
        while words and words[0] in NOT_COUNCIL_PREFIX:
            words = words[1:]
        if len(words) >= 2:
            counts[" ".join(words)] += 1
    return counts.most_common(1)[0][0] if counts else None
