"""A council's page, a chain and an action's timeline, and the report's date, in real headless Chromium against a
real ``govgraph serve`` over the samples."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.server.test_browser import browsing

pytestmark = pytest.mark.browser
DERBY_22 = "/id/action/derby-city-council/lga-corporate-peer-challenge-june-2017/derby-2018-improvement-plan-update-22"


def overdue_card(page) -> int:
    card = page.locator(".card", has_text="actions overdue")
    return int(card.locator(".figure").inner_text())


def test_a_council_page_by_its_name_with_its_chart_and_who_carries_most(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + "/council/leeds") as page:
        assert urlparse(page.url).path == "/id/council/leeds-city-council"
        assert page.locator("h1").inner_text() == "Leeds City Council"
        chart = page.locator("figure.over-time svg")
        assert chart.is_visible() and chart.bounding_box()["width"] > 300
        # one column group a document: as many accountable-officer bars as documents in the table beside it
        page.locator("details", has_text="The figures as a table").locator("summary").click()
        documents = page.locator("details", has_text="The figures as a table").locator("tbody tr").count()
        assert documents >= 3 and chart.locator('rect[fill="#1f78b4"]:has(title)').count() == documents
        posts = page.locator("#posts-most + ol li")
        assert 1 <= posts.count() <= 8
        counts = [int(re.search(r"(\d+) action", t)[1]) for t in posts.all_inner_texts()]
        assert counts == sorted(counts, reverse=True)
        page.screenshot(path=str(tmp_path / "council.png"), full_page=True)
        # a gap figure opens its gap list for this council
        page.locator(".card", has_text="without an accountable officer").locator("a").click()
        page.wait_for_load_state()
        assert urlparse(page.url).path == "/queries/actions-without-owner"
        assert "leeds-city-council" in parse_qs(urlparse(page.url).query)["council"][0]


def test_a_council_page_judges_overdue_at_the_date_picked(site, chromium):
    server, _ = site
    with browsing(chromium, server.url + "/id/council/leeds-city-council") as page:
        today = overdue_card(page)
        page.fill("#as-of", "2011-01-01")
        page.locator("form.as-of button").click()
        page.wait_for_load_state()
        assert parse_qs(urlparse(page.url).query)["as_of"] == ["2011-01-01"]
        assert overdue_card(page) < today
        # the date travels on: the overdue list it links to is judged at it too
        href = page.locator(".card", has_text="actions overdue").locator("a").get_attribute("href")
        assert "as_of=2011-01-01" in href


def test_a_chain_quotes_each_source_once_and_its_links_point_at_it(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + DERBY_22) as page:
        quotes = page.locator("ol.quotes > li")
        refs = page.locator("a.quote-ref")
        assert quotes.count() >= 2 and refs.count() > quotes.count()  # several links read from one text
        folded = [i for i in range(quotes.count()) if quotes.nth(i).locator("details").get_attribute("open") is None]
        assert folded
        long_one = quotes.nth(folded[0]).locator("details")
        assert not long_one.locator("blockquote").is_visible()  # a long text is folded
        long_one.locator("summary").click()
        assert long_one.locator("blockquote").is_visible()
        assert "sign-off by each strategic director" in long_one.locator("blockquote").inner_text()
        refs.first.click()
        assert page.url.endswith("#quote-1-1")
        assert page.evaluate("document.querySelector(':target').id") == "quote-1-1"
        page.screenshot(path=str(tmp_path / "chain.png"), full_page=True)


def test_an_action_page_shows_its_timeline(site, chromium):
    server, _ = site
    with browsing(chromium, server.url + DERBY_22) as page:
        timeline = page.locator("ol.timeline")
        assert timeline.is_visible()
        assert timeline.locator(".when").first.inner_text().startswith("2018-06-19")
        events = [t.strip().lower() for t in timeline.locator(".event .what").all_inner_texts()]
        assert events == ["named in", "due", "status"]
        assert timeline.locator(".status.status-slippage").inner_text() == "slippage"


def test_the_report_is_judged_at_the_date_picked_and_prints_without_its_controls(site, chromium):
    server, _ = site
    with browsing(chromium, server.url + "/report.html?council=Leeds") as page:
        page.fill("#as-of", "2019-04-01")
        page.locator(".controls button").click()
        page.wait_for_load_state()
        assert parse_qs(urlparse(page.url).query) == {"council": ["Leeds"], "as_of": ["2019-04-01"]}
        assert "Overdue judged at 2019-04-01" in page.locator("body").inner_text()
        assert page.locator(".controls").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".controls").is_visible()
