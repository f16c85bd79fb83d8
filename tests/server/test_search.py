"""Search: by number and by words, over an index kept as documents are loaded and removed; from the CLI, the page
and the JSON."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

from govgraph.queries.store import open_store
from govgraph.server import search, service
from govgraph.server.app import create_app
from govgraph.server.settings import Settings
from tests.conftest import ROOT, SAMPLE_TRACKER

DERBY = ROOT / "samples" / "documents" / "derby-2018-improvement-plan-update.txt"


@pytest.mark.parametrize("text, words, numbers", [
    ("2.2", [], [(None, "2.2")]),
    ("Derby 2.2", ["derby"], [(None, "2.2")]),
    ("R6", [], [("recommendation", "6")]),
    ("rec 6", [], [("recommendation", "6")]),
    ("recommendation 6, action 2.2", [], [("recommendation", "6"), ("action", "2.2")]),
    ("action plan", ["action", "plan"], []),
    ("Audit & Accounts Committee", ["audit", "accounts", "committee"], []),
])
def test_the_words_and_numbers_of_a_search(text, words, numbers):
    assert search.terms(text) == (words, numbers)


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store"
    with service.opened(path, write=True) as db:
        service.load_paths(db, [SAMPLE_TRACKER, DERBY])
    return path


def kinds_and_councils(found: dict) -> list[tuple[str, str, str | None]]:
    return [(kind, h.number, h.council_name) for kind, hits in found.items() for h in hits]


def test_a_number_finds_its_recommendations_and_actions_and_words_narrow_them(store_path):
    assert (store_path / search.INDEX_FILE).exists()  # kept at load, beside the store's own files
    store = open_store(store_path, read_only=True)
    try:
        by_number = search.search(store, "2.2")
        assert by_number and {(k, n, c) for k, n, c in kinds_and_councils(by_number)} == {
            ("action", "2.2", "Derby City Council")}
        assert kinds_and_councils(search.search(store, "Derby 2.2")) == kinds_and_councils(by_number)
        assert search.search(store, "Leeds 2.2") == {}  # Leeds has no 2.2
        sixes = search.search(store, "rec 6")
        assert list(sixes) == ["recommendation"] and {h.council_name for h in sixes["recommendation"]} == {
            "Leeds City Council"}
        assert search.search(store, "R6") == sixes
        # words: ranked, grouped by kind, a thing once however many documents state it
        audit = search.search(store, "audit accounts committee")
        assert audit["body"][0].label == "Audit and Accounts Committee"
        assert len({h.iri for h in audit["body"]}) == len(audit["body"])
        assert search.search(store, "Leeds")["council"][0].label == "Leeds City Council"
        assert search.search(store, "zzzz nothing") == {}
        page = by_number["action"][0].page
        assert page.startswith("/id/action/derby-city-council/")
    finally:
        store.close()


def test_the_index_follows_loads_and_removals(store_path):
    with service.opened(store_path, write=True) as db:
        derby = next(d.graph for d in service.documents(db) if "derby" in (d.source or ""))
        assert service.remove_document(db, NamedNode(derby))
    index = search.SearchIndex(str(store_path / search.INDEX_FILE))  # what the file says now, read afresh
    try:
        assert index.search("2.2") == [] and index.search("rec 6")  # Derby gone at once; Leeds still there
    finally:
        index.close()
    # a reader on a snapshot taken before the next load sees it once the server opens a new one
    with service.opened(store_path, write=True) as db:
        service.load_paths(db, [DERBY])
    store = open_store(store_path, read_only=True)
    try:
        assert search.search(store, "Derby 2.2")
    finally:
        store.close()


def test_an_index_out_of_step_is_brought_up_to_date_by_the_next_search(store_path):
    (store_path / search.INDEX_FILE).unlink()  # lost, or made by a govgraph before search existed
    search._BY_LOCATION.clear()
    store = open_store(store_path, read_only=True)
    try:
        assert search.search(store, "Derby 2.2")
    finally:
        store.close()


def test_search_from_the_command_line(run_cli, store_path):
    table = run_cli("search", "Derby 2.2", "--store", str(store_path)).stdout
    assert "2.2" in table and "Derby City Council" in table
    rows = run_cli("search", "rec 6", "--format", "csv", "--store", str(store_path)).stdout.splitlines()
    assert rows[0] == "kind,number,name,council,review,iri" and all(r.startswith("recommendation,6,") for r in rows[1:])
    assert "nothing found" in run_cli("search", "zzzz", "--store", str(store_path)).stderr


def test_the_search_box_is_on_every_page_and_leads_to_the_thing(store_path):
    with TestClient(create_app(store_path, Settings(store=str(store_path)))) as client:
        for path in ("/", "/compare", "/network", "/queries", "/sparql", "/search"):
            assert 'role="search"' in client.get(path, headers={"accept": "text/html"}).text, path
        page = client.get("/search", params={"q": "2.2"}).text
        assert "Actions (" in page and "Derby City Council" in page and 'href="/id/action/derby-city-council/' in page
        found = client.get("/search.json", params={"q": "Derby 2.2"}).json()
        assert found["ok"] and [h["number"] for h in found["results"]["action"]] == ["2.2"] * len(
            found["results"]["action"])
        action = client.get(found["results"]["action"][0]["page"])
        assert action.status_code == 200 and "2.2" in action.text
        # the action at a glance: its latest status on the common scale with its date, its due date, who answers
        glance = _glance_text(action.text)
        assert "Status slippage at 2018-06-19" in glance and "Due March 2018" in glance
        assert "Accountable Interim Strategic Director of Corporate Resources" in glance
        leeds = client.get("/search.json", params={"q": "Leeds action 14"}).json()["results"]["action"][0]
        glance = _glance_text(client.get(leeds["page"]).text)
        assert "Status no status reported" in glance and "Due March - June 2023" in glance
        assert "Accountable no accountable officer" in glance  # the tracker names no owner for 14
        assert "Nothing found" in client.get("/search", params={"q": "zzzz"}).text


def _glance_text(page: str) -> str:
    import html
    import re

    start = page.index('class="glance"')
    part = page[start:page.index("</section>", start)]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part.split(">", 1)[1])).split())


def test_a_council_by_any_name_people_write_and_the_candidates_of_an_ambiguous_one():
    from govgraph.loaders.councils import candidates
    from govgraph.queries import QueryError
    from tests.queries.test_named_queries import act, doc, store_of

    both = [c.name for c in candidates("Newcastle")]
    assert len(both) == 2
    store = store_of(*(doc(f"plan-{i}", council=name, actions=[act("1")]) for i, name in enumerate(both)))
    with pytest.raises(QueryError, match=r"'Newcastle' could be 2 councils: .*; give one of these names"):
        service.council_term(store, "Newcastle")
    assert len({service.council_term(store, name).value for name in both}) == 2  # each full name finds its own
    app = create_app("memory:", Settings(store="memory:"))
    service.load_paths(app.state.store, [SAMPLE_TRACKER])
    with TestClient(app) as client:
        for name in ("leeds", "Leeds CC", "LEEDS CITY COUNCIL"):
            answer = client.get(f"/council/{name}", follow_redirects=False)
            assert (answer.status_code, answer.headers["location"]) == (303, "/id/council/leeds-city-council")
        assert client.get("/council/Nowhere").status_code == 404


def test_a_big_rdf_file_is_indexed_by_the_first_search_after_it(tmp_path, monkeypatch):
    from govgraph.loaders import rdf
    from govgraph.server.loading import Limits

    data = tmp_path / "imported.nt"
    data.write_text(
        "<https://example.org/a1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/govgraph/def#Action> .\n"
        "<https://example.org/a1> <http://www.w3.org/2000/01/rdf-schema#label> \"Refresh the treasury strategy\" .\n"
        "<https://example.org/a1> <http://purl.org/dc/terms/identifier> \"7.3\" .\n", encoding="utf-8")
    monkeypatch.setattr(rdf, "BULK_MIN_BYTES", 0)  # taken as a big file: bulk loaded
    path = tmp_path / "store"
    with service.opened(path, write=True) as db:
        summary = service.load_paths(db, [data], limits=Limits(), workers=1)
        assert [d.bulk for d in summary.loaded] == [True]
    index = search.SearchIndex(str(path / search.INDEX_FILE))
    try:
        assert index.search("treasury") == []  # loading did not wait for the index
    finally:
        index.close()
    store = open_store(path, read_only=True)
    try:
        found = search.search(store, "treasury strategy")
        assert [(h.kind, h.number, h.iri) for h in found["action"]] == [("action", "7.3", "https://example.org/a1")]
        assert search.search(store, "7.3")["action"][0].iri == "https://example.org/a1"
    finally:
        store.close()


def test_search_on_a_sparql_server_store(remote_store_url):
    # the index of a server store lives in this process's memory, made by the first search and kept up to date
    store = open_store(remote_store_url)
    try:
        service.load_paths(store, [SAMPLE_TRACKER, DERBY])
        assert {h.council_name for h in search.search(store, "Derby 2.2")["action"]} == {"Derby City Council"}
        derby = next(d.graph for d in service.documents(store) if "derby" in (d.source or ""))
        assert service.remove_document(store, NamedNode(derby))
        assert search.search(store, "Derby 2.2") == {}
        assert search.search(store, "rec 6")
    finally:
        store.close()


def test_a_recommendations_page_shows_each_action_answering_it_at_a_glance(store_path):
    import re

    with TestClient(create_app(store_path, Settings(store=str(store_path)))) as client:
        recommendation = client.get("/search.json", params={"q": "rec 6"}).json()["results"]["recommendation"][0]
        page = client.get(recommendation["page"]).text
        table = page.split('<table class="answers">')[1].split("</table>")[0]
        rows = re.findall(r"<tr><td class=\"num\">([^<]*)</td><td><a href=\"(/id/action/[^\"]+)\">", table)
        assert rows and f"Actions answering it ({len(rows)})" in page
        for number, action in rows:
            glance = _glance_text(client.get(action).text)  # the row says what the action's own page says
            status = glance.split("Status ", 1)[1].split(" Due ")[0]
            assert ("none reported" in table) if status.startswith("no status") else (status.split(" at ")[0] in table)
            assert number and number in client.get(action).text
