"""The council × theme heatmap of the compare page, as SVG drawn on the server.

Rendering only, like :func:`govgraph.visualise.report.status_chart`: the counts come from the service layer
(``service.compare``); every name is escaped where it is inserted. The SVG stands alone (its own namespace, fonts
and colours, no CSS or script), so the file a person downloads is the chart the page shows.

>>> svg = theme_heatmap(["Derby"], {("LGA", "Capacity"): {"Derby": (2, 5)}})
>>> ">5</text>" in svg and 'role="img"' in svg
True
"""
from __future__ import annotations

from html import escape

#: The colour steps of a cell, lightest (fewest) to darkest (most): ColorBrewer's sequential Blues.
STEPS = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
EMPTY = "#f6f6f6"
MEASURES = {"actions": "actions", "recommendations": "recommendations"}


def _step(n: int, most: int) -> int:
    """The colour step of a count: 0 to len(STEPS) - 1, in proportion to the largest count."""
    if n <= 0 or most <= 0:
        return -1
    return min(len(STEPS) - 1, (n * len(STEPS) - 1) // most)


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def theme_heatmap(councils: list[str], themes: dict[tuple[str, str], dict[str, tuple[int, int]]], *,
                  measure: str = "actions", columns: list[tuple[str, str]] | None = None) -> str:
    """Rows of councils, columns of shared themes ((scheme, theme): ``columns``, every theme of the schemes, else
    those of ``themes``; grouped by scheme, in the order given), each cell coloured by
    how many ``measure`` (``actions`` or ``recommendations``) the council files under the theme, with the number
    written in it; a legend of the colour steps below. Each cell says council, theme and both counts on hover.

    :raises ValueError: an unknown measure."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    at = 1 if measure == "actions" else 0
    cell, label_w, header_h, gap = 40, 200, 170, 10
    columns = list(dict.fromkeys([*(columns or []), *themes]))
    schemes = list(dict.fromkeys(scheme for scheme, _ in columns))
    x_of, x = {}, label_w
    for i, key in enumerate(columns):
        if i and key[0] != columns[i - 1][0]:
            x += gap  # a gap between the schemes' columns
        x_of[key] = x
        x += cell
    grid_w = x
    most = max((counts.get(c, (0, 0))[at] for counts in themes.values() for c in councils), default=0)
    grid_bottom = header_h + cell * len(councils)
    width = max(grid_w + 130, 420)  # room for the last slanted header
    height = grid_bottom + 30 + 20 + 44
    title = f"{measure.capitalize()} under each shared theme, by council"
    desc = (f"A grid of {len(councils)} councils by {len(columns)} shared themes; each cell holds how many "
            f"{measure} the council files under the theme, darker for more (at most {most}).")
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-labelledby="heatmap-title heatmap-desc" '
            f'font-family="system-ui, sans-serif" font-size="12" fill="#1b1b1b">'),
           f'<title id="heatmap-title">{escape(title)}</title><desc id="heatmap-desc">{escape(desc)}</desc>']
    for key in columns:  # headers, slanted to fit a narrow column
        cx = x_of[key] + cell / 2
        out.append(f'<text transform="translate({cx + 4:.0f} {header_h - 6}) rotate(-55)" font-size="11">'
                   f'<title>{escape(key[0])}: {escape(key[1])}</title>{escape(_fit(key[1], 30))}</text>')
    cells = ['<g text-anchor="middle">']  # each cell as small as it can be: a page may draw a few thousand
    for row, council in enumerate(councils):
        y = header_h + row * cell
        out.append(f'<text x="{label_w - 8}" y="{y + cell / 2 + 4:.0f}" text-anchor="end">'
                   f'<title>{escape(council)}</title>{escape(_fit(council, 28))}</text>')
        for key in columns:
            counts = themes.get(key, {}).get(council, (0, 0))
            n = counts[at]
            step = _step(n, most)
            fill = STEPS[step] if step >= 0 else EMPTY
            ink = ' fill="#ffffff"' if step >= 3 else ""
            cells.append(f'<g><title>{escape(council)}, {escape(key[1])}: {counts[1]} actions, {counts[0]} '
                         f'recommendations</title><rect x="{x_of[key]}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                         f'fill="{fill}"/><text x="{x_of[key] + cell // 2 - 1}" y="{y + cell // 2 + 3}"{ink}>{n}</text></g>')
    out += cells + ["</g>"]
    for scheme in schemes:  # each scheme's name under its columns
        xs = [x_of[k] for k in columns if k[0] == scheme]
        left, right = xs[0], xs[-1] + cell - 2
        out.append(f'<line x1="{left}" y1="{grid_bottom + 6}" x2="{right}" y2="{grid_bottom + 6}" stroke="#767676"/>'
                   f'<text x="{left}" y="{grid_bottom + 20}" font-size="11"><title>{escape(scheme)}</title>'
                   f'{escape(_fit(scheme, max(4, (right - left) // 6)))}</text>')
    y = grid_bottom + 44
    out.append(f'<text x="0" y="{y + 11}" font-size="11">{escape(measure.capitalize())}:</text>')
    x = 90
    for step, colour in enumerate(STEPS):
        low = 1 if step == 0 else (most * step) // len(STEPS) + 1
        high = (most * (step + 1)) // len(STEPS)
        if most and low <= high:
            text = str(low) if low == high else f"{low}–{high}"
            out.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}" stroke="#bdbdbd"/>'
                       f'<text x="{x + 18}" y="{y + 11}" font-size="11">{text}</text>')
            x += 24 + 7 * len(text)
    out.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{EMPTY}" stroke="#bdbdbd"/>'
               f'<text x="{x + 18}" y="{y + 11}" font-size="11">none</text>')
    out.append("</svg>")
    return "".join(out)
