"""The compare page in a real headless Chromium: the heatmap, choosing councils and years, a chart saved as PNG."""
from __future__ import annotations

import struct
from pathlib import Path

from tests.server.test_browser import browsing


def bars(page) -> list[str]:
    """The councils the status chart draws a bar for (their labels, in order)."""
    return page.locator("#status-chart svg > text[font-size=\"12\"]").all_text_contents()


def test_the_heatmap_is_drawn_with_a_cell_per_council_and_theme(site, chromium):
    server, _ = site
    with browsing(chromium, server.url + "/compare") as page:
        heatmap = page.locator("#theme-heatmap svg[role=img]")
        assert heatmap.is_visible()
        councils = len(bars(page))
        assert councils >= 3 and heatmap.locator("g > rect").count() == councils * 12
        assert page.locator("#heatmap-title").text_content() == "Actions under each shared theme, by council"


def test_choosing_councils_and_years_changes_the_charts(site, chromium):
    server, _ = site
    with browsing(chromium, server.url + "/compare") as page:
        assert "Derby City Council" in bars(page) and len(bars(page)) >= 3
        page.select_option("select[name=council]", ["Derby City Council", "Leeds City Council"])
        page.click("form.compare-choice button[type=submit]")
        page.wait_for_url("**/compare?council=*")
        assert bars(page) == ["Derby City Council", "Leeds City Council"]
        page.select_option("select[name=from]", "2020")
        page.click("form.compare-choice button[type=submit]")
        page.wait_for_url("**from=2020**")
        assert bars(page) == ["Leeds City Council"]  # Derby's only document is of 2018
        assert "documents of 2020 to the latest" in page.locator("#compare-scope").text_content()
        heatmap_rows = page.locator("#theme-heatmap svg > text[text-anchor=end]").evaluate_all(
            "labels => labels.map(label => label.lastChild.textContent)")  # the label, not its hover title
        assert heatmap_rows == ["Leeds City Council"]
        link = page.locator("#status-chart a", has_text="SVG").get_attribute("href")
        assert "council=Derby+City+Council" in link and "from=2020" in link


def test_a_chart_downloads_as_png(site, chromium):
    server, _ = site
    with browsing(chromium, server.url + "/compare?from=2018") as page:
        svg = page.locator("#theme-heatmap svg")
        width, height = int(svg.get_attribute("width")), int(svg.get_attribute("height"))
        with page.expect_download() as caught:
            page.locator("#theme-heatmap a.as-png").click()
        download = caught.value
        assert download.suggested_filename == "govgraph-compare-themes.png"
        data = Path(download.path()).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (2 * width, 2 * height)  # drawn at twice the chart's size
        with page.expect_download() as caught:
            page.locator("#status-chart a", has_text="SVG").click()
        assert caught.value.suggested_filename == "govgraph-compare-status.svg"
        assert Path(caught.value.path()).read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
