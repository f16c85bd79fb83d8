"""PDF read into blocks from words and their positions: wrapped lines are one paragraph or one cell, headings by
type, tables with and without ruling lines, running headers and footers dropped."""
from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from govgraph.loaders import Source
from govgraph.loaders.blocks import BlockKind
from govgraph.loaders.converters.pdf import convert

ROWS = [["Action", "Lead officer", "Due date"],
        ["Review the scheme of delegation so that every decision taken by officers is recorded and published "
         "within five working days.", "Monitoring Officer", "March 2024"],
        ["Refresh the strategic risk register.", "Head of Internal Audit", "June 2024"]]


def pdf_file(path: Path, *, ruled: bool = True, pages: int = 1) -> Path:
    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 5, "Audit Committee - 12 March 2024", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "B", size=14)
        pdf.cell(0, 10, "Governance action plan", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 5, "The plan answers the auditor's findings. It will be reported to the Audit Committee "
                             "every quarter until each action is complete, and the committee will decide when an "
                             "action can be closed.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        options = {} if ruled else {"borders_layout": "NONE"}
        with pdf.table(col_widths=(100, 50, 40), text_align="LEFT", **options) as table:
            for row in ROWS:
                cells = table.row()
                for text in row:
                    cells.cell(text)
        pdf.ln(4)
        pdf.multi_cell(0, 5, "- first point of the summary", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, "- second point", new_x="LMARGIN", new_y="NEXT")
        pdf.set_auto_page_break(False)
        pdf.set_y(-12)
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 5, f"Page {page + 1}", align="C")
        pdf.set_auto_page_break(True, margin=15)
    pdf.output(str(path))
    return path


def read(path: Path):
    return convert(Source(path, path.read_bytes()))


def test_ruled_table_cells_keep_wrapped_lines_together(tmp_path):
    doc = read(pdf_file(tmp_path / "ruled.pdf"))
    (table,) = doc.tables()
    assert [r.texts for r in table.rows] == ROWS
    assert [len(c.parts()) for c in table.rows[1].cells] == [1, 1, 1]
    for row in table.rows:
        for cell in row.cells:
            assert doc.text[cell.start:cell.end] == cell.raw


def test_headings_paragraphs_and_list_items(tmp_path):
    doc = read(pdf_file(tmp_path / "ruled.pdf"))
    kinds = [(b.kind, b.text[:30]) for b in doc.blocks if not b.is_table]
    assert kinds == [
        (BlockKind.PARAGRAPH, "Audit Committee - 12 March 202"),
        (BlockKind.HEADING, "Governance action plan"),
        (BlockKind.PARAGRAPH, "The plan answers the auditor's"),
        (BlockKind.LIST_ITEM, "first point of the summary"),
        (BlockKind.LIST_ITEM, "second point"),
    ]
    paragraph = doc.blocks[2]
    assert paragraph.text.endswith("when an action can be closed.")
    assert all(b.page == 1 for b in doc.blocks)


def test_table_without_ruling_lines_is_cut_at_the_header_columns(tmp_path):
    doc = read(pdf_file(tmp_path / "unruled.pdf", ruled=False))
    (table,) = doc.tables()
    assert [r.texts for r in table.rows] == ROWS


def test_running_headers_and_page_numbers_are_dropped(tmp_path):
    doc = read(pdf_file(tmp_path / "pages.pdf", pages=3))
    assert "Page 2" not in doc.text and "12 March 2024" not in doc.text
    assert len(doc.tables()) == 3
    assert {b.page for b in doc.blocks} == {1, 2, 3}
