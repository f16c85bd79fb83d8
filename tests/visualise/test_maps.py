"""The accountability network page: escaping, no outside resources, legend, the size guard, links; small graphs
built here. The browser check runs only where Chromium and Playwright are installed."""
from __future__ import annotations

import doctest
import json
import re

import networkx as nx
import pytest
from markupsafe import Markup

from govgraph.visualise import maps
from govgraph.visualise.maps import KIND_STYLES, aggregate, render_network

SCRIPT_END = "</script><script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
COUNCIL = "https://w3id.org/govgraph/id/council/testshire"


def network(actions: int = 3) -> nx.DiGraph:
    """A council with two recommendations, ``actions`` actions, two posts (one held), two bodies."""
    g = nx.DiGraph()

    def node(iri, kind, label, **extra):
        g.add_node(iri, kind=kind, label=label, council=COUNCIL, **extra)

    node(COUNCIL, "council", "Testshire County Council", url="/id/council/testshire")
    node("post/dof", "post", "Director of Finance")
    node("post/ce", "post", "Chief Executive")
    node("person/jo", "person", "Jo Bloggs")
    node("body/audit", "body", "Audit Committee")
    node("body/cabinet", "body", "Cabinet")
    g.add_edge("post/dof", "person/jo", relation="held by")
    for r in (1, 2):
        node(f"rec/{r}", "recommendation", f"Recommendation {r}")
        g.add_edge(f"rec/{r}", COUNCIL, relation="made to")
    for a in range(1, actions + 1):
        node(f"action/{a}", "action", f"Action {a}", url=f"/id/action/testshire/{a}")
        g.add_edge(f"rec/{1 + a % 2}", f"action/{a}", relation="answered by")
        g.add_edge(f"action/{a}", COUNCIL, relation="committed by")
        g.add_edge(f"action/{a}", "post/dof", relation="accountable post")
        g.add_edge(f"action/{a}", "body/audit" if a % 3 else "body/cabinet", relation="overseen by")
    return g


def payload(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', html, re.S)
    assert match, "no JSON data element"
    return json.loads(match.group(1))


def nodes_by_id(html: str) -> dict[str, dict]:
    return {n["id"]: n for n in payload(html)["nodes"]}


def outside_scripts_and_styles(html: str) -> str:
    return re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", html, flags=re.S | re.I)


def test_document_text_cannot_escape_its_place():
    g = network(1)
    nasty = f'{SCRIPT_END} "quoted" & more'
    g.add_node("action/x", kind="action", label=SCRIPT_END, council=COUNCIL,
               detail=f"Due: March 2024\n{IMG}\nline\u2028break")
    g.add_node("body/x", kind="body", label=IMG, council=COUNCIL)
    g.add_node("post/x", kind="post", label=nasty, council=COUNCIL)
    g.add_edge("action/x", "body/x", relation=IMG)
    html = render_network(g, title=f"Title {IMG}", note=f"Note {SCRIPT_END}", back_url="/", back_label=IMG)

    assert "<img src=x" not in html
    assert "</script><script>alert" not in html
    assert "\u2028" not in html.split('id="network-data">')[1].split("</script>")[0]
    # Only our three script elements close: the data, vis-network and the page's own code.
    assert html.lower().count("</script") == 3
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # escaped in title, legend list and back link
    nodes = nodes_by_id(html)
    assert nodes["action/x"]["label"] == SCRIPT_END
    assert nodes["action/x"]["title"] == f"{SCRIPT_END}\nAction\nDue: March 2024\n{IMG}\nline\u2028break"
    assert nodes["body/x"]["label"] == IMG
    assert nasty in nodes["post/x"]["title"]
    edge = next(e for e in payload(html)["edges"] if e["to"] == "body/x")
    assert edge["title"] == IMG
    # The page builds tooltips as text nodes, never as HTML.
    assert "textContent = text" in html and "innerHTML" not in html.split("<script>")[-1]


def test_script_json_escapes_what_could_end_a_script():
    text = maps.script_json({"a": "</script> <!-- & \u2028\u2029 'x' \"y\""})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script> <!-- & \u2028\u2029 'x' \"y\""}


