"""A named query's rows as a table people can work with: sorted by any column, narrowed by facets (council,
review, theme, status, overdue), read a page at a time, with all of that in the URL so that a link reproduces the
view, and downloads holding the same rows in the same order.

The table's options are URL parameters starting with an underscore, which no query parameter does:

- ``_sort=COLUMN`` and ``_desc=1``: the order (the query's own order when not given);
- ``_page=N`` and ``_size=N``: which page, of how many rows (100 when not given);
- ``_council=NAME``, ``_review=NAME``, ``_theme=NAME``, ``_status=WORD``, ``_overdue=VALUE``: keep the rows with
  that value (several values of one facet: any of them; several facets: all of them; an empty value: rows
  without one).

Sorting compares numbers as numbers, dates as dates (ISO dates, and due dates as councils print them, by the
interval they stand for), and text without regard to case or accents, with the numbers in it in numeric order
('R2' before 'R10'); blank cells come last either way, and rows that compare equal keep the query's order.

The query runs once; sorting, facet counts and paging happen here, on its rows.

>>> rows = [{"council_name": "Leeds", "number": "2.10"}, {"council_name": "Derby", "number": "2.9"},
...         {"council_name": "Leeds", "number": None}]
>>> view = table_view(["council_name", "number"], rows, TableState(sort="number"))
>>> [r["number"] for r in view.rows]
['2.9', '2.10', None]
>>> [(v.label, v.count) for v in view.facets[0].values]
[('Leeds', 2), ('Derby', 1)]
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import compress
from urllib.parse import urlencode

from govgraph.queries import QueryError

#: Page sizes offered on the page; a URL may ask for any size from 1 to MAX_PAGE_SIZE.
PAGE_SIZES = (50, 100, 500)
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
#: Facets, each with the columns that may hold it, the readable one first (a name before its IRI).
FACETS: dict[str, tuple[str, ...]] = {
    "council": ("council_name", "council"), "review": ("review_name", "review"),
    "theme": ("theme_name", "shared_theme_name", "theme", "shared_theme"), "status": ("status",),
    "overdue": ("overdue",)}
#: Facet values listed before the rest are folded away.
FACET_VALUES_SHOWN = 10
#: Columns holding a document's own numbering ('2.9', '2.10'): compared part by part, never as decimals.
NUMBERING_COLUMNS = frozenset({"number"})
OPTIONS = ("_sort", "_desc", "_page", "_size", *(f"_{f}" for f in FACETS))

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
DIGITS = re.compile(r"\d+")
DIGITS_WIDTH = 20  # wider than any number a document prints
#: The combining marks accents decompose into (NFKD), dropped so that 'É' sorts with 'E'.
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@dataclass(frozen=True)
class TableState:
    """How a table is shown: its order, its page and the facet values chosen (facet -> values)."""

    sort: str | None = None
    desc: bool = False
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> TableState:
        """The state named by URL parameters (only those starting with ``_``).

        :raises QueryError: an unknown option, or a page or size that is not a whole number in range.

        >>> TableState.from_pairs([("_sort", "due"), ("_desc", "1"), ("_status", "completed")])
        TableState(sort='due', desc=True, page=1, size=100, filters=(('status', ('completed',)),))
        """
        sort, desc, page, size = None, False, 1, DEFAULT_PAGE_SIZE
        chosen: dict[str, list[str]] = {}
        for name, value in pairs:
            if name not in OPTIONS:
                raise QueryError(f"no table option {name!r}; the options are {', '.join(OPTIONS)}")
            if name == "_sort":
                sort = value or None
            elif name == "_desc":
                desc = value not in ("", "0", "false", "no")
            elif name in ("_page", "_size"):
                number = _whole(name, value, most=None if name == "_page" else MAX_PAGE_SIZE)
                page, size = (number, size) if name == "_page" else (page, number)
            elif value not in chosen.setdefault(name[1:], []):
                chosen[name[1:]].append(value)
        filters = tuple((f, tuple(chosen[f])) for f in FACETS if f in chosen)
        return cls(sort=sort, desc=desc and sort is not None, page=page, size=size, filters=filters)

    def pairs(self, *, paging: bool = True) -> list[tuple[str, str]]:
        """The state as URL parameters, leaving out what is the default (and the page, unless ``paging``)."""
        out: list[tuple[str, str]] = [("_" + f, v) for f, values in self.filters for v in values]
        if self.sort:
            out.append(("_sort", self.sort))
            if self.desc:
                out.append(("_desc", "1"))
        if paging and self.size != DEFAULT_PAGE_SIZE:
            out.append(("_size", str(self.size)))
        if paging and self.page != 1:
            out.append(("_page", str(self.page)))
        return out

    @property
    def chosen(self) -> dict[str, tuple[str, ...]]:
        return dict(self.filters)

    def toggled(self, facet: str, value: str) -> TableState:
        """The state with ``value`` of ``facet`` chosen, or no longer chosen if it was; back on the first page."""
        chosen = {f: list(v) for f, v in self.filters}
        values = chosen.setdefault(facet, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return replace(self, page=1, filters=tuple((f, tuple(chosen[f])) for f in FACETS if chosen.get(f)))


def _whole(name: str, value: str, *, most: int | None) -> int:
    if not re.fullmatch(r"\d{1,9}", value.strip()) or int(value) < 1 or (most is not None and int(value) > most):
        limit = f"from 1 to {most}" if most else "from 1"
        raise QueryError(f"table option {name!r} must be a whole number {limit}, not {value!r}")
    return int(value)


def split_parameters(pairs: Iterable[tuple[str, str]]) -> tuple[dict[str, str], TableState]:
    """A URL's parameters parted into the query's own (empty ones left out, as an empty form field means 'not
    given') and the table's state. :raises QueryError: for a table option that is wrong."""
    pairs = list(pairs)
    params = {k: v for k, v in pairs if not k.startswith("_") and v}
    return params, TableState.from_pairs((k, v) for k, v in pairs if k.startswith("_"))


# --- sorting ------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1 << 17)  # a table sorted again (another page, the other way) reuses its keys
def text_key(value: str) -> str:
    """Text as people expect it ordered: case and accents aside, the numbers in it compared as numbers (each run
    of digits padded to the same width, which also puts numbers before words).

    >>> sorted(["r10", "R2", "Émile", "eve", "Zoë", "7 days"], key=text_key)
    ['7 days', 'Émile', 'eve', 'R2', 'r10', 'Zoë']
    """
    if value.isascii():
        folded = value.lower()
    else:
        folded = COMBINING.sub("", unicodedata.normalize("NFKD", value)).casefold()
    return DIGITS.sub(_padded, folded)


def _padded(digits: re.Match) -> str:
    return digits[0].lstrip("0").rjust(DIGITS_WIDTH, "0")


@lru_cache(maxsize=65536)
def date_key(value: str) -> tuple[date, date] | None:
    """The interval a date cell stands for, or None: an ISO date or its year or month, or a due date as councils
    print it ('March 2024', 'Q2 2024/25', '31/03/2024').

    >>> date_key("2024-03"), date_key("March 2024") == date_key("2024-03"), date_key("the audit committee")
    ((datetime.date(2024, 3, 1), datetime.date(2024, 3, 31)), True, None)
    """
    from govgraph.loaders.dates import read_due

    text = value.strip()
    m = ISO_DATE.fullmatch(text)
    if m:
        from calendar import monthrange

        year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
        try:
            if day:
                return date(year, month, day), date(year, month, day)
            if month:
                return date(year, month, 1), date(year, month, monthrange(year, month)[1])
            return date(year, 1, 1), date(year, 12, 31)
        except ValueError:
            return None
    if len(text) > 60:  # a sentence mentioning a date is text, not a date
        return None
    due = read_due(text)
    return (due.start or due.end, due.end or due.start) if due.readable and (due.start or due.end) else None


@lru_cache(maxsize=4096)
def _undated(value: str) -> bool:
    """A due-date cell that names no time on purpose ('TBC', 'ongoing', '?')."""
    from govgraph.loaders.dates import ONGOING, UNREADABLE

    low = value.strip().lower().strip(" .;:,")
    return bool(UNREADABLE.match(low) or ONGOING.search(low))


def column_kind(column: str, values: Iterable[str]) -> str:
    """How a column's cells compare: 'number', 'date' or 'text'.

    >>> column_kind("confidence", ["0.5", "0.75"]), column_kind("number", ["2.2", "14"])
    ('number', 'text')
    >>> column_kind("due_as_printed", ["March 2018", "TBC", "2019-01-31"]), column_kind("text", ["Refresh it"])
    ('date', 'text')
    """
    values = {v for v in values if v}  # each distinct cell once
    if not values:
        return "text"
    if column not in NUMBERING_COLUMNS and all(NUMBER.fullmatch(v.strip()) for v in values):
        return "number"
    if all(date_key(v) is not None or _undated(v) for v in values) and any(date_key(v) for v in values):
        return "date"
    return "text"


def sort_key(kind: str) -> Callable[[str], object]:
    """The key a cell of a column of that kind is ordered by (cells are never blank here)."""
    if kind == "number":
        return float
    if kind == "date":  # dated cells in date order, then the undated ones ('TBC', 'ongoing') by their words
        return lambda v: (0, d, "") if (d := date_key(v)) is not None else (1, (date.min, date.min), text_key(v))
    return text_key


def sort_rows(rows: list[Mapping[str, str | None]], column: str, *, desc: bool = False,
              kind: str | None = None) -> list:
    """The rows ordered by one column: blanks last in either direction, equal cells in their first order.

    >>> rows = [{"n": "10"}, {"n": None}, {"n": "9"}, {"n": ""}, {"n": "9.5"}]
    >>> [r["n"] for r in sort_rows(rows, "n")], [r["n"] for r in sort_rows(rows, "n", desc=True)]
    (['9', '9.5', '10', None, ''], ['10', '9.5', '9', None, ''])
    """
    filled = [r for r in rows if r.get(column) not in (None, "")]
    blank = [r for r in rows if r.get(column) in (None, "")]
    distinct = {r[column] for r in filled}
    key = sort_key(kind or column_kind(column, distinct))
    keys = {v: key(v) for v in distinct}  # each distinct cell's key worked out once
    return sorted(filled, key=lambda r: keys[r[column]], reverse=desc) + blank


# --- facets -------------------------------------------------------------------------------------------------------

@dataclass
class FacetValue:
    value: str  # as it goes in the URL ('' for rows without one)
    count: int
    selected: bool
    href: str  # the view with this value chosen, or no longer chosen

    @property
    def label(self) -> str:
        return self.value if self.value else "none"


@dataclass
class Facet:
    name: str  # council, review, theme, status, overdue
    column: str  # the column its values are read from
    values: list[FacetValue]
    clear: str  # the view without this facet's choice

    @property
    def shown(self) -> list[FacetValue]:
        return self.values[:FACET_VALUES_SHOWN]

    @property
    def more(self) -> list[FacetValue]:
        return self.values[FACET_VALUES_SHOWN:]

    @property
    def active(self) -> bool:
        return any(v.selected for v in self.values)


def facet_columns(columns: Iterable[str]) -> dict[str, str]:
    """The facets a table's columns allow, each with the column it reads (the name, where an IRI has one)."""
    present = set(columns)
    return {f: next(c for c in candidates if c in present) for f, candidates in FACETS.items()
            if any(c in present for c in candidates)}


# --- the view -----------------------------------------------------------------------------------------------------

@dataclass
class Header:
    column: str  # the column named in the URL (``_sort``)
    name: str | None  # the column holding its cells' names, where it has one
    label: str
    kind: str
    wide: bool  # cells of running text, given room before the others
    sort: str | None  # 'ascending', 'descending' or None (its aria-sort)
    href: str  # the view sorted by it (ascending first, then the other way)


@dataclass
class TableView:
    """What a table shows for a URL: this page's rows, the facets with their counts, the links of every control."""

    columns: list[str]
    layout: list[tuple[str, str | None]]  # shown columns, each with the column holding its name (see table_layout)
    headers: list[Header]
    matching: list[dict]  # every row that passes the filters, in the order shown
    rows: list[dict]  # this page's rows
    total: int  # rows the query gave
    state: TableState
    facets: list[Facet]
    params: dict[str, str] = field(default_factory=dict)  # the query's own parameters

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.matching) / self.state.size))

    @property
    def first(self) -> int:
        return (self.state.page - 1) * self.state.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def filtered(self) -> bool:
        return bool(self.state.filters)

    def href(self, state: TableState | None = None, *, paging: bool = True) -> str:
        """``?...`` for the query's parameters and a table state (this one when not given)."""
        query = urlencode(list(self.params.items()) + (state or self.state).pairs(paging=paging))
        return "?" + query if query else "?"

    def page_href(self, page: int) -> str:
        return self.href(replace(self.state, page=page))

    @property
    def download_query(self) -> str:
        """The URL query of the downloads: these filters and this order, every page."""
        return urlencode(list(self.params.items()) + self.state.pairs(paging=False))

    @property
    def size_fields(self) -> list[tuple[str, str]]:
        """The hidden fields of the page-size form: everything but the page and its size."""
        return list(self.params.items()) + self.state.pairs(paging=False)

    @property
    def parameter_fields(self) -> list[tuple[str, str]]:
        """The hidden fields of the query's own form: the order and page size carry over to the new rows, the
        facet choices (which may not exist among them) and the page do not."""
        return [(k, v) for k, v in self.state.pairs() if k in ("_sort", "_desc", "_size")]

    @property
    def unsorted_href(self) -> str:
        return self.href(replace(self.state, sort=None, desc=False, page=1))

    @property
    def size_choices(self) -> list[int]:
        return sorted({*PAGE_SIZES, self.state.size})

    @property
    def sort_label(self) -> str | None:
        return next((h.label for h in self.headers if h.column == self.state.sort), self.state.sort)


