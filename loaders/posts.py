"""Officer and member posts as council documents name them: capitalised titles built on a handful of head words
("Director of ...", "Chief Officer (...)", "Head of ...", "Executive Member for ...", "... Manager"), and generic
roles ("ward members", "portfolio holders"). Table cells, tabs, double spaces and ``<p>`` breaks separate titles;
so do sentence punctuation and the next title's head word.

>>> [f.text for f in find_roles("Director of Resources and Housing  Head of Internal Audit  Contact – Kate Sadler")]
['Director of Resources and Housing', 'Head of Internal Audit']
"""
from __future__ import annotations

import re

from govgraph.loaders.phrases import (
    CAPITALISED_NOISE,
    PAREN,
    PHRASE,
    Found,
    clean_tail,
    decode_entities,
    dedupe_overlaps,
    segments,
    trim,
)

ROLE_HEADS = [
    rf"(?:(?:Acting|Interim|Deputy|Assistant|Temporary)\s)?Chief\sExecutive(?:{PAREN})?",
    rf"(?:Asst\.?|Assistant)\s(?:CX|Chief\sExec)\b(?:{PAREN})?",
    rf"(?:(?:Acting|Interim|Deputy|Assistant|Executive|Strategic|Service|Corporate|Programme|Area|Operational|Managing|"
    rf"Joint|Group|Divisional|Associate|Regional)\s)*Directors?(?:(?:\s(?:of|for)\s|,\s|\s)(?:the\s)?{PHRASE})?(?:{PAREN})?",
    rf"(?:(?:Acting|Interim|Deputy)\s)?Chief\sOfficers?(?:(?:\s[-–]\s|,\s|\s(?:of|for)\s|\s)(?:the\s)?{PHRASE}|{PAREN})?",
    r"Chief\s(?:Finance|Financial|Planning|Digital|Information|Operating|Legal|Technology|People)\sOfficer",
    r"Chief\s(?:Auditor|Accountant|Internal\sAuditor|Constable|Planner|Engineer)",
    rf"(?:(?:Acting|Interim|Deputy|Assistant)\s)?Heads?\sof\s{PHRASE}(?:{PAREN})?",
    rf"(?:(?:Acting|Interim|Deputy)\s)?Service\sHeads?(?:(?:,\s|\s(?:of|for)\s)(?:the\s)?{PHRASE})?",
    rf"(?:Deputy\s)?Leader(?:\sof\s(?:the\s)?(?:Council|Executive|{PHRASE}))?(?:\sand\sExecutive\sMember\sfor\s{PHRASE})?",
    rf"(?:Executive|Cabinet|Lead|Portfolio)\s(?:Member|member|Councillor)(?:\sfor\s{PHRASE})?",
    rf"(?:Chair(?:man|woman|person)?s?|Vice[\s-]Chair(?:man|woman|person)?s?)\sof\s(?:the\s)?{PHRASE}",
    rf"(?:{PHRASE}\s)Chairs\b",
    r"(?:City|Borough|County)\sSolicitor",
    r"(?:Monitoring|Section\s151|S151|Returning)\sOfficer",
    rf"Secretary\sof\sState(?:\sfor\s{PHRASE})?",
    r"Caldicott\sGuardian|Senior\sInformation\sRisk\sOwner|\bSIRO\b|Information\sAsset\sOwners?",
    r"Independent\s(?:Member|Person)s?",
    # "<Capitalised words> Officer|Manager|Adviser|Valuer|Minister": Data Protection Officer, Programme Manager
    rf"(?:{PHRASE}\s)(?:Officer|Manager|Advisor|Adviser|Valuer|Minister|Lead|Counsel)s?\b"
    rf"(?:\s(?:for|of)\s{PHRASE})?",
]
# posts written in lower case in minutes: 'the interim head of legal services', 'the director of resources and
# assurance', 'the vice-chairperson'
LOWER_WORD = r"(?!and\b|the\b)[a-z]+"
LOWER_END = (r"(?=[,.;:)]|$|\s(?:confirmed|said|explained|noted|reported|stated|suggested|would|will|had|has|was|is|"
             r"presented|introduced|advised|agreed|asked|replied|responded|informed|told|that|to|on|in|for|and\s(?:the|a)\b))")
