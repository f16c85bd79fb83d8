"""The compare page and its downloads: councils side by side by status and by shared theme, as tables and as SVG
charts drawn on the server, over the councils and document years chosen in the URL.

Each chart is one function of the URL's parameters (:func:`charts`), so ``/compare/status.svg`` and
``/compare/themes.svg`` are exactly the charts the page shows; ``/compare/status-words.ttl`` is each council's
own status words and the common status each is counted at, as SKOS concept schemes a person can edit and load
back (``govgraph load``).
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from govgraph.queries import QueryError
from govgraph.server import service
from govgraph.server.context import ReadStore
from govgraph.server.pages import render

router = APIRouter(include_in_schema=False)

SVG = "image/svg+xml"
#: The heatmap is drawn for at most this many councils (more rows than anyone reads, and megabytes of cells).
HEATMAP_ROWS = 60


@dataclass
class Choice:
    """What the compare page shows: councils (names or IRIs; none: all), a year range (either end open) and the
    measure the heatmap colours by."""

    councils: list[str]
    year_from: int | None
    year_to: int | None
    measure: str

    def query(self) -> list[tuple[str, str]]:
        """The choice as URL parameters, in the page's order (empty ones left out)."""
        out = [("council", c) for c in self.councils]
        out += [(k, str(v)) for k, v in (("from", self.year_from), ("to", self.year_to)) if v is not None]
        return out + ([("measure", self.measure)] if self.measure != "actions" else [])


def _year(name: str, raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit() or len(raw.strip()) != 4:
        raise QueryError(f"parameter {name!r} must be a year of four digits (2021), not {raw!r}")
    return int(raw)


def choice(council: list[str], year_from: str | None, year_to: str | None, measure: str) -> Choice:
    """The compare page's parameters read and checked. :raises QueryError: a year that is not one, or a measure
    other than actions or recommendations."""
    from govgraph.visualise.charts import MEASURES

    if measure not in MEASURES:
        raise QueryError(f"parameter 'measure' must be one of {', '.join(MEASURES)}, not {measure!r}")
    return Choice([c for c in council if c.strip()], _year("from", year_from), _year("to", year_to), measure)


def comparison(store, chosen: Choice) -> service.Comparison:
    """The comparison of the chosen councils and years (kept per read snapshot: not to be changed)."""
    return service.compare(store, council=chosen.councils, year_from=chosen.year_from, year_to=chosen.year_to)


def charts(c, measure: str) -> dict[str, str | None]:
    """The page's two charts as SVG text (None where there is nothing to draw): ``status``, the stacked bars of
    actions by status with each council's own words on hover, and ``themes``, the council × theme heatmap."""
    from govgraph.visualise.charts import theme_heatmap
    from govgraph.visualise.report import status_chart

    mix = {name: {status: counts[name] for status, counts in c.status.items() if counts.get(name)}
           for name in c.councils}
    words: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for w in c.words:
        words.setdefault(w.council, {}).setdefault(w.status, []).append((w.words, w.actions))
    return {"status": status_chart(mix, words=words) if any(sum(m.values()) for m in mix.values()) else None,
            "themes": theme_heatmap(c.councils, c.themes, measure=measure, columns=service.shared_themes())
            if 0 < len(c.councils) <= HEATMAP_ROWS else None}


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, store: ReadStore, council: list[str] = Query(default=[]),
                 year_from: str | None = Query(None, alias="from"), year_to: str | None = Query(None, alias="to"),
                 measure: str = "actions"):
    from urllib.parse import urlencode

    chosen = choice(council, year_from, year_to, measure)
    c = comparison(store, chosen)
    every = comparison(store, Choice([], None, None, "actions")) if chosen.query() else c
    totals = {name: sum(counts.get(name, 0) for counts in c.status.values()) for name in c.councils}
    drawn = charts(c, chosen.measure)
    return render(request, "compare.html", {
        "title": "Councils side by side", "c": c, "chosen": chosen, "every": every.councils, "years": every.years,
        "totals": totals, "query": urlencode(chosen.query()), "heatmap_rows": HEATMAP_ROWS,
        "charts": {k: Markup(v) if v else None for k, v in drawn.items()}})


@router.get("/compare/{name}.svg")
def compare_chart(name: str, store: ReadStore, council: list[str] = Query(default=[]),
                  year_from: str | None = Query(None, alias="from"), year_to: str | None = Query(None, alias="to"),
                  measure: str = "actions"):
    """One chart of the compare page as an SVG file (``status`` or ``themes``), for the same parameters."""
    from fastapi import HTTPException

    if name not in ("status", "themes"):
        raise HTTPException(404, f"no chart {name!r}; the compare page draws 'status' and 'themes'")
    chosen = choice(council, year_from, year_to, measure)
    c = comparison(store, chosen)
    svg = charts(c, chosen.measure)[name]
    if svg is None:
        raise HTTPException(404, "nothing to draw for these councils and years" if name == "status" or
                            len(c.councils) <= HEATMAP_ROWS else
                            f"the heatmap is drawn for at most {HEATMAP_ROWS} councils: choose some (council=...)")
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, media_type=SVG, headers={
        "Content-Disposition": f'attachment; filename="govgraph-compare-{name}.svg"'})


@router.get("/compare/status-words.ttl")
def status_words_turtle(store: ReadStore, council: list[str] = Query(default=[]),
                        year_from: str | None = Query(None, alias="from"),
                        year_to: str | None = Query(None, alias="to")):
    """Each chosen council's own status words and the common status each maps to, as SKOS concept schemes in
    Turtle: edit a ``skos:exactMatch`` and load the file (``govgraph load``) to count the words at another
    status."""
    chosen = choice(council, year_from, year_to, "actions")
    words = service.compare(store, council=chosen.councils, year_from=chosen.year_from, year_to=chosen.year_to,
                            every_word=True).words
    return Response(service.status_words_turtle(words), media_type="text/turtle",
                    headers={"Content-Disposition": 'attachment; filename="govgraph-status-words.ttl"'})
