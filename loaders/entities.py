"""Finding the officer roles, oversight bodies and people a council document names, and what the document says
about itself (council, date, review, stated counts).

These are rules for the genre: UK council governance writing names posts as capitalised titles built on a
handful of head words ("Director of …", "Chief Officer (…)", "Head of …", "Executive Member for …") and bodies
as capitalised names ending in a body word ("… Committee", "… Scrutiny Board", "Cabinet", "Full Council").
Table cells, tabs, double spaces and ``<p>`` breaks separate names; so do sentence punctuation and the next
title's head word.

>>> [f.text for f in find_roles("Director of Resources and Housing  Head of Internal Audit  Contact – Kate Sadler")]
['Director of Resources and Housing', 'Head of Internal Audit']
>>> [f.text for f in find_bodies("reported annually to Corporate Governance and Audit Committee; Scrutiny Board (Strategy and Resources)")]
['Corporate Governance and Audit Committee', 'Scrutiny Board (Strategy and Resources)']
>>> [(p.name, p.role) for p in find_people("Contact – Louise Whitworth / Shona McFarlane")]
[('Louise Whitworth', 'contact'), ('Shona McFarlane', 'contact')]
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govgraph.loaders import dates
from govgraph.loaders.model import ExtractedDocument, Mention, PersonMention, Theme
from govgraph.loaders.names import body_key, collapse, expands_to, post_key

# --- building blocks ----------------------------------------------------------------------------------------------

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

ROLE_HEADS = [
    rf"(?:(?:Acting|Interim|Deputy|Assistant|Temporary)\s)?Chief\sExecutive(?:{PAREN})?",
    rf"(?:Asst\.?|Assistant)\s(?:CX|Chief\sExec)\b(?:{PAREN})?",
    rf"(?:(?:Acting|Interim|Deputy|Assistant|Executive|Strategic|Service|Corporate|Programme|Area|Operational)\s)*Directors?(?:(?:\s(?:of|for)\s|,\s|\s)(?:the\s)?{PHRASE})?(?:{PAREN})?",
    rf"(?:(?:Acting|Interim|Deputy)\s)?Chief\sOfficers?(?:(?:\s[-–]\s|,\s|\s(?:of|for)\s|\s)(?:the\s)?{PHRASE}|{PAREN})?",
    r"Chief\s(?:Finance|Financial|Planning|Digital|Information|Operating|Legal)\sOfficer",
    rf"(?:(?:Acting|Interim|Deputy|Assistant)\s)?Heads?\sof\s{PHRASE}(?:{PAREN})?",
    rf"(?:Deputy\s)?Leader(?:\sof\s(?:the\s)?Council)?(?:\sand\sExecutive\sMember\sfor\s{PHRASE})?",
    rf"(?:Executive|Cabinet|Lead|Portfolio)\s(?:Member|member|Councillor)(?:\sfor\s{PHRASE})?",
    rf"(?:Chairs?|Vice[\s-]Chairs?)\sof\s(?:the\s)?{PHRASE}",
    rf"(?:{PHRASE}\s)Chairs\b",
    r"(?:City|Borough|County)\sSolicitor",
    r"(?:Monitoring|Section\s151|S151|Returning)\sOfficer",
    rf"Secretary\sof\sState(?:\sfor\s{PHRASE})?",
    r"Caldicott\sGuardian|Senior\sInformation\sRisk\sOwner|\bSIRO\b|Information\sAsset\sOwners?",
    r"Independent\s(?:Member|Person)s?",
    # "<Capitalised words> Officer|Manager|Adviser|Valuer|Minister": Data Protection Officer, Programme Manager
    rf"(?:{PHRASE}\s)(?:Officer|Manager|Advisor|Adviser|Valuer|Minister)s?\b",
]
GENERIC_ROLES = (r"\b(?:ward\s(?:members|councillors)|service\sdirectors|strategic\sdirectors?|independent\smembers|"
                 r"group\s(?:leaders|whips)|(?:corporate\s|cabinet\s)?portfolio\sholders?|[Ll]eading\s[Mm]embers|"
                 r"heads\sof\s(?:communications?|service|finance|hr)|parish\sand\stown\scouncillors)\b")
ROLE_RE = re.compile("|".join(f"(?:{h})" for h in ROLE_HEADS))
GENERIC_ROLE_RE = re.compile(GENERIC_ROLES)

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
WORD_ABBREVIATIONS = {"exec": "executive", "cttee": "committee", "dept": "department", "mgt": "management",
                      "asst": "assistant", "cx": "chief executive", "ceo": "chief executive"}
CAPITALISED_NOISE = {"the", "our", "a", "an", "this", "that", "its", "their", "new", "and", "of", "to", "by", "with",
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
                 "approval", "approved", "agreed", "endorsed", "considered", "members", "member", "contact",
                 "progress", "updates", "update", "briefings", "led", "lead", "both", "other", "key", "two",
                 "three", "four", "five", "include", "including", "includes", "also", "current", "existing",
                 "continued", "continue", "ensure", "establish", "establishment", "develop", "review", "support"}
NOT_BODIES = re.compile(r"^(?:[\w\s'’&,-]*\s)?(?:City|County|Borough|District|Metropolitan|Town|Parish)\sCouncil$|"
                        r"^(?:Local\sGovernment\sAssociation|Project|Board|Committee|Group|Panel|Team|Network|"
                        r"Partnership|Partnerships|Groups|Boards|Committees|Panels|Networks|Forum|Commission)$|"
                        r"^(?:Officer|Officers|Member|Members|Staff|Project|Working|Management)\s(?:group|network|forum)$",
                        re.I)

NAME_WORD = r"(?:Mc|Mac|O'|O’|D'|D’)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"  # Kate, McMasters, O'Neil, Spencer-Henshall
NAME = rf"{NAME_WORD}(?: {NAME_WORD}){{1,2}}"
PERSON_PATTERNS = [
    # "Contact – Kate Sadler", "Contact Anne McMasters", "contact - Helen Cerroti / Shona McFarlane"
    (re.compile(rf"\b[Cc]ontact(?: officer)? ?[:–—-]? ?(?P<names>{NAME}(?: ?/ ?{NAME})*)"), "contact"),
    # "Cllr James Lewis", "Councillor Coupar"
    (re.compile(rf"\b(?:Cllr\.?|Councillor) (?P<names>{NAME}|{NAME_WORD})"), "councillor"),
]
NAME_BEFORE_ROLE = re.compile(rf"(?:^|\t|\n|: )(?P<name>{NAME}) [–—-] (?=[A-Z])")
ROLE_COMMA_NAME = re.compile(rf", (?P<name>{NAME}),")
NOT_NAME_WORDS = {"The", "This", "Council", "Board", "Committee", "Group", "Team", "Plan", "Officer", "Director",
                  "Head", "Chief", "Executive", "Service", "Services", "Leeds", "Strategy", "Policy", "Report",
                  "Review", "Progress", "Action", "Actions", "Appendix", "Member", "Members", "Annual"}


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


def _segments(text: str) -> list[tuple[int, str]]:
    """Pieces of text that no name spans: cells, ``<p>`` paragraphs, runs split by two or more spaces."""
    out = []
    for m in re.finditer(r"[^\t\n]+", text):
        piece, offset = m.group(), m.start()
        for part in re.finditer(r"(?:(?!</?(?:p|li|ul|ol|br|b|i|u|span|sup|strong|em)\b)[^<]|<(?!/?(?:p|li|ul|ol|br|b|i|u|span|sup|strong|em)\b))+", piece):
            for sub in re.finditer(r"\S+(?:\s\S+)*", part.group()):  # runs split by two or more spaces
                out.append((offset + part.start() + sub.start(), sub.group()))
    return out


def _trim(text: str) -> tuple[str, int]:
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


def _clean_tail(text: str) -> str:
    text = re.sub(r"[\s,;:.&–—-]+$", "", text)
    text = re.sub(r"\s(?:and|of|for|the|&|to|on|in|with)$", "", text, flags=re.I)
    return text


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
    value = re.sub(r",\s?(?=Cllr|Councillor)", "", value)
    value = TRAILING_MODIFIER.sub("", value)
    pieces = [(value, 0)]
    # two titles joined: 'Estates Manager & Principal Asset Valuer', 'Service Director for X and Service Director
    # for Y', 'Information Compliance Officers and Records Managers'
    for m in re.finditer(r"\s(?:and|&|/)\s?|/|,\s", value):
        left, right = value[:m.start()], value[m.end():]
        # ... but 'Deputy Leader and Executive Member for X' is one title: a bare title joined by 'and'
        if ROLE_NOUN.search(left) and ROLE_RE.match(right) and right[:1].isupper() and left not in BARE_TITLES:
            pieces = [(left, 0)] + _tidy_role_offsets(right, m.end())
            break
    out = []
    for piece, at in pieces:
        piece = _clean_tail(piece)
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
    decoded, where = _decoded(text)
    for offset, segment in _segments(decoded):
        for m in ROLE_RE.finditer(segment):
            if re.match(r"\s(?:Project|Programme|Plan|Board|Group|Team|Network|Forum|Scheme)\b", segment[m.end():]):
                continue  # 'Leeds Manager Project' names a project, not a post
            value, cut = _trim(m.group())
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
        for m in re.finditer(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?:/[A-Z][a-z]+)?\sofficers?)\b", segment):
            if m.group(1).split()[0].lower() not in CAPITALISED_NOISE | {"lead"}:
                start = offset + m.start(1)
                found.append(Found(m.group(1), where[start], where[start + len(m.group(1))]))
    found.sort(key=lambda f: f.start)
    return _dedupe_overlaps(found)


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


def _dedupe_overlaps(found: list[Found]) -> list[Found]:
    out: list[Found] = []
    for f in found:
        if out and f.start < out[-1].end:
            if f.end - f.start > out[-1].end - out[-1].start:
                out[-1] = f
            continue
        out.append(f)
    return out


def _decoded(text: str) -> tuple[str, list[int]]:
    """The text with ``&amp;``/``&nbsp;`` decoded, and for each character of it the offset in the original."""
    out, where = [], []
    i = 0
    while i < len(text):
        for entity, char in (("&amp;", "&"), ("&nbsp;", " "), ("&#39;", "'"), ("&quot;", '"')):
            if text.startswith(entity, i):
                out.append(char)
                where.append(i)
                i += len(entity)
                break
        else:
            if text[i] == "*":  # Markdown emphasis inside a name ('Harrogate ***Health and Care Partnership***')
                i += 1
                continue
            if text.startswith("\n ", i) and out and out[-1] not in "\n\t ":
                out.append(" ")  # a line wrapped with an indent goes on: 'Strategic\n Director of ...'
                where.append(i)
                i += 2
                continue
            out.append(text[i])
            where.append(i)
            i += 1
    where.append(len(text))
    return "".join(out), where


def find_bodies(text: str) -> list[Found]:
    """Committees, boards, panels, groups and other oversight bodies named in ``text``, in order, as printed."""
    found: list[Found] = []
    decoded, where = _decoded(text)
    for offset, segment in _segments(decoded):
        for m in BODY_RE.finditer(segment):
            for value, start in _split_bodies(m.group(), offset + m.start()):
                found.append(Found(value, where[start], where[start + len(value)]))
        for m in BODY_ACRONYM.finditer(segment):
            acronym = m.group(1) + m.group(2)
            if (m.group(1) not in NOT_BODY_ACRONYMS and not re.fullmatch(r"[A-Z](?:MB|M|)?[CBD]C", m.group(1))
                    and len(re.findall(r"[AEIOU]", m.group(1))) <= 1 and not segment.isupper()):
                start = offset + m.start()
                found.append(Found(acronym, where[start], where[start + len(acronym)]))
    return _dedupe_overlaps(sorted(found, key=lambda f: f.start))


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
        trimmed, cut = _trim(value)
        for m in re.finditer(r" and ", trimmed):
            if ROLE_RE.fullmatch(trimmed[:m.start()]):
                cut += m.end()
                trimmed = trimmed[m.end():]
                break
        trimmed = re.sub(r"^Council (?=Cabinet$)", "", trimmed)
        # 'Independent Member to the Audit Committee', 'Chair of the Board': the body is what follows
        trimmed = re.sub(r"^(?:[A-Z][a-z]+\s)?(?:Chair|Director|Officer|Member|Representative)s?\s(?:of|to|on|from)\s"
                         r"(?:the\s)?", "", trimmed)
        value_clean = _clean_tail(trimmed)
        if not value_clean or NOT_BODIES.match(value_clean) or not (
                re.search(r"[A-Z]", value_clean) or re.fullmatch(r"political groups|full council", value_clean)):
            continue
        index = value.find(value_clean)
        out.append((value_clean, at + (index if index >= 0 else cut)))
    return out


def find_people(text: str) -> list[FoundPerson]:
    """Named people: contacts, councillors, and 'Name – Title' lines."""
    found: list[FoundPerson] = []
    for pattern, role in PERSON_PATTERNS:
        for m in pattern.finditer(text):
            start = m.start("names")
            for name in re.split(r"\s?/\s?", m.group("names")):
                if name.split()[0] in NOT_NAME_WORDS:
                    continue
                pos = text.find(name, start)
                found.append(FoundPerson(name, role, pos, pos + len(name)))
    for m in NAME_BEFORE_ROLE.finditer(text):
        name = m.group("name")
        if len(name.split()) >= 2 and not set(name.split()) & NOT_NAME_WORDS:
            role = find_roles(text[m.end():m.end() + 120])
            if role and role[0].start == 0:
                found.append(FoundPerson(name, role[0].text, m.start("name"), m.end("name")))
    for role in find_roles(text):
        m = ROLE_COMMA_NAME.match(text, role.end)
        if m and not set(m.group("name").split()) & NOT_NAME_WORDS:
            found.append(FoundPerson(m.group("name"), role.text, m.start("name"), m.end("name")))
    found += _people_in_role_tables(text)
    found.sort(key=lambda p: p.start)
    return found


def _people_in_role_tables(text: str) -> list[FoundPerson]:
    """Tables whose header cells are role titles ('Strategic Director', 'Head of Service') list the people who
    hold them: a cell below such a header that is just a personal name is that person."""
    found: list[FoundPerson] = []
    header: dict[int, str] = {}
    offset = 0
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) > 1:
            plain = [collapse(c) for c in cells]
            roles = {i: c for i, c in enumerate(plain) if c and [r.text for r in find_roles(c)] == [c]}
            if roles:
                header = roles
            elif header:
                position = offset
                for i, cell in enumerate(cells):
                    name = collapse(cell)
                    if i in header and re.fullmatch(NAME, name) and not set(name.split()) & NOT_NAME_WORDS:
                        start = text.find(name, position)
                        found.append(FoundPerson(name, header[i], start, start + len(name)))
                    position += len(cell) + 1
        else:
            header = {} if line.strip() else header
        offset += len(line) + 1
    return found


# --- what a document says about itself ---------------------------------------------------------------------------

COUNCIL_RE = re.compile(r"\b((?:[A-Z][a-z]+ ){1,3}?(?:City |County |Borough |District |Metropolitan Borough |"
                        r"Metropolitan District )?Council)\b(?! [A-Z])")
NOT_COUNCIL_PREFIX = {"Full", "The", "County", "City", "Borough", "District", "Parish", "Town", "Best", "Our", "Each",
                      "Leading", "Annual", "September", "October", "November", "December", "January", "February",
                      "March", "April", "May", "June", "July", "August", "Constituent", "Executive", "Municipal"}
COMMON_CAPITALISED = {"This", "That", "There", "These", "Members", "Officers", "Council", "Councils", "Action",
                      "Actions", "Plan", "Plans", "Board", "Cabinet", "Committee", "Government", "Ward", "Wards",
                      "People", "Place", "Strategy", "Services", "Service", "Health", "Care", "Audit", "Scrutiny",
                      "Appendix", "Recommendation", "Recommendations", "Peer", "Challenge", "Corporate", "Team",
                      "Local", "National", "Director", "Directors", "Head", "Chief", "Executive", "Resources",
                      "Finance", "Growth", "Zero", "Best", "City", "Ambition", "Partnership", "Partnerships"}
DATE_LINE = re.compile(rf"\b(\d{{1,2}}(?:st|nd|rd|th)?\s(?:{dates.MONTH_RE})\s(?:19|20)\d\d|(?:{dates.MONTH_RE})\s(?:19|20)\d\d|(?:19|20)\d\d)\b", re.I)
REVIEW_RE = re.compile(r"(?:LGA\s)?Corporate\sPeer\sChallenge|Peer\sChallenge|Peer\sReview|Annual\sGovernance\sStatement|"
                       r"(?:External|Internal)\sAudit(?:or)?'?s?\s(?:Report|Findings|Annual\sReport)|"
                       r"Ofsted\s(?:Inspection|inspection)|Best\sValue\s(?:Inspection|Review)", re.I)
# when the review happened: 'took place in November 2022', 'took place from 9 - 12 July 2019', 'held in June 2017'
REVIEW_WHEN = re.compile(rf"(?:took\splace|was\sheld|held|carried\sout|undertaken)\s(?:in\s|from\s|on\s|during\s)?"
                         rf"((?:early\s|late\s|mid-?)?(?:\d{{1,2}}\s?(?:-|–|to)\s?)?\d{{0,2}}\s?(?:{dates.MONTH_RE})\s(?:19|20)\d\d)",
                         re.I)
COUNT_RE = re.compile(r"(?<![/\d.-])\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                      r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty)\s(?:key\s|detailed\s|supporting\s|main\s)?"
                      r"([Rr]ecommendations|actions|key\sthemes|themes)\b")
NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                           "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}


def find_council(text: str) -> str | None:
    """The council a document is by: the most often named '<Place> [City|County|Borough] Council'; failing that, a
    place whose initials with 'CC' are used as an abbreviation ('LCC' beside 'Leeds')."""
    counts: Counter[str] = Counter()
    for m in COUNCIL_RE.finditer(text):
        name = m.group(1)
        words = name.split()
        while words and words[0] in NOT_COUNCIL_PREFIX:
            words = words[1:]
        if len(words) >= 2:
            counts[" ".join(words)] += 1
    if counts:
        return counts.most_common(1)[0][0]
    # No council is named in full: the known council whose place the text names most often ("across Kirklees",
    # "Leeds'", "#TeamLeeds"), preferring one whose initial starts an abbreviation like 'LCC'.
    scores: Counter[str] = Counter()
    for council, place in known_councils().items():
        hits = len(re.findall(rf"(?<![A-Za-z]){re.escape(place)}(?![a-z])", text))
        if hits:
            scores[council] = hits
    if not scores:
        return None
    abbreviated = [c for c, _ in scores.most_common() if re.search(rf"\b{c[0]}(?:MBC|MDC|CC|BC|DC|MC)\b", text)]
    best, hits = scores.most_common(1)[0]
    return abbreviated[0] if abbreviated else (best if hits >= 2 else None)


@lru_cache(maxsize=1)
def known_councils() -> dict[str, str]:
    """Council name -> its place ('Leeds City Council' -> 'Leeds'), from loaders/councils.txt."""
    out = {}
    for line in (Path(__file__).with_name("councils.txt")).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            place = re.sub(r"\s(?:Metropolitan\s(?:Borough|District)|County\sBorough|City|County|Borough|District|"
                           r"Islands)?\s?(?:Council|Corporation)$", "", line.strip())
            place = re.sub(r"^City of ", "", place)
            out[line.strip()] = place
    return out


def find_title(text: str) -> str | None:
    """The document's title: its first heading, else its first short line."""
    lines = [collapse(re.sub(r"^#+\s*|[*_]{1,3}", "", l)).strip() for l in text.splitlines()[:40]
             if l.strip() and "\t" not in l]
    for line in text.splitlines()[:40]:
        if re.match(r"^\s*#{1,3}\s+\S", line):
            return collapse(re.sub(r"^\s*#+\s*|[*_]{1,3}", "", line))
    return next((l for l in lines if 8 <= len(l) <= 120 and "\t" not in l), None)


