"""Which field a table column holds: by its header, from the words councils use (``lexicons/headers.txt``), and,
where a header is missing or unknown, by what its cells hold.

>>> match_header(["Ref", "Required action", "By whom", "To be delivered by", "Lead / RAG status"])
{'action_ref': 0, 'action': 1, 'owner': 2, 'due': 3, 'status': 4}
>>> combined_fields("Lead / RAG status")
['owner', 'status']
>>> column_kind(["March 2024", "Q3 2024/25", "Ongoing"])
'due'
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).with_name("lexicons") / "headers.txt"


def fold(header: str) -> str:
    """A header as compared: lower case, '(s)' plurals spelt out, punctuation as spaces ('#' kept)."""
    text = re.sub(r"\(s\)", "s", str(header or "").lower())
    return re.sub(r"[^a-z0-9#]+", " ", text).strip()


@lru_cache(maxsize=1)
def headers() -> dict[str, tuple[str, ...]]:
    """Field name -> the folded headers that name it, in the lexicon's order of fields."""
    out: dict[str, list[str]] = {}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fieldname, _, header = line.partition("\t")
        out.setdefault(fieldname.strip(), []).append(fold(header))
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@lru_cache(maxsize=1)
def _exact() -> dict[str, str]:
    """Folded header -> its field (the first field in the lexicon's order that lists it)."""
    out: dict[str, str] = {}
    for fieldname, synonyms in headers().items():
        for synonym in synonyms:
            out.setdefault(synonym, fieldname)
    return out


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, list[tuple[int, str]]]:
    """Folded header -> the (lexicon order, field) pairs it names, for looking up a cell's word runs."""
    out: dict[str, list[tuple[int, str]]] = {}
    for order, (fieldname, synonyms) in enumerate(headers().items()):
        for synonym in synonyms:
            if len(synonym) > 3:
                out.setdefault(synonym, []).append((order, fieldname))
    return out


@lru_cache(maxsize=65536)
def header_field(text: str) -> str | None:
    """The field one header cell names, or None: the whole header first, then the longest header it contains,
    where that header is most of the cell's words (a header is a label, not a sentence with a header word in it).
    Each distinct text is matched once, by dictionary lookups, whatever the number of columns.
    """
    folded = fold(text)
    if not folded or len(folded.split()) > 8:
        return None
    if folded in _exact():
        return _exact()[folded]
    return _contained(text, folded, ())


def _contained(text: str, folded: str, taken) -> str | None:
    """The field of the longest known header inside a header cell, when that header is at least half its words
    and the cell reads as a label: no digits, no sentence punctuation. The cell's runs of words are looked up
    (a cell has a few words, so a few lookups), never a pattern per synonym."""
    if re.search(r"\d|\.\s|[.;]$", str(text).strip()):
        return None
    words = folded.split()
    best: tuple[int, int, str] | None = None  # (-length, lexicon order, field): longest first, then first listed
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            if 2 * (j - i) < len(words):
                continue
            run = " ".join(words[i:j])
            for order, fieldname in _synonyms().get(run, ()):
                if fieldname in taken:
                    continue
                key = (-len(run), order, fieldname)
                if best is None or key < best:
                    best = key
    return best[2] if best else None


def combined_fields(text: str) -> list[str]:
    """A header naming two fields ('Lead / RAG status', 'Owner and due date'): each of them, else []."""
    pieces = [p for p in re.split(r"\s*/\s*|\s+&\s+|\s+and\s+", str(text or "")) if p.strip()]
    if len(pieces) < 2:
        return []
    found = [header_field(p) for p in pieces]
    if all(found) and len(set(found)) == len(found):
        return list(found)  # type: ignore[arg-type]
    return []


