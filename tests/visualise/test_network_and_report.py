"""The accountability network, its measures, and the report in its three formats, on graphs built here."""
from __future__ import annotations

import io

import openpyxl

from govgraph.loaders.model import Milestone
from govgraph.server import service
from govgraph.visualise.network import broken_chains, build_network, chain_completeness, fetch, ranking
from govgraph.visualise.report import to_html, to_markdown, to_xlsx
from tests.queries.test_named_queries import RECS, act, doc, m, store_of


def network_store():
    return store_of(
        doc("a", recommendations=RECS[:2], plan_oversight=["Audit Committee"], actions=[
            act("1", responds_to=["1"], owners=["Director of Finance"], due=["March 2023"]),
            act("2", responds_to=["2"]),
            act("3", owners=["Director of Finance"], milestones=[Milestone("Step.", owners=m("Head of Audit"))]),
        ]),
        doc("b", council="Kirklees Council", recommendations=RECS[:1], actions=[
            act("1", responds_to=["1"], owners=["Chief Executive"], oversight=["Cabinet"], due=["March 2023 <img src=x onerror=alert(1)"]),
        ]),
    )


def test_network_measures():
    graph = build_network(*fetch(network_store()))
    assert ranking(graph, "body") == [("Audit Committee", 3), ("Cabinet", 1)]
    assert ranking(graph, "post") == [("Director of Finance", 2), ("Chief Executive", 1), ("Head of Audit", 1)]
    chains = {c.council: (c.recommendations, c.complete, c.actions, c.without_owner, c.without_oversight)
              for c in chain_completeness(graph)}
    assert chains == {"Testshire County Council": (2, 1, 3, 1, 0), "Kirklees Council": (1, 1, 1, 0, 0)}
    assert broken_chains(graph) == [("Action 2 text", ["accountable post"])]


def test_report_in_three_formats():
    store = network_store()
    report = service.build_report(store, as_of="2024-01-01")
    markdown = to_markdown(report)
    assert "| Testshire County Council | 2 | 2 (100%) | 1 (50%) | 3 | 1 | 0 | 1 (33%) |" in markdown
    assert "## Actions without an accountable officer (1)" in markdown
    page = to_html(report)
    assert "<svg" in page and "http" not in page.split("<body>")[1].replace("http://www.w3.org/2000/svg", "")
    assert "<img src" not in page and "&lt;img src=x onerror=alert(1)" in page
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    assert book.sheetnames[0] == "Headline figures"
    assert [c.value for c in book["Headline figures"][1]][:3] == ["Council", "Recommendations",
                                                                  "Recommendations with actions"]
    one = service.build_report(store, council="Kirklees Council", as_of="2024-01-01")
    assert [row[0] for row in one.headline.rows] == ["Kirklees Council"]
