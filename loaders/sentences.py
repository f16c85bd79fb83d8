"""What a sentence says about a commitment when no table or label says it: who does the work, which body receives,
decides or oversees it, when it is due and how far it has got. Rules of council writing:

- the **owner** is the agent of the work: "to be maintained by the scrutiny team", "led by the Director of
  Finance", "the in house IT team would develop ...", "Head of Audit to review ...";
- the **oversight** is a body the work goes to or that acts on it: "a report to Cabinet", "submitted to the group
  whips for consideration", "discussed at the Standards Committee", "Leadership Team had received",
  "cabinet/council assembly approval"; bodies are named in capitals or in lower case ("council assembly");
- the **due date** is a timing phrase ("by February 2023", "in December 2022", "their November meetings",
  "on a quarterly basis"), not the date of a meeting already held ("on 24 January 2023", "since May 2022");
- the **status** is said in words ("had now been completed", "progress had been steady", "was not progressing"),
  from ``lexicons/status_phrases.txt``; a completion someone will only check is no status.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from govgraph.loaders import entities
from govgraph.loaders.bodies import find_lower_bodies
from govgraph.loaders.dates import sentence_timings
from govgraph.loaders.entities import Found

STATUS_PHRASES = Path(__file__).with_name("lexicons") / "status_phrases.txt"
FREQUENCY = re.compile(r"\bon\s+an?\s+(?:quarterly|monthly|six[\s-]monthly|annual|yearly|weekly|regular|termly|"
                       r"half[\s-]termly|bi-?monthly|ongoing)\s+basis\b|\b(?:every|each)\s+(?:quarter|month|year|"
                       r"six\s+months|committee\s+cycle)\b|\bin\s+(?:six|three|twelve|\d{1,2})\s+months(?:'\s+time)?\b",
                       re.I)
PAST_DATE = re.compile(r"(?:\bon|\bsince|\blast|\bdated|\bheld|\bmeeting\s+of)\s*$", re.I)
# a meeting still to come is a due date: 'provided at the Board meeting to be held on 27th February'
FUTURE_MEETING = re.compile(r"\b(?:to\s+be|will\s+be|would\s+be|is\s+to\s+be|are\s+to\s+be)\s+held\s+on\s*$|"
                            r"\bnext\s+(?:\w+\s+)?(?:meeting|board|committee)\s+on\s*$", re.I)
TEAM = r"(?:[A-Za-z&'’-]+\s){0,4}(?i:team|teams|unit|service|services|officers|managers|directorate(?:\(s\)|s)?)"
NOT_TEAM_START = {"the", "a", "an", "this", "that", "these", "all", "each", "every", "any", "our", "its", "their",
                  "other", "to", "by", "of", "and", "with", "for", "from", "in", "on", "at", "be", "been"}
AGENT_BY = re.compile(r"\b(?:\w+ed|led|done|run|owned|undertaken|taken|overseen)\s+by\s+(?:the\s+)?"
                      r"(?P<agent>[^,.;:()]{2,80})", re.I)
AGENT_WILL = re.compile(rf"(?:^|[,;:]\s+|\bthat\s+|\band\s+|\bfor\s+)(?:the\s+)?(?P<agent>{TEAM}|[A-Z][^,.;:()]{{2,70}}?)\s+"
                        rf"(?:would|will|is\s+to|are\s+to|to|(?:was|were|is|are|has\s+been|have\s+been)\s+"
                        rf"(?:tasked|asked|requested|instructed|charged|commissioned)\s+(?:with|to))\s+"
                        rf"(?:\w+ly\s+)?(?!be\b)[a-z]+", re.I)
OVERSIGHT = re.compile(
    r"\b(?:(?:report(?:s|ed|ing)?|submit(?:ted)?|present(?:ed)?|brought|taken|take|go|goes|went|referr?(?:ed)?|"
    r"recommend(?:ed)?|update|updates|reporting|circulated|sent|escalated)(?:\s+\w+){0,6}?\s+to|"
    r"(?:discussed|considered|agreed|approved|endorsed|scrutinised|scrutinized|received|reviewed|noted|signed\s+off|"
    r"decided|monitored|overseen|ratified|adopted)\s+(?:at|by)|for\s+(?:\w+\s+){0,3}(?:consideration|approval|"
    r"decision|scrutiny|agreement)\s+(?:by|at)|approval\s+(?:of|from|by))\s+(?:the\s+|their\s+|a\s+)?", re.I)
RECEIVES = re.compile(r"\s+(?:had|has|have|would|will)\s+(?:now\s+)?(?:received|considered|approved|agreed|endorsed|"
                      r"noted|scrutinised|discussed)\b", re.I)
# the council's own meeting, named by the one word: 'recommend the report to Council'
FULL_COUNCIL = re.compile(r"(?<=\b(?:to|by|at)\s)(?:[Ff]ull\s)?Council\b(?!\s[A-Z]|['’]s)")

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[A-Z\"“‘(])")


def split(text: str) -> list[tuple[int, int]]:
    """The sentences of a paragraph as (start, end) offsets: a full stop ends one only before a capital, so
    '10.3(b)' and 'e.g. the' do not.

    >>> t = "It was agreed under Rule 10.3(b). A report will follow."
    >>> [t[a:b] for a, b in split(t)]
    ['It was agreed under Rule 10.3(b).', 'A report will follow.']
    """
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text.rstrip())))
    return out


@lru_cache(maxsize=1)
def status_patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for line in STATUS_PHRASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            status, _, pattern = line.partition("\t")
            out.append((status.strip(), re.compile(rf"\b(?:{pattern.strip()})\b", re.I)))
    return out


def status_of(text: str) -> str | None:
    """The status a sentence reports, or None.

    >>> status_of("No.4 and 5, had now been completed.")
    'completed'
    >>> status_of("progress had been steady and regular meetings held")
    'in progress'
    >>> status_of("officers would check that the action had been completed") is None
    True
    """
    # a completion someone will check, or an outcome still awaited, reports no status
    text = re.sub(r"\b(?:would|will|to)\s+(?:check|confirm|establish|ascertain)\b.*$", "", text, flags=re.I)
    for status, pattern in status_patterns():
        if pattern.search(text):
            return status
    return None


MARKED_STATUS = re.compile(r"[\[(]\s*(?:action|status|recommendation)?\s*[:-]?\s*(?P<s>open|closed|complete|completed|"
                           r"ongoing|in\s+progress|not\s+started|on\s+track|overdue|deferred)\s*[\])]\s*\.?\s*$|"
                           r"\bstatus\s*[:-]\s*(?P<t>open|closed|complete|completed|ongoing|in\s+progress|"
                           r"not\s+started|on\s+track|overdue|deferred)\b", re.I)
MARKS = {"open": "in progress", "ongoing": "in progress", "closed": "completed", "complete": "completed",
         "overdue": "slippage"}


def marked_status(text: str) -> str | None:
    """A status an item is marked with, as trackers print it: '[ACTION OPEN]', '(Closed)', 'Status: complete'.

    >>> marked_status("Circulated to Members. [ACTION CLOSED]"), marked_status("Work continues (open)")
    ('completed', 'in progress')
    >>> marked_status("The meeting closed at 9pm.") is None
    True
    """
    m = MARKED_STATUS.search(text)
    if not m:
        return None
    word = re.sub(r"\s+", " ", (m["s"] or m["t"]).lower())
    return MARKS.get(word, word)


def timings(text: str) -> list[str]:
    """Due timings a sentence gives, as printed: timing phrases and reporting frequencies, without dates of
    meetings or events already past.

    >>> timings("a SEND update to Cabinet in December 2022; emergency planning update by February 2023")
    ['December 2022', 'February 2023']
    >>> timings("At the last meeting on 24 January 2023, updates were agreed on a quarterly basis.")
    ['on a quarterly basis']
    >>> timings("a report be provided at the Board meeting to be held on 27th February 2025")
    ['27th February 2025']
    """
    out: list[str] = []
    for phrase in sentence_timings(text):
        at = text.find(phrase)
        if at >= 0 and PAST_DATE.search(text[:at]) and not FUTURE_MEETING.search(text[:at]):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", phrase):
            continue  # a bare year names a period more often than a deadline
        out.append(phrase)
    for m in FREQUENCY.finditer(text):
        if m.group() not in out:
            out.append(m.group())
    return out


def team(phrase: str) -> str | None:
    """A team or group of officers named as an agent ('scrutiny team', 'in house IT team', 'relevant
    Directorate(s)'), trimmed to the name."""
    m = re.search(rf"{TEAM}\b", phrase)
    if not m:
        return None
    words = m.group().split()
    while words and words[0].lower() in NOT_TEAM_START and not (words[0].lower() == "in" and len(words) > 1
                                                                 and words[1].lower() == "house"):
        words = words[1:]
    return " ".join(words) if words else None


def owners(text: str) -> list[Found]:
    """Who a sentence says does the work: posts and teams as agents."""
    found: list[Found] = []

    def add(name: str, start: int) -> None:
        if name and not any(f.text == name for f in found):
            found.append(Found(name, start, start + len(name)))

    for m in AGENT_BY.finditer(text):
        agent = m["agent"]
        # a post in lower case is one after 'the' ('conducted by the scrutiny chairs')
        roles = entities.find_roles(agent) or [
            Found(f.text, f.start - 4, f.end - 4) for f in entities.find_roles("the " + agent) if f.start >= 4]
        if roles and roles[0].start < 5:
            add(roles[0].text, m.start("agent") + roles[0].start)
        elif (name := team(agent)) and agent.lower().startswith(name.lower()):
            add(name, m.start("agent") + agent.find(name))
    for m in AGENT_WILL.finditer(text):
        agent = m["agent"]
        roles = entities.find_roles(agent) or [
            Found(f.text, f.start - 4, f.end - 4) for f in entities.find_roles("the " + agent) if f.start >= 4]
        if roles and roles[0].start < 5 and roles[0].end >= len(agent.rstrip()) - 1:
            add(roles[0].text, m.start("agent") + roles[0].start)
        elif (name := team(agent)) and agent.rstrip().lower().endswith(name.lower()):
            add(name, m.start("agent") + agent.rfind(name))
    return found


def bodies(text: str) -> list[Found]:
    """Every body a sentence names, in capitals ('Audit and Governance Committee') or in lower case ('council
    assembly', 'group whips')."""
    found = list(entities.find_bodies(text))
    for m in FULL_COUNCIL.finditer(text):
        if not any(f.start <= m.start() < f.end for f in found):
            found.append(Found(m.group(), m.start(), m.end()))
    for f in find_lower_bodies(text):
        if not any(g.start <= f.start < g.end for g in found):
            found.append(f)
    return sorted(found, key=lambda f: f.start)


def overseers(text: str) -> list[Found]:
    """Bodies the sentence says the work goes to, or that receive, consider or decide on it."""
    named = bodies(text)
    out: list[Found] = []
    for m in OVERSIGHT.finditer(text):
        after = [b for b in named if m.end() <= b.start <= m.end() + 3]
        if after:
            out.append(after[0])
            # 'cabinet/council assembly approval': bodies joined to the first
            rest = [b for b in named if b.start > after[0].end and re.fullmatch(r"\s*(?:/|,|and|or|&)\s*",
                                                                             text[after[0].end:b.start])]
            out += rest[:2]
        elif re.match(r"(?:discussed|considered|agreed|approved|endorsed|received|reviewed)\s+by", m.group(), re.I):
            # a body named only by its capitalised name: 'discussed by the Community Policy Development'
            name = re.match(r"((?:[A-Z][\w&'’-]*)(?:\s(?:and\s|of\s|&\s)?[A-Z][\w&'’-]*){1,5})", text[m.end():])
            if name:
                out.append(Found(name.group(1), m.end(), m.end() + len(name.group(1))))
    for body in named:
        if RECEIVES.match(text[body.end:]):
            out.append(body)
        # 'matters requiring cabinet/council assembly approval'
        elif re.match(r"\s+(?:approval|decision|consideration|scrutiny)\b", text[body.end:]):
            joined = [b for b in named if b.end <= body.start and re.fullmatch(r"\s*(?:/|,|and|or|&)\s*",
                                                                              text[b.end:body.start])]
            out += joined + [body]
    seen: set[str] = set()
    unique = []
    for f in sorted(out, key=lambda f: f.start):
        if f.text.lower() not in seen:
            seen.add(f.text.lower())
            unique.append(f)
    return unique