def find_published(text: str) -> str | None:
    """The document's own date, from its first lines: YYYY-MM-DD, YYYY-MM or YYYY as precise as printed."""
    lines = [l for l in text.splitlines() if l.strip()][:15]
    for line in lines:
        for m in DATE_LINE.finditer(line):
            due = dates.read_due(m.group(1))
            if due.start is None:
                continue
            if due.start == due.end:
                return due.start.isoformat()
            if (due.start.year, due.start.month) == (due.end.year, due.end.month):
                return due.start.isoformat()[:7]
            return str(due.start.year)
    return None


def find_stated_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in COUNT_RE.finditer(text):
        word = m.group(1).lower()
        value = int(word) if word.isdigit() else NUMBER_WORDS[word]
        kind = "themes" if "theme" in m.group(2).lower() else m.group(2).lower()
        counts.setdefault(kind, value)
    return counts


PLAN_WORDS = (r"\b(?:action|improvement|delivery|implementation)\s+plan\b|\b(?:the|this|our)\s+plan\b|"
              r"\b(?:these|the\s+following|all|the|significant)\s+(?:(?:governance\s+)?issues|actions|"
              r"recommendations)\b")
MONITORING = re.compile(r"\bmonitor\w*|\boversee\w*|\boverseen\b|\boversight\b|\bscrutinis\w*|\bscrutiniz\w*|"
                        r"\bconsidered\s+by\b|\bwill\s+consider\b|\breport(?:ed|ing)?\s+to\b|\breceiv\w+|"
                        r"\bwill\s+(?:be\s+)?review\w*|\bplay\s+a\s+key\s+role\b|\bhold\w*\s+to\s+account\b", re.I)
