"""The network map as a person uses it, in real headless Chromium over a real ``govgraph serve`` (the samples):
layers, labels, finding a node, saving a PNG, showing a node's neighbours, filters that follow the council, the
aggregate view. Every step runs inside ``browsing``: no request may leave this machine, no script may fail."""
from __future__ import annotations

import base64
import io

import pytest

from tests.conftest import LiveServer
from tests.server.test_browser import browsing

pytestmark = pytest.mark.browser
LEEDS = "/network?council=Leeds+City+Council"
ORDER = ["council", "body", "post", "action", "recommendation"]


def drawn_nodes(page) -> list[dict]:
    """Every node of the map with its place on the canvas."""
    return page.evaluate("""() => { const net = window.govgraphNetwork, at = net.getPositions();
        return net.body.data.nodes.get().map(n => ({id: n.id, kind: n.kind, label: n.label, text: n.text,
                                                    x: at[n.id].x, y: at[n.id].y})); }""")


def click_node(page, node_id: str, *, double: bool = False) -> None:
    # the whole map in view first: a click focuses it, and the browser would scroll a map it cuts into view
    x, y = page.evaluate("""(id) => { const net = window.govgraphNetwork;
        document.getElementById("network").scrollIntoView({block: "center"});
        net.moveTo({position: net.getPositions([id])[id], scale: 1.5});
        const box = document.getElementById("network").getBoundingClientRect();
        const at = net.canvasToDOM(net.getPositions([id])[id]);
        return [at.x + box.left, at.y + box.top]; }""", node_id)
    if double:
        page.mouse.dblclick(x, y)
    else:
        page.mouse.click(x, y)


def test_the_map_stands_in_layers_with_every_node_and_edge_labelled(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + LEEDS) as page:
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        nodes = drawn_nodes(page)
        assert len(nodes) == int(page.get_attribute("#network", "data-nodes")) > 40
        columns = {kind: [n["x"] for n in nodes if n["kind"] == kind] for kind in ORDER}
        for before, after in zip(ORDER, ORDER[1:]):
            assert max(columns[before]) < min(columns[after]), (before, after)
        assert all(n["label"] for n in nodes)
        fourteen = [n for n in nodes if n["kind"] == "action" and n["text"].startswith("14 ")]
        assert fourteen and len(fourteen[0]["label"]) <= 40
        shown = page.evaluate("""() => window.govgraphNetwork.body.data.edges.get({filter: e => !e.hidden})
                                   .map(e => e.label)""")
        assert {"oversees", "accountable for", "answers"} <= set(shown) and all(shown)
        assert page.evaluate("window.govgraphNetwork.physics.physicsEnabled") is False
        page.screenshot(path=str(tmp_path / "layers.png"))
        # zoomed in, the labels are drawn on the canvas (vis-network leaves out labels too small to read)
        click_node(page, fourteen[0]["id"])
        page.screenshot(path=str(tmp_path / "layers-zoomed.png"))


def test_search_focuses_and_selects_a_node(site, chromium, tmp_path):
    server, _ = site
    with browsing(chromium, server.url + LEEDS) as page:
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        start = page.evaluate("window.govgraphNetwork.getViewPosition()")
        page.fill("#map-search-words", "14")
        page.press("#map-search-words", "Enter")
        [selected] = page.evaluate("window.govgraphNetwork.getSelectedNodes()")
        node = next(n for n in drawn_nodes(page) if n["id"] == selected)
        assert node["text"].startswith("14 ")  # the number before any text that merely contains it
        # the view moves to the node (animated)
        page.wait_for_function("""([x, y]) => { const v = window.govgraphNetwork.getViewPosition();
                                    return Math.abs(v.x - x) < 2 && Math.abs(v.y - y) < 2; }""",
                               arg=[node["x"], node["y"]], timeout=5_000)
        assert page.evaluate("window.govgraphNetwork.getViewPosition()") != start
        assert page.evaluate("window.govgraphNetwork.getScale()") == pytest.approx(1.3, abs=0.05)
        assert node["text"] in page.inner_text("#found") and page.is_visible("#selected")
        assert page.inner_text("#selected-text") == node["text"]
        page.fill("#map-search-words", "no such words anywhere")
        page.press("#map-search-words", "Enter")
        assert "Nothing on the map matches" in page.inner_text("#found")
        page.screenshot(path=str(tmp_path / "found.png"))


