"""Printed due dates read into intervals; unreadable ones kept as gaps."""
from __future__ import annotations

from datetime import date

import pytest

from govgraph.loaders.dates import read_due


@pytest.mark.parametrize("printed, start, end", [
    ("December 2020", date(2020, 12, 1), date(2020, 12, 31)),
    ("Dec 2020", date(2020, 12, 1), date(2020, 12, 31)),
    ("Sept 2011", date(2011, 9, 1), date(2011, 9, 30)),
    ("19 July 2020", date(2020, 7, 19), date(2020, 7, 19)),
    ("31st March 2021", date(2021, 3, 31), date(2021, 3, 31)),
    ("31/03/2021", date(2021, 3, 31), date(2021, 3, 31)),
    ("2021-03-31", date(2021, 3, 31), date(2021, 3, 31)),
    ("Early Autumn 2020", date(2020, 9, 1), date(2020, 10, 31)),
    ("Summer 2023", date(2023, 6, 1), date(2023, 8, 31)),
    ("Winter 2020", date(2020, 12, 1), date(2021, 2, 28)),
    ("February \u2013 June 2023", date(2023, 2, 1), date(2023, 6, 30)),
    ("January / February 2021", date(2021, 1, 1), date(2021, 2, 28)),
    ("November 2023 - January 2024", date(2023, 11, 1), date(2024, 1, 31)),
    ("2023/2024", date(2023, 4, 1), date(2024, 3, 31)),
    ("2017/18", date(2017, 4, 1), date(2018, 3, 31)),
    ("Over 2023", date(2023, 1, 1), date(2023, 12, 31)),
    ("Late 2010", date(2010, 9, 1), date(2010, 12, 31)),
    ("Early 2011", date(2011, 1, 1), date(2011, 4, 30)),
    ("Q3 2020", date(2020, 7, 1), date(2020, 9, 30)),
    ("Q1 2021/22", date(2021, 4, 1), date(2021, 6, 30)),
    ("<p>March 2011</p>", date(2011, 3, 1), date(2011, 3, 31)),
])
def test_readable_dates(printed, start, end):
    due = read_due(printed)
    assert (due.start, due.end, due.readable, due.year_inferred) == (start, end, True, False)


def test_missing_year_is_inferred_from_context_and_marked():
    due = read_due("w/c 9th November", context_year=2020)
    assert (due.start, due.end, due.year_inferred) == (date(2020, 11, 9), date(2020, 11, 15), True)
    due = read_due("September (tentatively 1st)", context_year=2020)
    assert (due.start, due.end, due.year_inferred) == (date(2020, 9, 1), date(2020, 9, 30), True)


def test_missing_year_without_context_is_not_guessed():
    due = read_due("w/c 9th November")
    assert due.start is None and due.end is None
    assert due.printed == "w/c 9th November"


@pytest.mark.parametrize("printed", ["??", "?", "TBC", "To be confirmed", "n/a", "-"])
def test_unreadable_dates_are_kept_as_gaps(printed):
    due = read_due(printed)
    assert due.readable is False and due.printed == printed and due.start is None


def test_ongoing_is_readable_with_no_end():
    assert read_due("Ongoing").ongoing and read_due("Ongoing").readable and read_due("Ongoing").end is None
    during = read_due("Ongoing during 2023")
    assert during.ongoing and during.end == date(2023, 12, 31)


def test_may_without_a_year_is_not_read_as_the_month():
    assert read_due("This may slip into next year").start is None
