"""One command that measures govgraph beside the engine underneath, in one run, and writes the results as Markdown.

    python -m benchmarks.run                 # full size (make bench): writes benchmarks/RESULTS.md
    python -m benchmarks.run --smoke         # everything at a tiny size in well under a minute (make bench-smoke)
    python -m benchmarks.run --query-sizes 1000000 --skip maps,memory   # sizes mean what they say

Sections: the generated corpus; named queries through govgraph against pyoxigraph (and rdflib at the smaller
size); the HTTP endpoints against ``oxigraph serve-read-only``; network maps; peak memory; scaling with councils;
matching; loading (``benchmarks/load.py``, when present). Corpora and stores are kept in the work folder and reused
by later runs. Every figure is a median with its min-max and run count; every ratio says its target and whether it
was met. Figures vary with the machine's load: compare within one run.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import corpus as corpus_module
from benchmarks.measure import Figure, Ratio, build_store, fmt, machine

HERE = Path(__file__).resolve().parent


@dataclass
class Settings:
    """Sizes and limits of one run."""

    query_sizes: list[int]  # triples
    rdflib_size: int | None  # triples; the query size rdflib is compared at
    endpoint_size: int
    map_nodes: list[int]
    scaling_councils: list[int]
    memory_size: int
    matching_councils: int
    pages_councils: int = 40
    query_cap_s: float = 20.0
    query_budget_s: float = 4.0
    page_cap_s: float = 60.0
    endpoint_requests: int = 400
    endpoint_seconds: float = 20.0
    repeat: int = 20
    profile: corpus_module.Profile = field(default_factory=corpus_module.Profile)


FULL = Settings(query_sizes=[1_000_000, 10_000_000], rdflib_size=1_000_000, endpoint_size=1_000_000,
                map_nodes=[500, 5_000, 50_000], scaling_councils=[1, 10, 100, 1000], memory_size=10_000_000,
                matching_councils=1000, query_cap_s=10.0, query_budget_s=3.0, page_cap_s=30.0)
SMOKE = Settings(query_sizes=[3_000], rdflib_size=3_000, endpoint_size=3_000, map_nodes=[100, 300],
                 scaling_councils=[1, 2], memory_size=3_000, matching_councils=3, query_cap_s=5.0,
                 query_budget_s=0.05, page_cap_s=20.0, endpoint_requests=16, endpoint_seconds=1.0, repeat=1,
                 pages_councils=2,
                 profile=corpus_module.Profile(years=5))
SECTIONS = ["queries", "views", "endpoint", "maps", "memory", "scaling", "pages", "matching", "loading"]


@dataclass
class Report:
    """The Markdown being written, section by section."""

    lines: list[str] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.add("| " + " | ".join(header) + " |", "|" + "---|" * len(header))
        self.add(*("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows))
        self.add("")


STARTED = time.monotonic()


def log(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {text}", flush=True)


def corpus_of(work: Path, triples: int, report_rows: list, profile: corpus_module.Profile
              ) -> tuple[Path, Path, int]:
    """The corpus of about ``triples`` quads and its on-disk store (generated and loaded once, then reused)."""
    started = time.perf_counter()
    info = corpus_module.cached_corpus(work / "corpora", triples=triples, profile=profile, workers=2)
    generated = time.perf_counter() - started
    store, load_s = build_store(info.path, work / "stores" / info.path.stem)
    reused = "" if generated > 1 else " (an earlier run; reused)"
    report_rows.append([f"{triples:,}", f"{info.councils:,}", f"{info.quads:,}",
                        f"{info.seconds:.0f} s{reused}" if info.seconds else "an earlier run (reused)",
                        f"{load_s:.1f} s ({info.quads / load_s:,.0f} quads/s)" if load_s else "reused"])
    return info.path, store, info.quads


# --- sections --------------------------------------------------------------------------------------------------

def section_queries(report: Report, settings: Settings, work: Path, corpora: dict) -> None:
    from benchmarks import queries

    report.add("## Named queries: govgraph against pyoxigraph (and rdflib)", "",
               "Each named query through `service.run_query`, against the same SPARQL (recorded from govgraph's own "
               "call) sent straight to pyoxigraph on the same read-only on-disk store, in one worker process. "
               "Whole-corpus cases run as the gap report runs them; council cases for one council; item cases for "
               f"one thing (target: govgraph / pyoxigraph <= {queries.OVERHEAD_TARGET}x). A run past "
               f"{settings.query_cap_s:g} s is stopped (the worker is killed). rdflib runs the same SPARQL on a "
               "`Dataset(default_union=True)` parsed from the same N-Quads, with the same time limit.", "")
    for size in settings.query_sizes:
        path, store, quads = corpora[size]
        with_rdflib = path if size == settings.rdflib_size else None
        log(f"queries at {quads:,} quads" + (" (and rdflib)" if with_rdflib else ""))
        figures, extra = queries.measure(store, corpus=with_rdflib, cap_s=settings.query_cap_s,
                                         rdflib_repeat=max(1, settings.repeat // 4),
                                         repeat=settings.repeat, budget_s=settings.query_budget_s,
                                         rdflib_cap_s=settings.query_cap_s, log=log)
        report.add(f"### {quads:,} quads", "")
        if "rdflib parse" in extra:
            report.add(f"rdflib parsed the corpus in {extra['rdflib parse']:.1f} s.", "")
        header = ["query (scope)", "rows", "govgraph p50 (min-max, n)", "govgraph p95", "pyoxigraph p50 (min-max, n)",
                  "pyoxigraph p95", "govgraph / pyoxigraph"]
        if with_rdflib:
            header += ["rdflib p50", "rdflib / pyoxigraph"]
        rows = []
        for f in figures:
            row = [f.case.label, f.rows if f.rows is not None else "-", f.govgraph.text(),
                   fmt(f.govgraph.p95, "s") if f.govgraph.ok else "-", f.pyoxigraph.text(),
                   fmt(f.pyoxigraph.p95, "s") if f.pyoxigraph.ok else "-", f.overhead.text()]
            if with_rdflib:
                row += [f.rdflib.text() if f.rdflib else "-", f.against_rdflib.text() if f.against_rdflib else "-"]
            rows.append(row)
            if f.case.scope == "item":
                overhead = f.overhead
                overhead.name = f"{overhead.name} at {quads:,} quads"
                report.ratios.append(overhead)
        report.table(header, rows)


def section_views(report: Report, settings: Settings, corpora: dict) -> None:
    """The service calls of the scaling section on the query corpora: many years of documents per council."""
    from benchmarks import scaling

    report.add("## Pages and views on the query corpora", "",
               "The service calls of the scaling section (below) on the corpora of the named queries: each council "
               f"with {settings.profile.years} years of documents, so shared nodes (a council, a post, a body) are "
               "stated again in many documents. Pages about one thing should stay under 100 ms; whole-corpus views "
               "are computed once per read-only snapshot and kept with it ('first on a snapshot': the first "
               "request after the store changed, the snapshot opened afresh and timed; target for both: p95 <= "
               "300 ms at 10M triples).", "")
    sizes = []
    for size in settings.query_sizes:
        _, store, quads = corpora[size]
        log(f"views at {quads:,} quads")
        sizes.append(scaling.measure_size(store, 0, 0.0, cap_s=settings.page_cap_s,
                                          repeat=max(1, settings.repeat // 3), budget_s=settings.query_budget_s * 2,
                                          log=log))
    names = list(sizes[0].figures) if sizes else []
    report.table(["service call"] + [f"{s.quads:,} quads" for s in sizes],
                 [[n] + [_with_p95(s.figures[n]) if n in s.figures else "-" for s in sizes] for n in names])
    for s in sizes:
        for name, figure in s.figures.items():
            if figure.ok and "(whole corpus)" not in name:
                report.ratios.append(Ratio(f"{name} at {s.quads:,} quads: time over 100 ms", figure,
                                           Figure("100 ms", [0.1]), at_most=1.0))
            elif figure.ok and name.startswith(("dashboard", "compare", "gap counts")):
                report.ratios.append(Ratio(f"{name} at {s.quads:,} quads: p95 over 300 ms", figure,
                                           Figure("300 ms", [0.3]), at_most=1.0, use_p95=True))


def _with_p95(figure: Figure) -> str:
    return f"{figure.text()}, p95 {fmt(figure.p95, 's')}" if figure.ok else figure.text()


def section_endpoint(report: Report, settings: Settings, work: Path, corpora: dict):
    from benchmarks import endpoint

    _, store, quads = corpora[settings.endpoint_size]
    log(f"endpoint at {quads:,} quads")
    run = endpoint.measure(store, requests=settings.endpoint_requests, seconds=settings.endpoint_seconds, log=log)
    report.add("## HTTP endpoints: `govgraph serve` against `oxigraph serve-read-only`", "",
               f"{quads:,} quads, {endpoint.CLIENTS} concurrent clients (httpx, one thread each) on loopback, each "
               f"test up to {settings.endpoint_requests} units of work or {settings.endpoint_seconds:g} s. The "
               "gap report is one `GET /api/gaps?council=...` on govgraph and the five SPARQL queries it runs, one "
               "after another, on oxigraph.", "")
    rows = []
    for t in run.tests:
        for who, (throughput, latency, failed) in (("govgraph", t.govgraph), ("oxigraph", t.oxigraph)):
            rows.append([t.test, who, fmt(throughput.runs[0], "req/s"), latency.text(),
                         fmt(latency.p95, "s") if latency.ok else "-", len(latency.runs), failed])
        report.ratios.append(t.ratio)
    report.table(["test", "server", "throughput", "latency p50 (min-max, n)", "latency p95", "done", "failed"], rows)
    report.add("| test | govgraph / oxigraph throughput |", "|---|---|",
               *(f"| {t.test} | {t.ratio.text()} |" for t in run.tests), "")
    return run


def section_maps(report: Report, settings: Settings, work: Path) -> None:
    from benchmarks import maps

    log("maps")
    results = maps.measure(settings.map_nodes, work, repeat=min(3, settings.repeat), log=log)
    report.add("## Network maps", "",
               "Whole-corpus accountability network (`service.network`) of a store with enough councils for the "
               "node count, then `govgraph.visualise.maps.render_network` with every node and as the server "
               f"shows it (summarised past {maps.SERVER_LIMIT:,} nodes).", "")
    rows = [[f"{r.target:,}", f"{r.nodes:,}", f"{r.edges:,}", r.councils] + [f.text() for f in r.figures.values()]
            for r in results]
    names = [f.name for f in results[0].figures.values()] if results else []
    report.table(["target nodes", "nodes", "edges", "councils"] + names, rows)


def _bulk_load_rss(nquads: Path, folder: Path) -> tuple[float, int]:
    """Seconds and peak RSS of bulk-loading ``nquads`` into a new on-disk store, in a child process."""
    code = ("import sys, time, pyoxigraph as ox; s = ox.Store(sys.argv[2]); t = time.perf_counter(); "
            "s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS); s.flush(); print(time.perf_counter() - t)")
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, "-c", code, str(nquads), str(folder)], capture_output=True, text=True,
                         check=True, timeout=3600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    shutil.rmtree(folder, ignore_errors=True)
    # ru_maxrss of children is the largest of any child so far: only a new maximum is this child's own
    return float(out.stdout.strip()), max(after, before) * 1024 if after > before else after * 1024


def section_memory(report: Report, settings: Settings, work: Path, corpora: dict, served=None) -> None:
    """Peak RSS of bulk loading and of both servers at the memory size; ``served`` is the endpoint section's run,
    reused when it was at the same size."""
    from benchmarks import endpoint

    path, store, quads = corpora[settings.memory_size]
    log(f"memory at {quads:,} quads")
    load_s, load_rss = _bulk_load_rss(path, work / "stores" / "memory-probe")
    if served is not None and settings.memory_size == settings.endpoint_size:
        run, requests = served, settings.endpoint_requests
    else:
        requests = max(16, settings.endpoint_requests // 4)
        run = endpoint.measure(store, requests=requests, seconds=min(10.0, settings.endpoint_seconds), log=log)
    report.add("## Peak memory", "",
               f"{quads:,} quads. Loading: `Store(path).bulk_load` of the N-Quads in a child process (peak RSS from "
               f"`getrusage`; a larger earlier child would hide it). Serving: peak RSS (`VmHWM`) of each server "
               f"process after the endpoint tests at this size ({requests} units of work each).", "")
    rows = [["bulk_load into an on-disk store (engine)", fmt(load_rss, "B"), f"{load_s:.1f} s"]]
    rows += [[f"{name} (after the endpoint tests)", fmt(rss, "B") if rss else "?", ""] for name, rss in run.rss.items()]
    report.table(["process", "peak RSS", "time"], rows)
    report.add("Endpoint figures at this size:", "")
    def cell(figures) -> str:
        throughput, latency, _ = figures
        p95 = fmt(latency.p95, "s") if latency.ok else "-"
        return f"{fmt(throughput.runs[0], 'req/s')}, p95 {p95}"

    report.table(["test", "govgraph", "oxigraph", "ratio"],
                 [[t.test, cell(t.govgraph), cell(t.oxigraph), t.ratio.text()] for t in run.tests])


def section_scaling(report: Report, settings: Settings, work: Path) -> None:
    from benchmarks import scaling

    log("scaling")
    sizes = scaling.measure(settings.scaling_councils, work, cap_s=settings.page_cap_s,
                            repeat=max(1, settings.repeat // 3), budget_s=settings.query_budget_s * 2, log=log)
    report.add("## Scaling with councils", "",
               "The same service calls on stores of 1 to N councils (one review each), built by bulk-loading the "
               f"generated N-Quads. Pages about one thing should be flat (target: largest / "
               f"{scaling.BASE_COUNCILS:,} councils <= {scaling.FLAT_TARGET:g}x); whole-corpus views grow. A whole-"
               "corpus view is computed once per read-only snapshot and kept with it: 'first on a snapshot' is the "
               "first request after the store changed (the snapshot opened afresh, and timed), the other the "
               "requests after it.", "")
    header = ["service call"] + [f"{s.councils:,} councils ({s.quads:,} quads)" for s in sizes]
    names = list(sizes[0].figures) if sizes else []
    report.table(header, [[n] + [s.figures[n].text() if n in s.figures else "-" for s in sizes] for n in names])
    ratios = scaling.ratios(sizes)
    report.add("| service call | ratio |", "|---|---|", *(f"| {r.name} | {r.text()} |" for r in ratios),
               "")
    report.ratios += [r for r in ratios if r.at_most is not None]


def section_pages(report: Report, settings: Settings, work: Path) -> None:
    from benchmarks import pages

    log(f"pages at {settings.pages_councils:,} councils")
    figures = pages.measure(settings.pages_councils, work, repeat=settings.repeat, cap_s=settings.page_cap_s, log=log)
    report.add(f"## Every page at {settings.pages_councils:,} councils", "",
               "Each page through a real `govgraph serve` over HTTP (httpx, one client, loopback), on the scaling "
               "section's store: the first request after the server started (whole-corpus views are computed then "
               f"and kept with the snapshot), then {settings.repeat} more. Target: p95 within "
               f"{pages.TARGET_S * 1000:.0f} ms.", "")
    report.table(["page", "first", "then (median, min-max, n)", "p95"],
                 [[name, figures.first[name].text(), figure.text(), _with_p95(figure).rsplit("p95 ", 1)[-1]
                   if figure.ok else "-"] for name, figure in figures.after.items()])
    ratios = pages.ratios(figures)
    met = sum(1 for r in ratios if r.met)
    report.add(f"{met} of {len(ratios)} pages within {pages.TARGET_S * 1000:.0f} ms at p95"
               + ("." if met == len(ratios) else ": " + ", ".join(r.name.split(" at ")[0] for r in ratios
                                                                 if not r.met) + " not."), "")
    report.ratios += ratios


def section_matching(report: Report, settings: Settings) -> None:
    from benchmarks import matching

    log("matching")
    alone, among = matching.measure(settings.matching_councils, 30, repeat=min(5, settings.repeat))
    a, b = Figure("1 council", alone), Figure(f"{settings.matching_councils:,} councils", among)
    ratio = Ratio(f"matching one document: {settings.matching_councils:,} / 1 councils", b, a, at_most=2.0)
    report.add("## Matching on load", "",
               "`service.write_document` of one 30-action progress report (read, match, write) into a store of one "
               f"council and into one of {settings.matching_councils:,} (benchmarks/matching.py).", "")
    report.table(["store", "time"], [[a.name, a.text()], [b.name, b.text()], ["ratio", ratio.text()]])
    report.ratios.append(ratio)


def section_loading(report: Report, settings: Settings, work: Path, corpora: dict, smoke: bool) -> None:
    # ---- LOADING: measured by benchmarks/load.py, written separately. When that module is present and offers
    # ---- measure(corpus, work, smoke=...), its figures (Figure or Ratio objects, or Markdown lines) go here.
    try:
        from benchmarks import load as loading
    except ImportError:
        report.add("## Loading", "", "Not measured in this run: `benchmarks/load.py` is not present.", "")
        return
    if not hasattr(loading, "measure"):
        report.add("## Loading", "", "Not measured: `benchmarks/load.py` has no `measure` function.", "")
        return
    log("loading (benchmarks/load.py)")
    path, _, quads = corpora[settings.query_sizes[0]]
    results = loading.measure(path, work / "loading", smoke=smoke)
    report.add("## Loading", "", f"From `benchmarks/load.py` ({quads:,}-quad corpus).", "")
    for item in results or []:
        if isinstance(item, Ratio):
            report.add(f"- {item.name}: {item.text()}")
            report.ratios.append(item)
        elif isinstance(item, Figure):
            report.add(f"- {item.name}: {item.text()}")
        else:
            report.add(str(item))
    report.add("")


# --- the run ---------------------------------------------------------------------------------------------------

def run(settings: Settings, *, work: Path, out: Path, skip: set[str], smoke: bool) -> Report:
    started = time.perf_counter()
    report = Report()
    info = machine()
    corpus_rows: list = []
    sizes = sorted(set(settings.query_sizes + [settings.endpoint_size] * ("endpoint" not in skip)
                       + [settings.memory_size] * ("memory" not in skip)))
    corpora = {}
    for size in sizes:
        log(f"corpus of ~{size:,} triples")
        corpora[size] = corpus_of(work, size, corpus_rows, settings.profile)
    body = Report()
    if "queries" not in skip:
        section_queries(body, settings, work, corpora)
    if "views" not in skip:
        section_views(body, settings, corpora)
    served = None
    if "endpoint" not in skip:
        served = section_endpoint(body, settings, work, corpora)
    if "maps" not in skip:
        section_maps(body, settings, work)
    if "memory" not in skip:
        section_memory(body, settings, work, corpora, served)
    if "scaling" not in skip:
        section_scaling(body, settings, work)
    if "pages" not in skip:
        section_pages(body, settings, work)
    if "matching" not in skip:
        section_matching(body, settings)
    if "loading" not in skip:
        section_loading(body, settings, work, corpora, smoke)
    took = time.perf_counter() - started

    report.add("# govgraph benchmarks" + (" (smoke: tiny sizes, figures mean nothing)" if smoke else ""), "",
               f"Written by `python -m benchmarks.run{' --smoke' if smoke else ''}` in {took / 60:.1f} minutes. "
               "Medians with min-max and the number of runs; p95 where asked. The machine is shared: compare "
               "figures within this run, not across runs.", "")
    report.table(["machine", ""], [[k, v] for k, v in info.items()])
    report.add("## Corpus", "",
               "Generated by `benchmarks/corpus.py` in the proportions of the samples (councils x reviews x "
               "recommendations x actions, milestones, posts, people, bodies, themes, dates, statuses, gaps), "
               "emitted and matched by govgraph's own loaders and service, then bulk-loaded into an on-disk store.",
               "")
    report.table(["asked (triples)", "councils", "quads", "generated in", "bulk-loaded in"], corpus_rows)
    report.add("## Ratios and targets", "")
    report.table(["ratio", "value"], [[r.name, r.text()] for r in body.ratios])
    report.lines += body.lines
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(report.lines) + "\n", encoding="utf-8")
    (out.with_suffix(".json")).write_text(json.dumps(
        {"machine": info, "minutes": took / 60, "ratios": [
            {"name": r.name, "value": r.value, "target": r.target, "met": r.met} for r in body.ratios]}, indent=1))
    log(f"wrote {out} in {took / 60:.1f} minutes")
    report.ratios = body.ratios
    return report


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the harness works (< 60 s)")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for corpora and stores, reused between runs (default: benchmarks/.work)")
    parser.add_argument("--out", type=Path, default=None,
                        help="the Markdown file to write (default: benchmarks/RESULTS.md; with --smoke, "
                             "RESULTS-smoke.md in the work folder)")
    parser.add_argument("--query-sizes", type=_ints, help="corpus sizes in triples for the named queries")
    parser.add_argument("--rdflib-size", type=int, help="the query size rdflib also runs at (0: none)")
    parser.add_argument("--endpoint-size", type=int, help="corpus size in triples for the HTTP endpoints")
    parser.add_argument("--map-nodes", type=_ints, help="network sizes in nodes")
    parser.add_argument("--scaling-councils", type=_ints, help="numbers of councils for the scaling curve")
    parser.add_argument("--memory-size", type=int, help="corpus size in triples for peak memory")
    parser.add_argument("--pages-councils", type=int, help="number of councils every page is timed at")
    parser.add_argument("--skip", default="", help=f"sections to leave out, comma-separated: {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    base = SMOKE if args.smoke else FULL
    settings = Settings(**vars(base))
    for name in ("query_sizes", "endpoint_size", "map_nodes", "scaling_councils", "memory_size", "pages_councils"):
        if getattr(args, name) is not None:
            setattr(settings, name, getattr(args, name))
    if args.rdflib_size is not None:
        settings.rdflib_size = args.rdflib_size or None
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {', '.join(sorted(unknown))}; known: {', '.join(SECTIONS)}")
    work = args.work or HERE / ".work"
    out = args.out or (work / "RESULTS-smoke.md" if args.smoke else HERE / "RESULTS.md")
    run(settings, work=work, out=out, skip=skip, smoke=args.smoke)
    return 0


if __name__ == "__main__":
    sys.exit(main())
