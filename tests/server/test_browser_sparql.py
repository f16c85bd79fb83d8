"""The SPARQL page's result views in real headless Chromium over a real ``govgraph serve``: an example run, then
shown as a bar chart and as a network; nothing leaves the machine, the page stays accessible and phone-wide, the
table stays without JavaScript. Skipped, loudly, without Chromium (see tests/server/test_browser.py)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest

from tests.server.conftest import HOSTILE
from tests.server.test_browser import browsing

pytestmark = pytest.mark.browser
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
GG = "https://w3id.org/govgraph/def#"
# an officer post and who holds it: the person with markup in its name (see the site fixture)
PEOPLE = ("SELECT ?post ?person ?personLabel ?relation WHERE { ?post <http://www.w3.org/ns/org#heldBy> ?person . "
          f"?person <{RDFS}label> ?personLabel BIND(\"held by\" AS ?relation) }}")
PEOPLE_COUNTED = (f"SELECT ?personLabel (COUNT(?post) AS ?posts) WHERE {{ ?post <http://www.w3.org/ns/org#heldBy> "
                  f"?person . ?person <{RDFS}label> ?personLabel }} GROUP BY ?personLabel")
# actions and the posts accountable for them, named
POSTS = (f"SELECT DISTINCT ?action ?post ?postLabel WHERE {{ ?action <{GG}accountablePost> ?post . "
         f"?post <{RDFS}label> ?postLabel }} ORDER BY ?action ?post LIMIT 60")
POSTS_COUNTED = (f"SELECT ?post ?postLabel (COUNT(DISTINCT ?action) AS ?actions) WHERE {{ ?action "
                 f"<{GG}accountablePost> ?post . ?post <{RDFS}label> ?postLabel }} GROUP BY ?post ?postLabel "
                 "ORDER BY DESC(?actions) ?post LIMIT 20")


def _view_of(page) -> str | None:
    return parse_qs(urlparse(page.url).query).get("view", [None])[0]


def _rendered(page) -> int:
    page.wait_for_selector("#result-network[data-rendered=true]", state="attached", timeout=30_000)
    return page.evaluate("window.govgraphNetwork.body.data.nodes.length")


def test_an_example_as_a_table_a_bar_chart_and_a_network(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + "/sparql") as page:
        page.select_option("#examples", "status-by-council")
        page.get_by_role("button", name="Run").click()
        page.wait_for_load_state()
        rows = page.locator("table.result tbody tr").count()
        assert rows > 2 and _view_of(page) == "table" and page.locator("svg.bar-chart").count() == 0
        query = page.input_value("textarea[name=query]")

        page.locator("nav.result-views a", has_text="Bar chart").click()
        page.wait_for_load_state()
        assert _view_of(page) == "chart"
        assert parse_qs(urlparse(page.url).query)["query"][0].replace("\r\n", "\n") == query.replace("\r\n", "\n")
        chart = page.locator("svg.bar-chart")
        assert chart.get_attribute("role") == "img" and "for each" in chart.locator("title").first.text_content()
        assert chart.locator("g.bar").count() == page.locator("table.result tbody tr").count() == rows
        assert chart.locator("g.bar rect").first.bounding_box()["width"] > 10
        assert page.locator("nav.result-views [aria-current=page]").inner_text() == "Bar chart"
        assert "the first numeric column" in page.locator("figure.result-chart figcaption").inner_text()
        page.screenshot(path=str(tmp_path / "chart.png"), full_page=True)

        page.locator("nav.result-views a", has_text="Network").click()
        page.wait_for_load_state()
        assert _view_of(page) == "network"
        drawn = _rendered(page)
        # the council and its reviews: the distinct IRIs of the first two IRI columns
        answer = httpx.get(server.url + "/sparql", params={"query": query}).json()
        columns = [c for c in answer["head"]["vars"] if all(b.get(c, {}).get("type") == "uri"
                                                            for b in answer["results"]["bindings"])][:2]
        expected = {b[c]["value"] for b in answer["results"]["bindings"] for c in columns}
        assert drawn == len(expected) == int(page.get_attribute("#result-network", "data-nodes")) >= 2
        assert page.evaluate("document.querySelector('#result-network canvas').width") > 300
        assert page.locator("table.result tbody tr").count() == rows  # the table is still there
        page.screenshot(path=str(tmp_path / "network.png"), full_page=True)


def test_the_view_chosen_in_the_form_travels_in_the_url_and_a_node_opens_its_page(site, chromium):
    server, _ = site
    with browsing(chromium, server.url + "/sparql") as page:
        page.fill("textarea[name=query]", POSTS)
        page.select_option("select[name=view]", "network")
        page.get_by_role("button", name="Run").click()
        page.wait_for_load_state()
        assert _view_of(page) == "network"
        assert _rendered(page) == int(page.get_attribute("#result-network", "data-nodes")) > 2
        assert page.evaluate("window.govgraphNetwork.body.data.edges.length") == int(
            page.get_attribute("#result-network", "data-edges"))
        # a click on a post opens the post's page
        post = page.evaluate("""(() => { var net = window.govgraphNetwork;
            var id = net.body.data.nodes.getIds().find(i => i.includes('/post/'));
            var p = net.canvasToDOM(net.getPositions([id])[id]); return {id: id, x: p.x, y: p.y}; })()""")
        page.locator("#result-network canvas").click(position={"x": post["x"], "y": post["y"]})
        page.wait_for_url("**/id/post/**")
        assert post["id"].endswith(urlparse(page.url).path.removeprefix("/id/"))


def test_markup_in_labels_stays_text_in_the_chart_and_the_network(site, chromium):
    server, _ = site
    for query, view in ((PEOPLE_COUNTED, "chart"), (PEOPLE, "network")):
        with browsing(chromium, server.url + "/sparql?" + urlencode({"query": query, "view": view})) as page:
            if view == "network":
                _rendered(page)
                labels = page.evaluate("window.govgraphNetwork.body.data.nodes.get().map(n => n.label)")
                assert any(label.startswith("Hostile <script>") for label in labels)
            else:
                titles = page.locator("svg.bar-chart g.bar title").all_text_contents()
                assert "Hostile " + HOSTILE + ": 1" in titles
            assert page.evaluate("window.pwned") is None and page.locator("img[src=x]").count() == 0


def test_without_javascript_the_table_still_shows(site, chromium):
    server, _ = site
    page = chromium.new_page(java_script_enabled=False)
    try:
        page.goto(server.url + "/sparql?" + urlencode({"query": POSTS, "view": "network"}))
        assert page.locator("table.result tbody tr").count() > 20
        assert "drawn by the page's script" in page.locator("section.result-network").inner_text()
        page.goto(server.url + "/sparql?" + urlencode({"query": POSTS_COUNTED, "view": "chart"}))
        assert page.locator("svg.bar-chart g.bar").count() == page.locator("table.result tbody tr").count() > 2
    finally:
        page.close()


def test_errors_show_in_any_view(site, chromium):
    server, _ = site
    url = server.url + "/sparql?" + urlencode({"query": "SELECT ?x WHERE { ?x", "view": "chart"})
    with browsing(chromium, url) as page:
        assert page.locator("p.error").inner_text().startswith("the query is not valid SPARQL")
        assert page.locator("nav.result-views").count() == 0
        assert page.input_value("select[name=view]") == "chart"


VIEWS = [("chart", POSTS_COUNTED), ("network", POSTS)]


@pytest.mark.parametrize("view,query", VIEWS, ids=[v for v, _ in VIEWS])
def test_the_views_have_no_accessibility_violations(site, chromium, view, query):
    from axe_playwright_python.sync_playwright import Axe

    server, _ = site
    with browsing(chromium, server.url + "/sparql?" + urlencode({"query": query, "view": view})) as page:
        if view == "network":
            _rendered(page)
        violations = Axe().run(page).response["violations"]
        assert violations == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                                           f"{[n['target'] for n in v['nodes'][:3]]}" for v in violations)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("view,query", VIEWS, ids=[v for v, _ in VIEWS])
def test_the_views_do_not_scroll_sideways(site, chromium, view, query, width, tmp_path):
    server, _ = site
    page = chromium.new_page(viewport={"width": width, "height": 844})
    try:
        page.goto(server.url + "/sparql?" + urlencode({"query": query, "view": view}))
        if view == "network":
            _rendered(page)
        page.screenshot(path=str(tmp_path / f"{view}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.close()
