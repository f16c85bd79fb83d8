"""Oversight bodies as council documents name them: capitalised names ending in a body word ("... Committee",
"... Scrutiny Board", "Cabinet", "Full Council"), with a bracketed scope or abbreviation, and standalone acronyms of
boards, committees, groups and teams ("CGAC", "DMTs").

>>> [f.text for f in find_bodies("reported annually to Corporate Governance and Audit Committee; Scrutiny Board (Strategy and Resources)")]
['Corporate Governance and Audit Committee', 'Scrutiny Board (Strategy and Resources)']
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from govgraph.loaders.phrases import (
    BODY_PAREN,
    PHRASE,
    Found,
    clean_tail,
    decode_entities,
    dedupe_overlaps,
    segments,
    trim,
)
from govgraph.loaders.posts import ROLE_RE

BODY_WORDS = (r"(?:Sub[\s-])?Committees?|Scrutiny\sBoards?|Boards?|Panels?|(?:Working\s|Steering\s|Sub[\s-])?Groups?|"
              r"(?:Leadership|Management|Executive)\sTeams?|Cabinet|Commission|Forum|Networks?|Partnerships?|"
              r"Combined\sAuthority")
NOT_AFTER_BODY = r"(?!\s(?:Officer|Office|Member|Members|member|members|Chair|Chairs|Chairman|Manager|Plan|Report)\b)"
BODY_RE = re.compile(
    rf"(?:{PHRASE})\s(?:working\sgroup|steering\sgroup|sub-group|group|network|forum)\b{NOT_AFTER_BODY}"
    rf"|(?:(?:{PHRASE})\s)?(?:{BODY_WORDS})\b(?:(?:(?<=Committee)|(?<=Commission))\son\s{PHRASE})?"
    rf"{NOT_AFTER_BODY}(?:{BODY_PAREN})?"
    rf"|[Ff]ull\s[Cc]ouncil|\b[Pp]olitical\sgroups\b"
)
# a body named by one word where the sentence shows it is a body: 'reported to Scrutiny', 'the Executive agreed',
# 'recommend the report to Council'
ONE_WORD = re.compile(r"\b(?:(?:to|by|at)\s(?:the\s)?(?P<body>Scrutiny|Executive)|to\s(?P<council>Council))\b"
                      r"(?!\s[A-Z]|['’]s|\s(?:Member|Members|Director|Officer|Leader|Plan|Report)\b)")
# a team is a body where it decides or receives: 'approval by the Best Council Design Team', 'reported to the
# Corporate Leadership Team' (a team that only does the work is not)
TEAM_DECIDING = re.compile(rf"\b(?i:approval\s+(?:of\s+[^.;]{{1,60}}?\s+)?by|approved\s+by|agreed\s+by|signed\s+off\s+by|"
                           rf"endorsed\s+by|considered\s+by|reported?\s+to|presented\s+to|submitted\s+to)\s+(?:the\s+)?"
                           rf"(?P<team>{PHRASE}\sTeams?)\b")
# bodies in lower case, as minutes write them: 'council assembly', 'the group whips', 'the overview and scrutiny
# committee', 'the change programme board'; a generic head needs a name before it ('the committee' is not one)
LOWER_STOP = (r"the|a|an|to|of|for|by|with|that|be|been|was|were|and|or|from|at|in|on|their|its|this|these|those|"
              r"which|who|will|would|all|any|each|every|other|requiring|approval|minutes|meeting|meetings|members|"
              r"either|neither|both|respective|relevant|such|new|our|your|his|her|same|next|last|first|previous|"
              r"future|current|existing|appropriate|various|several|many|some|no")
LOWER_NAMED = r"(?:council\sassembly|full\scouncil|cabinet)"
# a committee needs one word of name before it ('audit committee'); a board, panel or forum two ('change programme
# board'), as 'the performance board' of a sentence is seldom a body's name
LOWER_COMMITTEE = r"(?:committee|sub-committee|scrutiny\scommission|working\sgroup|steering\sgroup)"
LOWER_GENERIC = r"(?:board|panel|forum|management\steam|leadership\steam)"
# a word naming a body, not a verb or adjective of the sentence round it ('consult', 'improving', 'agreed')
LOWER_WORD = (rf"(?!(?:{LOWER_STOP}|consult|support|improve|develop|ensure|establish|review|provide|deliver|make|"
              rf"is|are|has|have|had)\b)(?![a-z]+(?:ing|ed)\b)(?:[a-z&'’-]+|[A-Z]{{2,5}})\s(?:and\s)?")
LOWER_BODY = re.compile(rf"(?<![\w-])(?P<body>{LOWER_WORD}(?:{LOWER_WORD}){{0,3}}?{LOWER_COMMITTEE}s?|"
                        rf"{LOWER_WORD}{LOWER_WORD}(?:{LOWER_WORD}){{0,2}}?{LOWER_GENERIC}|"
                        rf"(?:{LOWER_WORD}){{0,3}}?{LOWER_NAMED})(?![\w-])")


@lru_cache(maxsize=1)
def _outside() -> tuple[frozenset[str], tuple[str, ...]]:
    names, prefixes = set(), []
    for line in (Path(__file__).with_name("lexicons") / "outside_bodies.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            if line.endswith("*"):
                prefixes.append(line[:-1].strip().lower())
            else:
                names.add(line.lower())
    return frozenset(names), tuple(prefixes)


def outside(name: str) -> bool:
    """Whether a body is outside the council (an inspector, auditor, government department, national body).

    >>> outside("Audit Scotland"), outside("Department for Levelling Up"), outside("Audit Committee")
    (True, True, False)
    """
    folded = re.sub(r"^the\s+", "", re.sub(r"\s+", " ", name.strip().lower()))
    names, prefixes = _outside()
    return folded in names or folded.startswith(prefixes)


def find_lower_bodies(text: str) -> list[Found]:
    """Bodies written in lower case: 'council assembly', 'the group whips', 'the change programme board'."""
    found = []
    for m in LOWER_BODY.finditer(text):
        body = m.group("body")
        if body.split()[0] in ("cabinet",) and len(body.split()) > 1 and not body.endswith("cabinet"):
            continue
        found.append(Found(body, m.start("body"), m.end("body")))
    return found
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
        for m in TEAM_DECIDING.finditer(segment):
            name, _ = trim(m.group("team"))
            start = offset + m.end("team") - len(name)
            found.append(Found(name, where[start], where[start + len(name)]))
        for m in ONE_WORD.finditer(segment):
            name = m.group("body") or m.group("council")
            start = offset + (m.start("body") if m.group("body") else m.start("council"))
            found.append(Found(name, where[start], where[start + len(name)]))
    # an acronym the text spells out as something other than a body ('Corporate Peer Challenge (CPC)') is not one
    defined = _definitions(text)
    found = [f for f in found if not (f.text.rstrip("s") in defined and not BODY_END.search(defined[f.text.rstrip("s")]))]
    found = [f for f in found if not outside(f.text)]
    return dedupe_overlaps(sorted(found, key=lambda f: f.start))


BODY_END = re.compile(rf"\b(?:{BODY_WORDS}|Council|Executive|Scrutiny)$")


def _definitions(text: str) -> dict[str, str]:
    """'Full Name (ABBR)' in the text: abbreviation -> the words before it (up to eight)."""
    out = {}
    for m in re.finditer(r"((?:[A-Z][\w&'’-]*\s(?:(?:and|of|for|the|&)\s)?){1,8})\(([A-Z][A-Za-z&]{1,7})\)", text):
        out[m.group(2)] = m.group(1).strip()
    return out


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
        # the council's own body named after the word Council ('Council Cabinet', 'Council Executive Board')
        if re.match(r"Council\s", trimmed) and BODY_RE.fullmatch(trimmed[8:]):
            cut += 8
            trimmed = trimmed[8:]
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