def test_page_loads_nothing_from_outside():
    html = render_network(network(), title="Offline", back_url="/report")
    markup = outside_scripts_and_styles(html)
    for attribute, value in re.findall(r"""\b(src|href|action|poster|data)\s*=\s*["']?([^"'\s>]*)""", markup, re.I):
        if attribute.lower() == "data":
            continue
        assert value.startswith(("#", "/", "data:")) and not value.startswith("//"), (attribute, value)
    # nothing is fetched: no element loads a resource, except the empty data: favicon that stops a /favicon.ico request
    assert not re.search(r"<(script|img|iframe|link|source|embed|object)\b[^>]*\b(src|href|data)\s*=\s*(?![\"']?data:)",
                         html, re.I)
    for value in re.findall(r"url\(\s*['\"]?([^'\")]*)", html):
        assert value.startswith("data:"), value
    assert "@import" not in html
    assert re.findall(r"<link\b[^>]*>", html, re.I) == ['<link rel="icon" href="data:,">']
    assert 'id="network" data-nodes="11" data-edges="' in html
    assert "document.body.dataset.rendered" in html and "window.govgraphNetwork" in html


def test_legend_lists_the_kinds_present_with_counts():
    g = network()
    g.add_node("thing/1", kind="milestone", label="A milestone", council=COUNCIL)
    html = render_network(g, title="Legend")
    legend = re.search(r'<ul class="legend".*?</ul>', html, re.S).group(0)
    found = {kind: int(count) for kind, count in
             re.findall(r'<li data-kind="([^"]*)">.*?<strong>(\d+)</strong>', legend, re.S)}
    assert found == {"recommendation": 2, "action": 3, "post": 2, "person": 1, "body": 2, "council": 1, "milestone": 1}
    for kind in ("recommendation", "action", "post", "person", "body", "council"):
        colour, shape, label = KIND_STYLES[kind]
        assert label in legend and f"({shape})" in legend and colour in legend
    assert "All 12 nodes as a list" in html
    assert nodes_by_id(html)["thing/1"]["shape"] == maps.DEFAULT_STYLE[1]
    assert len({colour for colour, _, _ in KIND_STYLES.values()}) == len(KIND_STYLES)
    assert len({shape for _, shape, _ in KIND_STYLES.values()}) == len(KIND_STYLES)


def test_aggregate_summarises_actions_as_links_between_posts_and_bodies():
    g = network(5)  # actions 1, 2, 4, 5 -> Audit Committee; action 3 -> Cabinet; all owned by Director of Finance
    g.add_node("action/orphan", kind="action", label="No owner", council=COUNCIL)
    g.add_edge("action/orphan", COUNCIL, relation="committed by")
    reduced, note = aggregate(g)
    assert {d["kind"] for _, d in reduced.nodes(data=True)} == {"post", "person", "body", "council"}
    assert reduced.edges["post/dof", "body/audit"]["weight"] == 4
    assert reduced.edges["post/dof", "body/audit"]["relation"] == "4 actions"
    assert reduced.edges["post/dof", "body/cabinet"]["weight"] == 1
    assert reduced.has_edge("post/dof", "person/jo")
    assert reduced.has_edge("post/dof", COUNCIL) and reduced.has_edge("body/audit", COUNCIL)
    assert reduced.has_edge("post/ce", COUNCIL)  # linked by no action, still shown in its council
    assert note.startswith("6 actions and 2 recommendations are summarised")
    assert "1 action that lack" in note and "filter by council, theme or status" in note.lower()
    assert g.number_of_nodes() == 14  # the input is untouched

    trimmed, note = aggregate(g, max_nodes=3)
    assert trimmed.number_of_nodes() == 3
    assert set(trimmed) == {"post/dof", COUNCIL, "body/audit"}
    assert "3 most connected of 6" in note and "3 with fewer links were left out" in note


def test_a_large_graph_is_summarised_and_a_small_one_rendered_whole():
    g = network(5)
    big = render_network(g, title="Big", note="Leeds only.", max_nodes=len(g) - 1)
    kinds = {n["kind"] for n in payload(big)["nodes"]}
    assert kinds == {"post", "person", "body", "council"}
    assert "5 actions and 2 recommendations are summarised" in big and "Leeds only." in big
    weighted = next(e for e in payload(big)["edges"] if (e["from"], e["to"]) == ("post/dof", "body/audit"))
    assert weighted["value"] == 4 and weighted["label"] == "4 actions"

    whole = render_network(g, title="Whole", max_nodes=len(g))
    assert len(payload(whole)["nodes"]) == len(g) and len(payload(whole)["edges"]) == g.number_of_edges()
    assert "summarised" not in whole
    assert f'data-nodes="{len(g)}" data-edges="{g.number_of_edges()}"' in whole


def test_node_urls_reach_the_data_and_the_list():
    g = network(1)
    g.add_node("action/bad", kind="action", label="Bad link", council=COUNCIL, url="javascript:alert(1)")
    g.add_node("action/far", kind="action", label="Far link", council=COUNCIL, url="//evil.example/x")
    html = render_network(g, title="Links")
    nodes = nodes_by_id(html)
    assert nodes["action/1"]["url"] == "/id/action/testshire/1"
    assert "url" not in nodes["action/bad"] and "url" not in nodes["action/far"] and "url" not in nodes["post/dof"]
    assert '<a href="/id/action/testshire/1">Action 1</a>' in html
    assert "javascript:" not in html.split('id="network-data"')[0]
    assert 'network.on("click"' in html and "window.location.assign(node.url)" in html


