"""The layered map: columns by kind, order within columns, labels of nodes and edges, the edges the layers imply,
the two layouts, and the aggregate view above the node limit; small graphs built here."""
from __future__ import annotations

import re

import networkx as nx
import pytest

from govgraph.visualise import maps
from govgraph.visualise.maps import (LEVELS, implied_by_layers, layered_positions, node_text, pair_counts,
                                     render_network, vis_elements)
from tests.visualise.test_maps import COUNCIL, network, payload

LONG = "Refresh the appraisal approach with a focus on prioritisation, burn out and personal development"


def drawn(graph: nx.DiGraph, layout: str = "layered") -> tuple[dict[str, dict], list[dict]]:
    nodes, edges = vis_elements(graph, layout=layout)
    return {n["id"]: n for n in nodes}, edges


def crossings(graph: nx.DiGraph, at: dict, left: str, right: str) -> int:
    """How many pairs of edges between the columns of two kinds cross, placed as ``at`` says."""
    pairs = [(at[u][1], at[v][1]) if graph.nodes[u]["kind"] == left else (at[v][1], at[u][1])
             for u, v in graph.edges if {graph.nodes[u]["kind"], graph.nodes[v]["kind"]} == {left, right}]
    return sum(1 for i, (a, b) in enumerate(pairs) for c, d in pairs[i + 1:] if (a - c) * (b - d) < 0)


def test_each_kind_has_its_column_left_to_right_and_a_person_stands_by_the_post():
    g = network(5)
    at = layered_positions(g)
    column = {kind: {at[n][0] for n, d in g.nodes(data=True) if d["kind"] == kind} for kind in LEVELS}
    order = ["council", "body", "post", "action", "recommendation"]
    for before, after in zip(order, order[1:]):
        assert max(column[before]) < min(column[after]), (before, after, column)
    assert column["person"] == column["post"]
    # Jo holds the Director of Finance's post: next to it in its column, nothing between them
    posts = sorted((at[n][1], n) for n, d in g.nodes(data=True) if d["kind"] in ("post", "person"))
    names = [n for _, n in posts]
    assert abs(names.index("person/jo") - names.index("post/dof")) == 1
    nodes, _ = drawn(g)
    assert {n["level"] for n in nodes.values() if n["kind"] == "action"} == {LEVELS["action"]}
    assert all((n["x"], n["y"]) == at[i] for i, n in nodes.items())


def test_order_within_columns_uncrosses_links():
    # Bodies named A..F oversee actions named in the opposite order: alphabetical columns cross every pair.
    g = nx.DiGraph()
    for i, letter in enumerate("ABCDEF"):
        g.add_node(f"body/{letter}", kind="body", label=f"Body {letter}")
        g.add_node(f"action/{letter}", kind="action", label=f"Action {'FEDCBA'[i]}")
        g.add_edge(f"action/{letter}", f"body/{letter}", relation="overseen by")
    alphabetical = {n: (0, i) for kind in ("body", "action") for i, n in enumerate(sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == kind), key=lambda n: g.nodes[n]["label"]))}
    assert crossings(g, alphabetical, "body", "action") == 15
    assert crossings(g, layered_positions(g), "body", "action") == 0


def test_a_tall_column_is_staggered_so_the_map_is_about_as_wide_as_tall():
    g = nx.DiGraph()
    g.add_node("c", kind="council", label="C")
    for i in range(300):
        g.add_node(f"a{i}", kind="action", label=f"Action {i:03}")
    at = layered_positions(g)
    xs = {at[f"a{i}"][0] for i in range(300)}
    ys = [at[f"a{i}"][1] for i in range(300)]
    assert 1 < len(xs) < 300
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert 0.5 < width / height < 2
    assert len(set(ys)) == 300  # every node its own height, so no label sits on another


def test_actions_and_recommendations_are_labelled_by_number_and_short_text():
    label, whole = node_text({"kind": "action", "number": "2.2", "label": LONG})
    assert whole == "2.2 " + LONG
    assert label.startswith("2.2 Refresh the") and label.endswith("…") and len(label) <= 40
    assert node_text({"kind": "recommendation", "number": "R6", "label": "Review  the\nconstitution"}) == (
        "R6 Review the constitution", "R6 Review the constitution")
    assert node_text({"kind": "action", "number": "14", "label": "14 Already numbered"})[1] == "14 Already numbered"
    assert node_text({"kind": "post", "number": "9", "label": "Chief Executive"})[1] == "Chief Executive"
    assert node_text({"kind": "action"}, "urn:x:action/3") == ("urn:x:action/3", "urn:x:action/3")

    g = network(1)
    g.nodes["action/1"].update(number="2.2", label=LONG)
    nodes, _ = drawn(g)
    action = nodes["action/1"]
    assert action["label"] == label and action["text"] == "2.2 " + LONG
    assert action["title"].split("\n")[0] == "2.2 " + LONG  # the whole text on hover
    html = render_network(g, title="Numbers")
    assert "2.2 " + LONG in html.split("<details>")[1]  # and in the list below the map
    assert all(n["label"] for n in nodes.values())


