"""The ``govgraph`` command. Each command parses its options, calls :mod:`govgraph.server.service`, and prints.

Exit codes (the same for every command):

\b
  0  success
  1  the graph does not conform to the shapes (validate), or a query found gaps when --fail-on-rows is given
  2  usage error: unknown command, option, query or parameter
  3  input error: a file could not be read or loaded (other files in the same call still load)
  4  store error: the store could not be opened or used (for example, another process holds it)
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from govgraph.loaders import LoadError, LoadOptions
from govgraph.queries import QueryError, catalogue
from govgraph.queries.store import ExportFormat, SelectResult, StoreError
from govgraph.server import service
from govgraph.server.settings import get_settings

EXIT_OK, EXIT_NONCONFORMING, EXIT_USAGE, EXIT_INPUT, EXIT_STORE = 0, 1, 2, 3, 4
ID_PREFIX = service.ID_PREFIX

app = typer.Typer(
    name="govgraph",
    help="Turn council action plans into one RDF graph and ask where accountability has gaps.\n\n" + __doc__.split("\n", 2)[2],
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)
err = Console(stderr=True)

StoreOption = Annotated[Optional[str], typer.Option(
    "--store", help="Store directory, 'memory:', or a SPARQL server's URL (http://127.0.0.1:7878; see "
    "docs/backends.md). Default: $GOVGRAPH_STORE, else the user data directory.",
    show_default=False)]


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def _store_location(store: str | None) -> str:
    return store or get_settings().store


def _opened(store: str | None, *, write: bool):
    """The store for one command; a command that writes waits for another writer to finish (GOVGRAPH_STORE_WAIT),
    saying so on stderr."""
    return service.opened(_store_location(store), write=write, wait_s=get_settings().store_wait,
                          on_wait=lambda message: err.print(escape(message)))


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(code)


def _write(data: bytes, output: Path | None) -> None:
    """Bytes to a file (saying so on standard error) or to standard output."""
    if output:
        output.write_bytes(data)
        err.print(f"wrote {len(data):,} bytes to {output}")
    else:
        sys.stdout.buffer.write(data)


def _params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise _fail(f"--param takes NAME=VALUE, not {pair!r}", EXIT_USAGE)
        params[key.strip()] = value
    return params


def _print_rows(result: SelectResult, fmt: TableFormat, *, title: str | None = None) -> None:
    if fmt is TableFormat.json:
        sys.stdout.write(json.dumps(result.values(), indent=2, ensure_ascii=False) + "\n")
        return
    if fmt is TableFormat.csv:
        from govgraph.visualise.cells import csv_text

        sys.stdout.write(csv_text(result.variables, result.values()))
        return
    rows = result.values()
    # people read labels: columns holding only govgraph IRIs are left to the csv and json formats
    shown = [v for v in result.variables
             if not rows or not all((r[v] or "").startswith(ID_PREFIX) for r in rows)]
    table = Table(title=title, show_lines=False, title_justify="left", expand=False)
    for v in shown:
        table.add_column(v.replace("_", " "), overflow="fold", max_width=70 if v in ("text",) else 40)
    for r in rows:
        table.add_row(*[escape(r[v] or "") for v in shown])
    out.print(table)


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to load (folders are searched recursively).")],
    store: StoreOption = None,
    council: Annotated[Optional[str], typer.Option(help="The council, for documents that never name it.")] = None,
    review: Annotated[Optional[str], typer.Option(help="The review the recommendations came from, where the document does not say.")] = None,
) -> None:
    """Load documents into the store, each into its own named graph (loading a file again replaces its graph)."""
    from rich.progress import Progress

    files = service.expand_paths(paths)
    if not files:
        raise _fail("no files to load in " + ", ".join(str(p) for p in paths), EXIT_INPUT)
    service.start_readers()  # while the store opens
    try:
        with _opened(store, write=True) as db, \
                Progress(console=err, transient=True, disable=len(files) < 2) as progress:
            task = progress.add_task("loading", total=len(files))
            summary = service.load_paths(
                db, files, LoadOptions(council=council, review=review),
                on_file=lambda p: progress.update(task, advance=1, description=f"loading {p.name}"))
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    for doc in summary.documents:
        if doc.error:
            err.print(f"[red]✗[/red] {escape(doc.error)}")
            continue
        what = ", ".join(f"{n} {k}" for k, n in doc.counts.items()) or "no recommendations or actions"
        verb = "replaced" if doc.replaced else "loaded"
        out.print(f"[green]✓[/green] {escape(str(doc.path))}: {verb}, {what} ({doc.triples:,} triples) "
                  f"[dim]→ {doc.graph.value}[/dim]")
        for skipped in doc.skipped:
            where = f"line {skipped.line}" if skipped.line else "file"
            out.print(f"    [yellow]skipped[/yellow] {where}: {escape(skipped.reason)}")
    totals = summary.totals()
    out.print(f"{len(summary.loaded)} of {len(summary.documents)} file(s) loaded"
              + (": " + ", ".join(f"{n} {k}" for k, n in totals.items()) if totals else ""))
    if summary.failed:
        raise typer.Exit(EXIT_INPUT)


@app.command()
def documents(store: StoreOption = None, format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table) -> None:
    """List the documents in the store, with their graph names and sizes."""
    try:
        with _opened(store, write=False) as db:
            docs = service.documents(db)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    result = SelectResult(["title", "source", "triples", "graph"])
    from pyoxigraph import Literal, NamedNode

    for d in docs:
        result.rows.append({"title": Literal(d.title or ""), "source": Literal(d.source or ""),
                            "triples": Literal(str(d.triples)), "graph": NamedNode(d.graph)})
    _print_rows(result, format)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words, or a number: '2.2', 'R6', 'rec 6', 'Derby 2.2'.")],
    format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table,
    limit: Annotated[int, typer.Option(min=1, help="The most things to list.")] = 30,
    store: StoreOption = None,
) -> None:
    """Find recommendations and actions by their number, and anything named in the documents (posts, people,
    bodies, councils, reviews, documents) by its words, best first, grouped by kind."""
    from pyoxigraph import Literal, NamedNode

    try:
        with _opened(store, write=False) as db:
            found = service.search(db, text, limit=limit)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    result = SelectResult(["kind", "number", "name", "council", "review", "iri"])
    for kind, hits in found.items():
        for h in hits:
            result.rows.append({"kind": Literal(kind), "number": Literal(h.number or ""), "name": Literal(h.label),
                                "council": Literal(h.council_name or ""), "review": Literal(h.review_name or ""),
                                "iri": NamedNode(h.iri)})
    if not result.rows and format is TableFormat.table:
        err.print(f"nothing found for {escape(text)!r}")
        return
    _print_rows(result, format)


@app.command()
def remove(graph: Annotated[str, typer.Argument(help="The document's graph IRI (see 'govgraph documents').")],
           store: StoreOption = None) -> None:
    """Remove one document's graph from the store."""
    from pyoxigraph import NamedNode

    try:
        node = NamedNode(graph)
    except ValueError:
        raise _fail(f"{graph!r} is not an IRI", EXIT_USAGE)
    try:
        with _opened(store, write=True) as db:
            removed = service.remove_document(db, node)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    if not removed:
        raise _fail(f"no document graph {graph} in the store", EXIT_USAGE)
    out.print(f"removed {graph}")


