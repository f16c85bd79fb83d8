"""The gap and accountability report as Markdown, HTML (with an inline SVG chart, no outside resources) or XLSX.

Rendering only: :class:`Report` is filled by the service layer (``service.build_report``); every text that came
from a document is escaped where it is inserted.
"""
from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field

STATUS_COLOURS = {"completed": "#2e7d32", "on track": "#66bb6a", "in progress": "#42a5f5", "slippage": "#ef6c00",
                  "not started": "#9e9e9e", "deferred": "#8d6e63", "no status reported": "#e0e0e0"}


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    sheet: str = ""  # its name as a spreadsheet sheet (at most 31 characters); the title shortened when not given
    text_columns: tuple[str, ...] = ()  # columns written as text though they look like numbers ('2.10', a number)


@dataclass
class Report:
    title: str
    as_of: str
    scope: str
    headline: Table
    sections: list[Table] = field(default_factory=list)
    status_mix: dict[str, dict[str, int]] = field(default_factory=dict)  # council -> status -> actions


def _md_cell(text: str) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report) -> str:
    out = [f"# {report.title}", "", f"{report.scope}. Overdue judged at {report.as_of}.", ""]
    for table in [report.headline, *report.sections]:
        out += [f"## {table.title}", ""]
        if table.note:
            out += [table.note, ""]
        if not table.rows:
            out += ["None found.", ""]
            continue
        out.append("| " + " | ".join(table.columns) + " |")
        out.append("|" + "---|" * len(table.columns))
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
        out.append("")
    return "\n".join(out)


#: Colours of statuses outside the common scale (a council's own words that map to none of it), in turn.
OTHER_COLOURS = ("#7e57c2", "#26a69a", "#ab47bc", "#5c6bc0", "#8e8e8e")


def status_chart(mix: dict[str, dict[str, int]], *, width: int = 640,
                 words: dict[str, dict[str, list[tuple[str, int]]]] | None = None) -> str:
    """Horizontal stacked bars, one per council, of actions by status (the common scale's statuses first, in its
    order, then any council's own words), as inline SVG with a legend; each part says its count and share on
    hover, and with ``words`` (council → status → (own words, actions)) the council's own words counted there.
    With a ``viewBox``, a page may shrink it to a narrow screen (``max-width: 100%; height: auto``); it stands
    alone as a file (its own namespace and font)."""
    bar, gap, label_w = 22, 10, 190
    others = sorted({s for m in mix.values() for s in m if s not in STATUS_COLOURS})
    colours = {**STATUS_COLOURS, **{s: OTHER_COLOURS[i % len(OTHER_COLOURS)] for i, s in enumerate(others)}}
    statuses = [s for s in colours if any(m.get(s) for m in mix.values())]
    legend_rows = 1 + sum(18 + 7 * len(s) for s in statuses) // width
    height = len(mix) * (bar + gap) + 20 + 18 * legend_rows
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" viewBox="0 0 {width} '
              f'{height}" width="{width}" height="{height}" role="img" aria-label="Actions by status for each council">')]
    for i, (council, counts) in enumerate(mix.items()):
        y = i * (bar + gap)
        total = sum(counts.values()) or 1
        parts.append(f'<text x="0" y="{y + 16}" font-size="12">{html.escape(council[:30])}</text>')
        x = label_w
        for status in statuses:
            n = counts.get(status, 0)
            w = (width - label_w - 10) * n / total
            if n:
                own = [f"'{printed}' {k}" for printed, k in (words or {}).get(council, {}).get(status, []) if printed]
                said = f"; as written: {', '.join(own)}" if own else ""
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colours[status]}">'
                             f'<title>{html.escape(council)}: {n} {html.escape(status)} ({n / total:.0%})'
                             f'{html.escape(said)}</title></rect>')
            x += w
    y = len(mix) * (bar + gap) + 14
    x = 0
    for status in statuses:
        step = 18 + 7 * len(status)
        if x + step > width:
            x, y = 0, y + 18
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colours[status]}"/>'
                     f'<text x="{x + 16}" y="{y + 11}" font-size="11">{html.escape(status)}</text>')
        x += step
    parts.append("</svg>")
    return "".join(parts)


