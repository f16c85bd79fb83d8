"""Due dates as councils print them, read into the interval they stand for.

A printed date is kept as printed; :func:`read_due` adds the earliest start and latest end it can mean, so
"overdue" can be asked of "Early Autumn 2020" as well as of "31/03/2021". Text that names no time at all
("??", "TBC") is read as unreadable, never dropped; "Ongoing" is read as continuous work with no end.

>>> read_due("Early Autumn 2020")
DueInterval(printed='Early Autumn 2020', start=datetime.date(2020, 9, 1), end=datetime.date(2020, 10, 31), readable=True, ongoing=False, year_inferred=False)
>>> read_due("w/c 9th November", context_year=2020).end
datetime.date(2020, 11, 15)
>>> read_due("??").readable
False
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name} | {
    name: i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS = {k.lower(): v for k, v in MONTHS.items()} | {"sept": 9}
MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
YEAR_RE = r"(?:19|20)\d\d"
# Seasons in the UK sense: spring March-May, summer June-August, autumn September-November, winter December-February.
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
UNREADABLE = re.compile(r"^(?:\?+|tbc|tbd|tba|to be (?:confirmed|determined|agreed)|n/?a|none|not known|unknown|-+)$")
ONGOING = re.compile(r"\b(?:ongoing|on-going|continuous|continual|rolling|business as usual)\b")


@dataclass(frozen=True)
class DueInterval:
    """What a printed due date means: ``start``..``end`` inclusive (either may be None when open)."""

    printed: str
    start: date | None = None
    end: date | None = None
    readable: bool = False
    ongoing: bool = False
    year_inferred: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")[:4] if word.lower().startswith("sept") else word.lower().rstrip(".")[:3]]


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _season(name: str, year: int, qualifier: str | None) -> tuple[date, date]:
    first, last = SEASONS[name]
    start = date(year, first, 1)
    end = _month_end(year + 1 if last < first else year, last)
    months = [(start.year, start.month)]
    while months[-1] != (end.year, end.month):
        y, m = months[-1]
        months.append((y + (m == 12), m % 12 + 1))
    if qualifier in {"early", "beginning of", "start of"}:
        months = months[:2]
    elif qualifier in {"late", "end of"}:
        months = months[-2:]
    elif qualifier == "mid":
        months = months[1:2]
    return date(months[0][0], months[0][1], 1), _month_end(*months[-1])


def _clean(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&amp;", "&").replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def read_due(printed: str, *, context_year: int | None = None) -> DueInterval:
    """Read one printed due date. ``context_year`` (the document's year) fills in a missing year, and the result
    says so with ``year_inferred``. Unreadable text gives ``readable=False``; the printed text is always kept.
    """
    text = _clean(printed)
    low = text.lower().strip(" .;:,")
    if not low or UNREADABLE.match(low):
        return DueInterval(text)
    ongoing = bool(ONGOING.search(low))
    span = _read_span(low, context_year)
    if span is None:
        return DueInterval(text, ongoing=ongoing, readable=ongoing)
    start, end, inferred = span
    return DueInterval(text, start, end, readable=True, ongoing=ongoing, year_inferred=inferred)


def _read_span(low: str, context_year: int | None) -> tuple[date, date, bool] | None:
    # ISO and day/month/year numeric dates
    if m := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", low):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return (d, d, False) if d else None
    if m := re.search(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b", low):
        d = _safe_date(_year(m[3]), int(m[2]), int(m[1]))
        return (d, d, False) if d else None
    # financial years: 2023/24, 2023/2024, 2023-24
    if m := re.fullmatch(r"(?:during |over |in |by (?:end of )?)?(?:fy ?)?((?:19|20)\d\d) ?[/-] ?(\d{2}|\d{4})(?: financial year)?", low):
        first = int(m[1])
        second = _year(m[2]) if len(m[2]) == 4 else (first // 100) * 100 + int(m[2])
        if second == first + 1:
            return date(first, 4, 1), date(second, 3, 31), False
    # ranges of months: "February - June 2023", "January / February 2021", "Jan 2021 - Mar 2022"
    range_re = rf"({MONTH_RE})(?: ({YEAR_RE}))? ?(?:-|/|to|and|&) ?({MONTH_RE}) ({YEAR_RE})"
    if m := re.search(range_re, low):
        y2 = int(m[4])
        m1, m2 = _month(m[1]), _month(m[3])
        y1 = int(m[2]) if m[2] else (y2 if m1 <= m2 else y2 - 1)
        return date(y1, m1, 1), _month_end(y2, m2), False
    # week commencing: "w/c 9th November", "week commencing 9 November 2020"
    if m := re.search(rf"(?:w/c|w\.c\.|week commencing|week beginning) (\d{{1,2}})(?:st|nd|rd|th)? ({MONTH_RE})(?: ({YEAR_RE}))?", low):
        year, inferred = _year_or_context(m[3], context_year)
        if year is None:
            return None
        d = _safe_date(year, _month(m[2]), int(m[1]))
        return (d, d + timedelta(days=6), inferred) if d else None
    # a day of a month: "19 July 2020", "31st March", "July 19, 2020"
    if m := re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({MONTH_RE})(?:,? ({YEAR_RE}))?", low):
        year, inferred = _year_or_context(m[3], context_year)
        if year is None:
            return None
        d = _safe_date(year, _month(m[2]), int(m[1]))
        return (d, d, inferred) if d else None
    # seasons: "Early Autumn 2020", "Summer 2023", "late spring"
    if m := re.search(r"\b(early|late|mid|end of|beginning of|start of)?[ -]?(spring|summer|autumn|fall|winter)(?: ({y}))?".format(y=YEAR_RE), low):
        year, inferred = _year_or_context(m[3], context_year)
        if year is None:
            return None
        start, end = _season(m[2], year, m[1])
        return start, end, inferred
    # quarters: "Q3 2020", "Q1 2021/22" (financial quarters when a financial year is given)
    if m := re.search(rf"\bq([1-4]) ({YEAR_RE})(?: ?/ ?(\d{{2}}|\d{{4}}))?", low):
        q, year = int(m[1]), int(m[2])
        if m[3]:  # financial quarter: Q1 = April-June
            first_month = 4 + 3 * (q - 1)
            year += first_month > 12
            first_month = (first_month - 1) % 12 + 1
        else:
            first_month = 1 + 3 * (q - 1)
        return date(year, first_month, 1), _month_end(year, first_month + 2), False
    # a month: "December 2020", "Sept 2011", "end of March 2021", "September (tentatively 1st)"
    if m := re.search(rf"\b({MONTH_RE})(?:[ ,]+({YEAR_RE}))?\b", low):
        if not m[2] and re.search(r"\bmay\b", m[0]) and not re.search(rf"\bmay (?:{YEAR_RE})", low):
            return _year_span(low)  # "may" with no year is the verb far more often than the month
        year, inferred = _year_or_context(m[2], context_year)
        if year is None:
            return None
        month = _month(m[1])
        return date(year, month, 1), _month_end(year, month), inferred
    return _year_span(low)


def _year_span(low: str) -> tuple[date, date, bool] | None:
    """'2021', 'early 2011', 'late 2010', 'by end of 2022', 'during 2023'."""
    m = re.search(rf"\b(early|late|mid|end of|beginning of|start of)?[ -]?({YEAR_RE})\b", low)
    if not m:
        return None
    year = int(m[2])
    qualifier = m[1]
    if qualifier in {"early", "beginning of", "start of"}:
        return date(year, 1, 1), date(year, 4, 30), False
    if qualifier in {"late", "end of"}:
        return date(year, 9, 1), date(year, 12, 31), False
    if qualifier == "mid":
        return date(year, 5, 1), date(year, 8, 31), False
    return date(year, 1, 1), date(year, 12, 31), False


def _year_or_context(text: str | None, context_year: int | None) -> tuple[int | None, bool]:
    if text:
        return int(text), False
    return context_year, context_year is not None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- timing phrases inside longer text ---------------------------------------------------------------------------
# A due-date cell often holds more than a date ('2019/20 report to Scrutiny Chairs 22/7/20'), and prose gives dates
# inside sentences ('finalised by the end of November 2019'): these patterns pick the timing phrases out, as
# printed, for read_due to read.

# in a table cell: dates with a year, ranges, seasons, financial years, numeric dates
MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
CELL_TIMING = re.compile(rf"(?:(?:early|late|mid|end(?: of)?|by|no later than|w/c)\s)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s)?"
                         rf"(?:\b{MONTH_WORD}(?:\s\d{{4}})?\s?(?:[-–/]|to)\s?{MONTH_WORD}\s\d{{4}}"
                         rf"|\b{MONTH_WORD}\s(?:\d{{4}}|'\d{{2}}|\d{{2}}\b)|\b(?:spring|summer|autumn|winter)\b(?:\s\d{{4}})?"
                         rf"|\b\d{{4}}/\d{{2,4}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b)", re.I)
# two dates run together in one line: 'Commencing October 2020 February 2021'
RUN_TOGETHER = re.compile(rf"(?<=\d{{4}})\s+(?={MONTH_WORD}\s\d{{4}})", re.I)


def date_tokens(text: str) -> frozenset:
    """The months, years and seasons a text names, to tell a timing phrase from one with other dates beside it."""
    low = text.lower()
    tokens = {("m", m[:3]) for m in re.findall(rf"\b{MONTH_WORD}", low)}
    tokens |= {("y", y) for y in re.findall(r"\b(?:19|20)\d\d\b", low)}
    tokens |= {("s", s) for s in re.findall(r"\b(?:spring|summer|autumn|winter)\b", low)}
    return frozenset(tokens)


# in a sentence: also a month alone ('beginning of December') and a year after 'during', 'in', 'over'
SENTENCE_TIMING = re.compile(
    r"(?:(?:early|late|mid|end\s+of(?:\s+the)?|beginning\s+of(?:\s+the)?|start\s+of|by|during|over|in|"
    r"from|until|no\s+later\s+than|w/c)\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?(?:\s+\d{4})?"
    r"|(?:spring|summer|autumn|winter)\s+\d{4}|\d{4}/\d{2,4}|(?:19|20)\d\d)\b", re.I)


def sentence_timings(text: str) -> list[str]:
    """Timing phrases in a sentence, as printed.

    >>> sentence_timings("The strategy will be finalised by the end of November 2019 and reviewed in Spring 2020.")
    ['end of November 2019', 'Spring 2020']
    """
    out = []
    for m in SENTENCE_TIMING.finditer(text):
        phrase = m.group().strip()
        phrase = re.sub(r"^(?:by|in|during|from|until|no\s+later\s+than)\s+", "", phrase, flags=re.I)
        if re.fullmatch(r"(?:19|20)\d\d/\d{2,4}", phrase) or re.fullmatch(r"may", phrase, re.I):
            continue  # a financial year inside a sentence names a period, not a deadline; 'may' is a verb
        if re.fullmatch(r"(?:19|20)\d\d", phrase) and not re.search(r"(?:early|late|mid|during|over|in)\s+" + phrase, text):
            continue
        if phrase not in out:
            out.append(phrase)
    return out


# at the end of a row run together on one line: '... Chief Executive April 2020', '... Head of Audit 31/03/2024'
TRAILING_DUE = re.compile(
    rf"(?:(?:early|late|mid|end\s+of|by|from|w/c|before|no\s+later\s+than)\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?"
    rf"(?:\b{MONTH_WORD}(?:\s*(?:[-–/]|to)\s*{MONTH_WORD})?\s+\d{{4}}(?:/\d{{2,4}})?"
    rf"|\b(?:spring|summer|autumn|winter)\s+\d{{4}}|\bQ[1-4]\s+\d{{4}}(?:/\d{{2,4}})?|\b\d{{4}}/\d{{2,4}}"
    rf"|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\b(?:19|20)\d\d|\bongoing|\bon-going|\btbc|\btba|\bimmediate(?:ly)?)"
    rf"(?:\s+(?:onwards|and\s+ongoing|ongoing))?\s*\.?\s*$", re.I)