@app.command()
def summarise(store: StoreOption = None) -> None:
    """Recompute the figures kept at load time (each council's summary graph) from the documents in the store.
    Loading and removing keep them current; this is for a store made before them, or to check them afresh."""
    import time

    try:
        with _opened(store, write=True) as db:
            start = time.perf_counter()
            councils = service.summarise(db)
            took = time.perf_counter() - start
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    out.print(f"summarised {councils} council(s) in {took:.1f} s")


@app.command()
def query(
    name: Annotated[Optional[str], typer.Argument(help="A named query (see --list) or a .rq file.")] = None,
    param: Annotated[list[str], typer.Option("--param", "-p", help="A parameter as NAME=VALUE; repeatable.")] = [],
    format: Annotated[QueryFormat, typer.Option("--format")] = QueryFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (needed for xlsx).")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries and their parameters.")] = False,
    store: StoreOption = None,
) -> None:
    """Run a named SPARQL query (or a .rq file) and print its rows."""
    if format is QueryFormat.xlsx and output is None and not list_:
        raise _fail("--format xlsx needs --output FILE.xlsx", EXIT_USAGE)
    if list_ or not name:
        for q in catalogue().values():
            out.print(f"[bold]{q.name}[/bold]  {escape(q.title)}")
            out.print(f"    {escape(q.description)}")
            for p in q.parameters:
                out.print(f"    --param {p.name}=…  ({p.kind}{' ' + p.cls if p.cls else ''}) {escape(p.description)}")
        return
    try:
        with _opened(store, write=False) as db:
            named, result = service.run_query(db, name, _params(param))
    except QueryError as exc:
        raise _fail(str(exc), EXIT_USAGE)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    if format is QueryFormat.xlsx or output is not None:
        if format is not QueryFormat.xlsx:
            raise _fail("--output is for --format xlsx; redirect other formats", EXIT_USAGE)
        from govgraph.visualise.report import Report, Table, to_xlsx

        table = Table(named.title, result.variables, [[r[v] or "" for v in result.variables] for r in result.values()])
        output.write_bytes(to_xlsx(Report(named.title, "", "", table)))
        err.print(f"wrote {len(result)} row(s) to {output}")
        return
    table_format = TableFormat(format.value)
    _print_rows(result, table_format, title=f"{named.title}: {len(result)} row(s)" if table_format is TableFormat.table else None)


