"""Sorting, facets and paging of a named query's rows (server/tables.py), on rows made here."""
from __future__ import annotations

import random
import time
from urllib.parse import parse_qsl

import pytest

from govgraph.queries import QueryError
from govgraph.server.tables import TableState, column_kind, sort_rows, split_parameters, table_view

COLUMNS = ["council", "council_name", "review_name", "action", "number", "text", "due", "status", "score"]


def row(council, number, due=None, status=None, score=None, review="Peer challenge 2023", text=None):
    slug = council.lower().replace(" ", "-")
    return {"council": f"https://w3id.org/govgraph/id/council/{slug}", "council_name": council,
            "review_name": review, "action": f"https://w3id.org/govgraph/id/action/{slug}/{number}",
            "number": number, "text": text or f"Action {number} of {council}", "due": due, "status": status,
            "score": score}


ROWS = [row("Leeds City Council", "2.10", "March 2024", "in progress", "0.75"),
        row("Derby City Council", "2.9", "2023-12-31", None, "10"),
        row("Leeds City Council", "R2", None, "completed", "9.5"),
        row("Kirklees Council", "R10", "TBC", "in progress", None),
        row("Derby City Council", "1", "Q1 2024/25", "in progress", "-3", review="Audit 2019"),
        row("Leeds City Council", "14", "2024", None, "", review="Audit 2019")]


def numbers(rows):
    return [r["number"] for r in rows]


def test_numbers_sort_as_numbers_and_blanks_come_last_either_way():
    assert [r["score"] for r in sort_rows(ROWS, "score")] == ["-3", "0.75", "9.5", "10", None, ""]
    assert [r["score"] for r in sort_rows(ROWS, "score", desc=True)] == ["10", "9.5", "0.75", "-3", None, ""]


def test_a_documents_numbering_sorts_part_by_part():
    # '2.9' before '2.10' (not as decimals), 'R2' before 'R10', numbers before words
    assert numbers(sort_rows(ROWS, "number")) == ["1", "2.9", "2.10", "14", "R2", "R10"]
    assert column_kind("number", ["2.9", "2.10"]) == "text"


def test_dates_sort_as_dates_printed_or_iso_and_undated_words_after_them():
    assert [r["due"] for r in sort_rows(ROWS, "due")] == [
        "2023-12-31", "2024", "March 2024", "Q1 2024/25", "TBC", None]
    assert [r["due"] for r in sort_rows(ROWS, "due", desc=True)] == [
        "TBC", "Q1 2024/25", "March 2024", "2024", "2023-12-31", None]


def test_text_sorts_without_regard_to_case_or_accents_and_equal_cells_keep_their_order():
    rows = [{"t": "zoë"}, {"t": "Émile", "i": 1}, {"t": "eve"}, {"t": "émile", "i": 2}, {"t": "Ärger"}, {"t": "b"}]
    assert [r["t"] for r in sort_rows(rows, "t")] == ["Ärger", "b", "Émile", "émile", "eve", "zoë"]
    # stable both ways: the two 'émile's keep the order they came in
    assert [r.get("i") for r in sort_rows(rows, "t", desc=True) if r["t"].lower() == "émile"] == [1, 2]


def test_the_view_sorts_a_named_column_by_its_name():
    view = table_view(COLUMNS, ROWS, TableState(sort="council"))  # the council IRI column shows council_name
    assert [r["council_name"] for r in view.rows][:2] == ["Derby City Council", "Derby City Council"]
    header = next(h for h in view.headers if h.column == "council")
    assert header.label == "council name" and header.sort == "ascending"
    assert dict(parse_qsl(header.href[1:])) == {"_sort": "council", "_desc": "1"}  # the next click: descending


def test_facets_filter_and_their_counts_follow_the_other_facets():
    everything = table_view(COLUMNS, ROWS, TableState())
    counts = {f.name: {v.value: v.count for v in f.values} for f in everything.facets}
    assert counts == {"council": {"Leeds City Council": 3, "Derby City Council": 2, "Kirklees Council": 1},
                      "review": {"Peer challenge 2023": 4, "Audit 2019": 2},
                      "status": {"in progress": 3, "completed": 1, "": 2}}
    chosen = table_view(COLUMNS, ROWS, TableState.from_pairs([("_council", "Leeds City Council"),
                                                             ("_status", "in progress")]))
    assert numbers(chosen.matching) == ["2.10"]
    counts = {f.name: {v.value: v.count for v in f.values} for f in chosen.facets}
    # a facet counts the rows the *other* choices leave: Leeds's statuses, and the councils in progress
    assert counts["status"] == {"in progress": 1, "completed": 1, "": 1}
    assert counts["council"] == {"Leeds City Council": 1, "Derby City Council": 1, "Kirklees Council": 1}
    assert counts["review"] == {"Peer challenge 2023": 1}  # a choice among what is left
    # several values of one facet: any of them
    either = table_view(COLUMNS, ROWS, TableState.from_pairs([("_council", "Derby City Council"),
                                                             ("_council", "Kirklees Council")]))
    assert numbers(either.matching) == ["2.9", "R10", "1"]


