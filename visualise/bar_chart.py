"""A horizontal bar chart as inline SVG, drawn on the server: nothing to load, nothing to run.

One bar per (label, value), labels on the left, each bar's value at its end, a value axis with ticks below, both
axes titled. Every text is escaped. The SVG has a ``viewBox``, so a page may shrink it to a narrow screen
(``max-width: 100%; height: auto``), and is one image to assistive technology (``role="img"`` with a title and a
description), each bar also saying its label and value on hover.
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence

from govgraph.visualise.results import Bar, number_text

WIDTH = 720
BAR = 20
GAP = 6
LABEL_CHARS = 34
CHAR = 6.6  # the width of an average character at 12 px, for laying out text without a browser
COLOUR = "#1d4f91"
NEGATIVE = "#b3261e"


def nice_ticks(low: float, high: float, *, most: int = 6, whole: bool = False) -> list[float]:
    """Round tick values from at most ``low`` to at least ``high``, about ``most`` of them at most; ``whole``
    numbers only when the values are counts.

    >>> nice_ticks(0, 21), nice_ticks(-5, 5), nice_ticks(0, 3, whole=True), nice_ticks(0, 0.3)
    ([0.0, 5.0, 10.0, 15.0, 20.0, 25.0], [-6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0], [0.0, 1.0, 2.0, 3.0], [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3])
    """
    if high <= low:
        high = low + 1
    raw = (high - low) / most
    if whole:
        raw = max(raw, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step)
    last = math.ceil(high / step)
    return [round(i * step, 10) + 0.0 for i in range(first, last + 1)]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart_svg(bars: Sequence[Bar], *, label_axis: str, value_axis: str, title: str) -> str:
    """The bars as one ``<svg>`` element: ``title`` names it, ``label_axis`` and ``value_axis`` title its axes.

    >>> svg = bar_chart_svg([Bar("Leeds", 21, "21"), Bar("Derby", 4, "4")], label_axis="name", value_axis="actions",
    ...                     title="Actions by name")
    >>> svg.count('class="bar"'), 'role="img"' in svg, ">actions</text>" in svg
    (2, True, True)
    """
    e = html.escape
    values = [float(b.value) for b in bars]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]), whole=all(v.is_integer() for v in values))
    low, high = ticks[0], ticks[-1]
    label_w = min(LABEL_CHARS, max([len(label_axis), *(len(_short(b.label)) for b in bars)])) * CHAR + 12
    value_w = max([len(b.text) for b in bars] or [1]) * CHAR + 10
    plot_x, plot_w = label_w, WIDTH - label_w - value_w
    top = 26
    height = top + len(bars) * (BAR + GAP) + 52

    def x(value: float) -> float:
        return plot_x + (value - low) / (high - low) * plot_w

    zero = x(0.0)
    bottom = top + len(bars) * (BAR + GAP)
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
              f'height="{height}" role="img" aria-labelledby="chart-title chart-desc" class="bar-chart" '
              f'font-family="system-ui, sans-serif" font-size="12">'),
             f'<title id="chart-title">{e(title)}</title>',
             (f'<desc id="chart-desc">{len(bars)} bars, one per row: {e(value_axis)} for each {e(label_axis)}; '
              f'the same values are in the table.</desc>'),
             f'<text x="0" y="14" font-weight="600" class="axis-title">{e(label_axis)}</text>']
    for tick in ticks:
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{bottom}" stroke="#e3e3e3"/>'
                     f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#444">'
                     f'{e(number_text(tick))}</text>')
    for i, bar in enumerate(bars):
        y = top + i * (BAR + GAP)
        end = x(bar.value)
        left, width = min(zero, end), abs(end - zero)
        after = max(zero, end) + 4
        parts.append(f'<g class="bar"><title>{e(bar.label)}: {e(bar.text)}</title>'
                     f'<text x="{plot_x - 8:.1f}" y="{y + 14}" text-anchor="end">{e(_short(bar.label))}</text>'
                     f'<rect x="{left:.1f}" y="{y}" width="{max(width, 0.5):.1f}" height="{BAR}" '
                     f'fill="{NEGATIVE if bar.value < 0 else COLOUR}"/>'
                     f'<text x="{after:.1f}" y="{y + 14}" fill="#1b1b1b">{e(bar.text)}</text></g>')
    parts.append(f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{bottom}" stroke="#555"/>'
                 f'<line x1="{plot_x:.1f}" y1="{bottom}" x2="{plot_x + plot_w:.1f}" y2="{bottom}" stroke="#555"/>'
                 f'<text x="{plot_x + plot_w / 2:.1f}" y="{bottom + 38}" text-anchor="middle" font-weight="600" '
                 f'class="axis-title">{e(value_axis)}</text></svg>')
    return "".join(parts)


__all__ = ["bar_chart_svg", "nice_ticks"]
