"""HTML read into blocks: the page's own structure (headings, nested and numbered lists, tables with header rows and
spanned cells), never its scripts, styles or navigation."""
from __future__ import annotations

from pathlib import Path

from govgraph.loaders import Source
from govgraph.loaders.blocks import BlockKind
from govgraph.loaders.converters.html import convert


def read(markup: str):
    return convert(Source(Path("page.html"), markup.encode()))


def test_headings_paragraphs_and_bold_only_paragraphs():
    doc = read("<html><body><nav><a>Home</a></nav><h1>Audit plan</h1><p><b>Key issues</b></p>"
               "<p>The committee <b>noted</b> the plan.</p><script>alert(1)</script></body></html>")
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        (BlockKind.HEADING, 1, "Audit plan"), (BlockKind.HEADING, 4, "Key issues"),
        (BlockKind.PARAGRAPH, 0, "The committee noted the plan.")]
    assert "alert" not in doc.text and "Home" not in doc.text


def test_lists_with_depth_and_numbers():
    doc = read("<ol type='a'><li>Noted the report;</li><li>Agreed the plan:<ul><li>first step</li>"
               "<li>second step</li></ul></li><li>Asked for updates.</li></ol>")
    assert [(b.marker, b.level, b.text) for b in doc.blocks] == [
        ("a.", 0, "Noted the report;"), ("b.", 0, "Agreed the plan:"), ("-", 1, "first step"),
        ("-", 1, "second step"), ("c.", 0, "Asked for updates.")]
    assert [b.parent for b in doc.blocks] == [None, None, 1, 1, None]


def test_tables_with_header_rows_and_spanned_cells():
    doc = read("<table><thead><tr><th>Action</th><th>Lead</th><th>Due</th></tr></thead>"
               "<tr><td colspan='3'>Recommendation 1: Improve the budget process</td></tr>"
               "<tr><td rowspan='2'>Set a reserves strategy</td><td>Director of Finance</td><td>May 2024</td></tr>"
               "<tr><td>Head of Audit</td><td>June 2024</td></tr>"
               "<tr><td><p>Publish it.</p><ul><li>Train members</li></ul></td><td>Monitoring Officer</td>"
               "<td><table><tr><td>July 2024</td></tr></table></td></tr></table>")
    (table,) = doc.blocks
    assert table.kind is BlockKind.TABLE and table.header_rows == 1
    assert [r.texts for r in table.rows] == [
        ["Action", "Lead", "Due"], ["Recommendation 1: Improve the budget process", "", ""],
        ["Set a reserves strategy", "Director of Finance", "May 2024"], ["", "Head of Audit", "June 2024"],
        ["Publish it. Train members", "Monitoring Officer", "July 2024"]]
    assert [(p.text, p.bullet) for p in table.rows[4].cells[0].parts()] == [("Publish it.", False),
                                                                             ("Train members", True)]
    for row in table.rows:
        for cell in row.cells:
            assert doc.text[cell.start:cell.end] == cell.raw