@app.command()
def gaps(
    council: Annotated[Optional[str], typer.Option(help="Only this council (name or IRI).")] = None,
    format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table,
    store: StoreOption = None,
) -> None:
    """Print the coverage-gap report: recommendations without actions, and actions without an accountable
    officer, an oversight body or a readable due date."""
    params = {"council": council} if council else {}
    try:
        with _opened(store, write=False) as db:
            report = service.gap_report(db, params)
            docs = service.documents(db)
    except QueryError as exc:
        raise _fail(str(exc), EXIT_USAGE)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    if format is TableFormat.json:
        sys.stdout.write(json.dumps({q.name: r.values() for q, r in report}, indent=2, ensure_ascii=False) + "\n")
        return
    if format is TableFormat.table:
        out.rule("[bold]Coverage gaps[/bold]")
        out.print(f"{len(docs)} document(s) in the store{' for ' + escape(council) if council else ''}.")
        for q, result in report:
            out.print(f"  {len(result):>4}  {escape(q.title.lower())}")
        out.print()
    for q, result in report:
        if format is TableFormat.csv:
            sys.stdout.write(f"# {q.name}\n")
            _print_rows(result, format)
        elif len(result):
            _print_gap_list(q.title, result)


def _print_gap_list(title: str, result: SelectResult) -> None:
    """One gap list as an audit committee reads it: grouped by council and review, one line per item with its
    number, its text (first sentence) and where to find it in the source."""
    from rich import box

    from govgraph.loaders.names import first_sentence

    out.print(f"[bold]{escape(title)}[/bold] ({len(result)})")
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in result.values():
        groups.setdefault((row.get("council_name") or "", row.get("review_name") or ""), []).append(row)
    for (council, review), rows in groups.items():
        out.print(f"  [dim]{escape(council)} · {escape(review)}[/dim]")
        table = Table(box=box.SIMPLE, show_header=True, pad_edge=False, padding=(0, 1))
        table.add_column("No.", justify="right", no_wrap=True)
        table.add_column("Text", ratio=3)
        extra = next((c for c in ("stated_gap", "due_as_printed") if c in result.variables), None)
        if extra and any(r.get(extra) for r in rows):
            table.add_column("Printed", ratio=1)
        table.add_column("Source", ratio=1, overflow="fold")
        for r in rows:
            cells = [escape(r.get("number") or ""), escape(first_sentence(r.get("text") or "", 110))]
            if len(table.columns) == 4:
                cells.append(escape(r.get(extra) or ""))
            cells.append(escape(r.get("source") or ""))
            table.add_row(*cells)
        out.print(table)


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    xlsx = "xlsx"


