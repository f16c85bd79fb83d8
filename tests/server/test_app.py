"""The pages through FastAPI's client, on an in-memory store loaded with the bundled tracker (or a small made one)."""
from __future__ import annotations

import re

import pytest
import rdflib
from fastapi.testclient import TestClient

from govgraph.server import service
from govgraph.server.app import create_app
from govgraph.server.settings import Settings
from tests.conftest import ROOT, SAMPLE_TRACKER, write_csv

HTML = {"accept": "text/html"}
ACTION_14 = "/id/action/leeds-city-council/lga-corporate-peer-challenge-november-2022/14"


def app_with(*paths, **settings):
    app = create_app("memory:", Settings(store="memory:", **settings))
    if paths:
        summary = service.load_paths(app.state.store, list(paths))
        assert not summary.failed, summary.failed
    return app


@pytest.fixture(scope="module")
def client():
    with TestClient(app_with(SAMPLE_TRACKER)) as c:
        yield c


def test_dashboard_shows_the_figures_of_each_council_and_review(client):
    page = client.get("/", headers=HTML).text
    assert "Peer Challenge Review Initial Action Plan" in page
    card = re.search(r'<div class="figure">(\d+)</div><div class="what">actions without an accountable officer', page)
    assert card and card[1] == "2"  # actions 14 and 17 of the tracker name no one
    row = re.search(r"LGA Corporate Peer Challenge, November 2022</a></td>(.*?)</tr>", page, re.S)[1]
    cells = re.findall(r'<td class="n[^"]*">(?:<a [^>]*>)?([^<]*)', row)
    assert cells[:5] == ["12", "100%", "92%", "21", "2"]  # recommendations, answered, complete chain, actions, no owner
    assert 'href="/queries/actions-without-owner?council=https%3A%2F%2Fw3id.org' in page


def test_an_action_page_shows_its_chain_with_sources_and_what_is_missing(client):
    page = client.get(ACTION_14, headers=HTML).text
    assert "Accountability chain" in page
    assert "Chain broken: no accountable officer." in page
    assert "leeds-2023-peer-challenge-tracker.csv:26" in page  # where the action was read
    assert 'href="/id/council/leeds-city-council"' in page
    # how each link was read: the tracker's columns are named by their headers
    assert "<th>Read from</th>" in page and "labelled header (0.9)" in page
    # each text a link was read from is shown once, however many links were read from it, and the links point at it
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", page, re.DOTALL)
    assert quotes and len(quotes) == len(set(quotes))
    assert set(re.findall(r'class="quote-ref" href="#(quote-[\d-]+)"', page)) == set(
        re.findall(r'<li id="(quote-[\d-]+)"', page))


@pytest.fixture(scope="module")
def samples_client():
    """The bundled documents and the tracker of one of them."""
    with TestClient(app_with(ROOT / "samples" / "documents", SAMPLE_TRACKER)) as c:
        yield c