def test_edges_are_labelled_by_what_they_say_and_read_along_the_layers():
    g = network(3)
    g.add_edge("post/dof", "body/audit", relation="reports to")  # a relation the map has no words for
    _, edges = drawn(g)
    by = {(e["from"], e["to"]): e for e in edges}
    oversees = by["action/1", "body/audit"]
    assert oversees["label"] == "oversees" and oversees["relation"] == "overseen by"
    assert oversees["arrows"]["from"]["enabled"] and not oversees["arrows"]["to"]["enabled"]
    assert by["action/1", "post/dof"]["label"] == "accountable for"
    assert by["rec/2", "action/1"]["label"] == "answers" and by["rec/2", "action/1"]["arrows"]["from"]["enabled"]
    assert by["post/dof", "person/jo"]["label"] == "held by" and by["post/dof", "person/jo"]["arrows"] == "to"
    assert by["post/dof", "body/audit"]["label"] == "reports to"
    assert all(e["label"] for e in edges)
    assert len({e["id"] for e in edges}) == len(edges) == g.number_of_edges()


def test_the_layers_leave_out_the_links_they_already_say_and_keep_the_gaps():
    g = network(2)
    g.add_node("action/gap", kind="action", label="No owner, no body", council=COUNCIL)
    g.add_edge("action/gap", COUNCIL, relation="committed by")
    g.add_node("rec/unanswered", kind="recommendation", label="Nobody answers", council=COUNCIL)
    g.add_edge("rec/unanswered", COUNCIL, relation="made to")
    assert implied_by_layers(g, "action/1", COUNCIL) and implied_by_layers(g, "rec/1", COUNCIL)
    assert not implied_by_layers(g, "action/gap", COUNCIL) and not implied_by_layers(g, "rec/unanswered", COUNCIL)
    assert not implied_by_layers(g, "action/1", "post/dof")
    _, layered = drawn(g)
    hidden = {(e["from"], e["to"]) for e in layered if e.get("hidden")}
    assert hidden == {("action/1", COUNCIL), ("action/2", COUNCIL), ("rec/1", COUNCIL), ("rec/2", COUNCIL)}
    _, force = drawn(g, "force")
    assert not any(e.get("hidden") for e in force)


def test_layered_by_default_force_on_request():
    g = network(3)
    layered = payload(render_network(g, title="Layers"))
    assert layered["layout"] == "layered" and layered["options"]["physics"] == {"enabled": False}
    assert all("x" in n and "y" in n for n in layered["nodes"])
    force = payload(render_network(g, title="Force", layout="force"))
    assert force["layout"] == "force" and force["options"]["physics"]["enabled"] is True
    assert not any("x" in n for n in force["nodes"])
    assert [n["level"] for n in force["nodes"]] == [n["level"] for n in layered["nodes"]]
    with pytest.raises(ValueError, match="layered, force"):
        render_network(g, title="Bad", layout="circle")


def test_the_page_offers_search_png_and_neighbours_only_where_a_server_answers():
    g = network(3)
    standalone = render_network(g, title="File")
    assert 'id="map-search"' in standalone and 'id="png"' in standalone and 'id="expand"' not in standalone
    assert payload(standalone)["neighbours"] is None and "click a node to open its page" in standalone
    served = render_network(g, title="Served", neighbours_url="/api/network/neighbours")
    assert payload(served)["neighbours"] == "/api/network/neighbours" and 'id="expand"' in served
    assert "double-click to open its page" in served
    assert payload(render_network(g, title="Far", neighbours_url="https://evil.example/x"))["neighbours"] is None
    assert 'toDataURL("image/png")' in served and "network.focus(" in served and "nodes.add(" in served


def test_above_the_limit_the_aggregate_view_says_so_and_counts_actions_by_body_and_post():
    g = network(5)  # actions 1, 2, 4, 5 -> Audit Committee; 3 -> Cabinet; all owned by Director of Finance
    g.nodes["body/audit"]["url"] = "/id/body/audit"
    html = render_network(g, title="Big", max_nodes=len(g) - 1)
    assert "This is the aggregate view." in html
    assert f"The selection holds {len(g)}\n    nodes, more than the {len(g) - 1} this map draws" in html
    assert "To see each action, narrow down" in html
    rows = re.findall(r"<tr><td>(.*?)</td>\s*<td>(.*?)</td>\s*<td class=\"count\">(\d+)</td></tr>", html, re.S)
    assert rows == [('<a href="/id/body/audit">Audit Committee</a>', "Director of Finance", "4"),
                    ("Cabinet", "Director of Finance", "1")]
    reduced, _ = maps.aggregate(g)
    assert [(r["body"], r["post"], r["actions"]) for r in pair_counts(reduced)] == [
        ("Audit Committee", "Director of Finance", 4), ("Cabinet", "Director of Finance", 1)]
    shown = payload(html)
    at = {n["id"]: n["x"] for n in shown["nodes"]}
    assert at[COUNCIL] < at["body/audit"] < at["post/dof"]  # the aggregate in layers too
    assert "aggregate view" not in render_network(g, title="Whole", max_nodes=len(g))