def test_an_empty_facet_value_chooses_the_rows_without_one_and_a_choice_can_be_removed():
    view = table_view(COLUMNS, ROWS, TableState.from_pairs([("_status", "")]))
    assert numbers(view.matching) == ["2.9", "14"]
    status = next(f for f in view.facets if f.name == "status")
    blank = next(v for v in status.values if v.value == "")
    assert blank.selected and blank.label == "none" and blank.count == 2
    assert blank.href == "?" and status.clear == "?"  # removing it leaves nothing chosen
    other = next(v for v in status.values if v.value == "completed")
    assert parse_qsl(other.href[1:], keep_blank_values=True) == [("_status", ""), ("_status", "completed")]


def test_facets_read_names_and_a_facet_with_one_value_for_every_row_is_left_out():
    rows = [r for r in ROWS if r["council_name"] == "Leeds City Council"]
    assert [f.name for f in table_view(COLUMNS, rows, TableState()).facets] == ["review", "status"]
    # no column for a facet: said so, with the facets there are
    with pytest.raises(QueryError, match="no theme column to filter by; its facets: council, review, status"):
        table_view(COLUMNS, ROWS, TableState.from_pairs([("_theme", "Finance")]))


def test_paging_says_which_rows_and_keeps_the_state_in_its_links():
    rows = [row("Leeds City Council", str(n)) for n in range(1, 735)]
    view = table_view(COLUMNS, rows, TableState.from_pairs([("_size", "50"), ("_page", "2"), ("_sort", "number"),
                                                           ("_desc", "1")]), params={"as_of": "2024-01-01"})
    assert (view.first, view.last, len(view.matching), view.pages) == (51, 100, 734, 15)
    assert numbers(view.rows)[:2] == ["684", "683"]
    assert parse_qsl(view.page_href(3)[1:]) == [("as_of", "2024-01-01"), ("_sort", "number"), ("_desc", "1"),
                                                ("_size", "50"), ("_page", "3")]
    assert view.download_query == "as_of=2024-01-01&_sort=number&_desc=1"  # every page
    last = table_view(COLUMNS, rows, TableState.from_pairs([("_size", "500"), ("_page", "99")]))
    assert (last.state.page, last.first, last.last) == (2, 501, 734)  # past the end: the last page
    empty = table_view(COLUMNS, [], TableState())
    assert (empty.first, empty.last, empty.pages) == (0, 0, 1)


def test_table_options_are_parted_from_the_querys_parameters_and_checked():
    params, state = split_parameters([("council", "Leeds"), ("review", ""), ("_sort", "due"), ("_page", "2"),
                                      ("_status", "in progress"), ("_status", "in progress")])
    assert params == {"council": "Leeds"}
    assert state == TableState(sort="due", page=2, filters=(("status", ("in progress",)),))
    with pytest.raises(QueryError, match="no table option '_colour'; the options are _sort, _desc, _page"):
        split_parameters([("_colour", "red")])
    for bad in ("0", "x", "-1", "1001"):
        with pytest.raises(QueryError, match="'_size' must be a whole number from 1 to 1000"):
            split_parameters([("_size", bad)])
    with pytest.raises(QueryError, match="cannot sort by 'colour': the table's columns are council, council_name"):
        table_view(COLUMNS, ROWS, TableState(sort="colour"))


def test_a_big_table_is_sorted_faceted_and_paged_quickly():
    # 30,000 rows of 300 councils: well inside a page's time
    rng = random.Random(7)
    statuses = ["in progress", "completed", "slippage", None]
    rows = [row(f"Council {rng.randrange(300)}", f"{rng.randrange(20)}.{rng.randrange(20)}",
                rng.choice(["March 2024", "2023-12-31", "Q2 2024/25", "TBC", None, f"{rng.randrange(1, 28)}/03/2025"]),
                rng.choice(statuses), str(rng.random()), review=f"Review {rng.randrange(5)}",
                text=f"Étude {rng.randrange(10**6)} of the capital programme") for _ in range(30_000)]
    for pairs in ([("_sort", "due"), ("_desc", "1")], [("_sort", "text"), ("_status", "slippage")],
                  [("_sort", "number"), ("_council", "Council 7"), ("_page", "2")], [("_sort", "score")]):
        took = []
        for _ in range(3):  # the processor time this process took (the machine is shared), the best of three
            start = time.process_time()
            view = table_view(COLUMNS, rows, TableState.from_pairs(pairs))
            took.append(time.process_time() - start)
        assert view.rows and min(took) < 0.15, (pairs, took)


