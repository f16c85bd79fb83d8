"""Every page a person opens, through a real ``govgraph serve`` over HTTP, at N councils (40 by default): the time
from sending the request to the whole HTML (or file) received, as a browser's first byte to last would see it
on loopback. Target: each page's p95 within 300 ms.

The first request of each page after the server starts is reported apart ("first"): the whole-corpus views are
computed then and kept with the server's read-only snapshot. The store is the scaling section's (bulk-loaded
generated N-Quads, one review per council), so its figures sit beside those of the service calls.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from benchmarks.corpus import cached_corpus
from benchmarks.endpoint import Server, free_port
from benchmarks.measure import Figure, Ratio, build_store
from benchmarks.scaling import AS_OF, PICK, PROFILE

#: the SPARQL page's chart view is timed on this query: actions by status in one council's documents
STATUS_COUNTS = """PREFIX gg: <https://w3id.org/govgraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?status (COUNT(DISTINCT ?action) AS ?actions) WHERE {
  ?council skos:prefLabel "Benchmark Council 0000"@en .
  ?action gg:councilOf ?council ; a gg:Action . ?update gg:statusOf ?action ; gg:status/skos:prefLabel ?status .
} GROUP BY ?status ORDER BY DESC(?actions)"""
#: each page's p95, in seconds
TARGET_S = 0.3
ID = "https://w3id.org/govgraph/id/"


@dataclass
class PageFigures:
    councils: int
    first: dict[str, Figure] = field(default_factory=dict)  # the first request after the server started
    after: dict[str, Figure] = field(default_factory=dict)  # the requests after it


def _path(iri: str) -> str:
    return "/id/" + quote(iri[len(ID):], safe="/") if iri.startswith(ID) else "/resource?iri=" + quote(iri, safe="")


def pages(items: dict[str, str]) -> list[tuple[str, str]]:
    """(name, path) of every page, about the things ``items`` picked (council, action, recommendation, ...)."""
    council = items["council"]
    scope = urlencode({"council": council})
    out = [("dashboard", "/"), ("dashboard as of a date", f"/?as_of={AS_OF}")]
    out += [(f"{kind} page", _path(items[kind])) for kind in
            ("council", "review", "recommendation", "action", "post", "person", "body", "document") if items.get(kind)]
    out += [("council page as of a date", _path(council) + f"?as_of={AS_OF}"),
            ("council by name", "/council/Benchmark%20Council%200000"),
            ("compare (all councils)", "/compare"), ("compare (one council)", f"/compare?{scope}"),
            ("compare (years chosen)", "/compare?from=2020&to=2022"),
            ("compare heatmap as SVG", f"/compare/themes.svg?{scope}"),
            ("network (one council)", f"/network?{scope}"),
            ("network (one review)", "/network?" + urlencode({"review": items["review"]})),
            ("search by words", "/search?q=audit+committee"), ("search by number", "/search?q=1.1"),
            ("named queries", "/queries"), ("gap list (one council)", f"/queries/actions-without-owner?{scope}"),
            ("gap list sorted, a facet chosen", f"/queries/actions-without-oversight?{scope}&_sort=number&_desc=1"
                                                "&_overdue=overdue"),
            ("gap list as XLSX", f"/queries/actions-without-owner.xlsx?{scope}"),
            ("overdue (one council, as of)", f"/queries/overdue-actions?{scope}&as_of={AS_OF}"),
            ("post's workload", "/queries/post-workload?" + urlencode({"post": items["post"]})),
            ("report (one council)", f"/report.html?{scope}&as_of={AS_OF}"),
            ("SPARQL page", "/sparql"),
            ("SPARQL results as a chart", "/sparql?" + urlencode({"view": "chart", "query": STATUS_COUNTS})),
            ("documents", "/documents"), ("upload", "/upload")]
    return out


def _pick(store: Path) -> dict[str, str]:
    from govgraph import queries
    from govgraph.queries.store import OxigraphStore

    db = OxigraphStore.open(store, read_only=True)
    try:
        row = db.select(queries.PREFIX_BLOCK + PICK).values()[0]
    finally:
        db.close()
    return {k: v for k, v in row.items() if v}


def measure_size(store: Path, councils: int, *, repeat: int, cap_s: float, log=print) -> PageFigures:
    import httpx

    items = _pick(store)
    port = free_port()
    command = [sys.executable, "-m", "govgraph.server.cli", "serve", "--store", str(store), "--port", str(port)]
    out = PageFigures(councils)
    with Server(command, port, "/healthz") as server, httpx.Client(
            base_url=server.base, timeout=cap_s, headers={"accept": "text/html,*/*;q=0.8"}) as http:  # as a browser asks
        for name, path in pages(items):
            first, after = Figure(name), Figure(name)
            try:
                for figure, times in ((first, 1), (after, repeat)):
                    for _ in range(times):
                        started = time.perf_counter()
                        answer = http.get(path, follow_redirects=True)
                        took = time.perf_counter() - started
                        if answer.status_code != 200:
                            raise RuntimeError(f"{path}: HTTP {answer.status_code}")
                        figure.runs.append(took)
            except httpx.TimeoutException:
                after.runs, after.note = [], f"over the {cap_s:g} s limit"
            except (RuntimeError, httpx.HTTPError) as exc:
                after.runs, after.note = [], f"failed: {exc}"[:120]
            out.first[name], out.after[name] = first, after
            log(f"  {councils:>5} councils  {name:32} first {first.text():28} then {after.text()}")
    return out


def measure(councils: int, work: Path, *, repeat: int = 20, cap_s: float = 30.0, log=print) -> PageFigures:
    corpus = cached_corpus(work / "corpora", councils=councils, profile=PROFILE, workers=2)
    store, _ = build_store(corpus.path, work / "stores" / corpus.path.stem)
    return measure_size(store, councils, repeat=repeat, cap_s=cap_s, log=log)


def ratios(figures: PageFigures) -> list[Ratio]:
    """Each page's p95 over the 300 ms target (met when at most 1)."""
    budget = Figure("300 ms", [TARGET_S])
    return [Ratio(f"{name} at {figures.councils:,} councils: p95 / 300 ms", figure, budget, at_most=1.0,
                  use_p95=True) for name, figure in figures.after.items()]
