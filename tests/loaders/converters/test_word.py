"""Word documents read into blocks: heading styles, bold headings, Word numbering, tables with header rows and
merged cells."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import OxmlElement

from govgraph.loaders import Source
from govgraph.loaders.blocks import BlockKind
from govgraph.loaders.converters.word import convert


def read(path: Path):
    return convert(Source(path, path.read_bytes()))


def test_headings_numbered_lists_and_bold_headings(tmp_path):
    d = docx.Document()
    d.add_heading("Governance action plan", 1)
    d.add_paragraph().add_run("Recommendations").bold = True
    for text in ("Review the constitution.", "Refresh the risk register."):
        d.add_paragraph(text, style="List Number")
    d.add_paragraph("Train members.", style="List Bullet")
    d.add_paragraph("The plan is monitored by the Audit Committee.")
    d.save(tmp_path / "plan.docx")
    doc = read(tmp_path / "plan.docx")
    assert [(b.kind, b.level, b.marker, b.text) for b in doc.blocks] == [
        (BlockKind.HEADING, 1, None, "Governance action plan"), (BlockKind.HEADING, 4, None, "Recommendations"),
        (BlockKind.LIST_ITEM, 0, "1.", "Review the constitution."),
        (BlockKind.LIST_ITEM, 0, "2.", "Refresh the risk register."),
        (BlockKind.LIST_ITEM, 0, "-", "Train members."),
        (BlockKind.PARAGRAPH, 0, None, "The plan is monitored by the Audit Committee.")]


def test_tables_with_repeated_header_rows_and_merged_cells(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=4, cols=3)
    for c, text in enumerate(["Action", "Lead officer", "Due date"]):
        table.rows[0].cells[c].text = text
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    merged = table.cell(1, 0).merge(table.cell(1, 2))
    merged.text = "Theme: Financial resilience"
    table.cell(2, 0).text = "Set a reserves strategy."
    table.cell(2, 1).text = "Director of Finance"
    table.cell(2, 2).text = "May 2024"
    table.cell(2, 0).merge(table.cell(3, 0))
    table.cell(3, 1).text = "Head of Audit"
    table.cell(3, 2).text = "June 2024"
    d.save(tmp_path / "table.docx")
    (block,) = read(tmp_path / "table.docx").blocks
    assert block.kind is BlockKind.TABLE and block.header_rows == 1
    assert [r.texts for r in block.rows] == [
        ["Action", "Lead officer", "Due date"], ["Theme: Financial resilience", "", ""],
        ["Set a reserves strategy.", "Director of Finance", "May 2024"], ["", "Head of Audit", "June 2024"]]