def match_header(cells: list[str]) -> dict[str, int]:
    """Which column holds which field. Exact header matches win over headers that merely contain the words; a
    header naming two fields maps both to its column."""
    mapping: dict[str, int] = {}
    folded = [fold(c) for c in cells]
    for col, text in enumerate(folded):
        for fieldname, synonyms in headers().items():
            if text in synonyms and fieldname not in mapping:
                mapping[fieldname] = col
                break
    taken = set(mapping.values())
    for col, cell in enumerate(cells):
        if col in taken or not folded[col]:
            continue
        both = combined_fields(cell)
        if both and not any(f in mapping for f in both):
            for fieldname in both:
                mapping[fieldname] = col
            taken.add(col)
            continue
        best = _contained(cell, folded[col], mapping)
        if best:
            mapping[best] = col
            taken.add(col)
    return dict(sorted(mapping.items(), key=lambda kv: kv[1]))


# --- columns typed by what their cells hold ----------------------------------------------------------------------

REFERENCE = re.compile(r"^(?:[A-Z]{0,4}\s?-?\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?|[a-z]|[ivx]{1,5}|No\.?\s?\d{1,3})[.)]?$", re.I)


def cell_kind(text: str) -> str | None:
    """What one cell holds: 'ref', 'due', 'status', 'priority', 'owner', 'person', 'oversight', 'sentence',
    'label' (a short phrase) or None when empty."""
    from govgraph.loaders import dates, entities, people
    from govgraph.loaders.vocabulary import priority_concept, status_concept

    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return None
    words = text.split()
    if REFERENCE.match(text):
        return "ref"
    if len(words) <= 6 and status_concept(text) is not None:
        return "status"
    if len(words) <= 3 and priority_concept(text) is not None:
        return "priority"
    if len(words) <= 8 and (dates.read_due(text).readable or dates.UNREADABLE.match(text.lower())
                            or dates.ONGOING.search(text.lower())):
        return "due"
    if len(words) <= 14:
        roles = entities.find_roles(text)
        if roles and sum(len(r.text) for r in roles) >= 0.5 * len(re.sub(r"[^\w]", "", text)):
            return "owner"
        bodies = entities.find_bodies(text)
        if bodies and sum(len(b.text) for b in bodies) >= 0.5 * len(re.sub(r"[^\w]", "", text)):
            return "oversight"
        if re.fullmatch(rf"{people.NAME}", text) and not set(words) & people.NOT_NAME_WORDS:
            return "person"
    if len(words) >= 7 or re.search(r"[.;]\s", text):
        return "sentence"
    return "label"


def column_kind(cells: list[str]) -> str | None:
    """The field a column's cells hold, when most of its filled cells agree: 'ref', 'due', 'status',
    'priority', 'owner', 'oversight', 'person' or 'sentence'; None when they do not agree."""
    kinds = [k for k in (cell_kind(c) for c in cells) if k]
    if not kinds:
        return None
    kind, count = Counter(kinds).most_common(1)[0]
    if kind == "label" or count < max(1, 0.6 * len(kinds)):
        return None
    return kind


def split_header_line(text: str) -> list[tuple[str, int, int]] | None:
    """A header row run together on one line ('Action Responsible Officer Timeframe'): the headers it is made
    of, as (field, start, end) in ``text``, when the whole line splits into 2-8 known headers of distinct fields.

    >>> [f for f, _, _ in split_header_line("Action Responsible Officer Timeframe")]
    ['action', 'owner', 'due']
    >>> split_header_line("Action was taken by the Chief Executive") is None
    True
    """
    words = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    if not 2 <= len(words) <= 20 or re.search(r"[.;]\s*$", text.strip()):
        return None
    n = len(words)
    exact = {h: f for f, hs in headers().items() for h in hs}
    best: list[list[tuple[str, int, int]] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 5), end):
            if best[start] is None:
                continue
            piece = fold(" ".join(w for w, _, _ in words[start:end]))
            fieldname = exact.get(piece)
            if fieldname is None or any(fieldname == f for f, _, _ in best[start]):
                continue
            candidate = best[start] + [(fieldname, words[start][1], words[end - 1][2])]
            if best[end] is None or len(candidate) < len(best[end]):
                best[end] = candidate
    found = best[n]
    if found is None or not 2 <= len(found) <= 8:
        return None
    return found