def to_html(report: Report, *, controls: str = "") -> str:
    """The report as one HTML file, printable on A4. ``controls`` (HTML, escaped by the caller) is put under the
    title and left out when printed: the server's date picker and links, for the report it serves."""
    e = html.escape
    body = [f"<h1>{e(report.title)}</h1>", f"<p>{e(report.scope)}. Overdue judged at {e(report.as_of)}.</p>"]
    if controls:
        body.append(f'<div class="controls">{controls}</div>')
    if report.status_mix:
        body += ["<h2>Status of actions by council</h2>", status_chart(report.status_mix)]
    for table in [report.headline, *report.sections]:
        body.append(f"<h2>{e(table.title)}</h2>")
        if table.note:
            body.append(f"<p>{e(table.note)}</p>")
        if not table.rows:
            body.append("<p>None found.</p>")
            continue
        body.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in table.columns) + "</tr></thead><tbody>")
        body += ["<tr>" + "".join(f"<td>{e(c or '')}</td>" for c in row) + "</tr>" for row in table.rows]
        body.append("</tbody></table>")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + e(report.title) +
            "</title><style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem}"
            "table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border-bottom:1px solid #ddd;"
            "padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}svg{max-width:100%;height:auto}"
            "@media (max-width:48rem){table{display:block;overflow-x:auto}}"
            ".controls{display:flex;gap:.5rem 1rem;flex-wrap:wrap;align-items:center;margin:0 0 1rem;padding:.5rem .7rem;"
            "background:#f3f3f3;border-radius:4px}.controls form{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}"
            ".controls input,.controls button{font:inherit}"
            "@media print{.controls{display:none}body{margin:0;max-width:none;font-size:10pt}@page{size:A4;margin:15mm}"
            "h2{break-after:avoid}tr{break-inside:avoid}table{display:table}}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def to_xlsx(report: Report) -> bytes:
    """One sheet per table, the headline first: a frozen header row with filters, column widths to fit, numbers and
    dates typed as such; a column of shares ('3 (50%)') as two, the count and the share."""
    return tables_xlsx([report.headline, *report.sections])


def tables_xlsx(tables: list[Table]) -> bytes:
    """A workbook of one sheet per table, each written as :func:`to_xlsx` writes the report's."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        name = sheet_name(table.sheet or table.title, used)
        used.add(name)
        _write_sheet(book.create_sheet(name), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, table: Table) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from govgraph.visualise.cells import as_text_cells, xlsx_value

    columns, rows = _shares_split(table.columns, table.rows)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    as_text = {i for i, column in enumerate(columns) if column in table.text_columns}
    for row in rows:
        sheet.append([c if i in as_text else xlsx_value(c) for i, c in enumerate(row)])
    as_text_cells(sheet)  # text from documents is never a formula
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, float) and columns[cell.column - 1].endswith(", share"):
                cell.number_format = "0%"
            elif cell.is_date:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    for index, column in enumerate(columns, start=1):
        longest = max([len(str(column))] + [len(str(r[index - 1])) for r in rows[:500] if index - 1 < len(r)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest + 2))


SHARE = re.compile(r"(\d+) \((\d+)%\)")
#: Words a shortened sheet name does not end on.
_DANGLING = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "they", "to", "with", "without",
             "against", "what"}


def sheet_name(title: str, used: set[str] = frozenset()) -> str:
    """A sheet name for ``title``: no characters a sheet name may not hold, no trailing row count, cut at a word to
    at most 31 characters (never ending on 'and', 'by'...), and not one of ``used``.

    >>> sheet_name("Recommendations and actions by shared theme (12)")
    'Recommendations and actions'
    >>> sheet_name("Headline figures", {"Headline figures"})
    'Headline figures (2)'
    """
    text = re.sub(r"\s*\(\d+\)$", "", "".join(ch for ch in title if ch not in "[]:*?/\\")).strip() or "Sheet"
    words = text.split()
    while len(" ".join(words)) > 31 or (len(words) > 1 and words[-1].lower() in _DANGLING
                                         and len(" ".join(words)) < len(text)):
        words.pop()
        if not words:
            words = [text[:31]]
            break
    name = " ".join(words)
    n = 2
    while name in used:
        suffix = f" ({n})"
        name = " ".join(words)[:31 - len(suffix)] + suffix
        n += 1
    return name


def _shares_split(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[list]]:
    """Columns whose cells are all shares ('3 (50%)', or 'none') as two columns: the count and the share."""
    shares = [i for i, _ in enumerate(columns)
              if rows and all(i < len(r) and (SHARE.fullmatch(str(r[i])) or r[i] == "none") for r in rows)]
    if not shares:
        return columns, rows
    out_columns: list[str] = []
    for i, column in enumerate(columns):
        out_columns += [column, f"{column}, share"] if i in shares else [column]
    out_rows = []
    for r in rows:
        row: list = []
        for i, value in enumerate(r):
            if i in shares:
                m = SHARE.fullmatch(str(value))
                row += [int(m[1]), int(m[2]) / 100] if m else [0, None]
            else:
                row.append(value)
        out_rows.append(row)
    return out_columns, out_rows
