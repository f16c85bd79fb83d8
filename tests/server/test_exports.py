"""Exports that cannot run code: text from a tracker that looks like a formula is written as text to CSV and
XLSX, through the real CLI and the real web server; numbers stay numbers."""
from __future__ import annotations

import csv
import io

import httpx
import openpyxl

from govgraph.server import service
from tests.conftest import write_csv

EVIL = '=HYPERLINK("http://evil.example","click")'


def tracker(folder):
    return write_csv(folder / "hostile-tracker.csv", [
        ["Council: Testshire County Council"], ["Review: LGA Corporate Peer Challenge 2024"], [],
        ["Action ref", "Action", "Lead officer", "Due date"],
        ["1", EVIL, "", "March 2025"],
        ["2", "+SUM(1,2)", "", "March 2025"],
        ["3", "@cmd|' /C calc'!A0", "", "March 2025"],
        ["4", "-2+3", "", "March 2025"],
    ])


def cells_of_csv(text: str, column: str) -> list[str]:
    return [row[column] for row in csv.DictReader(io.StringIO(text))]


def test_query_and_report_exports_write_formulas_as_text(run_cli, store_dir, tmp_path):
    run_cli("load", str(tracker(tmp_path)), "--store", str(store_dir))
    out = run_cli("query", "actions-without-owner", "--format", "csv", "--store", str(store_dir)).stdout
    texts = cells_of_csv(out, "text")
    assert sorted(texts) == sorted(["'" + EVIL, "'+SUM(1,2)", "'@cmd|' /C calc'!A0", "'-2+3"])
    numbers = cells_of_csv(out, "number")
    assert sorted(numbers) == ["1", "2", "3", "4"]  # numbers untouched

    for args in (["query", "actions-without-owner", "--format", "xlsx"], ["report", "--format", "xlsx"]):
        target = tmp_path / f"{args[0]}.xlsx"
        run_cli(*args, "--output", str(target), "--store", str(store_dir))
        book = openpyxl.load_workbook(target)
        formulas = [c.coordinate for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
        assert formulas == []
        values = [c.value for s in book.worksheets for row in s.iter_rows() for c in row]
        assert EVIL in values  # the text itself, kept whole, as a string
        assert any(isinstance(v, int) for v in values)  # counts and numbers stay numbers


def test_the_web_servers_csv_and_xlsx_downloads_are_safe(tmp_path):
    from tests.conftest import LiveServer

    store = tmp_path / "store"
    with service.opened(store, write=True) as db:
        assert not service.load_paths(db, [tracker(tmp_path)]).failed
    server = LiveServer(store)
    try:
        text = httpx.get(server.url + "/queries/actions-without-owner.csv").text
        assert "'" + EVIL in cells_of_csv(text, "text")
        book = openpyxl.load_workbook(io.BytesIO(httpx.get(server.url + "/report.xlsx").content))
        assert not [c for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    finally:
        server.stop()