# a head that needs its scope ('the director of resources'), and one that stands alone ('the chairperson')
LOWER_SCOPED = (r"(?:(?:interim|acting|deputy|assistant|executive|strategic|service|corporate|joint)\s)*"
                r"(?:director|head|chief\sofficer)")
LOWER_ALONE = (r"(?:(?:interim|acting|deputy)\s)?(?:chief\sexecutive|monitoring\sofficer|section\s151\sofficer|"
               r"vice[\s-]chair(?:man|woman|person)?|chair(?:man|woman|person)|leader\sof\sthe\scouncil|"
               r"cabinet\smember|portfolio\sholder)")
LOWER_SCOPE = rf"\s(?:of|for)\s(?:the\s)?{LOWER_WORD}(?:\s(?:and\s|&\s)?{LOWER_WORD}){{0,4}}?{LOWER_END}"
# a remit and a post noun in lower case: 'the scrutiny manager', 'the committee chairs', 'the finance officer'
LOWER_REMIT = (r"(?!(?:same|other|each|every|any|this|that|such|new|former|previous|said|relevant|appropriate|"
               r"an?|one|two|some|all|most|many|more|which|whose|following|above|below|named|nominated|designated)\b)"
               r"[a-z]+"
               r"(?:\s(?!of\b|for\b|and\b|to\b|in\b|on\b|with\b|by\b|from\b|at\b|the\b)[a-z]+)?\s(?:manager|officer|lead|chairs?|"
               r"adviser|advisor|co-?ordinator|auditor|accountant|solicitor)s?")
LOWER_ROLE_RE = re.compile(rf"(?<![A-Za-z])(?:[Tt]he\s)(?P<role>{LOWER_SCOPED}{LOWER_SCOPE}|{LOWER_ALONE}"
                           rf"(?:{LOWER_SCOPE})?|{LOWER_REMIT})(?![a-z])")
GENERIC_ROLES = (r"\b(?:ward\s(?:members|councillors)|service\sdirectors|strategic\sdirectors?|independent\smembers|"
                 r"group\s(?:leaders|whips)|(?:corporate\s|cabinet\s)?portfolio\sholders?|[Ll]eading\s[Mm]embers|"
                 r"heads\sof\s(?:communications?|service|finance|hr)|parish\sand\stown\scouncillors)\b")
ROLE_RE = re.compile("|".join(f"(?:{h})" for h in ROLE_HEADS))
GENERIC_ROLE_RE = re.compile(GENERIC_ROLES)


ROLE_NOUN = re.compile(r"\b(?:Executive|Director|Directors|Officer|Officers|officer|officers|Head|Heads|Leader|Member|"
                       r"Members|Manager|Managers|Chair|Chairs|Solicitor|Guardian|Owner|Owners|Valuer|Minister|"
                       r"Secretary|Adviser|Advisor|SIRO)\b")
BARE_TITLES = {"Director", "Chief Officer", "Lead Officers", "Lead Officer", "Leader", "Assistant", "Acting", "Interim", "Strategic",
               "Deputy Leader", "Service Director", "Head", "Member", "Members"}
CUT_WORDS = re.compile(r"\s(?:Report|Reports|Progress|Update|Updates|Cllr|Councillor|Contact|Monthly|Weekly|"
                       r"Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Oct|Nov|Dec|January|February|March|April|June|July|"
                       r"August|September|October|November|December|Briefing|Consultation)\b.*$")
TRAILING_MODIFIER = re.compile(r"\s(?:&|and|,)\s?(?:Deputy|Assistant|Acting|Interim|Strategic|Service|Executive|"
                               r"Principal|Senior)$")


