"""The compare page over HTTP: its charts as downloads, the councils and years chosen, each council's status words
as Turtle, and a mapping of those words loaded as data."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

from govgraph.server import service, summaries
from tests.conftest import ROOT, SAMPLE_TRACKER, write_csv
from tests.server.test_app import HTML, app_with

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def client():
    with TestClient(app_with(ROOT / "samples" / "documents")) as c:
        yield c


def chart_in(page: str, marker: str) -> str:
    return re.search(rf'<svg [^>]*{marker}.*?</svg>', page, re.DOTALL)[0]


def heatmap_cells(svg: str) -> dict[tuple[str, str], int]:
    out = {}
    for group in ET.fromstring(svg).iter(f"{SVG_NS}g"):
        if group.find(f"{SVG_NS}title") is None:  # the group of every cell
            continue
        council, theme = re.match(r"(.*?), (.*): \d+ actions", group.find(f"{SVG_NS}title").text).groups()
        out[(council, theme)] = int(group.find(f"{SVG_NS}text").text)
    return out


@pytest.mark.parametrize("query", ["", "?council=Leeds+City+Council&from=2020&measure=recommendations",
                                   "?council=Derby+City+Council&council=Leeds+City+Council&to=2018"])
def test_each_download_is_exactly_the_chart_the_page_shows(client, query):
    page = client.get("/compare" + query, headers=HTML).text
    for name, marker in (("status", 'aria-label="Actions by status'), ("themes", 'aria-labelledby="heatmap-title')):
        shown = chart_in(page, marker)
        assert f'href="/compare/{name}.svg{query.replace("&", "&amp;")}"' in page  # the links carry the choice
        answer = client.get(f"/compare/{name}.svg{query}")
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/svg+xml"
        assert f'filename="govgraph-compare-{name}.svg"' in answer.headers["content-disposition"]
        assert answer.text == '<?xml version="1.0" encoding="UTF-8"?>\n' + shown
        ET.fromstring(answer.content)  # a well-formed file on its own


def test_the_heatmap_has_every_shared_theme_and_the_tables_numbers(client):
    page = client.get("/compare", headers=HTML).text
    cells = heatmap_cells(chart_in(page, 'aria-labelledby="heatmap-title'))
    themes = service.shared_themes()
    councils = ["Derby City Council", "Kirklees Council", "Leeds City Council"]
    assert len(themes) == 12 and set(cells) == {(c, t) for c in councils for _, t in themes}
    comparison = service.compare(client.app.state.store)
    for (scheme, theme), counts in comparison.themes.items():
        for council in councils:
            assert cells[(council, theme)] == counts.get(council, (0, 0))[1]
    assert any(cells.values())


def test_choosing_years_counts_the_documents_of_those_years_only(client):
    store = client.app.state.store
    whole = service.compare(store)
    assert whole.years == ["2010", "2018", "2020", "2023"]
    derby = service.compare(store, year_from=2018, year_to=2018)
    assert derby.councils == ["Derby City Council"]
    assert {s: n for s, n in ((s, c.get("Derby City Council")) for s, c in whole.status.items()) if n} == \
        {s: c["Derby City Council"] for s, c in derby.status.items()}
    recent = service.compare(store, council=["Leeds City Council"], year_from=2020)
    early = service.compare(store, council=["Leeds City Council"], year_to=2019)
    for status, counts in whole.status.items():  # the years chosen add up to every year
        assert counts.get("Leeds City Council", 0) == recent.status.get(status, {}).get("Leeds City Council", 0) + \
            early.status.get(status, {}).get("Leeds City Council", 0)
    assert early.status["in progress"] == {"Leeds City Council": 40} and "in progress" not in recent.status
    # the page says what it counts, and the chart follows
    page = client.get("/compare?council=Leeds+City+Council&from=2020", headers=HTML).text
    assert "Showing 1 council, documents of 2020 to the latest." in page
    chart = chart_in(page, 'aria-label="Actions by status')
    assert "in progress" not in chart and "Leeds City Council: 47 no status reported (100%)" in chart
    assert '<option value="2020" selected>2020</option>' in page


def test_a_choice_that_is_not_one_gets_a_clear_error(client):
    for query, message in (("from=20x", "parameter 'from' must be a year of four digits (2021), not '20x'"),
                           ("from=2023&to=2010", "'from' must not be after 'to'"),
                           ("measure=budget", "parameter 'measure' must be one of actions, recommendations"),
                           ("council=Nowhere+Council", "Nowhere")):
        for path in ("/compare", "/compare/themes.svg"):
            answer = client.get(f"{path}?{query}")
            assert answer.status_code == 400 and message in answer.json()["error"], (path, query, answer.text)
    assert client.get("/compare/pie.svg").status_code == 404


def test_the_status_words_download_is_a_skos_scheme_per_council(client):
    answer = client.get("/compare/status-words.ttl?council=Derby+City+Council")
    assert answer.headers["content-type"].startswith("text/turtle")
    triples = [q.triple for q in ox.parse(answer.content, format=ox.RdfFormat.TURTLE)]
    skos = "http://www.w3.org/2004/02/skos/core#"
    labels = {t.subject: t.object.value for t in triples if t.predicate.value == skos + "prefLabel"}
    matches = {labels[t.subject]: t.object.value.rsplit("#", 1)[-1] for t in triples
               if t.predicate.value == skos + "exactMatch"}
    assert matches == {"completed": "status-completed", "on track": "status-on-track",
                       "revised timescale": "status-in-progress", "slippage": "status-slippage"}
    scheme = NamedNode("https://w3id.org/govgraph/id/status-words/derby-city-council")
    assert ox.Triple(NamedNode("https://w3id.org/govgraph/id/council/derby-city-council"),
                     NamedNode("https://w3id.org/govgraph/def#statusWords"), scheme) in triples
    words = client.get("/api/compare?council=Derby+City+Council").json()["status_words"]
    assert {w["words"]: w["actions"] for w in words if w["words"]} == {
        "completed": 17, "on track": 4, "revised timescale": 8, "slippage": 1}


def test_an_edited_mapping_changes_compare_and_removing_it_restores_the_reading(tmp_path, monkeypatch):
    other = write_csv(tmp_path / "testshire.csv", [
        ["Council: Testshire County Council"], ["Review: LGA Corporate Peer Challenge, March 2024"], [],
        ["Rec ref", "Recommendation", "Action ref", "Action", "Lead officer", "Oversight", "Due date", "Status"],
        ["1", "Improve the financial strategy.", "1", "Refresh the MTFS.", "Director of Finance", "Audit Committee",
         "March 2025", "Completed"],
        ["2", "Review the capital programme.", "2", "Review the capital programme.", "Director of Finance",
         "Audit Committee", "March 2025", "Awaiting sign-off"],
        ["3", "Train members.", "3", "Train members.", "Director of Finance", "Audit Committee", "March 2025",
         "Awaiting sign-off"]])
    with TestClient(app_with(SAMPLE_TRACKER, other)) as c:
        store = c.app.state.store
        testshire = "?council=Testshire+County+Council"

        def row(status: str) -> str | None:
            page = c.get("/compare" + testshire, headers=HTML).text
            found = re.search(rf"<tr><td>{status}</td><td class=\"n\">(\d+)", page)
            return found[1] if found else None

        assert row("in progress") == "2" and row("not started") is None  # as the words were read
        # a person downloads the council's words, maps the unmapped ones and loads the file
        text = c.get("/compare/status-words.ttl" + testshire).text
        assert 'skos:prefLabel "Awaiting sign-off"' in text
        edited = tmp_path / "testshire-status-words.ttl"
        assert text.count("exactMatch gg:status-in-progress") == 1 and text.count("exactMatch gg:status-completed") == 1
        edited.write_text(text.replace("exactMatch gg:status-in-progress", "exactMatch gg:status-not-started")
                          .replace("skos:exactMatch gg:status-completed", "skos:closeMatch gg:status-slippage"))
        loaded = service.load_paths(store, [edited])
        assert not loaded.failed and summaries.is_current(store)
        graph = loaded.documents[0].graph
        assert row("not started") == "2" and row("in progress") is None
        assert row("slippage") == "1" and row("completed") is None
        page = c.get("/compare" + testshire, headers=HTML).text
        assert re.search(r"<td>Awaiting sign-off</td>\s*<td>not started</td>\s*<td>edited</td><td class=\"n\">2</td>",
                         page)
        assert "Testshire County Council: 2 not started (67%); as written: &#x27;Awaiting sign-off&#x27; 2" in page \
            or "Testshire County Council: 2 not started (67%); as written: &#39;Awaiting sign-off&#39; 2" in page
        # the named query and the figures read without the summaries follow the edit too
        mix = {r["status"]: r["actions"] for r in service.run_query(
            store, "status-by-council", {"council": "Testshire County Council"})[1].values()}
        assert mix == {"not started": "2", "slippage": "1"}
        from_summaries = service.compare(store, council=["Testshire County Council"])
        with monkeypatch.context() as m:
            m.setattr(summaries, "is_current", lambda s: False)
            assert service.compare(store, council=["Testshire County Council"]) == from_summaries
        # other councils keep their reading
        assert "<td>edited</td>" not in c.get("/compare?council=Leeds+City+Council", headers=HTML).text
        # removing the file's graph restores the reading
        assert service.remove_document(store, graph)
        assert row("in progress") == "2" and row("completed") == "1" and row("not started") is None


def test_with_many_councils_their_words_are_listed_once_some_are_chosen(client, monkeypatch):
    from govgraph.server import figures

    monkeypatch.setattr(figures, "WORDS_LISTED", 2)  # the samples' three councils are then many
    page = client.get("/compare", headers=HTML).text
    assert "3 councils: choose some above to list their own status words here" in page
    assert "<td>Derby City Council</td><td>completed</td>" not in page
    chosen = client.get("/compare?council=Derby+City+Council", headers=HTML).text
    assert "<td>Derby City Council</td><td>completed</td>" in chosen
    every = client.get("/compare/status-words.ttl").text  # the download has every council's words all the same
    assert "status-words/derby-city-council/completed>" in every and "status-words/leeds-city-council/" in every


def test_the_heatmap_of_many_councils_waits_for_a_choice(client, monkeypatch):
    from govgraph.server import comparison

    monkeypatch.setattr(comparison, "HEATMAP_ROWS", 2)
    page = client.get("/compare", headers=HTML).text
    assert 'aria-labelledby="heatmap-title' not in page and "3 councils: choose up to 2 above" in page
    answer = client.get("/compare/themes.svg")
    assert answer.status_code == 404 and "at most 2 councils" in answer.json()["error"]
    chosen = client.get("/compare/themes.svg?council=Leeds+City+Council&council=Derby+City+Council")
    assert chosen.status_code == 200 and len(heatmap_cells(chosen.text)) == 2 * 12
