"""The accountability network, its measures, and the report in its three formats, on graphs built here."""
from __future__ import annotations

import io

import openpyxl

from govgraph.loaders.model import Milestone, Span
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
    assert book.sheetnames[:3] == ["Headline figures", "No action", "No accountable officer"]
    assert all(len(name) <= 31 for name in book.sheetnames) and "Overdue at 2024-01-01" in book.sheetnames
    headline = book["Headline figures"]
    assert [c.value for c in headline[1]][:4] == ["Council", "Recommendations", "Recommendations with actions",
                                                  "Recommendations with actions, share"]
    testshire = next(r for r in headline.iter_rows(min_row=2, values_only=True) if r[0] == "Testshire County Council")
    assert testshire[1:4] == (2, 2, 1.0)  # counts and shares typed as numbers, not "2 (100%)"
    assert headline["D2"].number_format == "0%"
    assert headline.freeze_panes == "A2" and headline.auto_filter.ref.startswith("A1:")
    assert headline.column_dimensions["A"].width >= len("Testshire County Council")
    one = service.build_report(store, council="Kirklees Council", as_of="2024-01-01")
    assert [row[0] for row in one.headline.rows] == ["Kirklees Council"]


# The actions a view selects, written as one filter over every action: the meaning the scoped patterns of
# queries/network/scope/ must keep while reading only the selected actions' neighbourhood.
REFERENCE_SCOPE = """
SELECT DISTINCT ?action WHERE {
  ?action a gg:Action .
  OPTIONAL { ?action gg:councilOf ?c }
  OPTIONAL { ?action gg:actionOfPlan/gg:respondsToReview ?r }
  FILTER(!BOUND(?council) || ?c = ?council)
  FILTER(!BOUND(?review) || ?r = ?review)
  FILTER(!BOUND(?theme) || EXISTS { ?action gg:theme|gg:respondsTo/gg:theme ?t .
                                    FILTER(?t = ?theme || EXISTS { ?t skos:broadMatch ?theme }) })
  FILTER(!BOUND(?status) || EXISTS { ?u gg:statusOf ?action ; gg:status ?status })
  FILTER(!BOUND(?focus) || ?action = ?focus || EXISTS { ?action gg:respondsTo ?focus })
}"""


def _reference_view(store, whole, bound: dict) -> tuple[set, set]:
    """The view the whole network gives when cut down to the reference scope's actions, their neighbours and the
    people holding their posts."""
    from govgraph import queries

    actions = {r["action"] for r in store.select(queries.with_values(queries.PREFIX_BLOCK + REFERENCE_SCOPE,
                                                                     bound)).values()}
    keep = set(actions)
    for action in actions & set(whole):
        for other in list(whole.successors(action)) + list(whole.predecessors(action)):
            keep.add(other)
            if whole.nodes[other]["kind"] == "post":
                keep.update(whole.successors(other))
    if "focus" in bound and bound["focus"].value in whole:
        keep.add(bound["focus"].value)
    view = whole.subgraph(keep)
    return ({(n, d["kind"], d["label"]) for n, d in view.nodes(data=True)},
            {(s, t, d["relation"]) for s, t, d in view.edges(data=True)})


def test_a_filtered_network_reads_only_its_actions_yet_equals_the_whole_network_cut_down():
    from pyoxigraph import NamedNode

    from govgraph.loaders.model import Milestone, StatusReport, Theme
    from govgraph.server.figures import NetworkFilters

    def status(action, printed):
        action.status = StatusReport(printed)
        return action

    plan = doc("a", recommendations=RECS[:3], plan_oversight=["Audit Committee"], actions=[
        status(act("1", responds_to=["1"], owners=["Director of Finance"], due=["March 2023"]), "On track"),
        status(act("2", responds_to=["2", "3"], oversight=["Cabinet"]), "Slippage"),
        act("3", owners=["Director of Finance"], milestones=[Milestone("Step.", owners=m("Head of Audit"))]),
    ])
    plan.themes = [Theme("money", "Financial resilience", Span("Financial", line=2))]
    plan.actions[2].theme = "money"
    store = store_of(plan, doc("b", council="Kirklees Council", recommendations=RECS[:2], actions=[
        status(act("1", responds_to=["1"], owners=["Chief Executive"], oversight=["Cabinet"]), "On track")]))
    whole = build_network(*fetch(store))
    facets = service.network_facets(store)
    recommendations = [n for n, d in whole.nodes(data=True) if d["kind"] == "recommendation"]
    actions = [n for n, d in whole.nodes(data=True) if d["kind"] == "action"]
    cases = [{name: value["value"]} for name, values in facets.items() for value in values]
    cases += [{"focus": iri} for iri in recommendations + actions]
    cases += [{"council": c["value"], "status": s["value"]} for c in facets["council"] for s in facets["status"]]
    assert len(facets["status"]) >= 2 and len(facets["theme"]) >= 1 and len(recommendations) >= 5
    for case in cases:
        view = service.network(store, NetworkFilters(**case))
        bound = {k: NamedNode(v) for k, v in case.items()}
        nodes, edges = _reference_view(store, whole, bound)
        assert {(n, d["kind"], d["label"]) for n, d in view.nodes(data=True)} == nodes, case
        assert {(s, t, d["relation"]) for s, t, d in view.edges(data=True)} == edges, case
        assert view.number_of_nodes() > 0 or len(case) > 1, case

    # A council's filters count its own actions: each value's count is the number of actions the view of that
    # council and that value selects.
    from govgraph.server.figures import scoped_actions

    for council in facets["council"]:
        own = service.network_facets(store, council=council["label"])
        assert own["council"] == facets["council"]
        counted = {(name, o["value"]): o["actions"] for name in ("review", "theme", "status") for o in own[name]}
        expected = {}
        for name in ("review", "theme", "status"):
            for option in facets[name]:
                n = len(scoped_actions(store, {"council": NamedNode(council["value"]), name: NamedNode(option["value"])}))
                if n:
                    expected[(name, option["value"])] = n
        assert counted == expected and counted, council
        # The council report ranks bodies and posts from the council's own part of the network.
        from govgraph.server.figures import network_around

        own_graph = network_around(store, scoped_actions(store, {"council": NamedNode(council["value"])}))
        for kind in ("body", "post"):
            assert ranking(own_graph, kind, council=council["value"]) == \
                ranking(whole, kind, council=council["value"]), (council, kind)