REPORT_TO = re.compile(r"^\s*(?:Report\s+to|Meeting|Committee|To)\s*:\s*(.+)$", re.I | re.M)


def find_plan_oversight(text: str) -> list[Found]:
    """Bodies a report says receive, monitor or scrutinise the plan as a whole: the body it is addressed to
    ('Report to: Executive Board', a committee named in capitals at its head) and bodies in sentences that tie
    the plan to monitoring or reporting ('the plan ... monitored closely by Chief Officer Group')."""
    found: list[Found] = []
    for m in REPORT_TO.finditer(text[:3000]):
        found += [Found(f.text, m.start(1) + f.start, m.start(1) + f.end) for f in find_bodies(m.group(1))]
    for m in re.finditer(r"^\s*([A-Z][A-Z &,'-]{6,80}(?:COMMITTEE|BOARD|PANEL|CABINET|COUNCIL))\b", text[:1500], re.M):
        name = " ".join(w if w in ("AND", "OF", "FOR", "THE") else w.capitalize() for w in m.group(1).split())
        name = re.sub(r"\b(And|Of|For|The)\b", lambda w: w.group().lower(), name.replace("AND", "and")
                      .replace("OF", "of").replace("FOR", "for").replace("THE", "the"))
        if find_bodies(name):
            found.append(Found(name, m.start(1), m.end(1)))
    plan_words = PLAN_WORDS
    for abbr, full in abbreviation_definitions(text).items():
        if re.search(r"\bplan$", full, re.I):
            plan_words += rf"|\b{re.escape(abbr)}\b"
    for m in re.finditer(r"[^.\n]+(?:\.(?!\s)[^.\n]*)*", text):
        sentence = m.group()
        if "\t" in sentence:
            continue  # a table cell speaks of its own row, not of the plan
        verb = MONITORING.search(sentence)
        if verb and re.search(r"\b(?:was|were)\s+$", sentence[:verb.start()]):
            continue  # 'were considered by Cabinet in 2018' is history, not oversight of the plan
        if re.search(plan_words, sentence, re.I) and verb:
            # a body whose chairs are only invited ('with the Chairs of other Scrutiny Boards invited') is not
            # overseeing the plan
            found += [Found(f.text, m.start() + f.start, m.start() + f.end) for f in find_bodies(sentence)
                      if not re.search(r"\b(?:Chairs?|Members?)\s+of\s+(?:the\s+)?(?:other\s+)?$", sentence[:f.start])]
    return found


