"""The REST API through FastAPI's client: named queries, resources with pagination, chains, analysis, uploads."""
from __future__ import annotations

import os

import httpx
import pytest
from fastapi.testclient import TestClient

from govgraph.queries import catalogue
from govgraph.server import service
from govgraph.server.app import create_app
from govgraph.server.settings import Settings
from tests.conftest import SAMPLE_TRACKER

AUTH = {"authorization": "Bearer s3cret"}
REVIEW = "lga-corporate-peer-challenge-november-2022"


@pytest.fixture(scope="module")
def client():
    app = create_app("memory:", Settings(store="memory:"))
    service.load_paths(app.state.store, [SAMPLE_TRACKER])
    with TestClient(app) as c:
        yield c


def test_every_named_query_is_an_endpoint_with_typed_parameters(client):
    listed = client.get("/api/queries").json()["queries"]
    assert [q["name"] for q in listed] == list(catalogue())
    spec = client.get("/openapi.json").json()
    overdue = spec["paths"]["/api/queries/overdue-actions"]["get"]
    as_of = next(p for p in overdue["parameters"] if p["name"] == "as_of")
    assert {"type": "string", "format": "date"} in as_of["schema"]["anyOf"]
    rows = client.get("/api/queries/actions-without-owner", params={"council": "Leeds City Council"}).json()
    assert [r["number"] for r in rows["rows"]] == ["14", "17"]
    bad = client.get("/api/queries/overdue-actions", params={"as_of": "soon"})
    assert bad.status_code == 422 and bad.json()["ok"] is False and "as_of" in bad.json()["error"]
    assert client.get("/api/queries/overdue-actions", params={"as_of": "2023-07-01"}).json()["rows"]


def test_lists_are_paginated_and_link_onwards(client):
    first = client.get("/api/actions", params={"limit": 5}).json()
    assert first["total"] == 21 and len(first["items"]) == 5 and first["next"] == "/api/actions?limit=5&offset=5"
    last = client.get("/api/actions", params={"limit": 5, "offset": 20}).json()
    assert len(last["items"]) == 1 and last["next"] is None
    everything = client.get("/api/actions", params={"limit": 100}).json()["items"]
    assert len({i["iri"] for i in everything}) == 21
    assert everything[0]["page"].startswith("/id/action/leeds-city-council/")
    assert client.get("/api/actions", params={"limit": 0}).status_code == 422
    assert client.get("/api/bodies", params={"council": "Nowhere"}).json()["error"].startswith("no gg:Council")
    for kind in ("councils", "reviews", "recommendations", "posts", "people", "bodies"):
        assert client.get(f"/api/{kind}").json()["ok"], kind


def test_a_resource_comes_with_its_links_and_its_chain(client):
    action = client.get(f"/api/actions/leeds-city-council/{REVIEW}/14").json()
    assert action["kind"] == "action" and action["page"] == f"/id/action/leeds-city-council/{REVIEW}/14"
    relations = {(link["relation"], link["other_kind"]) for link in action["links"]}
    assert ("responds to", "recommendation") in relations and ("council of", "council") in relations
    chain = client.get(f"/api/actions/leeds-city-council/{REVIEW}/14/chain").json()
    steps = {row["step"] for row in chain["rows"]}
    assert "accountable post" not in steps and {"answers", "council"} <= steps
    recommendation = client.get(f"/api/recommendations/leeds-city-council/{REVIEW}/1/chain").json()
    assert len({row["action"] for row in recommendation["rows"]}) == 5
    body = client.get("/api/bodies/leeds-city-council/executive-board").json()
    assert body["sections"]["What a body oversees"]["rows"]
    assert client.get("/api/actions/leeds-city-council/nowhere/1").status_code == 404
    assert client.get(f"/api/bodies/leeds-city-council/{REVIEW}/14").status_code == 404  # not a body


def test_analysis_endpoints(client):
    dashboard = client.get("/api/dashboard", params={"as_of": "2023-07-01"}).json()
    [review] = dashboard["reviews"]
    assert (review["recommendations"], review["actions"], review["with_owner"]) == (12, 21, 19)
    gaps = client.get("/api/gaps", params={"as_of": "2023-07-01"}).json()["gaps"]
    assert [r["number"] for r in gaps["actions-without-owner"]["rows"]] == ["14", "17"]
    assert set(gaps) == {*service.GAP_QUERIES, "overdue-actions"}
    compare = client.get("/api/compare").json()
    assert compare["councils"] == ["Leeds City Council"] and compare["themes"]
    network = client.get("/api/network", params={"council": "Leeds City Council"}).json()
    kinds = {n["kind"] for n in network["nodes"]}
    assert {"recommendation", "action", "post", "body", "council"} <= kinds
    assert all(e["source"] and e["target"] for e in network["edges"])


def test_describe_gives_rdf(client):
    iri = f"https://w3id.org/govgraph/id/action/leeds-city-council/{REVIEW}/14"
    turtle = client.get("/api/describe.ttl", params={"iri": iri})
    assert turtle.headers["content-type"].startswith("text/turtle") and "gg:Action" in turtle.text
    assert client.get("/api/describe.jsonld", params={"iri": iri}).json()
    assert client.get("/api/describe.ttl", params={"iri": "urn:nothing"}).status_code == 404


def upload_app(tmp_path, token: str | None = "s3cret", **settings):
    return create_app(tmp_path / "store", Settings(store=str(tmp_path / "store"), upload_token=token, **settings))


