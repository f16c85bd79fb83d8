"""Spreadsheet cells that cannot run: text read from council documents goes into CSV and XLSX files that people
open in Excel, LibreOffice or Google Sheets, where a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return) is taken as a formula. Following the OWASP CSV-injection rule, such text is written as text:
CSV cells get a leading apostrophe, XLSX cells are typed as strings. Numbers stay numbers.

>>> csv_value('=HYPERLINK("http://evil.example")'), csv_value("-12.5"), csv_value("Head of Audit")
('\\'=HYPERLINK("http://evil.example")', '-12.5', 'Head of Audit')
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_value(value):
    """A value as a CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(columns: list[str], rows: Iterable[Mapping[str, object]]) -> str:
    """Rows as CSV text, header first, every cell safe."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: csv_value(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def xlsx_value(value):
    """A value for an XLSX cell: a whole or decimal number as a number, a date (YYYY-MM-DD) as a date, anything else
    as it is (the sheet types text cells as strings, see :func:`as_text_cells`).

    >>> xlsx_value("12"), xlsx_value("0.5"), xlsx_value("2023-03-31"), xlsx_value("March 2023")
    (12, 0.5, datetime.date(2023, 3, 31), 'March 2023')
    """
    if isinstance(value, str) and NUMBER.fullmatch(value.strip()):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    if isinstance(value, str) and DATE.fullmatch(value.strip()):
        from datetime import date

        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


def as_text_cells(sheet) -> None:
    """Type every text cell of an openpyxl sheet as a string, so that none is stored as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
