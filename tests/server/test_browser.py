"""What a person sees: a real ``govgraph serve`` in real headless Chromium. Screenshots go to the test's temporary
directory. Without Chromium these are skipped with a message saying how to enable them (CI sets
GOVGRAPH_REQUIRE_BROWSER=1, which makes a missing browser a failure)."""
from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import urlparse

import httpx
import pytest

from govgraph.server import service

pytestmark = pytest.mark.browser
from tests.server.conftest import HOSTILE


@contextmanager
def browsing(chromium, url: str):
    """A new page at ``url`` that records every request, script error and dialog; when the test's steps are done,
    no request may have left this machine and no script may have failed or opened a dialog."""
    page = chromium.new_page(viewport={"width": 1300, "height": 900})
    seen = {"requests": [], "errors": [], "dialogs": [], "blocked": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    # anything of the page's own the Content-Security-Policy blocked is reported on the console (a viewer's link
    # to another site being blocked is the policy working: that request never leaves)
    page.on("console", lambda m: seen["blocked"].append(m.text) if "Content Security Policy" in m.text
            and not re.search(r"'https?://(?!127\.0\.0\.1)", m.text) else None)
    page.on("requestfailed", lambda r: seen["requests"].remove(r.url) if r.failure == "csp" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    try:
        page.goto(url)
        yield page
        hosts = {urlparse(u).hostname for u in seen["requests"] if not u.startswith(("data:", "blob:"))}
        assert hosts <= {"127.0.0.1"}, f"requests left this machine: {hosts}"
        assert seen["errors"] == [] and seen["dialogs"] == []
        assert seen["blocked"] == [], f"the page's own code was blocked by its policy: {seen['blocked']}"
    finally:
        page.close()


def test_the_dashboard_loads(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + "/") as page:
        assert page.title() == "Accountability in council action plans · govgraph"
        assert page.locator("h2 a", has_text="Kirklees Council").is_visible()
        # recommendations across the samples, each counted once though the plan and its tracker both name it
        assert int(page.locator(".card .figure").first.inner_text()) == server.recommendations > 25
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)


def test_a_network_view_draws_its_nodes(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + "/network?council=Kirklees+Council") as page:
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        drawn = page.evaluate("window.govgraphNetwork.body.data.nodes.length")
        assert drawn == int(page.get_attribute("#network", "data-nodes")) > 20
        assert page.evaluate("document.querySelector('#network canvas').width") > 300
        legend = page.locator(".legend").inner_text()
        assert "Recommendation" in legend and "Oversight body" in legend
        page.screenshot(path=str(tmp_path / "network.png"))


def test_clicking_through_to_a_recommendation_shows_its_chain(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + "/") as page:
        page.locator("h2 a", has_text="Kirklees Council").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Kirklees Council"
        page.get_by_role("link", name="LGA Corporate Peer Challenge, 9 - 12 July 2019", exact=True).first.click()
        page.wait_for_load_state()
        heading = page.locator("summary strong", has_text=re.compile("^made: recommendations$"))
        made = page.locator("details.links").filter(has=heading)
        assert made.locator("li").count() == 10  # the review's ten recommendations
        made.locator("li a").first.click()
        page.wait_for_load_state()
        assert page.locator("p.identity .kind").text_content() == "recommendation"
        assert page.locator("h2", has_text="Accountability chain").is_visible()
        assert page.locator("table.chain").count() >= 1
        first_chain = page.locator("table.chain").first.inner_text()
        assert re.search(r"kirklees-2020-peer-challenge-action-plan\.txt:\d+", first_chain)
        page.screenshot(path=str(tmp_path / "recommendation.png"), full_page=True)
        page.locator("a", has_text="See this chain as a network").click()
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        assert page.evaluate("window.govgraphNetwork.body.data.nodes.length") >= 3


def test_markup_in_a_document_shows_as_text(site, chromium, tmp_path):
    server, person = site
    for url in (service.page_path(person), "/network?council=Kirklees+Council"):
        with browsing(chromium, server.url + url) as page:
            if url.startswith("/network"):
                page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
                page.locator("details summary").click()
                assert HOSTILE in page.locator("details").inner_text()
            elif url.startswith("/id/"):
                assert page.locator("h1").inner_text() == "Hostile " + HOSTILE
            assert page.evaluate("window.pwned") is None
            assert page.locator("img[src=x]").count() == 0
            page.screenshot(path=str(tmp_path / f"markup-{url.strip('/').split('?')[0].replace('/', '-')}.png"))


@pytest.mark.parametrize("path", ["/", "/sparql", "/report.html", "/docs", "/redoc", "/compare", "/queries"])
def test_pages_work_under_their_content_security_policy(site, chromium, path):
    server, _ = site
    with browsing(chromium, server.url + path) as page:
        page.wait_for_load_state("networkidle")
        if path == "/sparql":  # the page's own script still runs: choosing an example fills the query
            page.select_option("#examples", index=1)
            assert "SELECT" in page.input_value("textarea[name=query]")
        if path == "/docs":
            page.wait_for_selector(".swagger-ui .info", timeout=15_000)
        if path == "/redoc":
            page.wait_for_selector("redoc h1, [role=search], .api-content", timeout=15_000)
    headers = httpx.get(server.url + path).headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert (headers["x-content-type-options"], headers["x-frame-options"], headers["referrer-policy"]) == (
        "nosniff", "DENY", "same-origin")


PHONE_PAGES = ["/", "/compare", "/network?council=Leeds+City+Council", "/network?layout=force", "/queries", "/queries/actions-without-owner",
               "/compare?from=2018&to=2023&measure=recommendations",
               "/sparql", "/search?q=audit+committee", "/report.html", "/id/council/leeds-city-council",
               "/id/action/derby-city-council/lga-corporate-peer-challenge-june-2017/derby-2018-improvement-plan-update-22",
               "/id/recommendation/leeds-city-council/lga-corporate-peer-challenge-november-2022/6",
               "/id/body/leeds-city-council/executive-board", "/id/post/leeds-city-council/chief-executive",
               "/upload", "/documents",
               "/queries/overdue-actions?as_of=2025-01-01&_status=in+progress&_sort=latest_end&_desc=1&_size=50"]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", PHONE_PAGES)
def test_no_page_scrolls_sideways_on_a_phone_or_a_desktop(site, chromium, path, width, tmp_path):
    # 390 px wide (a phone) and 1280 (a laptop): the page is no wider than the screen; a wide table scrolls inside
    # its own box
    server, _ = site
    page = chromium.new_page(viewport={"width": width, "height": 844})
    try:
        answer = page.goto(server.url + path)
        assert answer is not None and answer.status == 200, path
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(tmp_path / f"at-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} is too wide at {width} px"
    finally:
        page.close()


AXE_PAGES = ["/", "/id/council/leeds-city-council",
             "/id/recommendation/leeds-city-council/lga-corporate-peer-challenge-november-2022/6",
             "/id/action/derby-city-council/lga-corporate-peer-challenge-june-2017/derby-2018-improvement-plan-update-22",
             "/id/post/leeds-city-council/chief-executive", "/id/body/leeds-city-council/executive-board", "/compare",
             "/network?council=Leeds+City+Council", "/network?layout=force", "/search?q=audit+committee", "/sparql",
             "/compare?council=Leeds+City+Council&from=2020", "/queries", "/upload", "/documents", "/queries/actions-without-owner",
             "/queries/overdue-actions?as_of=2025-01-01&_status=in+progress&_size=50"]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_pages_have_no_accessibility_violations(site, chromium, path):
    # axe-core (vendored by axe-playwright-python) run inside the page, every rule it has
    from axe_playwright_python.sync_playwright import Axe

    server, _ = site
    page = chromium.new_page(viewport={"width": 1300, "height": 900})
    try:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        violations = Axe().run(page).response["violations"]
        assert violations == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                                           f"{[n['target'] for n in v['nodes'][:3]]}" for v in violations)
    finally:
        page.close()
