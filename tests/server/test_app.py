"""The web app through FastAPI's client, on an in-memory store."""
from __future__ import annotations

from fastapi.testclient import TestClient

from govgraph.server.app import create_app
from tests.conftest import SAMPLE_TRACKER, write_csv


def test_home_page_lists_documents_and_gap_counts(tmp_path):
    app = create_app("memory:")
    from govgraph.server import service

    # the in-memory store lives inside the app; load through the same service the CLI uses
    service.load_paths(app.state.store, [SAMPLE_TRACKER])
    client = TestClient(app)
    page = client.get("/").text
    assert "Peer Challenge Review Initial Action Plan" in page
    assert "Actions without an accountable officer</td><td class=n>2</td>" in page
    rows = client.get("/queries/actions-without-owner.json").json()["rows"]
    assert [r["number"] for r in rows] == ["14", "17"]
    csv = client.get("/queries/actions-without-owner.csv?council=Leeds City Council").text
    assert csv.splitlines()[0].startswith("council,council_name")


def test_errors_have_one_shape():
    client = TestClient(create_app("memory:"))
    bad = client.get("/queries/nope.json")
    assert bad.status_code == 400
    assert bad.json()["ok"] is False and "known queries" in bad.json()["error"]
    assert client.get("/queries/actions-without-owner.json?colour=red").json()["error"].startswith(
        "query 'actions-without-owner' has no parameter 'colour'")


def test_document_text_is_escaped(tmp_path):
    app = create_app("memory:")
    from govgraph.server import service

    path = write_csv(tmp_path / "x.csv", [["Title: Risks & <img src=x onerror=alert(1)"], ["Council", "Action"],
                                          ["Testshire County Council", "Do <b>things</b>."]])
    service.load_paths(app.state.store, [path])
    page = TestClient(app).get("/").text
    assert "<img src=x" not in page
    assert "Risks &amp; &lt;img src=x onerror=alert(1)" in page


def test_report_pages():
    app = create_app("memory:")
    from govgraph.server import service

    service.load_paths(app.state.store, [SAMPLE_TRACKER])
    client = TestClient(app)
    page = client.get("/report.html?as_of=2023-07-01")
    assert page.status_code == 200 and "<svg" in page.text and "Headline figures" in page.text
    assert client.get("/report.md").text.startswith("# Accountability gaps")
    assert client.get("/report.xlsx").content[:2] == b"PK"
    assert client.get("/report.pdf").status_code == 404
    assert client.get("/report.html?council=Nowhere").json()["error"].startswith("no gg:Council named 'Nowhere'")
    assert 'href="/report.html"' in client.get("/").text
