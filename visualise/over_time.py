"""A council's plans over time as inline SVG: for each of its documents, by date, how many actions it sets and the
share of them that name an accountable officer, an oversight body and a readable due date."""
from __future__ import annotations

import html

#: The shares drawn for each document: (row key, legend text, colour).
SHARES = (("with_owner", "accountable officer", "#1f78b4"), ("with_oversight", "oversight body", "#e6550d"),
          ("with_due_date", "readable due date", "#31a354"))


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _when(row: dict) -> str:
    issued = (row.get("issued") or "").strip()
    return issued[:4] if issued[:4].isdigit() else "undated"


def over_time_chart(rows: list[dict], *, height: int = 220) -> str:
    """Grouped columns, one group per document (``council-over-time`` rows, in the order given): the share of its
    actions naming an accountable officer, an oversight body and a readable due date, with the number of actions
    above each group and the document's year below. Every column says its count and share on hover. Empty string
    when no document sets any action. The ``viewBox`` lets a page shrink it to a narrow screen."""
    rows = [r for r in rows if _int(r.get("actions")) or _int(r.get("recommendations"))]
    if not rows:
        return ""
    column, inner, left, top, bottom = 18, 12, 40, 40, 46
    group = column * len(SHARES) + 2 * inner
    width = left + group * len(rows) + 10
    inline = width >= 560  # the legend on one line; else one entry a line, so a few documents make a narrow chart
    width = max(width, 250)
    legend = 22 if inline else 18 * len(SHARES) + 4
    narrow = "" if inline else ' class="narrow"'
    plot = height - top - bottom
    e = html.escape
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + legend}" width="{width}" '
              f'height="{height + legend}"{narrow} role="img" aria-labelledby="over-time-title">'),
             ('<title id="over-time-title">For each document, by date: its actions and the share of them naming an '
              'accountable officer, an oversight body and a readable due date</title>')]
    for share in (0, 50, 100):
        y = top + plot * (1 - share / 100)
        parts.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#d9d9d9"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{share}%</text>')
    for i, row in enumerate(rows):
        x0 = left + i * group + inner
        actions = _int(row.get("actions"))
        name = row.get("title") or row.get("document") or ""
        when = _when(row)
        parts.append(f'<text x="{x0 + column * 1.5:.1f}" y="{top - 8}" font-size="11" text-anchor="middle">'
                     f'{actions}<title>{e(name)}: {actions} actions, {_int(row.get("recommendations"))} '
                     f'recommendations</title></text>')
        for j, (key, what, colour) in enumerate(SHARES):
            n = _int(row.get(key))
            share = n / actions if actions else 0
            h = plot * share
            parts.append(f'<rect x="{x0 + j * column}" y="{top + plot - h:.1f}" width="{column - 2}" '
                         f'height="{max(h, 0.5):.1f}" fill="{colour}"><title>{e(name)} ({e(when)}): {n} of '
                         f'{actions} actions name {"an" if what[0] in "aeiou" else "a"} {e(what)} '
                         f'({share:.0%})</title></rect>')
        parts.append(f'<text x="{x0 + column * 1.5:.1f}" y="{top + plot + 16}" font-size="11" '
                     f'text-anchor="middle">{e(when)}<title>{e(name)}</title></text>')
    y = height + 4
    x = left
    parts.append(f'<text x="0" y="{top - 24}" font-size="11">actions:</text>')
    for _, what, colour in SHARES:
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="{y + 11}" font-size="11">{e(what)}</text>')
        if inline:
            x += 30 + 7 * len(what)
        else:
            y += 18
    parts.append("</svg>")
    return "".join(parts)
