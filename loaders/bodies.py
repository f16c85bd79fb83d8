"""Oversight bodies as council documents name them: capitalised names ending in a body word ("... Committee",
"... Scrutiny Board", "Cabinet", "Full Council"), with a bracketed scope or abbreviation, and standalone acronyms of
boards, committees, groups and teams ("CGAC", "DMTs").

>>> [f.text for f in find_bodies("reported annually to Corporate Governance and Audit Committee; Scrutiny Board (Strategy and Resources)")]
['Corporate Governance and Audit Committee', 'Scrutiny Board (Strategy and Resources)']
"""
from __future__ import annotations

import re

from govgraph.loaders.phrases import BODY_PAREN, PHRASE, Found, clean_tail, decode_entities, dedupe_overlaps, segments, trim
from govgraph.loaders.posts import ROLE_RE

BODY_WORDS = (r"(?:Sub[\s-])?Committees?|Scrutiny\sBoards?|Boards?|Panels?|(?:Working\s|Steering\s|Sub[\s-])?Groups?|"
              r"(?:Leadership|Management|Executive|Design)\sTeams?|Cabinet|Commission|Forum|Networks?|Partnerships?|"
              r"Combined\sAuthority")
NOT_AFTER_BODY = r"(?!\s(?:Officer|Office|Member|Members|member|members|Chair|Chairs|Chairman|Manager|Plan|Report)\b)"
BODY_RE = re.compile(
    rf"(?:{PHRASE})\s(?:working\sgroup|steering\sgroup|sub-group|group|network|forum)\b{NOT_AFTER_BODY}"
    rf"|(?:(?:{PHRASE})\s)?(?:{BODY_WORDS})\b(?:(?:(?<=Committee)|(?<=Commission))\son\s{PHRASE})?"
    rf"{NOT_AFTER_BODY}(?:{BODY_PAREN})?"
    rf"|[Ff]ull\s[Cc]ouncil|\b[Pp]olitical\sgroups\b|\bCouncil\sCabinet\b"
)
# a standalone acronym of a board, committee, group or team ('Report to CGAC', 'escalation to IMB', 'DMTs')
BODY_ACRONYM = re.compile(r"(?<![\w-])(?<!Head of )(?<!Director of )([A-Z]{2,4}[BCGT]|[A-Z]{1,3}CA)(s?)(?![\w-])")
NOT_BODY_ACRONYMS = {"ICT", "IT", "PCT", "VAT", "BSC", "LGBT", "EHC", "PPC"}
NOT_BODIES = re.compile(r"^(?:[\w\s'’&,-]*\s)?(?:City|County|Borough|District|Metropolitan|Town|Parish)\sCouncil$|"
                        r"^(?:Local\sGovernment\sAssociation|Project|Board|Committee|Group|Panel|Team|Network|"
                        r"Partnership|Partnerships|Groups|Boards|Committees|Panels|Networks|Forum|Commission)$|"
                        r"^(?:Officer|Officers|Member|Members|Staff|Project|Working|Management)\s(?:group|network|forum)$",
                        re.I)


def find_bodies(text: str) -> list[Found]:
    """Committees, boards, panels, groups and other oversight bodies named in ``text``, in order, as printed."""
    found: list[Found] = []
    decoded, where = decode_entities(text)
    for offset, segment in segments(decoded):
        for m in BODY_RE.finditer(segment):
            for value, start in _split_bodies(m.group(), offset + m.start()):
                found.append(Found(value, where[start], where[start + len(value)]))
        for m in BODY_ACRONYM.finditer(segment):
            acronym = m.group(1) + m.group(2)
            if (m.group(1) not in NOT_BODY_ACRONYMS and not re.fullmatch(r"[A-Z](?:MB|M|)?[CBD]C", m.group(1))
                    and len(re.findall(r"[AEIOU]", m.group(1))) <= 1 and not segment.isupper()):
                start = offset + m.start()
                found.append(Found(acronym, where[start], where[start + len(acronym)]))
    return dedupe_overlaps(sorted(found, key=lambda f: f.start))


def _split_bodies(raw: str, start: int) -> list[tuple[str, int]]:
    """One match may hold a list ('Audit and Accounts Committee and Executive Scrutiny Board') or begin with a
    role ('Executive Member and Plans Panel'): cut it into body names with their offsets."""
    out = []
    pieces = [(raw, start)]
    # split after a body word followed by 'and'/'or'/','
    split = re.compile(rf"\b(?:{BODY_WORDS})\b(\sand\s|\sor\s|,\s)(?=\S)")
    while True:
        value, at = pieces[-1]
        m = split.search(value)
        if not m or m.end() >= len(value):
            break
        pieces[-1] = (value[:m.start(1)], at)
        pieces.append((value[m.end(1):], at + m.end(1)))
    # 'Ward and Sub-Ward Partnerships', 'the Corporate and the Economy and Neighbourhood Panels': a plural body word
    # after a list of names is one body per name
    distributed = []
    for value, at in pieces:
        m = re.fullmatch(r"(?:the\s)?([A-Z][\w-]*)\sand\s(?:the\s)?(.+?)\s((?:Partnership|Panel|Board|Committee|Group|Network)s)",
                         value)
        if m and not re.search(r"\sand\s", m.group(1)):
            distributed.append((f"{m.group(1)} {m.group(3)}", at + m.start(1)))
            distributed.append((f"{m.group(2)} {m.group(3)}", at + m.start(2)))
        else:
            distributed.append((value, at))
    for value, at in distributed:
        trimmed, cut = trim(value)
        for m in re.finditer(r" and ", trimmed):
            if ROLE_RE.fullmatch(trimmed[:m.start()]):
                cut += m.end()
                trimmed = trimmed[m.end():]
                break
        trimmed = re.sub(r"^Council (?=Cabinet$)", "", trimmed)
        # 'Independent Member to the Audit Committee', 'Chair of the Board': the body is what follows
        trimmed = re.sub(r"^(?:[A-Z][a-z]+\s)?(?:Chair|Director|Officer|Member|Representative)s?\s(?:of|to|on|from)\s"
                         r"(?:the\s)?", "", trimmed)
        value_clean = clean_tail(trimmed)
        if not value_clean or NOT_BODIES.match(value_clean) or not (
                re.search(r"[A-Z]", value_clean) or re.fullmatch(r"political groups|full council", value_clean)):
            continue
        index = value.find(value_clean)
        out.append((value_clean, at + (index if index >= 0 else cut)))
    return out