def test_uploads_are_off_without_a_token_and_need_the_right_one(tmp_path):
    files = {"file": ("tracker.csv", SAMPLE_TRACKER.read_bytes(), "text/csv")}
    with TestClient(upload_app(tmp_path, token=None)) as off:
        answer = off.post("/api/documents", files=files, headers=AUTH)
        assert answer.status_code == 403 and "uploads are disabled" in answer.json()["error"]
    with TestClient(upload_app(tmp_path)) as on:
        assert on.post("/api/documents", files=files).status_code == 401
        wrong = on.post("/api/documents", files=files, headers={"authorization": "Bearer guess"})
        assert wrong.status_code == 403
        assert on.get("/api/documents").json()["documents"] == []
        # the API documentation knows the token, so /docs can authorise: the scheme, on the routes that write only
        spec = on.get("/openapi.json").json()
        assert spec["components"]["securitySchemes"]["uploadToken"] == {
            "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["uploadToken"]
            ["description"]}
        secured = {(path, method) for path, ops in spec["paths"].items() for method, op in ops.items()
                   if {"uploadToken": []} in op.get("security", [])}
        assert ("/api/documents", "post") in secured and all(method != "get" for _, method in secured)


def test_an_upload_loads_and_a_second_replaces(tmp_path):
    files = {"file": ("leeds-tracker.csv", SAMPLE_TRACKER.read_bytes(), "text/csv")}
    with TestClient(upload_app(tmp_path)) as c:
        first = c.post("/api/documents", files=files, headers=AUTH)
        assert first.status_code == 201, first.text
        assert first.json()["replaced"] is False and first.json()["counts"]["actions"] == 21
        assert first.json()["graph"] == "https://w3id.org/govgraph/id/document/leeds-tracker"
        again = c.post("/api/documents", files=files, headers=AUTH).json()
        assert again["replaced"] is True and again["triples"] == first.json()["triples"]
        assert c.get("/api/actions").json()["total"] == 21
        assert c.delete("/api/documents/leeds-tracker", headers=AUTH).json()["ok"]
        assert c.get("/api/actions").json()["total"] == 0


def test_a_bad_upload_changes_nothing(tmp_path):
    with TestClient(upload_app(tmp_path, max_upload_mb=0.01)) as c:
        c.post("/api/documents", files={"file": ("t.csv", SAMPLE_TRACKER.read_bytes(), "text/csv")}, headers=AUTH)
        before = c.get("/healthz").json()["quads"]
        broken = c.post("/api/documents", files={"file": ("t.csv", b"\x00\x01\x02binary\xff" * 10, "text/csv")},
                        headers=AUTH)
        assert broken.status_code == 422 and broken.json()["error"].startswith("t.csv:")
        huge = c.post("/api/documents", files={"file": ("big.txt", b"x" * 20_000, "text/plain")}, headers=AUTH)
        assert huge.status_code == 413 and "GOVGRAPH_MAX_UPLOAD_MB" in huge.json()["error"]
        assert c.get("/healthz").json()["quads"] == before
        assert c.get("/api/actions").json()["total"] == 21  # the earlier load of t.csv is whole


def test_an_upload_while_another_process_loads_is_told_to_wait(tmp_path):
    from govgraph.queries.store import open_store

    app = upload_app(tmp_path)
    holder = open_store(tmp_path / "store")  # what a running 'govgraph load' holds
    try:
        with TestClient(app) as c:
            answer = c.post("/api/documents", files={"file": ("t.csv", SAMPLE_TRACKER.read_bytes(), "text/csv")},
                            headers=AUTH)
        assert answer.status_code == 409 and "in use by '" in answer.json()["error"] and \
            f"process {os.getpid()}" in answer.json()["error"]
    finally:
        holder.close()


def _streamed_upload(url: str, headers: dict[str, str]) -> tuple[int, int]:
    """Send an upload chunk by chunk, a megabyte at a time, until the server answers: (status, bytes sent)."""
    import select
    import socket
    from urllib.parse import urlparse

    where = urlparse(url)
    sock = socket.create_connection((where.hostname, where.port), timeout=30)
    head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": where.netloc, "Transfer-Encoding": "chunked",
                                                  "Content-Type": "multipart/form-data; boundary=x", **headers}.items())
    sock.sendall(f"POST /api/documents HTTP/1.1\r\n{head}\r\n".encode())
    chunk = b"x" * (1024 * 1024)
    sent = 0
    try:
        for _ in range(1024):  # up to a gigabyte
            if select.select([sock], [], [], 0)[0]:
                break
            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    answer = sock.recv(4096).decode("latin-1")
    sock.close()
    return int(answer.split()[1]), sent


def test_the_token_is_checked_before_the_body_is_read_and_a_body_is_capped_as_it_streams(tmp_path):
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path / "store", {"GOVGRAPH_UPLOAD_TOKEN": "s3cret", "GOVGRAPH_MAX_UPLOAD_MB": "1"})
    try:
        status, sent = _streamed_upload(server.url, {})
        assert status == 401 and sent < 64 * 1024 * 1024  # answered without waiting for the body
        status, sent = _streamed_upload(server.url, {"Authorization": "Bearer s3cret"})
        assert status == 413 and sent < 64 * 1024 * 1024  # refused soon after the 1 MB limit
        bad_id = httpx.delete(server.url + "/api/documents/a%20b%3Cc%3E", headers=AUTH)
        assert bad_id.status_code == 404
        assert httpx.get(server.url + "/healthz").status_code == 200  # still up
    finally:
        server.stop()