def test_controls_are_inserted_only_when_marked_safe():
    form = Markup('<form action="/network"><select name="council"><option>All</option></select></form>')
    html = render_network(network(), title="Controls", controls_html=form, back_url="/report", back_label="Report")
    assert str(form) in html and '<a class="back" href="/report">Report</a>' in html
    escaped = render_network(network(), title="Controls", controls_html="<b>plain str</b>")
    assert "&lt;b&gt;plain str&lt;/b&gt;" in escaped


def test_vis_network_is_inlined_once_and_read_once():
    maps._vis_assets.cache_clear()
    render_network(network(), title="One")
    render_network(network(), title="Two")
    assert maps._vis_assets.cache_info().misses == 1
    html = render_network(nx.DiGraph(), title="Empty")
    assert "vis-network" in html and "No nodes to show." in html and 'data-nodes="0"' in html


def test_docstring_examples():
    result = doctest.testmod(maps)
    assert result.attempted > 0 and result.failed == 0


def synthetic(nodes: int) -> nx.DiGraph:
    """About ``nodes`` nodes shaped like a real network: councils, posts, bodies, recommendations, actions."""
    import random

    rnd = random.Random(7)
    g = nx.DiGraph()
    councils = [f"c{i}" for i in range(max(1, nodes // 150))]
    for c in councils:
        g.add_node(c, kind="council", label=f"Council {c}", council=c)
    sizes = {"post": nodes // 6, "body": nodes // 10, "recommendation": nodes // 15}
    sizes["action"] = nodes - len(councils) - sum(sizes.values())
    made = {kind: [] for kind in sizes}
    for kind, count in sizes.items():
        for i in range(count):
            c = rnd.choice(councils)
            g.add_node(f"{kind}{i}", kind=kind, label=f"{kind} {i} {SCRIPT_END}", council=c,
                       url=f"/id/{kind}/{c}/{i}", detail=f"{IMG}\nsecond line")
            made[kind].append(f"{kind}{i}")
    for a in made["action"]:
        g.add_edge(a, g.nodes[a]["council"], relation="committed by")
        g.add_edge(a, rnd.choice(made["post"]), relation="accountable post")
        g.add_edge(a, rnd.choice(made["body"]), relation="overseen by")
        g.add_edge(rnd.choice(made["recommendation"]), a, relation="answered by")
    return g


@pytest.mark.browser
@pytest.mark.parametrize("size", [60, 1500])
def test_page_draws_in_chromium_without_outside_requests(tmp_path, size, chromium):
    page_file = tmp_path / "network.html"
    graph = synthetic(size)
    page_file.write_text(render_network(graph, title="Browser check"), encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    try:
        requests, dialogs, errors = [], [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        page.wait_for_function("document.body.dataset.rendered === 'true'", timeout=20_000)
        page.wait_for_function("!window.govgraphNetwork.physics.physicsEnabled", timeout=20_000)
        assert page.evaluate("window.govgraphNetwork.body.data.nodes.length") == graph.number_of_nodes()
        # Hover a node: its tooltip holds the document text as text; then click it: the browser follows its url.
        x, y = page.evaluate("""() => {
            const net = window.govgraphNetwork, box = document.getElementById("network").getBoundingClientRect();
            const at = net.canvasToDOM(net.getPositions(["action0"]).action0);
            return [at.x + box.left, at.y + box.top]; }""")
        page.mouse.move(x, y)
        page.wait_for_selector("div.vis-tooltip .gg-tip", state="visible", timeout=5_000)
        assert page.inner_text("div.vis-tooltip") == f"action 0 {SCRIPT_END}\nAction\n{IMG}\nsecond line"
        assert page.evaluate("document.querySelectorAll('div.vis-tooltip *').length") == 1
        page.mouse.click(x, y)
        page.wait_for_timeout(500)
        page.screenshot(path=str(tmp_path / f"network-{size}.png"))
    finally:
        page.close()
    assert [u for u in requests if not u.startswith("file:")] == []
    urls = {d["url"] for _, d in graph.nodes(data=True) if d.get("url")}
    assert any(requests[-1].endswith(url) for url in urls)  # in the 1,500-node hairball a neighbour may be on top
    if size == 60:
        assert requests[-1].endswith(graph.nodes["action0"]["url"])
    assert dialogs == [] and errors == []