# --- the pages and their downloads, through FastAPI's client over the samples --------------------------------------

@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from tests.conftest import ROOT, SAMPLE_TRACKER
    from tests.server.test_app import app_with

    with TestClient(app_with(ROOT / "samples" / "documents", SAMPLE_TRACKER)) as c:
        yield c


HTML = {"accept": "text/html"}
OVERDUE = "/queries/overdue-actions?as_of=2025-01-01"


def shown_actions(page: str) -> list[str]:
    """The action pages a table's rows link to, in the order shown."""
    import re

    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.search(r'href="(/id/action/[^"]+)"', tr)[1] for tr in body.split("<tr>")[1:]]


def download_links(page: str) -> dict[str, str]:
    import html
    import re

    return {ext: html.unescape(href) for href, ext in
            re.findall(r'<a href="(/queries/[^".]+\.(csv|json|xlsx)[^"]*)"', page)}


def test_the_downloads_hold_the_rows_the_page_shows_in_its_order(client):
    import csv
    import io

    import openpyxl

    from govgraph.server.service import page_path

    url = OVERDUE + "&_status=in+progress&_status=&_sort=latest_end&_desc=1&_size=50"
    page = client.get(url, headers=HTML).text
    shown = shown_actions(page)
    links = download_links(page)
    assert set(links) == {"csv", "json", "xlsx"}
    assert "_page" not in links["json"] and "_size" not in links["json"]  # every page of the filtered rows
    answer = client.get(links["json"]).json()
    rows = answer["rows"]
    assert answer["matching"] == len(rows) > 50 and answer["total"] > len(rows)
    assert {r["status"] for r in rows} == {"in progress", None}
    ends = [r["latest_end"] for r in rows]
    assert ends == sorted(ends, reverse=True)
    assert f"{len(rows)} row(s) match the filters, of {answer['total']}. Rows 1–50 shown" in " ".join(page.split())
    assert shown == [page_path(r["action"]) for r in rows[:50]]
    second = shown_actions(client.get(url + "&_page=2", headers=HTML).text)
    assert second == [page_path(r["action"]) for r in rows[50:100]]

    table = list(csv.DictReader(io.StringIO(client.get(links["csv"]).text)))
    assert [r["action"] for r in table] == [r["action"] for r in rows]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(links["xlsx"]).content)).active
    header = [c.value for c in sheet[1]]
    actions = [r[header.index("action")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert actions == [r["action"] for r in rows]
    # a page only when the address names one
    paged = client.get(links["json"] + "&_size=50&_page=2").json()["rows"]
    assert paged == rows[50:100]


def test_the_xlsx_download_types_dates_and_numbers_and_keeps_a_documents_numbering_as_text(client):
    import datetime
    import io

    import openpyxl

    answer = client.get("/queries/low-confidence-readings.xlsx?_sort=confidence&_desc=1")
    assert answer.headers["content-disposition"] == 'attachment; filename="low-confidence-readings.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    confidence = [r[header.index("confidence")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(c, float) for c in confidence) and confidence == sorted(confidence, reverse=True)
    book = openpyxl.load_workbook(io.BytesIO(client.get(OVERDUE.replace("overdue-actions", "overdue-actions.xlsx")
                                                        + "&_sort=number").content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert all(isinstance(r[header.index("latest_end")], datetime.datetime) for r in rows)
    numbers = [r[header.index("number")] for r in rows if r[header.index("number")]]
    assert numbers and all(isinstance(n, str) for n in numbers)


def test_a_pages_controls_keep_its_state_and_say_where_they_lead(client):
    import html
    import re

    page = client.get(OVERDUE + "&_status=&_status=in+progress&_sort=number&_size=50", headers=HTML).text
    state = [("_status", ""), ("_status", "in progress")]
    # the sorted header says so, and its link sorts the other way, from the first page
    th = re.search(r'<th scope="col" class="[^"]*" aria-sort="ascending">\s*<a href="([^"]+)">number', page)
    assert th and parse_qsl(html.unescape(th[1])[1:], keep_blank_values=True) == [
        ("as_of", "2025-01-01"), *state, ("_sort", "number"), ("_desc", "1"), ("_size", "50")]
    assert page.count('aria-sort="') == 1
    nxt = re.search(r'<a rel="next" href="([^"]+)">Next</a>', page)
    assert parse_qsl(html.unescape(nxt[1])[1:], keep_blank_values=True) == [
        ("as_of", "2025-01-01"), *state, ("_sort", "number"), ("_size", "50"), ("_page", "2")]
    assert "Page 1 of 2" in page
    # the query's form carries the order and page size to the new rows, not the facet choices
    form = page.split('<form class="inline"', 1)[1].split("</form>", 1)[0]
    assert re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form) == [("_sort", "number"), ("_size", "50")]
    # the page-size form carries everything but the page and its size
    sizes = page.split('<form class="page-size"', 1)[1].split("</form>", 1)[0]
    assert re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', sizes) == [
        ("as_of", "2025-01-01"), *state, ("_sort", "number")]
    assert "<option selected>50</option>" in sizes
    assert "Each download holds every row that matches the filters, in the order shown" in " ".join(page.split())


def test_wrong_table_options_get_clear_errors_on_the_page_and_in_the_downloads(client):
    page = client.get(OVERDUE + "&_sort=colour", headers=HTML)
    assert page.status_code == 400 and "cannot sort by &#39;colour&#39;: the table&#39;s columns are as_of" in page.text
    answer = client.get("/queries/overdue-actions.json?_theme=Finance")
    assert answer.status_code == 400 and answer.json()["error"].startswith(
        "this table has no theme column to filter by; its facets: council, review, status")
    assert client.get("/queries/overdue-actions.csv?_page=0").json()["error"] == (
        "table option '_page' must be a whole number from 1, not '0'")
    assert client.get("/queries/overdue-actions.pdf").status_code == 404


def test_sorting_filtering_and_paging_run_the_query_once_per_snapshot(tmp_path):
    # on an on-disk store each request reads a read-only snapshot: a query's rows are kept with it, so a click on a
    # header, a facet or a page does not run a whole-corpus query again
    from fastapi.testclient import TestClient

    from govgraph.server import memo, service
    from govgraph.server.app import create_app
    from govgraph.server.settings import Settings
    from tests.conftest import SAMPLE_TRACKER

    store = tmp_path / "store"
    with service.opened(store, write=True) as db:
        service.load_paths(db, [SAMPLE_TRACKER])
    app = create_app(store, Settings(store=str(store)))
    with TestClient(app) as c:
        for url in ("/queries/actions-without-owner", "/queries/actions-without-owner?_sort=number&_desc=1",
                    "/queries/actions-without-owner.csv?_council=Leeds+City+Council", "/queries/actions-without-owner?_page=1"):
            assert c.get(url, headers=HTML).status_code == 200
        snapshot = app.state.context.snapshots.current()
        kept = [key for key in memo._KEPT.get(snapshot, {}) if key[0] == "query rows"]
        assert [key[1:3] for key in kept] == [("actions-without-owner", ())]
        c.get("/queries/actions-without-owner?council=Leeds+City+Council&_sort=text", headers=HTML)
        kept = [key[1:3] for key in memo._KEPT.get(snapshot, {}) if key[0] == "query rows"]
        assert kept == [("actions-without-owner", ()), ("actions-without-owner", (("council", "Leeds City Council"),))]


def test_a_list_of_actions_is_faceted_by_overdue_as_the_overdue_list_judges_it(client):
    listed = client.get("/queries/actions-without-oversight.json?council=Leeds").json()
    assert listed["columns"][-1] == "overdue"
    overdue = {r["action"] for r in client.get("/queries/overdue-actions.json?council=Leeds").json()["rows"]}
    marked = {r["action"] for r in listed["rows"] if r["overdue"] == "overdue"}
    assert marked == {r["action"] for r in listed["rows"]} & overdue and marked  # some, and exactly those
    chosen = client.get("/queries/actions-without-oversight.json?council=Leeds&_overdue=not+overdue").json()
    assert chosen["matching"] == listed["total"] - len(marked)
    assert all(r["overdue"] == "not overdue" for r in chosen["rows"])
    page = client.get("/queries/actions-without-oversight?council=Leeds", headers={"accept": "text/html"}).text
    assert "_overdue=overdue" in page and ">overdue</a>" in page
