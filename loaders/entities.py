"""What a council document says about itself (council, title, date, review, stated counts, the bodies overseeing
the plan as a whole, the themes it lists) and every post, body and person it names, for the genre readers to
build on. The finders themselves live in :mod:`~govgraph.loaders.posts`, :mod:`~govgraph.loaders.bodies` and
:mod:`~govgraph.loaders.people`.
"""
from __future__ import annotations

import re
from pathlib import Path

from govgraph.loaders import dates
from govgraph.loaders.bodies import find_bodies, find_lower_bodies
from govgraph.loaders.councils import find_council
from govgraph.loaders.model import ExtractedDocument, Mention, PersonMention, Theme
from govgraph.loaders.names import body_key, collapse, expands_to, post_key
from govgraph.loaders.people import find_people
from govgraph.loaders.phrases import WORD_ABBREVIATIONS, Found, FoundPerson
from govgraph.loaders.posts import find_roles

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
REPORT_TO = re.compile(r"^\s*(?:Report\s+to|Meeting|Committee|To|Decision\s+(?:maker|taker)|Decided\s+by)\s*:\s*(.+)$", re.I | re.M)


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
    named = find_bodies(text)
    named += [f for f in find_lower_bodies(text) if not any(n.start <= f.start < n.end for n in named)]
    reading.bodies = _unique_mentions(doc, sorted(named, key=lambda f: f.start), key=body_key, tails=True)
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
        if tails and len(text.split()) == 1:
            # a body named by one word ('Executive', 'Scrutiny', 'Council') is the one whose name it starts or
            # ends when the document names such a body in full ('Executive Board', 'Full Council')
            low = text.lower()
            return any(f != text and (f.lower().startswith(low + " ") or f.lower().endswith(" " + low)) for f in full)
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