def _tidy_role(value: str) -> list[tuple[str, int]]:
    """A matched title cut down to the titles it holds: (title, offset within value)."""
    value = CUT_WORDS.sub("", value)
    value = re.sub(r"^(?:[A-Z][\w&-]*\s){0,3}?[A-Z][\w&-]*['’]s\s", "", value)  # "Council's Communications Manager"
    value = re.sub(r",\s?(?=Cllr|Councillor)", "", value)
    value = TRAILING_MODIFIER.sub("", value)
    pieces = [(value, 0)]
    # two titles joined: 'Estates Manager & Principal Asset Valuer', 'Service Director for X and Service Director
    # for Y', 'Information Compliance Officers and Records Managers'
    for m in re.finditer(r"\s(?:and|&|/)\s?|/|,\s", value):
        left, right = value[:m.start()], value[m.end():]
        article = len(right) - len(re.sub(r"^the\s", "", right))  # 'X and the Leader of the Executive'
        right, at = right[article:], m.end() + article
        # ... but 'Deputy Leader and Executive Member for X' is one title: a bare title joined by 'and'
        if ROLE_NOUN.search(left) and ROLE_RE.match(right) and right[:1].isupper() and left not in BARE_TITLES:
            pieces = [(left, 0)] + _tidy_role_offsets(right, at)
            break
    out = []
    for piece, at in pieces:
        piece = clean_tail(piece)
        if re.search(r"\b(?:of|for)\b", piece):  # 'Director of Resources (Best City Ambition)': a note, not the post
            piece = re.sub(r"\s?\([^)]*\)$", "", piece)
        if not piece or piece in BARE_TITLES or re.search(r"\b(?:Group|Board|Committee|Team|Panel)s?$", piece):
            continue
        if re.fullmatch(r"(?:Chair|Chairs|Member|Officer|Manager)s?", piece):
            continue
        out.append((piece, at))
    return out


def _tidy_role_offsets(value: str, at: int) -> list[tuple[str, int]]:
    return [(v, at + o) for v, o in _tidy_role(value)]


def find_roles(text: str) -> list[Found]:
    """Officer and member role titles in ``text``, in order, as printed."""
    found: list[Found] = []
    decoded, where = decode_entities(text)
    for offset, segment in segments(decoded):
        for m in ROLE_RE.finditer(segment):
            if re.match(r"\s(?:Project|Programme|Plan|Board|Group|Team|Network|Forum|Scheme)\b", segment[m.end():]):
                continue  # 'Leeds Manager Project' names a project, not a post
            value, cut = trim(m.group())
            # a title ending in a lower-case word ('Director of Adults and health') is cut short by the pattern
            tail = re.match(r" and [a-z]+(?=\s*(?:\(|,|$|\s{2}|<))", segment[m.end():])
            if tail and value == m.group()[cut:] and not re.search(r"\s(?:and|&)\s", value):
                value += tail.group()
            for title, at in _tidy_role(_split_at_second_head(value)):
                if title.lower() in {"chief officer", "director"}:
                    continue
                start = offset + m.start() + cut + at
                found.append(Found(title, where[start], where[start + len(title)]))
        for m in GENERIC_ROLE_RE.finditer(segment):
            found.append(Found(m.group(), where[offset + m.start()], where[offset + m.end()]))
        for m in LOWER_ROLE_RE.finditer(segment):
            role = m.group("role").rstrip()
            start = offset + m.start("role")
            found.append(Found(role, where[start], where[start + len(role)]))
        for m in re.finditer(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?:/[A-Z][a-z]+)?\sofficers?)\b", segment):
            if m.group(1).split()[0].lower() not in CAPITALISED_NOISE | {"lead"}:
                start = offset + m.start(1)
                found.append(Found(m.group(1), where[start], where[start + len(m.group(1))]))
    found.sort(key=lambda f: f.start)
    return dedupe_overlaps(found)


def _split_at_second_head(value: str) -> str:
    """'Director of Resources Head of Internal Audit' is two titles run together; keep the first. A head word at
    the start ('Acting Chief Executive') does not split, and a modifier goes with the head after it ('... &
    Deputy Head of ...' splits at the '&', which the tidying step does)."""
    heads = list(re.finditer(r"(?<=\s)(?:Head\sof|Chief\sOfficer|Director\sof|Contact\b|Chief\sExecutive\b)", value))
    first = re.search(r"Head|Chief|Director|Leader|Member|Officer|Manager|Chair", value)
    for h in heads:
        cut = h.start()
        modifier = re.search(r"(?:Deputy|Assistant|Acting|Interim|Senior|Principal)\s$", value[:cut])
        if modifier:
            cut = modifier.start()
        if first and cut > first.end() and not re.search(r"(?:and|&|/|,)\s*$", value[:cut]):
            return value[:cut].rstrip()
    return value