THEME_INTRO = re.compile(r"\b(?:(?:key\s+|priority\s+|improvement\s+)?themes?|priority\s+areas?|workstreams?|"
                         r"core\s+components?)\b[^:\n]{0,60}:\s*$", re.I)


def find_theme_list(doc) -> list[Theme]:
    """Themes a document lists under a sentence introducing them ('the recommendations are grouped around five
    themes:' followed by one bulleted theme per line)."""
    lines = doc.lines()
    for index, (_, _, line) in enumerate(lines):
        if not THEME_INTRO.search(line) or "\t" in line:
            continue
        themes: list[Theme] = []
        for number, start, item in lines[index + 1:]:
            if not item.strip():
                if themes:
                    break
                continue
            m = re.match(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+(?:\*?)([^:*]{3,80}?)[.*]*\s*(?::.*)?$", item)
            if not m or len(m.group(1).split()) > 10:
                break
            name = m.group(1).strip()
            offset = start + item.find(name)
            themes.append(Theme(name.lower(), name, doc.span(offset, offset + len(name))))
        if len(themes) >= 2:
            return themes
    return []


def describe(doc) -> ExtractedDocument:
    """What a document says about itself and everything it names; genre readers fill recommendations and actions."""
    text = doc.text
    reading = ExtractedDocument(path=Path(doc.path), sha256=doc.sha256, kind="council document")
    reading.council = find_council(text)
    reading.title = find_title(text)
    reading.published = find_published(text)
    if matches := list(REVIEW_RE.finditer(text)):
        m = max(matches, key=lambda r: len(r.group()))  # the fullest name: 'LGA Corporate Peer Challenge'
        review = m.group()
        review = ("LGA " + review) if review.lower().startswith("corporate peer") else review
        review = re.sub(r"^(?:lga|LGA)\s(corporate|Corporate)\s(peer|Peer)\s(challenge|Challenge)$",
                        "LGA Corporate Peer Challenge", review)
        when = None
        for sentence in re.finditer(r"[^.\n]*(?:peer|review|challenge|audit|inspection)[^.\n]*", text, re.I):
            if w := REVIEW_WHEN.search(sentence.group()):
                when = re.sub(r"\s+", " ", w.group(1)).strip()
                break
        reading.review = f"{review}, {when}" if when else review
    reading.stated_counts = find_stated_counts(text)
    reading.themes = find_theme_list(doc)
    reading.plan_oversight = _unique_mentions(doc, find_plan_oversight(text), key=body_key)
    reading.bodies = _unique_mentions(doc, find_bodies(text), key=body_key, tails=True)
    reading.roles = _unique_mentions(doc, find_roles(text), key=post_key)
    people: dict[str, PersonMention] = {}
    for p in find_people(text):
        people.setdefault(p.name.lower(), PersonMention(p.name, p.role, None, doc.span(p.start, p.end)))
    reading.people = list(people.values())
    return reading


def _unique_mentions(doc, found: list[Found], *, key, tails: bool = False) -> list[Mention]:
    """One mention per distinct name, in order of first mention, under its fullest printed form; abbreviations
    of a longer name found too, and short names that are the tail of a longer one ('Reference Group' of
    'Citizen Engagement Reference Group'), are dropped."""
    by_key: dict[str, Mention] = {}
    for f in found:
        expanded = " ".join(WORD_ABBREVIATIONS.get(w.lower(), w) for w in f.text.split())
        k = key(expanded)
        if k not in by_key or (len(f.text) > len(by_key[k].text) and "(" not in f.text):
            first = by_key.get(k)
            by_key[k] = Mention(f.text, first.span if first else doc.span(f.start, f.end))
    mentions = list(by_key.values())
    full = [m.text for m in mentions if not re.fullmatch(r"[A-Z&]{2,8}s?", m.text)]

    def shadowed(text: str) -> bool:
        if re.fullmatch(r"[A-Z&]{2,8}s?", text):
            return any(expands_to(text, f) for f in full)
        return tails and any(f != text and f.endswith(" " + text) and len(text.split()) >= 2 for f in full)

    return [m for m in mentions if not shadowed(m.text)]


def abbreviation_definitions(text: str) -> dict[str, str]:
    """'Full Name (ABBR)' definitions in the text: abbreviation -> full name."""
    out = {}
    for m in re.finditer(r"((?:[A-Z][\w&'’-]*\s(?:(?:and|of|for|the|&)\s)?){1,8})\(([A-Z][A-Za-z&]{1,7})\)", text):
        full, abbr = m.group(1).strip(), m.group(2)
        words = full.split()
        for i in range(len(words)):
            candidate = " ".join(words[i:])
            if expands_to(abbr, candidate):
                out[abbr] = candidate
                break
    return out


__all__ = ["Found", "FoundPerson", "find_roles", "find_bodies", "find_people", "find_council", "find_published",
           "find_stated_counts", "describe", "abbreviation_definitions"]
