"""A named query's table in real headless Chromium: sorting by a header, choosing facets, paging, and a link that
gives the same view again, without any script of the page's own."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlparse

import pytest

from tests.server.test_browser import browsing

pytestmark = pytest.mark.browser
OVERDUE = "/queries/overdue-actions?as_of=2025-01-01"


def state_of(page) -> list[tuple[str, str]]:
    return parse_qsl(urlparse(page.url).query, keep_blank_values=True)


def column(page, header: str) -> list[str]:
    """The cells of one column of the rows shown, by its header's text."""
    headers = [h.strip().split("\n")[0].strip(" ▲▼") for h in page.locator("table.sortable thead th a").all_inner_texts()]
    headers = [h.split(",")[0] for h in headers]  # the hidden 'sort ascending' words
    index = headers.index(header)
    return page.locator(f"table.sortable tbody tr td:nth-child({index + 1})").all_inner_texts()


def facet_counts(page, facet: str) -> dict[str, int]:
    items = page.locator(f"ul[aria-labelledby=facet-{facet}] li")
    out = {}
    for i in range(items.count()):
        item = items.nth(i)
        label = item.locator("a").inner_text().replace("✕", "").split("(chosen")[0].strip()
        out[label] = int(item.locator(".count").inner_text().split()[0])
    return out


def test_clicking_a_header_sorts_by_it_and_the_url_keeps_the_order(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + OVERDUE) as page:
        page.get_by_role("link", name=re.compile(r"^latest end ?, sort ascending$")).click()
        page.wait_for_load_state()
        assert ("_sort", "latest_end") in state_of(page) and ("_desc", "1") not in state_of(page)
        ends = column(page, "latest end")
        assert len(ends) == 96 and ends == sorted(ends) and ends[0] < ends[-1]
        assert page.locator("th[aria-sort=ascending]").inner_text().startswith("latest end")
        page.get_by_role("link", name=re.compile(r"^latest end ?, sort descending$")).click()
        page.wait_for_load_state()
        assert ("_desc", "1") in state_of(page)
        assert column(page, "latest end") == sorted(ends, reverse=True)
        assert page.locator("th[aria-sort=descending]").count() == 1
        page.screenshot(path=str(tmp_path / "sorted.png"), full_page=True)


def test_choosing_facets_filters_the_rows_and_the_counts_follow(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + OVERDUE) as page:
        councils = facet_counts(page, "council")
        statuses = facet_counts(page, "status")
        assert sum(councils.values()) == sum(statuses.values()) == 96 and len(statuses) > 2
        page.locator("ul[aria-labelledby=facet-status] a", has_text="in progress").click()
        page.wait_for_load_state()
        assert ("_status", "in progress") in state_of(page)
        assert set(column(page, "status")) == {"in progress"}
        assert len(column(page, "status")) == statuses["in progress"]
        after = facet_counts(page, "council")  # the councils' counts are now of the actions in progress
        assert sum(after.values()) == statuses["in progress"] and after != councils
        assert facet_counts(page, "status") == statuses  # a facet's own counts do not shrink with its choice
        # a second facet combines with the first
        council, n = max(after.items(), key=lambda kv: kv[1])
        page.locator("ul[aria-labelledby=facet-council] a", has_text=council).click()
        page.wait_for_load_state()
        assert len(column(page, "status")) == n and set(column(page, "council name")) == {council}
        assert "match the filters" in page.locator("p.table-summary").inner_text()
        page.screenshot(path=str(tmp_path / "faceted.png"), full_page=True)
        # a choice is removed by clicking it again
        page.locator("ul[aria-labelledby=facet-status] li.selected a").click()
        page.wait_for_load_state()
        assert [k for k, _ in state_of(page) if k == "_status"] == []
        assert len(column(page, "status")) == councils[council]


def test_page_two_and_a_reload_of_its_address_give_the_same_view(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + OVERDUE + "&_sort=number") as page:
        page.select_option("select[name=_size]", "50")
        page.get_by_role("button", name="Show").click()
        page.wait_for_load_state()
        assert ("_size", "50") in state_of(page) and ("_sort", "number") in state_of(page)
        first = column(page, "action")
        assert len(first) == 50
        page.get_by_role("link", name="Next").click()
        page.wait_for_load_state()
        assert ("_page", "2") in state_of(page)
        second = column(page, "action")
        assert len(second) == 46 and not set(second) & set(first)
        assert "Rows 51–96 shown" in page.locator("p.table-summary").inner_text()
        assert page.locator("nav.pager [aria-current=page]").inner_text() == "Page 2 of 2"
        url = page.url
    with browsing(chromium, url) as again:  # the link sent to a colleague
        assert column(again, "action") == second
        assert again.locator("th[aria-sort=ascending]").inner_text().startswith("number")
        again.screenshot(path=str(tmp_path / "page-2.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_worked_table_has_no_accessibility_violations_and_scrolls_in_its_own_box(site, chromium, width):
    from axe_playwright_python.sync_playwright import Axe

    server, _ = site
    page = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(server.url + OVERDUE + "&_status=in+progress&_status=&_sort=latest_end&_desc=1&_size=50&_page=2")
        page.wait_for_load_state("networkidle")
        violations = Axe().run(page).response["violations"]
        assert violations == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                                           f"{[n['target'] for n in v['nodes'][:3]]}" for v in violations)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = page.locator(".table-scroll")
        if width == 390:  # the table is wider than a phone: it scrolls inside its box, which a keyboard can reach
            assert box.evaluate("b => b.scrollWidth > b.clientWidth")
            assert box.get_attribute("tabindex") == "0"
    finally:
        page.close()
