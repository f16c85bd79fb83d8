"""The network map's API and page options: a node's neighbours, the filters of one council, the layout, numbers and
columns of nodes; over the bundled samples (three councils) in memory."""
from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from govgraph.server import service
from govgraph.server.app import create_app
from govgraph.server.settings import Settings
from tests.conftest import ROOT, SAMPLE_TRACKER

HTML = {"accept": "text/html"}
LEEDS_ACTION_14 = ("https://w3id.org/govgraph/id/action/leeds-city-council/"
                   "lga-corporate-peer-challenge-november-2022/14")


@pytest.fixture(scope="module")
def client():
    app = create_app("memory:", Settings(store="memory:"))
    summary = service.load_paths(app.state.store, [ROOT / "samples" / "documents", SAMPLE_TRACKER])
    assert not summary.failed
    with TestClient(app) as c:
        yield c


def page_payload(html: str) -> dict:
    return json.loads(re.search(r'id="network-data">(.*?)</script>', html, re.S)[1])


def test_network_nodes_carry_their_number_and_column(client):
    network = client.get("/api/network", params={"council": "Leeds City Council"}).json()
    nodes = {n["id"]: n for n in network["nodes"]}
    assert nodes[LEEDS_ACTION_14]["number"] == "14" and nodes[LEEDS_ACTION_14]["level"] == 3
    assert {n["level"] for n in nodes.values() if n["kind"] == "council"} == {0}
    assert {n["level"] for n in nodes.values() if n["kind"] == "recommendation"} == {4}
    assert all(n["number"] is None for n in nodes.values() if n["kind"] in ("post", "body", "council"))


def test_a_nodes_neighbours_are_the_nodes_linked_to_it(client):
    whole = client.get("/api/network", params={"council": "Leeds City Council"}).json()
    post = next(e["target"] for e in whole["edges"] if e["relation"] == "accountable post")
    expected = {e["source"] for e in whole["edges"] if e["target"] == post} | {
        e["target"] for e in whole["edges"] if e["source"] == post}
    answer = client.get("/api/network/neighbours", params={"node": post}).json()
    assert answer["ok"] and answer["node"] == post
    got = {n["id"] for n in answer["nodes"]}
    assert got == expected | {post}
    assert all(post in (e["source"], e["target"]) for e in answer["edges"])
    drawn = {n["id"]: n for n in answer["drawn"]["nodes"]}
    assert set(drawn) == got and all("x" in n and n["label"] for n in drawn.values())
    assert {e["label"] for e in answer["drawn"]["edges"]} <= {"accountable for", "held by"}
    force = client.get("/api/network/neighbours", params={"node": post, "layout": "force"}).json()
    assert not any("x" in n for n in force["drawn"]["nodes"])
    # an action's neighbours: its recommendation, post, body and council
    action = client.get("/api/network/neighbours", params={"node": LEEDS_ACTION_14}).json()
    assert {n["kind"] for n in action["nodes"]} >= {"action", "recommendation", "council"}


def test_neighbours_of_nothing_are_an_error_that_says_what(client):
    missing = client.get("/api/network/neighbours", params={"node": "https://example.org/nothing"})
    assert missing.status_code == 400 and "is not a node of the accountability network" in missing.json()["error"]
    bad = client.get("/api/network/neighbours", params={"node": "not an iri"})
    assert bad.status_code == 400 and "node must be the IRI" in bad.json()["error"]
    layout = client.get("/api/network/neighbours", params={"node": LEEDS_ACTION_14, "layout": "circle"})
    assert layout.status_code == 400 and "layered, force" in layout.json()["error"]


def test_the_filters_of_one_council_are_its_own(client):
    every = client.get("/api/network/facets").json()["facets"]
    kirklees = client.get("/api/network/facets", params={"council": "Kirklees Council"}).json()["facets"]
    assert kirklees["council"] == every["council"] and len(every["council"]) == 3
    reviews = {o["value"] for o in kirklees["review"]}
    assert reviews and reviews < {o["value"] for o in every["review"]}
    assert all("/kirklees-council/" in r for r in reviews)
    assert {o["value"] for o in kirklees["theme"]} < {o["value"] for o in every["theme"]}
    assert client.get("/api/network/facets", params={"council": "Nowhere"}).status_code == 400


def test_the_page_drops_a_review_of_another_council_and_says_so(client):
    leeds_review = client.get("/api/network/facets", params={"council": "Leeds City Council"}).json()[
        "facets"]["review"][0]
    page = client.get("/network", params={"council": "Kirklees Council", "review": leeds_review["value"]},
                      headers=HTML).text
    assert "No action of this council has the review" in page and "so the map shows all of its reviews" in page
    assert int(re.search(r'data-nodes="(\d+)"', page)[1]) > 20
    options = re.search(r'<select name="review">(.*?)</select>', page, re.S)[1]
    assert leeds_review["label"] not in options and "selected" not in options


def test_the_page_is_layered_unless_asked_for_force(client):
    layered = client.get("/network", params={"council": "Kirklees Council"}, headers=HTML).text
    assert page_payload(layered)["layout"] == "layered" and '<option value="layered" selected>' in layered
    assert page_payload(layered)["neighbours"] == "/api/network/neighbours"
    assert 'data-facets="/api/network/facets"' in layered
    force = client.get("/network", params={"council": "Kirklees Council", "layout": "force"}, headers=HTML).text
    assert page_payload(force)["options"]["physics"]["enabled"] and '<option value="force" selected>' in force
    bad = client.get("/network", params={"layout": "circle"}, headers=HTML)
    assert bad.status_code == 400 and "layered, force" in bad.text