def table_view(columns: list[str], rows: list[dict], state: TableState, *, params: Mapping[str, str] | None = None,
               layout: list[tuple[str, str | None]] | None = None) -> TableView:
    """A query's rows (``SelectResult.values()``) as the table a state asks for.

    :raises QueryError: a sort column the table does not have, or a facet it has no column for.
    """
    from govgraph.server.pages import table_layout

    layout = layout if layout is not None else table_layout(columns)
    named = {col: name for col, name in layout if name}
    params = dict(params or {})
    if state.sort is not None and state.sort not in columns:
        raise QueryError(f"cannot sort by {state.sort!r}: the table's columns are {', '.join(columns)}")
    by_facet = facet_columns(columns)
    chosen = state.chosen
    for facet in chosen:
        if facet not in by_facet:
            offered = ", ".join(by_facet) or "none"
            raise QueryError(f"this table has no {facet} column to filter by; its facets: {offered}")

    # Per facet, its column's cells and which rows its choice keeps; the rows shown pass every choice, and a facet
    # counts its values over the rows passing every *other* choice (what choosing one of its values would give).
    # Column by column, so that the work is done by Counter and compress rather than a loop per row.
    cells = {f: [row.get(col) or "" for row in rows] for f, col in by_facet.items()}
    kept = {f: [cell in chosen[f] for cell in cells[f]] for f in chosen}

    def passing(facets) -> list[bool] | None:
        masks = [kept[f] for f in facets]
        return [all(flags) for flags in zip(*masks)] if masks else None

    every_choice = passing(chosen)
    matching = rows if every_choice is None else list(compress(rows, every_choice))
    counts = {}
    for f in by_facet:
        others = every_choice if f not in chosen else passing([g for g in chosen if g != f])
        counts[f] = Counter(cells[f] if others is None else compress(cells[f], others))

    sort_column = named.get(state.sort, state.sort) if state.sort else None
    if sort_column:
        matching = sort_rows(matching, sort_column, desc=state.desc)
    pages = max(1, math.ceil(len(matching) / state.size))
    state = replace(state, page=min(state.page, pages))  # a page past the end shows the last
    start = (state.page - 1) * state.size
    page_rows = matching[start:start + state.size]

    view = TableView(columns=columns, layout=layout, headers=[], matching=matching, rows=page_rows, total=len(rows),
                     state=state, facets=[], params=params)
    for col, name in layout:
        shown = named.get(col, col)
        direction = ("descending" if state.desc else "ascending") if state.sort in (col, shown) else None
        kind = column_kind(shown, (r.get(shown) for r in page_rows))
        wide = kind == "text" and any(len(r.get(shown) or "") > 60 for r in page_rows)
        view.headers.append(Header(  # a click sorts ascending, and a click on the ascending column descending
            column=col, name=name, label=(name if name and name != "text" else col).replace("_", " "), kind=kind, wide=wide,
            sort=direction, href=view.href(replace(state, sort=col, desc=direction == "ascending", page=1))))
    for facet, col in by_facet.items():
        selected = chosen.get(facet, ())
        values = sorted(counts[facet].items(), key=lambda kv: (kv[0] not in selected, -kv[1], kv[0] == "",
                                                               text_key(kv[0])))
        listed = [FacetValue(value=v, count=n, selected=v in selected, href=view.href(state.toggled(facet, v)))
                  for v, n in values]
        listed += [FacetValue(value=v, count=0, selected=True, href=view.href(state.toggled(facet, v)))
                   for v in selected if v not in counts[facet]]  # chosen, though no row has it now
        if len(set(cells[facet])) > 1 or selected:  # a facet of one value for every row says nothing
            without = replace(state, page=1, filters=tuple((f, v) for f, v in state.filters if f != facet))
            view.facets.append(Facet(name=facet, column=col, values=listed, clear=view.href(without)))
    return view


