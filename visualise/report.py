"""The gap and accountability report as Markdown, HTML (with an inline SVG chart, no outside resources) or XLSX.

Rendering only: :class:`Report` is filled by the service layer (``service.build_report``); every text that came
from a document is escaped where it is inserted.
"""
from __future__ import annotations

import html
import io
from dataclasses import dataclass, field

STATUS_COLOURS = {"completed": "#2e7d32", "on track": "#66bb6a", "in progress": "#42a5f5", "slippage": "#ef6c00",
                  "not started": "#9e9e9e", "deferred": "#8d6e63", "no status reported": "#e0e0e0"}


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


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


def status_chart(mix: dict[str, dict[str, int]], *, width: int = 640) -> str:
    """Horizontal stacked bars, one per council, of actions by status, as inline SVG with a legend."""
    bar, gap, label_w = 22, 10, 190
    statuses = [s for s in STATUS_COLOURS if any(s in m for m in mix.values())]
    height = len(mix) * (bar + gap) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="Actions by status for each council">']
    for i, (council, counts) in enumerate(mix.items()):
        y = i * (bar + gap)
        total = sum(counts.values()) or 1
        parts.append(f'<text x="0" y="{y + 16}" font-size="12">{html.escape(council)}</text>')
        x = label_w
        for status in statuses:
            n = counts.get(status, 0)
            w = (width - label_w - 10) * n / total
            if n:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{STATUS_COLOURS[status]}">'
                             f'<title>{html.escape(council)}: {n} {html.escape(status)}</title></rect>')
            x += w
    y = len(mix) * (bar + gap) + 14
    x = 0
    for status in statuses:
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{STATUS_COLOURS[status]}"/>'
                     f'<text x="{x + 16}" y="{y + 11}" font-size="11">{html.escape(status)}</text>')
        x += 18 + 7 * len(status)
    parts.append("</svg>")
    return "".join(parts)


def to_html(report: Report) -> str:
    e = html.escape
    body = [f"<h1>{e(report.title)}</h1>", f"<p>{e(report.scope)}. Overdue judged at {e(report.as_of)}.</p>"]
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
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + e(report.title) +
            "</title><style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem}"
            "table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border-bottom:1px solid #ddd;"
            "padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def to_xlsx(report: Report) -> bytes:
    """One sheet per table, the headline first."""
    import openpyxl
    from openpyxl.styles import Font

    from govgraph.visualise.cells import as_text_cells, xlsx_value

    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in [report.headline, *report.sections]:
        name = "".join(ch for ch in table.title if ch not in "[]:*?/\\")[:28] or "Sheet"
        while name in used:
            name = name[:26] + str(len(used))
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append(table.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([xlsx_value(c) for c in row])
        as_text_cells(sheet)  # text from documents is never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