def test_a_link_stated_by_the_plan_and_its_tracker_is_one_row_with_both_places(samples_client):
    page = samples_client.get("/id/recommendation/leeds-city-council/lga-corporate-peer-challenge-november-2022/6",
                      headers=HTML).text
    chain = page.split('aria-label="The chain of action:', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<td data-label="Link">([^<]+)</td>', chain)
    assert rows.count("accountable post") == 1 and rows.count("due") == 1
    post_row = chain.split('<td data-label="Link">accountable post</td>', 1)[1].split("</tr>", 1)[0]
    assert "leeds-2023-peer-challenge-action-plan.txt:" in post_row and "leeds-2023-peer-challenge-tracker.csv:" in post_row


def test_an_action_page_shows_its_history_as_a_timeline(samples_client):
    page = samples_client.get("/id/action/derby-city-council/lga-corporate-peer-challenge-june-2017/"
                      "derby-2018-improvement-plan-update-22", headers=HTML).text
    timeline = page.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    assert re.search(r'<div class="when">2018-06-19 <small>agreed</small>', timeline)
    events = re.findall(r'<li class="event event-([a-z-]+)">', timeline)
    assert events == ["named-in", "due", "status"]  # where it was agreed, then what it said
    assert '<span class="status status-slippage">slippage</span>' in timeline and "March 2018" in timeline
    # the bullet the post, the due date and two bodies were all read from is quoted once, each of them pointing at it
    quoted = re.findall(r"<blockquote>(.*?)</blockquote>", page, re.DOTALL)
    assert sum("sign-off by each strategic director by March 2018 (2.2)" in q for q in quoted) == 1
    assert len(re.findall(r'class="quote-ref" href="#quote-1-1"', page)) == 4


def test_a_recommendation_page_lists_the_actions_answering_it(client):
    page = client.get("/id/recommendation/leeds-city-council/lga-corporate-peer-challenge-november-2022/1",
                      headers=HTML).text
    answering = re.findall(r'<h3><span class="kind action">action</span><a href="([^"]+)">', page)
    assert len(answering) == 5  # rows 1 to 5 of the tracker name recommendation 1
    assert "<blockquote>" in page and "See this chain as a network" in page


def test_a_page_answers_rdf_to_linked_data_clients(client):
    answer = client.get(ACTION_14, headers={"accept": "text/turtle"})
    assert answer.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=answer.text, format="turtle")
    node = rdflib.URIRef("https://w3id.org/govgraph/id" + ACTION_14[3:])
    assert (node, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/govgraph/def#Action")) in graph


def test_unknown_pages_and_bad_parameters_get_clear_errors(client):
    missing = client.get("/id/action/nowhere/1", headers=HTML)
    assert missing.status_code == 404 and "nothing is known about https://w3id.org/govgraph/id/action/nowhere/1" \
        in missing.text and "<h1>Error 404</h1>" in missing.text
    api = client.get("/id/action/nowhere/1")
    assert api.json() == {"ok": False, "error": "nothing is known about https://w3id.org/govgraph/id/action/nowhere/1",
                          "status": 404}
    bad = client.get("/queries/nope.json")
    assert bad.status_code == 400 and "known queries" in bad.json()["error"]
    assert client.get("/queries/actions-without-owner.json?colour=red").json()["error"].startswith(
        "query 'actions-without-owner' has no parameter 'colour'")
    page = client.get("/queries/overdue-actions?as_of=tomorrow", headers=HTML)
    assert page.status_code == 400 and "must be a date as YYYY-MM-DD" in page.text


def test_named_query_pages_and_downloads_share_their_parameters(client):
    page = client.get("/queries/actions-without-owner?council=Leeds+City+Council", headers=HTML).text
    assert "2 row(s)" in page and 'href="/queries/actions-without-owner.csv?council=Leeds+City+Council"' in page
    rows = client.get("/queries/actions-without-owner.json").json()["rows"]
    assert [r["number"] for r in rows] == ["14", "17"]
    assert client.get("/queries/actions-without-owner.csv").text.splitlines()[0].startswith("council,council_name")


def test_compare_page_puts_councils_side_by_side(tmp_path):
    other = write_csv(tmp_path / "testshire.csv", [
        ["Council: Testshire County Council"], ["Review: LGA Corporate Peer Challenge, March 2024"], [],
        ["Rec ref", "Recommendation", "Action ref", "Action", "Lead officer", "Oversight", "Due date", "Status"],
        ["1", "Improve the medium term financial strategy.", "1", "Refresh the MTFS.", "Director of Finance",
         "Audit Committee", "March 2025", "Completed"],
        ["2", "Review the capital programme.", "2", "Review the capital programme.", "Director of Finance",
         "Audit Committee", "March 2025", "Awaiting sign-off"]])
    with TestClient(app_with(SAMPLE_TRACKER, other)) as c:
        page = c.get("/compare", headers=HTML).text
        assert "<th class=\"n\">Leeds City Council</th><th class=\"n\">Testshire County Council</th>" in page
        completed = re.search(r"<tr><td>completed</td>(.*?)</tr>", page, re.S)[1]
        assert re.findall(r'<td class="n">(\d+)(?: <small class="muted">\((\d+)%\)</small>)?</td>', completed) == [
            ("0", ""), ("1", "50")]  # counts with each council's share
        # the chart: a stacked bar per council, each part's count and share on hover, every status in the legend
        chart = re.search(r'<svg [^>]*aria-label="Actions by status for each council">.*?</svg>', page, re.S)[0]
        assert chart.count("<title>Testshire County Council: ") == 2
        assert "Testshire County Council: 1 completed (50%)" in chart
        for status in re.findall(r"<title>[^:<]+: \d+ (.*?) \(\d+%\)</title>", chart):
            assert f">{status}</text>" in chart
        table = page.split("<h2>Actions by status</h2>")[1].split("</table>")[0]
        statuses = re.findall(r"<tr><td>([^<]+)</td>", table)
        assert statuses[0] == "completed" and statuses[-1] == "no status reported"
        only = c.get("/compare?council=Testshire+County+Council", headers=HTML).text
        assert "<th class=\"n\">Leeds City Council</th>" not in only


HOSTILE = "<script>window.pwned = 1</script> & <img src=x onerror=alert(1)>"


def add_hostile_names(store) -> None:
    """Give action 14, its council and a body names carrying markup, in a graph of their own (loaders strip tags,
    so this is how markup from any document would reach the pages)."""
    from pyoxigraph import Literal, NamedNode, Triple

    from govgraph.ontology import RDFS, SKOS

    base = "https://w3id.org/govgraph/id/"
    store.replace_graph(NamedNode(base + "document/hostile"), [
        Triple(NamedNode(base + ACTION_14[4:]), RDFS.label, Literal("Action " + HOSTILE)),
        Triple(NamedNode(base + "council/leeds-city-council"), RDFS.label, Literal("Council " + HOSTILE)),
        Triple(NamedNode(base + "body/leeds-city-council/executive-board"), SKOS.prefLabel, Literal("Body " + HOSTILE)),
    ])


def test_document_text_is_escaped_everywhere():
    app = app_with(SAMPLE_TRACKER)
    add_hostile_names(app.state.store)
    with TestClient(app) as c:
        pages = {url: c.get(url, headers=HTML).text for url in (
            "/", "/id/council/leeds-city-council", ACTION_14, "/id/body/leeds-city-council/executive-board", "/network", "/compare",
            "/queries/actions-without-owner", "/report.html", "/sparql?query=SELECT+%3Fl+WHERE+%7B+%3Fs+%3Chttp%3A%2F%2F"
            "www.w3.org%2F2000%2F01%2Frdf-schema%23label%3E+%3Fl+%7D")}
    for url, page in pages.items():
        assert "<script>window.pwned" not in page and "<img src=x" not in page, url
    assert ("Council &lt;script&gt;window.pwned = 1&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"
            in pages["/id/council/leeds-city-council"])
    assert "Action &lt;script&gt;" in pages[ACTION_14]
    assert "Body &lt;script&gt;" in pages["/id/body/leeds-city-council/executive-board"]
    assert "&lt;script&gt;window.pwned" in pages["/queries/actions-without-owner"]


def test_network_view_filters_and_guards_its_size(client):
    page = client.get("/network?council=Leeds+City+Council", headers=HTML).text
    nodes = int(re.search(r'id="network" data-nodes="(\d+)"', page)[1])
    assert nodes > 40 and "The selection holds 21 actions" in page and "Oversight body" in page
    theme = client.get("/network?theme=Financial+planning+and+viability", headers=HTML).text
    assert int(re.search(r'data-nodes="(\d+)"', theme)[1]) < nodes
    chain = client.get("/network?focus=https://w3id.org/govgraph/id/recommendation/leeds-city-council/"
                       "lga-corporate-peer-challenge-november-2022/1", headers=HTML).text
    assert "Chain of: Keep being Leeds" in chain and int(re.search(r'data-nodes="(\d+)"', chain)[1]) < nodes
    with TestClient(app_with(SAMPLE_TRACKER, max_network_nodes=20)) as small:
        guarded = small.get("/network", headers=HTML).text
    assert "are summarised as links between officer posts and oversight bodies" in guarded
    assert int(re.search(r'data-nodes="(\d+)"', guarded)[1]) <= 20
    assert client.get("/network?council=Nowhere", headers=HTML).status_code == 400


def test_pages_load_nothing_from_outside(client):
    for url in ("/", "/compare", "/network", "/sparql", "/queries", ACTION_14, "/docs", "/redoc"):
        page = client.get(url, headers=HTML).text
        for ref in re.findall(r'(?:src|href)="([^"]*)"', page):
            assert not re.match(r"(https?:)?//", ref), f"{url} refers to {ref}"
    assert client.get("/static/api-docs/swagger-ui-bundle.js").status_code == 200


def test_report_pages(client):
    page = client.get("/report.html?as_of=2023-07-01")
    assert page.status_code == 200 and "<svg" in page.text and "Headline figures" in page.text
    assert client.get("/report.md").text.startswith("# Accountability gaps")
    assert client.get("/report.xlsx").content[:2] == b"PK"
    assert client.get("/report.pdf").status_code == 404
    assert client.get("/report.html?council=Nowhere").json()["error"].startswith("no gg:Council named 'Nowhere'")


def test_the_dashboard_judges_overdue_as_of_a_date_chosen_on_it():
    with TestClient(app_with(SAMPLE_TRACKER)) as c:
        page = c.get("/", params={"as_of": "2023-07-01"}, headers=HTML).text
        assert 'type="date" name="as_of" value="2023-07-01"' in page and "overdue judged at 2023-07-01" in page
        assert "?as_of=2023-07-01" in page or "as_of=2023-07-01" in page  # the date travels into the gap links
        empty = c.get("/", params={"as_of": ""}, headers=HTML)  # the form sent with no date: today
        assert empty.status_code == 200 and "overdue judged at today's date" in empty.text


def test_a_council_page_shows_its_figures_plans_over_time_and_who_carries_most(samples_client):
    page = samples_client.get("/council/leeds", headers=HTML, follow_redirects=True)
    assert page.url.path == "/id/council/leeds-city-council"
    html = page.text
    # one chart of its plans over time, one column group per document with actions, its numbers in a table too
    svg = re.search(r"<svg .*?</svg>", html, re.DOTALL)[0]
    documents = re.findall(r'<tr><td><a href="/id/document/[^"]+">', html)
    assert len(documents) == 4 and svg.count('fill="#1f78b4"><title>') == 4
    assert re.search(r"\d+ of \d+ actions name an accountable officer \(\d+%\)", svg)
    # the posts and bodies carrying most, most first, each linked to its page
    posts = re.findall(r'<li><a href="/id/post/leeds-city-council/[^"]+">([^<]+)</a> <span class="count">(\d+) action',
                       html)
    bodies = re.findall(r'<li><a href="/id/body/leeds-city-council/[^"]+">([^<]+)</a> <span class="count">(\d+) action',
                        html)
    assert posts and bodies and len(posts) <= 8
    assert [int(n) for _, n in posts] == sorted((int(n) for _, n in posts), reverse=True)
    # every figure links to the gap list it counts, scoped to the council
    assert 'href="/queries/recommendations-without-actions?council=https%3A%2F%2Fw3id.org%2Fgovgraph%2Fid%2Fcouncil%2Fleeds-city-council"' in html


def test_a_council_page_judges_overdue_at_the_date_chosen(samples_client):
    def overdue(url: str) -> int:
        html = samples_client.get(url, headers=HTML).text
        return int(re.search(r'overdue-actions\?[^"]*">(\d+)</a></div><div class="what">actions overdue', html)[1])

    early, late = (overdue(f"/id/council/leeds-city-council?as_of={d}") for d in ("2011-01-01", "2024-01-01"))
    assert early < late
    html = samples_client.get("/id/council/leeds-city-council?as_of=2011-01-01", headers=HTML).text
    assert 'value="2011-01-01"' in html and "as_of=2011-01-01" in html  # the date travels into its links
    assert samples_client.get("/id/council/leeds-city-council?as_of=someday", headers=HTML).status_code == 400


def test_a_council_is_found_by_the_ons_code_of_its_area_which_its_page_and_rdf_give(samples_client):
    page = samples_client.get("/council/e08000034", headers=HTML, follow_redirects=True)
    assert page.url.path == "/id/council/kirklees-council"
    assert '<a href="http://statistics.data.gov.uk/id/statistical-geography/E08000034">E08000034</a>' in page.text
    turtle = samples_client.get("/id/council/kirklees-council", headers={"accept": "text/turtle"}).text
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    council = rdflib.URIRef("https://w3id.org/govgraph/id/council/kirklees-council")
    code = graph.value(council, rdflib.URIRef("http://www.w3.org/ns/org#identifier"))
    assert (str(code), str(code.datatype)) == ("E08000034", "https://w3id.org/govgraph/def#gssCode")
    assert graph.value(council, rdflib.DCTERMS.spatial) == rdflib.URIRef(
        "http://statistics.data.gov.uk/id/statistical-geography/E08000034")
    assert samples_client.get("/council/E99999999", headers=HTML).status_code == 404


def test_an_overdue_list_has_a_date_picker_holding_the_date_judged_at(samples_client):
    html = samples_client.get("/queries/overdue-actions?as_of=2019-04-01", headers=HTML).text
    assert re.search(r'<input type="date" name="as_of" value="2019-04-01"', html)
    assert "Judged as of" in html


def test_the_served_report_has_a_date_picker_that_a_printed_or_saved_report_leaves_out(samples_client):
    html = samples_client.get("/report.html?council=Leeds&as_of=2019-04-01").text
    assert "Overdue judged at 2019-04-01" in html
    form = re.search(r'<form method="get" action="/report.html">(.*?)</form>', html, re.DOTALL)[1]
    assert '<input type="hidden" name="council" value="Leeds">' in form
    assert '<input id="as-of" type="date" name="as_of" value="2019-04-01">' in form
    assert 'href="/report.xlsx?council=Leeds&amp;as_of=2019-04-01"' in html
    assert "@media print{.controls{display:none}" in html
    from govgraph.visualise.report import to_html

    built = service.build_report(samples_client.app.state.store, council="Leeds", as_of="2019-04-01")
    assert "<form" not in to_html(built)  # the report as a file (govgraph report) has no controls
