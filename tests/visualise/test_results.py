"""SPARQL results read for a bar chart or a network, and the bar chart's SVG: rows written here in the SPARQL 1.1
JSON results format, as the endpoint gives them (numbers as strings with a datatype, unbound cells as None)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from govgraph.visualise.bar_chart import bar_chart_svg, nice_ticks
from govgraph.visualise.results import Bar, bar_chart, column_kinds, label_column_of, local_name, number, result_network

XSD = "http://www.w3.org/2001/XMLSchema#"
ID = "https://w3id.org/govgraph/id/"
SVG = "{http://www.w3.org/2000/svg}"


def iri(path: str) -> dict:
    return {"type": "uri", "value": ID + path}


def text(value: str, **extra) -> dict:
    return {"type": "literal", "value": value, **extra}


def typed(value: str, datatype: str = "integer") -> dict:
    return {"type": "literal", "value": value, "datatype": XSD + datatype}


COUNCILS = (["council", "name", "actions"], [
    [iri("council/leeds"), text("Leeds City Council"), typed("96")],
    [iri("council/derby"), text("Derby City Council", **{"xml:lang": "en"}), typed("31")],
    [iri("council/kirklees"), text("Kirklees Council"), typed("29")],
])


# --- reading columns ---------------------------------------------------------------------------------------------

def test_numbers_are_literals_typed_as_numbers():
    assert number(typed("22")) == 22 and number(typed("1.5E2", "double")) == 150
    assert number(typed(" 0.25 ", "decimal")) == 0.25 and number(typed("-3", "negativeInteger")) == -3
    # a number written as a plain string is text; so are IRIs, unbound cells and bad lexical forms
    assert number(text("22")) is None and number(text("22", datatype=XSD + "string")) is None
    assert number(iri("council/leeds")) is None and number(None) is None
    assert number(typed("many")) is None and number(typed("NaN", "double")) is None
    assert number(typed("INF", "float")) is None


def test_column_kinds_ignore_unbound_cells_and_call_a_mix_text():
    columns = ["s", "o", "n", "gap", "label"]
    rows = [[iri("a"), iri("b"), typed("1"), None, text("A")],
            [iri("c"), text("literal"), None, None, text("2")],
            [None, iri("d"), typed("2.5", "decimal"), None, text("C")]]
    assert column_kinds(columns, rows) == {"s": "iri", "o": "text", "n": "number", "gap": "empty", "label": "text"}
    # a string that looks like a number does not make the column numeric, one plain string among numbers neither
    assert column_kinds(["n"], [[typed("1")], [text("2")]]) == {"n": "text"}


def test_label_columns_and_local_names():
    assert label_column_of("council", ["council", "councilLabel"]) == "councilLabel"
    assert label_column_of("post", ["post", "post_name"]) == "post_name"
    assert label_column_of("action", ["action", "action_text", "action_name"]) == "action_name"
    assert label_column_of("council", ["council", "name"]) is None
    assert local_name("https://w3id.org/govgraph/def#accountablePost") == "accountablePost"
    assert local_name(ID + "council/leeds/") == "leeds" and local_name("urn:x") == "urn:x"


# --- bar chart ---------------------------------------------------------------------------------------------------

def test_a_chart_takes_the_first_text_column_and_the_first_numeric_column():
    chart = bar_chart(*COUNCILS)
    assert (chart.label_column, chart.value_column, chart.problem) == ("name", "actions", None)
    assert [(b.label, b.value, b.text) for b in chart.bars] == [
        ("Leeds City Council", 96, "96"), ("Derby City Council", 31, "31"), ("Kirklees Council", 29, "29")]
    assert chart.notes == ["Bars: ?actions for each ?name: the first numeric column and the first column of text."]
    # with two numeric columns, the first is drawn
    two = bar_chart(["name", "share", "count"], [[text("A"), typed("0.5", "decimal"), typed("4")]])
    assert two.value_column == "share" and two.bars[0].text == "0.5"


def test_the_label_is_the_first_text_column_that_tells_the_rows_apart():
    columns = ["council", "council_name", "status", "actions"]
    rows = [[iri("council/derby"), text("Derby"), text("completed"), typed("17")],
            [iri("council/derby"), text("Derby"), text("in progress"), typed("8")]]
    chart = bar_chart(columns, rows)
    assert chart.label_column == "status" and [b.label for b in chart.bars] == ["completed", "in progress"]
    assert "the first column of text whose values tell the rows apart" in chart.notes[0]
    rows[1][2] = text("completed")  # no column tells them apart: the first text column
    assert bar_chart(columns, rows).label_column == "council_name"


def test_an_iri_label_is_named_by_its_label_column_or_its_local_name():
    rows = [[typed("3"), iri("council/leeds")], [typed("2"), iri("council/derby")]]
    chart = bar_chart(["n", "council"], rows)
    assert chart.label_column == "council" and [b.label for b in chart.bars] == ["leeds", "derby"]
    assert "(named by the end of each IRI)" in chart.notes[0] and "first column of IRIs" in chart.notes[0]
    # a Wikidata-style label column is text, so it is the label column itself
    named = bar_chart(["council", "n", "councilLabel"], [[iri("council/leeds"), typed("3"), text("Leeds")]])
    assert named.label_column == "councilLabel" and named.bars[0].label == "Leeds"


def test_results_without_a_numeric_column_say_so_plainly():
    chart = bar_chart(["council", "name", "actions"], [
        [iri("council/leeds"), text("Leeds"), text("96")]])  # a count written as a plain string
    assert chart.bars == [] and chart.value_column is None
    assert chart.problem.startswith("These results have no numeric column")
    assert "?council (IRIs), ?name (text), ?actions (text)" in chart.problem
    assert bar_chart(["n"], []).problem == "There are no rows to draw."


def test_blank_cells_are_left_out_or_shown_as_blank():
    rows = [[text("A"), typed("1")], [text("B"), None], [None, typed("2")], [text("C"), typed("many")]]
    chart = bar_chart(["name", "n"], rows)
    assert [(b.label, b.value) for b in chart.bars] == [("A", 1), ("(no value)", 2)]
    assert "2 rows with no number in ?n are not drawn." in chart.notes


def test_only_numbers_are_labelled_by_row_and_a_long_result_is_capped():
    chart = bar_chart(["year", "n"], [[typed("2020"), typed("5")], [typed("2021"), typed("7")]])
    assert chart.value_column == "year" and chart.label_column is None
    assert [b.label for b in chart.bars] == ["row 1", "row 2"] and "labelled by the row's number" in chart.notes[0]
    many = bar_chart(["name", "n"], [[text(str(i)), typed(str(i))] for i in range(30)], max_bars=10)
    assert len(many.bars) == 10 and "The first 10 of 30 bars are drawn; every row is in the table." in many.notes


# --- the chart as SVG --------------------------------------------------------------------------------------------

def test_the_svg_has_one_bar_per_row_titled_axes_and_escaped_text():
    hostile = "<script>alert(1)</script> & co"
    bars = [Bar(hostile, 12, "12"), Bar("Derby", 4, "4"), Bar("Loss", -3, "-3")]
    svg = bar_chart_svg(bars, label_axis="name<b>", value_axis="actions", title="actions for each name")
    root = ET.fromstring(svg)  # well-formed XML: every text is escaped
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "actions for each name"
    groups = root.findall(f"{SVG}g")
    assert len(groups) == 3 and len(root.findall(f".//{SVG}rect")) == 3
    assert groups[0].find(f"{SVG}title").text == hostile + ": 12"
    assert [t.text for t in root.findall(f"{SVG}text") if t.get("class") == "axis-title"] == ["name<b>", "actions"]
    # the negative bar ends where the positive ones start: at zero
    rects = [g.find(f"{SVG}rect") for g in groups]
    zero = float(rects[0].get("x"))
    assert float(rects[2].get("x")) + float(rects[2].get("width")) == pytest.approx(zero, abs=0.11)
    assert float(rects[0].get("width")) == pytest.approx(3 * float(rects[1].get("width")), rel=0.01)
    assert "<script>" not in svg and re.search(r'viewBox="0 0 \d+ \d+"', svg)


def test_ticks_are_round_and_cover_the_values():
    assert nice_ticks(0, 96, whole=True) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(-3, 12, whole=True)[0] <= -3 and nice_ticks(0, 2, whole=True) == [0, 1, 2]


# --- network -----------------------------------------------------------------------------------------------------

def link(value: str) -> str:
    return "/page?" + value


def test_a_network_links_the_first_two_iri_columns_labelled_by_the_third_column():
    columns = ["action", "action_text", "step", "post", "postLabel"]
    rows = [[iri("action/1"), text("Publish the plan"), text("accountable post"), iri("post/ceo"), text("Chief Executive")],
            [iri("action/2"), text("Audit it"), text("accountable post"), iri("post/ceo"), text("Chief Executive")],
            [iri("action/2"), text("Audit it"), text("accountable post"), iri("post/ceo"), text("Chief Executive")],
            [iri("action/3"), None, None, iri("post/cfo"), None]]
    net = result_network(columns, rows, max_nodes=100, link=link)
    assert (net.source, net.target, net.relation, net.problem) == ("action", "post", "step", None)
    labels = {n["id"].removeprefix(ID): n["label"] for n in net.nodes}
    # names from the label columns (x_text, xLabel), the local name where a row gives none
    assert labels == {"action/1": "Publish the plan", "post/ceo": "Chief Executive", "action/2": "Audit it",
                      "action/3": "3", "post/cfo": "cfo"}
    assert {n["id"]: n["url"] for n in net.nodes}[ID + "post/ceo"] == "/page?" + ID + "post/ceo"
    # the same link stated twice is one edge; no label where the row has none
    assert [(e["from"].removeprefix(ID), e["to"].removeprefix(ID), e.get("label")) for e in net.edges] == [
        ("action/1", "post/ceo", "accountable post"), ("action/2", "post/ceo", "accountable post"),
        ("action/3", "post/cfo", None)]
    assert net.notes == [("Links from ?action to ?post, the first two columns of IRIs, labelled by ?step; nodes "
                          "named by ?action_text, ?postLabel.")]


def test_rows_linking_the_same_pair_are_one_edge_with_each_label():
    rows = [[iri("council/derby"), iri("review/2017"), text(status)] for status in ("completed", "slippage",
                                                                                      "completed")]
    net = result_network(["council", "review", "status"], rows, max_nodes=10, link=link)
    assert [(e["label"], e["title"]) for e in net.edges] == [("completed, slippage", "completed\nslippage")]


def test_unbound_ends_literals_and_nodes_in_both_roles():
    columns = ["s", "p", "o"]
    rows = [[iri("a"), iri("knows"), iri("b")], [iri("b"), iri("knows"), None], [None, iri("knows"), iri("c")]]
    # ?s and ?p are the first two columns of IRIs (?o is not: one cell is unbound, which does not count)
    net = result_network(columns, rows, max_nodes=100, link=link)
    assert (net.source, net.target, net.relation) == ("s", "p", "o")
    assert [e.get("label") for e in net.edges] == ["b", None]  # an IRI as an edge label: its local name
    # a column with one literal among its IRIs holds no IRIs only: ?o becomes the target
    rows[1][2] = text("Bee")
    net = result_network(["s", "o", "p"], [[r[0], r[2], r[1]] for r in rows], max_nodes=100, link=link)
    assert (net.source, net.target) == ("s", "p")
    net = result_network(["s", "o"], [[iri("a"), iri("b")], [iri("b"), iri("c")], [iri("c"), None]],
                         max_nodes=100, link=link)
    roles = {n["id"].removeprefix(ID): n["role"] for n in net.nodes}
    assert roles == {"a": "source", "b": "both", "c": "both"} and len(net.edges) == 2
    assert [entry["label"] for entry in net.legend()] == ["source", "source and target"]
    assert {n["shape"] for n in net.nodes} == {"dot", "diamond"}


def test_a_network_needs_two_iri_columns():
    one = result_network(*COUNCILS, max_nodes=100, link=link)
    assert one.nodes == [] and one.problem.startswith("A network needs two columns of IRIs")
    assert "only ?council holds IRIs" in one.problem
    none = result_network(["n"], [[typed("1")]], max_nodes=100, link=link)
    assert "no column holds only IRIs" in none.problem
    assert result_network(["a", "b"], [], max_nodes=100, link=link).problem == "There are no rows to draw."


def test_rows_beyond_the_node_cap_are_not_drawn_and_the_note_says_so():
    rows = [[iri(f"a/{i}"), iri("hub")] for i in range(10)]
    net = result_network(["a", "b"], rows, max_nodes=5, link=link)
    assert len(net.nodes) == 5 and len(net.edges) == 4  # the hub and four others: the fifth row would be the sixth
    assert ("The network shows at most 5 nodes, so only the first 4 rows of 10 are drawn (5 nodes); every row is in "
            "the table.") in net.notes[1]
    assert len(result_network(["a", "b"], rows, max_nodes=11, link=link).notes) == 1