def query_rows(store, name: str, params: Mapping[str, str]) -> tuple[list[str], list[dict]]:
    """A named query's columns and rows (``SelectResult.values()``), run once per read-only snapshot of the store
    and parameters (and day, which a query's default date may be), so that sorting, choosing a facet or turning a
    page does not run a whole-corpus query again. Callers must not change the rows: later readers share them.

    :raises QueryError: an unknown query or parameter.
    """
    from govgraph.server import memo, service

    def run() -> tuple[list[str], list[dict]]:
        result = service.run_query(store, name, dict(params))[1]
        columns, rows = result.variables, result.values()
        if "action" in columns and name not in NOT_MARKED_OVERDUE:
            columns, rows = with_overdue(store, columns, rows, params)
        return columns, rows

    return memo.kept(store, ("query rows", name, tuple(sorted(params.items())), date.today()), run)


#: Queries with an ``action`` column whose rows are not marked overdue or not: the overdue list itself, and those
#: about one action (its chain, its history).
NOT_MARKED_OVERDUE = frozenset({"overdue-actions", "accountability-chain", "action-history"})


def with_overdue(store, columns: list[str], rows: list[dict], params: Mapping[str, str]
                 ) -> tuple[list[str], list[dict]]:
    """The rows with an ``overdue`` column ('overdue' or 'not overdue'), so a list of actions can be faceted by it:
    an action is overdue when the ``overdue-actions`` query, over the same council and review and at the same date
    (``as_of``, else today), lists it. That query holds the rule (the latest due date passed, not reported complete,
    not ongoing); it is not said again here."""
    from govgraph.server import service

    scope = {k: params[k] for k in ("council", "review", "as_of") if params.get(k)}
    overdue = {r["action"] for r in service.run_query(store, "overdue-actions", scope)[1].values()}
    marked = [{**r, "overdue": "overdue" if r.get("action") in overdue else "not overdue"} for r in rows]
    return [*columns, "overdue"], marked
