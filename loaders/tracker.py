"""Action trackers: CSV and XLSX spreadsheets with one row per action (or per recommendation, or per milestone).

Columns are recognised by their header, case-insensitively, from the words councils use ("Lead officer",
"Who is accountable", "Democratic oversight", "By when", "RAG status"...), wherever the header row is in the
first rows of the sheet and in any order. Lines above the header such as ``Council: Leeds City Council`` or
``Review: LGA Corporate Peer Challenge 2022`` describe the tracker as a whole.

Row rules:

- a row with recommendation text adds a recommendation (its reference from the recommendation reference
  column, or the row number); a row that gives only a recommendation reference points at one named before;
  several references may be given, separated by commas or semicolons;
- a row with action text adds an action answering the row's recommendations; a row repeating an action's
  reference adds to that action instead (one action answering several recommendations);
- a row with milestone text adds a milestone to the row's action, or to the action above it;
- a row with neither is reported as skipped, with its row number; so is a repeated header row.

Owners and oversight bodies may list several names separated by semicolons or line breaks.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from govgraph.loaders import LoadedDocument, LoadError, LoadOptions, Source
from govgraph.loaders.confidence import LABELLED_HEADER
from govgraph.loaders.emit import document_triples
from govgraph.loaders.fields import fold as _fold
from govgraph.loaders.fields import match_header
from govgraph.loaders.model import (
    Action,
    ExtractedDocument,
    Mention,
    Milestone,
    PersonMention,
    Recommendation,
    Skipped,
    Span,
    StatusReport,
    Theme,
)
from govgraph.loaders.names import clean, collapse
from govgraph.loaders.packages import check_package
from govgraph.loaders.vocabulary import review_kind_concept

METADATA = {"council": "council", "authority": "council", "review": "review", "title": "title",
            "date": "published", "published": "published", "as at": "published", "updated": "published",
            "oversight": "plan_oversight", "monitored by": "plan_oversight", "reporting to": "plan_oversight",
            "reports to": "plan_oversight", "oversight body": "plan_oversight"}
SPLIT_NAMES = re.compile(r"\s*(?:;|\n|\r)\s*")
SPLIT_REFS = re.compile(r"\s*[,;/]\s*|\s+and\s+")


@dataclass
class _Row:
    number: int  # 1-based row (CSV: the line the record starts on)
    cells: list[str]


def _csv_rows(source: Source) -> list[_Row]:
    text = source.text()
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[_Row] = []
    line = 1
    try:
        for record in reader:
            rows.append(_Row(line, [c.strip() for c in record]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise LoadError(source.path, f"malformed CSV: {exc}", line=reader.line_num) from exc
    return rows


def _xlsx_rows(source: Source) -> list[_Row]:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_package(source)
    try:
        book = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise LoadError(source.path, f"not a readable XLSX workbook (damaged or encrypted?): {exc}") from exc
    try:
        best: list[_Row] = []
        for sheet in book.worksheets:
            rows = [_Row(i, ["" if v is None else str(v).strip() for v in values])
                    for i, values in enumerate(sheet.iter_rows(values_only=True), 1)]
            if _find_header(rows) is not None:
                return rows
            best = best or rows
        return best
    except zipfile.BadZipFile as exc:
        raise LoadError(source.path, f"damaged XLSX workbook: {exc}") from exc
    finally:
        book.close()


def _find_header(rows: list[_Row]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:20]):
        mapping = match_header(row.cells)
        if ("action" in mapping or "recommendation" in mapping) and len(mapping) >= 2:
            return index, mapping
    return None


class TrackerLoader:
    """Reads CSV and XLSX action trackers."""

    name = "tracker"
    suffixes = (".csv", ".tsv", ".xlsx", ".xlsm")
    description = "an action tracker spreadsheet (CSV or XLSX with a header row)"

    def sniff(self, source: Source) -> bool:
        if source.data[:4] == b"PK\x03\x04":
            return b"xl/" in source.data[:65536] or source.suffix in (".xlsx", ".xlsm")
        if source.suffix not in (".csv", ".tsv"):
            return False
        try:
            return _find_header(_csv_rows(source)) is not None
        except LoadError:
            return False

    def load(self, source: Source, options: LoadOptions) -> LoadedDocument:
        if source.data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise LoadError(source.path, "this workbook is encrypted or in the old .xls format; save it as an unprotected .xlsx or .csv")
        is_xlsx = source.data[:4] == b"PK\x03\x04"
        rows = _xlsx_rows(source) if is_xlsx else _csv_rows(source)
        found = _find_header(rows)
        if found is None:
            raise LoadError(source.path, "no header row naming an action or recommendation column was found in the "
                                         "first 20 rows (expected headers like 'Recommendation', 'Action', "
                                         "'Lead officer', 'Due date', 'Status')")
        header_index, columns = found
        doc = ExtractedDocument(path=source.path, sha256=source.sha256, kind="action tracker")
        _read_metadata(rows[:header_index], doc)
        header = rows[header_index]
        ignored = [c for i, c in enumerate(header.cells) if c and i not in columns.values()]
        if ignored:
            doc.skipped.append(Skipped(header.number, f"columns not used: {', '.join(ignored)}"))
        _read_rows(rows[header_index + 1:], columns, doc, csv_fragments=not is_xlsx, header=header)
        doc.council = options.council or doc.council
        doc.review = options.review or doc.review
        if not doc.council:
            raise LoadError(source.path, "no council is named: add a 'Council' column or a 'Council: NAME' line "
                                         "above the header, or pass --council NAME")
        if doc.review and not doc.review_kind:
            concept = review_kind_concept(doc.review)
            doc.review_kind = concept.value.rsplit("review-", 1)[1] if concept else None
        if not doc.recommendations and not doc.actions:
            raise LoadError(source.path, "the tracker has a header row but no recommendation or action rows",
                            line=header.number)
        graph, triples = document_triples(doc, graph=options.graph)
        return LoadedDocument(source.path, self.name, graph, triples, doc, doc.skipped)


def _read_metadata(rows: list[_Row], doc: ExtractedDocument) -> None:
    from govgraph.loaders.dates import read_due

    for row in rows:
        cells = [c for c in row.cells if c]
        if not cells:
            continue
        key, _, value = cells[0].partition(":")
        if not value and len(cells) > 1:
            value = cells[1]
        attr = METADATA.get(_fold(key))
        if not attr or not value.strip():
            continue
        if attr == "plan_oversight":
            for name in SPLIT_NAMES.split(value):
                if clean(name):
                    doc.plan_oversight.append(Mention(clean(name), Span(quote=clean(value), line=row.number)))
            continue
        value = clean(value)
        if attr == "published":
            interval = read_due(value)
            if interval.start:
                doc.published = (interval.start.isoformat() if interval.start == interval.end
                                 else interval.start.isoformat()[:7] if interval.start.month == interval.end.month
                                 else str(interval.start.year))
        else:
            setattr(doc, attr, value)


def _read_rows(rows: list[_Row], columns: dict[str, int], doc: ExtractedDocument, *, csv_fragments: bool,
               header: _Row) -> None:
    recs: dict[str, Recommendation] = {}
    actions: dict[str, Action] = {}
    themes: dict[str, Theme] = {}
    last_action: Action | None = None
    councils: set[str] = set()

    for row in rows:
        def cell(fieldname: str) -> str:
            col = columns.get(fieldname)
            return collapse(row.cells[col]) if col is not None and col < len(row.cells) else ""

        def span(fieldname: str) -> Span | None:
            col = columns.get(fieldname)
            if col is None or col >= len(row.cells) or not row.cells[col]:
                return None
            fragment = f"cell={row.number},{col + 1}" if csv_fragments else None
            return Span(quote=collapse(row.cells[col]), line=row.number, fragment=fragment)

        def mentions(fieldname: str) -> list[Mention]:
            col = columns.get(fieldname)
            raw = row.cells[col] if col is not None and col < len(row.cells) else ""
            return [Mention(clean(part), span(fieldname)) for part in SPLIT_NAMES.split(raw) if clean(part)]

        if not any(row.cells):
            continue
        if match_header(row.cells) == columns:
            doc.skipped.append(Skipped(row.number, "repeated header row"))
            continue
        if council := cell("council"):
            councils.add(council)
            if len(councils) > 1:
                raise LoadError(doc.path, f"a tracker holds one council's actions; this row names {council!r} "
                                          f"after {sorted(councils - {council})[0]!r}", line=row.number)
            doc.council = council
        if review := cell("review"):
            doc.review = doc.review or review

        theme_key = None
        if theme_name := cell("theme"):
            theme_key = theme_name.lower()
            if theme_key not in themes:
                themes[theme_key] = Theme(theme_key, theme_name, span("theme"))
                doc.themes.append(themes[theme_key])

        # recommendations this row is about
        row_recs: list[str] = []
        refs = [r for r in SPLIT_REFS.split(cell("recommendation_ref")) if r]
        rec_text = cell("recommendation")
        if rec_text:
            key = refs[0] if len(refs) == 1 else f"row-{row.number}"
            if key in recs and recs[key].text != rec_text:
                raise LoadError(doc.path, f"recommendation {key!r} is described twice, differently", line=row.number)
            if key not in recs:
                recs[key] = Recommendation(key, rec_text, refs[0] if len(refs) == 1 else None, theme_key,
                                           span("recommendation"), how=LABELLED_HEADER)
                doc.recommendations.append(recs[key])
            row_recs.append(key)
        else:
            for ref in refs:
                if ref in recs:
                    row_recs.append(ref)
                else:
                    doc.skipped.append(Skipped(row.number, f"recommendation {ref!r} is referred to but never "
                                                           "described; the link was not made"))

        action_text = cell("action")
        action_ref = cell("action_ref")
        action: Action | None = None
        if action_text:
            key = action_ref or f"row-{row.number}"
            action = actions.get(key)
            if action is None:
                action = actions[key] = Action(key, action_text, action_ref or None, theme=theme_key,
                                               span=span("action"), how=LABELLED_HEADER)
                doc.actions.append(action)
                _commitment_cells(action, mentions, cell, span)
            action.responds_to += [r for r in row_recs if r not in action.responds_to]
            last_action = action
        elif action_ref and action_ref in actions:
            action = actions[action_ref]
            action.responds_to += [r for r in row_recs if r not in action.responds_to]

        if milestone_text := cell("milestone"):
            parent = action or last_action
            if parent is None:
                doc.skipped.append(Skipped(row.number, "a milestone with no action above it"))
            else:
                milestone = Milestone(milestone_text, span=span("milestone"))
                _commitment_cells(milestone, mentions, cell, span)
                parent.milestones.append(milestone)
                if action is parent and action_text and len(parent.milestones) == 1:
                    # on an action's first row the date is the milestone's; owners stay on both
                    parent.due = []
        elif not rec_text and not action_text and not refs:
            filled = [header.cells[i] for i, c in enumerate(row.cells) if c and i < len(header.cells)]
            doc.skipped.append(Skipped(row.number, "no recommendation, action or milestone text in this row "
                                                   f"(filled cells: {', '.join(filled) or 'unnamed'})"))


def _commitment_cells(item, mentions, cell, span) -> None:
    """Owners, contacts, oversight, due dates and status from one row."""
    item.owners = mentions("owner")
    item.oversight = mentions("oversight")
    item.due = mentions("due")
    for mention in mentions("contact"):
        name, post = mention.text, None
        if m := re.fullmatch(r"(.+?)\s*\((.+)\)", name):
            name, post = m[1], m[2]
        item.people.append(PersonMention(clean(name), "contact", post, mention.span))
    if isinstance(item, Action):
        printed, progress = cell("status"), cell("progress")
        revised = mentions("revised_due")
        if printed or progress or revised:
            item.status = StatusReport(printed or None, progress or None,
                                       revised_from=list(item.due) if revised else [],
                                       revised_to=revised, span=span("status") or span("progress"))
