"""The compare page's SVG charts: well-formed standalone XML, the counts in the cells, names escaped."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from govgraph.visualise.charts import EMPTY, STEPS, theme_heatmap
from govgraph.visualise.report import status_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & \"Co\""
THEMES = {("LGA", "Capacity"): {"Derby": (2, 6), "Leeds": (1, 1)},
          ("LGA", "Place"): {"Leeds": (4, 3)},
          ("CIPFA", HOSTILE): {"Derby": (0, 0)}}


def cells(svg: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(council, theme) -> (the number written in the cell, its fill), read from the cells' hover titles."""
    root = ET.fromstring(svg)
    out = {}
    for group in root.iter(f"{SVG}g"):
        if group.find(f"{SVG}title") is None:  # the group of every cell
            continue
        title = group.find(f"{SVG}title").text
        council, theme = re.match(r"(.*?), (.*): \d+ actions", title).groups()
        out[(council, theme)] = (group.find(f"{SVG}text").text, group.find(f"{SVG}rect").get("fill"))
    return out


def test_the_heatmap_is_standalone_svg_with_every_count_in_its_cell():
    svg = theme_heatmap(["Derby", "Leeds"], THEMES, columns=[("LGA", "Capacity"), ("LGA", "Financial")])
    root = ET.fromstring(svg)  # well-formed XML in the SVG namespace, sized, accessible
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("width") and root.get("viewBox")
    assert root.get("aria-labelledby") == "heatmap-title heatmap-desc"
    assert root.find(f"{SVG}title").text == "Actions under each shared theme, by council"
    assert "2 councils by 4 shared themes" in root.find(f"{SVG}desc").text
    found = cells(svg)
    assert len(found) == 2 * 4  # every council × every theme: the columns given, then those with counts
    assert found[("Derby", "Capacity")] == ("6", STEPS[-1])  # the most: the darkest
    assert found[("Leeds", "Place")][0] == "3" and found[("Leeds", "Capacity")][0] == "1"
    assert found[("Derby", "Financial")] == ("0", EMPTY) and found[("Leeds", "Financial")] == ("0", EMPTY)
    columns = [t for t in root.iter(f"{SVG}text") if t.get("transform")]
    assert [c.find(f"{SVG}title").text for c in columns][:2] == ["LGA: Capacity", "LGA: Financial"]


def test_the_heatmap_counts_recommendations_when_asked_and_its_legend_covers_the_counts():
    svg = theme_heatmap(["Derby", "Leeds"], THEMES, measure="recommendations")
    found = cells(svg)
    assert found[("Derby", "Capacity")][0] == "2" and found[("Leeds", "Place")] == ("4", STEPS[-1])
    legend = re.findall(r'<rect x="\d+" y="\d+" width="14" height="14" fill="([^"]+)"[^>]*/><text[^>]*>([^<]+)</text>',
                        svg)
    assert legend[-1] == (EMPTY, "none") and legend[0][1] == "1"
    assert legend[-2][1].endswith("4")  # the darkest step reaches the largest count
    with pytest.raises(ValueError, match="measure must be one of actions, recommendations"):
        theme_heatmap(["Derby"], THEMES, measure="budget")


def test_the_heatmap_escapes_every_name():
    svg = theme_heatmap([HOSTILE], {("CIPFA", HOSTILE): {HOSTILE: (1, 2)}})
    root = ET.fromstring(svg)  # parses: nothing unescaped broke the markup
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert [e for e in root.iter() if e.tag.endswith("script")] == []
    assert any(t.text == HOSTILE for t in root.iter(f"{SVG}title"))


def test_the_status_bars_say_the_councils_own_words_on_hover_escaped():
    mix = {"Derby": {"slippage": 3, "completed": 1}, HOSTILE: {"in progress": 2}}
    svg = status_chart(mix, words={"Derby": {"slippage": [("Amber", 2), ("Red <b>", 1)], "completed": [(None, 1)]}})
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Derby: 3 slippage (75%); as written: 'Amber' 2, 'Red <b>' 1" in titles
    assert "Derby: 1 completed (25%)" in titles  # no words printed: nothing added
    assert f"{HOSTILE}: 2 in progress (100%)" in titles and "Red &lt;b&gt;" in svg
