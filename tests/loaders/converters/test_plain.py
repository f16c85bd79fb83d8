"""Text and Markdown read into blocks: headings, list items with their markers and depth, tables, offsets."""
from __future__ import annotations

from govgraph.loaders.blocks import BlockKind
from govgraph.loaders.converters.plain import blocks_of_text

H, P, L, T = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.TABLE


def kinds(text: str) -> list[tuple]:
    return [(b.kind, b.level, b.marker, b.text) for b in blocks_of_text(text)]


def test_headings_shown_by_hashes_bold_capitals_and_numbering():
    text = "\n".join(["# Improvement plan", "**Key issues**", "SUPPORTING INFORMATION", "2. Governance arrangements",
                      "2.1 Audit findings", "The plan was agreed in May."])
    assert kinds(text) == [
        (H, 1, None, "Improvement plan"), (H, 3, None, "Key issues"), (H, 2, None, "SUPPORTING INFORMATION"),
        (H, 2, None, "2. Governance arrangements"), (H, 3, None, "2.1 Audit findings"),
        (P, 0, None, "The plan was agreed in May."),
    ]


def test_list_items_keep_their_markers_and_depth():
    text = "\n".join(["- one", "  - one point one", "• two.", "(a) lettered;", "b) lettered too;", "iv. roman.",
                      "3. That the review be noted.", "1.2 A numbered paragraph that goes on."])
    assert [(k, level, marker) for k, level, marker, _ in kinds(text)] == [
        (L, 0, "-"), (L, 1, "-"), (L, 0, "•"), (L, 0, "(a)"), (L, 0, "b)"), (L, 0, "iv."), (L, 0, "3."),
        (L, 0, "1.2")]


def test_items_of_another_marker_after_a_colon_are_nested():
    text = "\n".join(["1. That the grounds be:", "· first ground", "· second ground", "2. That a timetable be set."])
    blocks = blocks_of_text(text)
    assert [b.level for b in blocks] == [0, 1, 1, 0]
    assert [b.parent for b in blocks] == [None, 0, 0, None]


def test_tables_from_tabs_and_pipes_with_cell_offsets():
    text = "Intro line\nAction\tLead\nDo it.\tChief Executive\n\n| Action | Due |\n|---|---|\n| Pay it. | May 2024 |\n"
    doc = blocks_of_text(text)
    tables = [b for b in doc if b.kind is T]
    assert [[r.texts for r in t.rows] for t in tables] == [
        [["Action", "Lead"], ["Do it.", "Chief Executive"]], [["Action", "Due"], ["Pay it.", "May 2024"]]]
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                assert text[cell.start:cell.end] == cell.raw
    assert tables[1].rows[1].line == 7


def test_a_line_going_on_in_lower_case_continues_the_one_above():
    text = "The council will review its scheme of delegation and\nreport to the committee.\nNext point."
    blocks = blocks_of_text(text)
    assert [b.text for b in blocks] == [
        "The council will review its scheme of delegation and report to the committee.", "Next point."]
    assert text[blocks[0].start:blocks[0].end].endswith("committee.")


def test_items_of_another_marker_after_a_short_title_are_nested():
    text = "\n".join(["1) Risk management", "a) The register was refreshed.", "b) Training was held.",
                      "2) Contract management - a new register is in place."])
    assert [b.level for b in blocks_of_text(text)] == [0, 1, 1, 0]


def test_parents_are_the_headings_above():
    blocks = blocks_of_text("# Plan\n## Theme one\nText.\n## Theme two\n- item\n")
    assert [(b.text, b.parent) for b in blocks] == [
        ("Plan", None), ("Theme one", 0), ("Text.", 1), ("Theme two", 0), ("item", 3)]