@app.command()
def report(
    council: Annotated[Optional[str], typer.Option(help="Only this council (name or IRI).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Judge overdue actions at this date (YYYY-MM-DD); default today.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.md,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of standard output (needed for xlsx).")] = None,
    store: StoreOption = None,
) -> None:
    """The gap and accountability report an audit committee can read: headline figures per council, the gap lists
    with their sources, status and theme comparisons, and the bodies and posts that carry most."""
    from govgraph.visualise.report import to_html, to_markdown, to_xlsx

    if format is ReportFormat.xlsx and output is None:
        raise _fail("--format xlsx needs --output FILE.xlsx", EXIT_USAGE)
    try:
        with _opened(store, write=False) as db:
            built = service.build_report(db, council=council, as_of=as_of)
    except QueryError as exc:
        raise _fail(str(exc), EXIT_USAGE)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    data = {ReportFormat.md: lambda: to_markdown(built).encode("utf-8"),
            ReportFormat.html: lambda: to_html(built).encode("utf-8"),
            ReportFormat.xlsx: lambda: to_xlsx(built)}[format]()
    _write(data, output)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="ttl and nt merge all graphs; nq, trig and jsonld keep them.")] = ExportFormat.TURTLE,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of standard output.")] = None,
    store: StoreOption = None,
) -> None:
    """Export the whole store as RDF."""
    try:
        with _opened(store, write=False) as db:
            data = service.export(db, format)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    _write(data, output)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="An export that keeps the graphs: .nq or .trig.")],
    store: StoreOption = None,
) -> None:
    """Load an export made with 'govgraph export --format nq' (or trig) as it is, each graph under its own name:
    the way to move a store to another backend (a directory, a SPARQL server) without loss."""
    try:
        with _opened(store, write=True) as db:
            written = service.import_dataset(db, file)
    except ValueError as exc:
        raise _fail(str(exc), EXIT_INPUT)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    out.print(f"imported {len(written)} graph(s), {sum(written.values())} triples")


@app.command()
def validate(store: StoreOption = None,
             format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl; exit 1 when it does not conform."""
    try:
        with _opened(store, write=False) as db:
            report = service.validate(db)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    if format is TableFormat.json:
        sys.stdout.write(json.dumps({"conforms": report.conforms,
                                     "violations": [v.__dict__ for v in report.violations]}, indent=2) + "\n")
    elif report.conforms:
        out.print("[green]✓[/green] the graph conforms to the govgraph shapes")
    else:
        out.print(f"[red]✗[/red] {len(report.violations)} problem(s):")
        for v in report.violations:
            what = f"'{v.focus_label}'" if v.focus_label else v.focus
            where = f"{v.source}: " if v.source else ""
            out.print(f"  {escape(where)}{escape(what)} [dim]({escape(v.path or '')})[/dim]: {escape(v.message)}"
                      + (f" [dim]<{escape(v.focus)}>[/dim]" if v.focus_label else ""))
    if not report.conforms:
        raise typer.Exit(EXIT_NONCONFORMING)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Documents to read.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the <stem>.json files.")],
    council: Annotated[Optional[str], typer.Option(help="The council, for documents that never name it.")] = None,
    review: Annotated[Optional[str], typer.Option(help="The review, where the document does not say.")] = None,
) -> None:
    """Write, for each document, <stem>.json: what govgraph reads in it, in the shape of the gold annotations.
    Nothing is written to the store."""
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in service.expand_paths(files):
        try:
            reading, loaded = service.extract(path, LoadOptions(council=council, review=review))
        except LoadError as exc:
            err.print(f"[red]✗[/red] {escape(str(exc))}")
            failed += 1
            continue
        target = out_dir / f"{path.stem}.json"
        target.write_text(json.dumps(reading, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        out.print(f"[green]✓[/green] {escape(str(path))} → {escape(str(target))}: "
                  f"{len(reading['recommendations'])} recommendations, {len(reading['actions'])} actions")
    if failed:
        raise typer.Exit(EXIT_INPUT)


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Address to listen on (default 127.0.0.1: this machine only).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port to listen on (default 8000).")] = None,
    store: StoreOption = None,
) -> None:
    """Start the web server on the store: the dashboard and pages, the REST API (/docs) and the read-only SPARQL
    endpoint (/sparql). It reads the store without locking it, so 'govgraph load' can go on beside it."""
    import uvicorn

    from govgraph.server.app import create_app

    settings = get_settings()
    location = _store_location(store)
    host, port = host or settings.host, port or settings.port
    try:
        application = create_app(location)
    except StoreError as exc:
        raise _fail(str(exc), EXIT_STORE)
    err.print(f"govgraph serving {location} at http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


def main() -> None:
    """Console entry point: run the app, mapping click's usage errors to exit code 2."""
    app()


if __name__ == "__main__":
    main()
