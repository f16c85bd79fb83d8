"""Loading speed, measured side by side in one run: ``govgraph load`` (the CLI in a subprocess, as people run it)
against pyoxigraph's ``Store.bulk_load`` and rdflib's ``Graph.parse`` of the same N-Triples file; documents (text,
Word, PDF) per page against the bare extraction library; many documents read one at a time against in parallel.

Run it alone::

    .venv/bin/python benchmarks/load.py                 # 100k, 300k and 1M triples, 3 runs each
    .venv/bin/python benchmarks/load.py --sizes 100k --repeat 1 --no-documents

or call :func:`rdf_rows`, :func:`document_rows` and :func:`parallel_rows` from another runner (each returns
:class:`Row` objects; :func:`print_rows` prints them). Every competitor runs in its own fresh subprocess, and its
peak resident memory is that process tree's (``wait4``). Figures vary with what else the machine runs: compare
within one run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PYTHON = sys.executable
GOVGRAPH = str(Path(sys.executable).parent / "govgraph")
ROOT = Path(__file__).resolve().parents[1]

GG = "https://w3id.org/govgraph/def#"
ID = "https://w3id.org/govgraph/id/"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PREF_LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
UNIT_OF = "<http://www.w3.org/ns/org#unitOf>"
DATE = "<http://www.w3.org/2001/XMLSchema#date>"

BULK_LOAD = ("import sys, pyoxigraph as ox\n"
             "graph = {'default': {}, 'named': {'to_graph': ox.NamedNode('https://example.org/graph')}}[sys.argv[3]]\n"
             "ox.Store(sys.argv[1]).bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES, **graph)")
RDFLIB_PARSE = "import sys, rdflib\nrdflib.Graph().parse(sys.argv[1], format='nt')"


# --- inputs ------------------------------------------------------------------------------------------------------

def council_lines(council: int) -> Iterator[str]:
    """One council's governance as N-Triples lines (~480): a review, an oversight body, 8 officer posts, 20
    recommendations with 3 actions each (post, body, due date)."""
    c = f"c{council:05d}"
    council_iri, review, body = f"<{ID}council/{c}>", f"<{ID}review/{c}-cpc>", f"<{ID}body/{c}-audit>"
    yield f"{council_iri} {TYPE} <{GG}Council> ."
    yield f'{council_iri} {LABEL} "Council {council:05d}" .'
    yield f"{review} {TYPE} <{GG}Review> ."
    yield f"{review} <{GG}reviewOf> {council_iri} ."
    yield f"{body} {TYPE} <{GG}OversightBody> ."
    yield f'{body} {PREF_LABEL} "Audit and Governance Committee" .'
    yield f"{body} {UNIT_OF} {council_iri} ."
    for p in range(8):
        post = f"<{ID}post/{c}-p{p}>"
        yield f"{post} {TYPE} <{GG}OfficerPost> ."
        yield f'{post} {PREF_LABEL} "Director of Service {p}" .'
        yield f"{post} {UNIT_OF} {council_iri} ."
    for r in range(20):
        rec = f"<{ID}recommendation/{c}-r{r}>"
        yield f"{rec} {TYPE} <{GG}Recommendation> ."
        yield f'{rec} {LABEL} "Recommendation {r}: strengthen the governance and scrutiny arrangements." .'
        yield f"{rec} <{GG}issuedBy> {review} ."
        for a in range(3):
            action = f"<{ID}action/{c}-r{r}-a{a}>"
            yield f"{action} {TYPE} <{GG}Action> ."
            yield f'{action} {LABEL} "Action {a} for recommendation {r}: develop the member development programme." .'
            yield f"{action} <{GG}respondsTo> {rec} ."
            yield f"{action} <{GG}accountablePost> <{ID}post/{c}-p{(r + a) % 8}> ."
            yield f"{action} <{GG}overseenBy> {body} ."
            yield f'{action} <{GG}due> "2025-{1 + (r + a) % 12:02d}-28"^^{DATE} .'


def write_ntriples(path: Path, triples: int) -> Path:
    """Write ``triples`` lines of council-shaped N-Triples to ``path`` (councils one after another)."""
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        council = 0
        while written < triples:
            for line in council_lines(council):
                handle.write(line + "\n")
                written += 1
                if written == triples:
                    break
            council += 1
    return path


def plan_pages(pages: int) -> Iterator[tuple[str, list[list[str]]]]:
    """A synthetic action plan, page by page: a recommendation and a table of its actions."""
    for page in range(pages):
        heading = (f"Recommendation {page + 1}: Strengthen the council's governance, scrutiny and risk management "
                   "arrangements so that decisions are transparent and members are supported.")
        rows = [["Action", "Lead officer", "Oversight", "Due date", "Status"]]
        for a in range(4):
            rows.append([(f"{page + 1}.{a + 1} Review the member development programme and publish the revised "
                          f"terms of reference for the scrutiny boards (step {a + 1})."),
                         f"Director of Service {a}", "Corporate Governance and Audit Committee",
                         f"{['March', 'June', 'September', 'December'][a]} 2025", "In progress"])
        yield heading, rows


def write_plan(folder: Path, kind: str, pages: int) -> Path:
    """Write a plan of ``pages`` pages as ``kind`` (``text``, ``word`` or ``pdf``); return its path."""
    title = "Corporate Peer Challenge Action Plan\nCouncil: Council 00001\nReview: LGA Corporate Peer Challenge 2023"
    if kind == "text":
        path = folder / f"plan-{pages}.txt"
        parts = [title, ""]
        for heading, rows in plan_pages(pages):
            parts += [heading, ""] + ["\t".join(row) for row in rows] + ["", "\f"]
        path.write_text("\n".join(parts), encoding="utf-8")
        return path
    if kind == "word":
        import docx
        from docx.enum.text import WD_BREAK

        path = folder / f"plan-{pages}.docx"
        document = docx.Document()
        for line in title.splitlines():
            document.add_paragraph(line)
        for heading, rows in plan_pages(pages):
            document.add_heading(heading, level=2)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.save(str(path))
        return path
    if kind == "pdf":
        from fpdf import FPDF

        path = folder / f"plan-{pages}.pdf"
        pdf = FPDF()
        pdf.set_font("helvetica", size=9)
        for number, (heading, rows) in enumerate(plan_pages(pages)):
            pdf.add_page()
            if number == 0:
                pdf.multi_cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(0, 5, heading, new_x="LMARGIN", new_y="NEXT")
            with pdf.table(col_widths=(70, 30, 40, 25, 25)) as table:
                for row in rows:
                    cells = table.row()
                    for text in row:
                        cells.cell(text)
        pdf.output(str(path))
        return path
    raise ValueError(f"no plan writer for {kind!r}; known: text, word, pdf")


# --- measuring ---------------------------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0  # user + system, of the process and the children it waited for


@dataclass
class Row:
    """One competitor on one input: its runs, their median and range, and its ratio to the row it is compared with."""

    group: str
    name: str
    runs: list[Run] = field(default_factory=list)
    baseline: Row | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs) if self.runs else 0.0

    @property
    def ratio(self) -> float | None:
        return self.median / self.baseline.median if self.baseline and self.baseline.runs else None


def run_measured(command: Sequence[str], *, env: dict | None = None) -> Run:
    """Run ``command`` (without ``GOVGRAPH_*`` settings from this environment, plus ``env``); return its wall time
    and the peak resident memory of the process and the children it waited for.

    :raises RuntimeError: the command failed (with the end of its output).
    """
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")}
    environment.update(env or {})
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), stdout=output, stderr=subprocess.STDOUT, env=environment)
        _, status, usage = os.wait4(process.pid, 0)  # wait4, not wait: it gives this child's own peak memory
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            output.seek(0)
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n"
                               f"{output.read().decode(errors='replace')[-1500:]}")
    return Run(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def repeated(row: Row, repeat: int, make_command: Callable[[int], Sequence[str]], *, env: dict | None = None,
             before: Callable[[int], None] | None = None) -> Row:
    for attempt in range(repeat):
        if before:
            before(attempt)
        row.runs.append(run_measured(make_command(attempt), env=env))
    return row


def timed_in_process(fn: Callable[[], object], repeat: int) -> Row:
    row = Row("", "")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        row.runs.append(Run(time.perf_counter() - started, 0.0))
    return row


# --- the comparisons ---------------------------------------------------------------------------------------------

SIZES = {"100k": 100_000, "300k": 300_000, "1M": 1_000_000}


def rdf_rows(sizes: Sequence[str] = ("100k", "300k", "1M"), *, repeat: int = 3, rdflib: bool = True,
             replace: bool = True, folder: Path | None = None) -> list[Row]:
    """``govgraph load`` of a council-shaped N-Triples file into a fresh on-disk store, against raw
    ``bulk_load`` (the baseline of each group) and rdflib ``Graph.parse``; with ``replace``, also ``govgraph load``
    of the same file again over the loaded graph. ``sizes`` are keys of :data:`SIZES`."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="govgraph-bench-", dir=folder) as tmp:
        tmp = Path(tmp)
        for size in sizes:
            source = write_ntriples(tmp / f"council-{size}.nt", SIZES[size])
            group = f"N-Triples {size} ({source.stat().st_size / 1e6:.0f} MB)"

            def fresh(attempt: int, name: str) -> None:
                shutil.rmtree(tmp / f"{name}-{attempt}", ignore_errors=True)

            def bulk_load(graph: str, source: Path = source) -> Callable[[int], list[str]]:
                return lambda a: [PYTHON, "-c", BULK_LOAD, str(tmp / f"raw-{a}"), str(source), graph]

            def govgraph(source: Path = source) -> Callable[[int], list[str]]:
                return lambda a: [GOVGRAPH, "load", str(source), "--store", str(tmp / f"gg-{a}")]

            raw = repeated(Row(group, "pyoxigraph bulk_load"), repeat, bulk_load("default"),
                           before=lambda a: fresh(a, "raw"))
            named = repeated(Row(group, "pyoxigraph bulk_load to_graph", baseline=raw), repeat, bulk_load("named"),
                             before=lambda a: fresh(a, "raw"))
            ours = repeated(Row(group, "govgraph load", baseline=raw), repeat, govgraph(),
                            before=lambda a: fresh(a, "gg"))
            ours.note = versus(ours, named)
            rows += [raw, named, ours]
            if replace:
                again = repeated(Row(group, "govgraph load again (replaces)", baseline=raw), repeat, govgraph())
                again.note = versus(again, named)
                rows.append(again)
            if rdflib:
                rows.append(repeated(Row(group, "rdflib Graph.parse", baseline=raw), repeat,
                                     lambda a, source=source: [PYTHON, "-c", RDFLIB_PARSE, str(source)]))
            for attempt in range(repeat):
                fresh(attempt, "raw"), fresh(attempt, "gg")
    return rows