def test_save_as_png_gives_the_drawn_map_as_a_png(site, chromium, tmp_path):
    from PIL import Image

    server, _ = site
    with browsing(chromium, server.url + LEEDS) as page:
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        with page.expect_download() as download:
            page.click("#png")
        assert download.value.suggested_filename == "govgraph-network.png"
        url = page.get_attribute("#png-link", "href")
        assert url.startswith("data:image/png;base64,")
        image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
        canvas = page.evaluate("[document.querySelector('#network canvas').width, "
                               "document.querySelector('#network canvas').height]")
        assert image.format == "PNG" and list(image.size) == canvas
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert len(colours) > 20  # nodes, edges and labels, not a blank canvas
        assert max(colours)[1] == (255, 255, 255)  # on white
        (tmp_path / "saved.png").write_bytes(base64.b64decode(url.split(",", 1)[1]))


def test_clicking_a_node_offers_its_page_and_adds_its_neighbours(site, chromium):
    server, _ = site
    chain = ("/network?focus=https://w3id.org/govgraph/id/recommendation/leeds-city-council/"
             "lga-corporate-peer-challenge-november-2022/6")
    with browsing(chromium, server.url + chain) as page:
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        before = drawn_nodes(page)
        post = next(n for n in before if n["kind"] == "post")
        click_node(page, post["id"])
        page.wait_for_selector("#selected:not([hidden])")
        assert page.inner_text("#selected-text") == post["text"]
        assert page.get_attribute("#selected-page", "href").startswith("/id/post/")
        with page.expect_response(lambda r: "/api/network/neighbours?" in r.url) as answer:
            page.click("#expand")
        assert answer.value.ok
        page.wait_for_function("(n) => window.govgraphNetwork.body.data.nodes.length > n", arg=len(before))
        after = drawn_nodes(page)
        added = [n for n in after if n["id"] not in {b["id"] for b in before}]
        assert added and {n["kind"] for n in added} <= {"action", "person"}
        action_x = [n["x"] for n in before if n["kind"] == "action"]
        assert all(n["x"] == min(action_x) for n in added if n["kind"] == "action")  # in the actions' column
        assert page.evaluate("window.govgraphNetwork.getSelectedNodes()") == [post["id"]]
        assert f"next to {post['text']}" in page.inner_text("#found")
        page.click("#expand")  # again: nothing new
        page.wait_for_function("() => document.getElementById('found').textContent.includes('already on the map')")
        click_node(page, post["id"], double=True)
        page.wait_for_url("**/id/post/**")


def test_the_filter_lists_follow_the_council(site, chromium):
    server, _ = site
    with browsing(chromium, server.url + "/network") as page:
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        every = page.eval_on_selector_all("select[name=review] option", "os => os.map(o => o.value)")
        with page.expect_response(lambda r: "/api/network/facets?council=" in r.url):
            page.select_option("select[name=council]", label="Kirklees Council")
        page.wait_for_function("() => document.getElementById('found').textContent.includes('Kirklees Council')")
        kirklees = page.eval_on_selector_all("select[name=review] option", "os => os.map(o => o.value)")
        assert kirklees[0] == "" and 1 < len(kirklees) < len(every)
        assert all("/kirklees-council/" in v for v in kirklees[1:])
        page.select_option("select[name=review]", kirklees[1])
        page.click("form.network-filters button[type=submit]")
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        assert "review=" in page.url and "council=" in page.url
        assert page.eval_on_selector("select[name=review]", "s => s.value") == kirklees[1]
    # without JavaScript the form reloads, and the page lists that council's reviews only
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url + "/network?council=Kirklees+Council")
        assert page.eval_on_selector_all("select[name=review] option", "os => os.map(o => o.value)") == kirklees
    finally:
        context.close()


def test_above_the_node_limit_the_aggregate_view_is_shown_and_said(site, chromium, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    server, _ = site
    small = LiveServer(server.log.parent / "store",  # the same store, read beside the first server
                       env={"GOVGRAPH_MAX_NETWORK_NODES": "60"}, log_dir=tmp_path)
    try:
        with browsing(chromium, small.url + LEEDS) as page:
            page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
            assert page.inner_text("#aggregate-title") == "This is the aggregate view."
            assert "narrow down" in page.inner_text(".aggregate")
            kinds = {n["kind"] for n in drawn_nodes(page)}
            assert kinds <= {"council", "body", "post", "person"} and "body" in kinds
            rows = page.locator(".pairs tbody tr")
            assert rows.count() > 5
            assert int(rows.first.locator("td.count").inner_text()) >= 1
            page.screenshot(path=str(tmp_path / "aggregate.png"), full_page=True)
            violations = Axe().run(page).response["violations"]
            assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    finally:
        small.stop()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_map_with_a_node_chosen_is_accessible_and_fits(site, chromium, width):
    from axe_playwright_python.sync_playwright import Axe

    server, _ = site
    with browsing(chromium, server.url + LEEDS + "&layout=force") as page:
        page.set_viewport_size({"width": width, "height": 844})
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        page.fill("#map-search-words", "Executive Board")
        page.press("#map-search-words", "Enter")
        assert page.is_visible("#selected")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        violations = Axe().run(page).response["violations"]
        assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
