"""A council's plans over time as SVG."""
from __future__ import annotations

from xml.etree import ElementTree

from govgraph.visualise.over_time import over_time_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_each_document_is_a_group_of_three_shares_with_its_count_of_actions():
    rows = [{"document": "d1", "title": "Plan <2019>", "issued": "2019-03", "recommendations": "5", "actions": "10",
             "with_owner": "10", "with_oversight": "5", "with_due_date": "0"},
            {"document": "d2", "title": "Update & tracker", "issued": None, "recommendations": "0", "actions": "4",
             "with_owner": "1", "with_oversight": "4", "with_due_date": "2"}]
    svg = ElementTree.fromstring(over_time_chart(rows))  # well-formed, titles escaped
    bars = [r for r in svg.iter(SVG + "rect") if r.find(SVG + "title") is not None]
    assert len(bars) == 6
    titles = [b.find(SVG + "title").text for b in bars]
    assert titles[0] == "Plan <2019> (2019): 10 of 10 actions name an accountable officer (100%)"
    assert titles[4] == "Update & tracker (undated): 4 of 4 actions name an oversight body (100%)"
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] == 2 * heights[1] and heights[2] < 1  # full, half, none (a hairline, still hoverable)
    texts = [t.text for t in svg.iter(SVG + "text")]
    assert {"10", "4", "2019", "undated"} <= set(texts)


def test_nothing_to_draw_is_no_chart():
    assert over_time_chart([]) == ""
    assert over_time_chart([{"document": "d", "actions": "0", "recommendations": "0"}]) == ""