def versus(row: Row, named: Row) -> str:
    """``row`` against bulk loading into a named graph, as govgraph does (one graph per document)."""
    return (f"{row.median / named.median:.2f}x bulk_load to_graph (processor time "
            f"{row.cpu / named.cpu:.2f}x)")


def bare_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def bare_word(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def bare_pdf(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


BARE = {"text": bare_text, "word": bare_word, "pdf": bare_pdf}


def document_rows(pages: int = 20, *, repeat: int = 3, kinds: Sequence[str] = ("text", "word", "pdf")) -> list[Row]:
    """Reading one synthetic plan of ``pages`` pages per format: govgraph's loader (convert, read, make triples;
    in this process, no store) against the bare extraction library's text (the baseline). The note gives pages/s."""
    from govgraph.loaders import load_file

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
        for kind in kinds:
            path = write_plan(Path(tmp), kind, pages)
            load_file(path)  # imports and lexicons load once, outside the timing
            bare = timed_in_process(lambda kind=kind, path=path: BARE[kind](path), repeat)
            bare.group, bare.name = f"{kind} plan, {pages} pages", f"bare extraction ({BARE[kind].__name__})"
            ours = timed_in_process(lambda path=path: load_file(path), repeat)
            ours.group, ours.name, ours.baseline = bare.group, "govgraph loader (load_file)", bare
            found = load_file(path)
            actions = sum(1 for t in found.triples if t.object.value == GG + "Action")
            for row in (bare, ours):
                row.note = f"{pages / row.median:,.0f} pages/s"
            ours.note += f", {actions} actions read"
            rows += [bare, ours]
    return rows


def parallel_rows(copies: int = 4, *, repeat: int = 3, workers: Sequence[int] = (1, 2)) -> list[Row]:
    """``govgraph load`` of the sample documents and tracker copied ``copies`` times under other names, into a
    fresh store, with each number of ``workers`` (GOVGRAPH_LOAD_WORKERS); the first is the baseline."""
    sources = sorted((ROOT / "samples" / "documents").iterdir()) + sorted((ROOT / "samples" / "trackers").iterdir())
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
        folder = Path(tmp) / "documents"
        folder.mkdir()
        for copy in range(copies):
            for source in sources:
                shutil.copy(source, folder / f"{source.stem}-{copy}{source.suffix}")
        group = f"{copies * len(sources)} documents (samples x {copies})"
        baseline = None
        for count in workers:
            def fresh(attempt: int, count: int = count) -> None:
                shutil.rmtree(Path(tmp) / f"store-{count}-{attempt}", ignore_errors=True)

            row = repeated(Row(group, f"govgraph load, {count} worker(s)", baseline=baseline), repeat,
                           lambda a, count=count: [GOVGRAPH, "load", str(folder), "--store",
                                                   str(Path(tmp) / f"store-{count}-{a}")],
                           env={"GOVGRAPH_LOAD_WORKERS": str(count)}, before=fresh)
            baseline = baseline or row
            rows.append(row)
    return rows


def print_rows(rows: Sequence[Row], *, file=sys.stdout) -> None:
    """Print rows as a table, grouped, with medians, min-max, peak memory and ratios to each group's baseline."""
    group = None
    for row in rows:
        if row.group != group:
            group = row.group
            print(f"\n{group}", file=file)
        times = [r.seconds for r in row.runs]
        ratio = f"{row.ratio:5.2f}x" if row.ratio is not None else "  base"
        memory = f"{row.peak_mb:7,.0f} MB" if row.peak_mb else " " * 10
        cpu = f"cpu {row.cpu:7.2f} s" if row.cpu else " " * 13
        print(f"  {row.name:36s} {row.median:8.3f} s  ({min(times):.3f}-{max(times):.3f})  {cpu}  {memory}  {ratio}"
              f"  {row.note}", file=file, flush=True)


def measure(corpus: Path, work: Path, *, smoke: bool = False) -> list[str]:
    """For ``benchmarks/run.py``: loading an N-Triples file (100k and 1M triples; 100k once in a smoke run) through
    ``govgraph load`` against raw ``bulk_load`` and rdflib, as Markdown lines. ``corpus`` is not used: the file is
    council-shaped N-Triples of an exact size, made here."""
    work.mkdir(parents=True, exist_ok=True)
    sizes, repeat = (("100k",), 1) if smoke else (("100k", "1M"), 3)
    rows = rdf_rows(sizes, repeat=repeat, rdflib=True, replace=not smoke, folder=work)
    lines = ["| file | what | median s (min-max) | processor s | peak MB | ratio to bulk_load | note |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        times = [r.seconds for r in row.runs]
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "baseline"
        lines.append(f"| {row.group} | {row.name} | {row.median:.2f} ({min(times):.2f}-{max(times):.2f}) | "
                     f"{row.cpu:.2f} | {row.peak_mb:,.0f} | {ratio} | {row.note} |")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,300k,1M", help="N-Triples sizes: any of 100k, 300k, 1M")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is shown)")
    parser.add_argument("--no-rdflib", action="store_true", help="leave out rdflib (the slowest)")
    parser.add_argument("--no-documents", action="store_true", help="leave out documents and parallel reading")
    parser.add_argument("--pages", type=int, default=20, help="pages of each synthetic plan")
    parser.add_argument("--copies", type=int, default=4, help="copies of the samples for parallel reading")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} processors, load average "
          f"{os.getloadavg()[0]:.1f}; medians of {args.repeat} wall (min-max), median processor time, peak "
          "memory, wall ratio to the group's base")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    print_rows(rdf_rows(sizes, repeat=args.repeat, rdflib=not args.no_rdflib))
    if not args.no_documents:
        print_rows(document_rows(args.pages, repeat=args.repeat))
        print_rows(parallel_rows(args.copies, repeat=args.repeat))


if __name__ == "__main__":
    main()
