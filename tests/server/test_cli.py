"""Every command end to end through the installed `govgraph` script, on a temporary on-disk store and on a SPARQL
server store (``store_location``, tests/conftest.py)."""
from __future__ import annotations

import json
import os
import subprocess
import time

import pyoxigraph as ox
import pytest

from govgraph.queries.store import ExportFormat, open_store
from tests.conftest import SAMPLE_TRACKER, write_csv


@pytest.fixture
def loaded(run_cli, store_location):
    run_cli("load", str(SAMPLE_TRACKER), "--store", store_location)
    return store_location


def test_help_documents_every_command_and_the_exit_codes(run_cli):
    text = run_cli("--help").stdout
    for command in ("load", "documents", "remove", "query", "gaps", "export", "validate", "extract", "serve"):
        assert command in text
    assert "4  store error" in text and "3  input error" in text


def test_load_reports_what_was_added_and_reloading_replaces(run_cli, store_location):
    first = run_cli("load", str(SAMPLE_TRACKER), "--store", store_location).stdout
    # 'Chief Officer HR' and 'Chief Officer, Human Resources' are one post: 9 posts for 10 printed titles
    assert "loaded, 2 oversight bodies, 12 recommendations, 21 actions, 9 officer posts" in first
    store = open_store(store_location)
    size = store.count()
    store.close()
    second = run_cli("load", str(SAMPLE_TRACKER.parent), "--store", store_location).stdout
    assert "replaced" in second
    store = open_store(store_location)
    assert store.count() == size  # no duplicates
    store.close()


def test_store_from_environment(run_cli, store_location):
    run_cli("load", str(SAMPLE_TRACKER), env={"GOVGRAPH_STORE": store_location})
    listed = json.loads(run_cli("documents", "--format", "json", env={"GOVGRAPH_STORE": store_location}).stdout)
    assert [(d["title"], d["source"]) for d in listed] == [
        ("Peer Challenge Review Initial Action Plan", "leeds-2023-peer-challenge-tracker.csv")]


def test_gap_query_rows_checked_by_hand_against_the_sample(run_cli, loaded, tmp_path):
    # In the tracker, rows 26 (action 14) and 29 (action 17) have an empty 'Lead officer' cell, as the
    # 'Who is accountable' cells are empty for those rows in the Leeds 2023 action plan it was written from.
    out = run_cli("query", "actions-without-owner", "--format", "json", "--store", str(loaded)).stdout
    rows = json.loads(out)
    assert [(r["number"], r["source"]) for r in rows] == [
        ("14", "leeds-2023-peer-challenge-tracker.csv:26"), ("17", "leeds-2023-peer-challenge-tracker.csv:29")]
    assert rows[0]["text"].startswith("Take stock of transformation capacity")
    # action 12 is the one row with no timescale
    due = json.loads(run_cli("query", "actions-without-due-date", "--format", "json", "--store", str(loaded)).stdout)
    assert [r["number"] for r in due] == ["12"]
    # every action inherits the plan's oversight (Executive Board, Strategy and Resources Scrutiny Board)
    assert json.loads(run_cli("query", "actions-without-oversight", "--format", "json", "--store", str(loaded)).stdout) == []
    csv_out = run_cli("query", "actions-without-owner", "--format", "csv", "--param", "council=Leeds City Council",
                      "--store", str(loaded)).stdout
    assert csv_out.splitlines()[0] == "council,council_name,review,review_name,action,number,text,stated_gap,source"
    assert len(csv_out.splitlines()) == 3
    run_cli("query", "actions-without-owner", "--format", "xlsx", "-o", str(tmp_path / "q.xlsx"),
            "--store", str(loaded))
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx").active
    assert [c.value for c in sheet[1]][:2] == ["council", "council_name"] and sheet.max_row == 3
    table = run_cli("query", "actions-without-owner", "--store", str(loaded)).stdout
    assert "Actions without an accountable officer: 2 row(s)" in table and "Take stock" in table


def test_query_list_and_errors(run_cli, loaded):
    listing = run_cli("query", "--list").stdout
    for name in ("recommendations-without-actions", "actions-without-owner", "actions-without-oversight",
                 "actions-without-due-date"):
        assert name in listing
    unknown = run_cli("query", "nope", "--store", str(loaded), check=2)
    assert "no query named 'nope'; known queries:" in unknown.stderr
    bad_param = run_cli("query", "actions-without-owner", "--param", "colour=red", "--store", str(loaded), check=2)
    assert "has no parameter 'colour'; its parameters: council, review" in bad_param.stderr
    hostile = run_cli("query", "actions-without-owner", "--param", 'council=x" } DROP ALL #',
                      "--store", str(loaded), check=2)
    assert "no gg:Council named" in hostile.stderr
    run_cli("query", "actions-without-owner", "--store", str(loaded))  # still all there


def test_query_from_a_file(run_cli, loaded, tmp_path):
    (tmp_path / "count.rq").write_text("SELECT (COUNT(*) AS ?actions) WHERE { ?a a gg:Action }")
    out = run_cli("query", str(tmp_path / "count.rq"), "--format", "json", "--store", str(loaded)).stdout
    assert json.loads(out) == [{"actions": "21"}]


def test_gaps_report(run_cli, loaded):
    out = run_cli("gaps", "--store", str(loaded)).stdout
    assert "0  recommendations without actions" in out
    assert "2  actions without an accountable officer" in out
    assert "1  actions without a readable due date" in out
    assert "leeds-2023-peer-challenge-tracker.csv:26" in out
    data = json.loads(run_cli("gaps", "--format", "json", "--store", str(loaded)).stdout)
    assert {k: len(v) for k, v in data.items()} == {
        "recommendations-without-actions": 0, "actions-without-owner": 2, "actions-without-oversight": 0,
        "actions-without-due-date": 1}


@pytest.mark.parametrize("fmt, rdf_format", [("ttl", ox.RdfFormat.TURTLE), ("nq", ox.RdfFormat.N_QUADS),
                                             ("jsonld", ox.RdfFormat.JSON_LD)])
def test_export(run_cli, loaded, tmp_path, fmt, rdf_format):
    target = tmp_path / f"out.{fmt}"
    run_cli("export", "--format", fmt, "--output", str(target), "--store", str(loaded))
    quads = list(ox.parse(path=str(target), format=rdf_format))
    assert len(quads) > 3000
    if fmt != "ttl":
        graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        assert "https://w3id.org/govgraph/id/document/leeds-2023-peer-challenge-tracker" in graphs
        assert "https://w3id.org/govgraph/graph/ontology" in graphs


def test_validate(run_cli, loaded, tmp_path):
    assert "conforms" in run_cli("validate", "--store", str(loaded)).stdout
    (tmp_path / "broken.ttl").write_text(
        "@prefix gg: <https://w3id.org/govgraph/def#> .\n<https://example.org/a> a gg:Action .\n")
    run_cli("load", str(tmp_path / "broken.ttl"), "--store", str(loaded))
    result = run_cli("validate", "--store", str(loaded), check=1)
    assert "An action needs the text of the commitment (rdfs:label)." in result.stdout
    run_cli("remove", "https://w3id.org/govgraph/id/document/broken", "--store", str(loaded))
    run_cli("validate", "--store", str(loaded))


def test_extract_writes_gold_shaped_json(run_cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x00binary")
    result = run_cli("extract", str(SAMPLE_TRACKER), str(bad), "--out", str(tmp_path / "out"), check=3)
    assert "bad.csv: the content is not recognised" in result.stderr
    reading = json.loads((tmp_path / "out" / f"{SAMPLE_TRACKER.stem}.json").read_text())
    assert set(reading) >= {"document", "council", "kind", "published", "review", "themes", "recommendations",
                            "actions", "bodies", "roles", "people", "gaps"}
    assert reading["council"] == "Leeds City Council"
    assert len(reading["recommendations"]) == 12 and len(reading["actions"]) == 21
    assert not (tmp_path / "out" / "bad.json").exists()
    # how each thing and link was read: a tracker's columns are named by their headers
    assert {(r["read_by"], r["confidence"]) for r in reading["recommendations"]} == {("labelled header", 0.9)}
    first = reading["actions"][0]
    assert (first["read_by"], first["confidence"]) == ("labelled header", 0.9)
    assert {(link["field"], link["read_by"]) for link in first["links_read"]} >= {
        ("owners", "labelled header"), ("responds_to", "labelled header")}


def test_a_bad_file_changes_nothing_in_the_store(run_cli, loaded, tmp_path):
    store = open_store(loaded)
    before = store.dump(format=ExportFormat.NQUADS)
    store.close()
    bad = write_csv(tmp_path / "leeds-2023-peer-challenge-tracker.csv", [["Action", "Owner"], ["A thing.", "CEO"]])
    result = run_cli("load", str(bad), str(tmp_path / "missing.csv"), "--store", str(loaded), check=3)
    assert "no council is named" in result.stderr and "missing.csv: no such file" in result.stderr
    assert "0 of 2 file(s) loaded" in result.stdout
    store = open_store(loaded)
    assert store.dump(format=ExportFormat.NQUADS) == before
    store.close()


def test_a_store_held_by_another_process(run_cli, store_dir):
    loaded = store_dir  # locking is the embedded on-disk store's alone
    run_cli("load", str(SAMPLE_TRACKER), "--store", str(loaded))
    holder = open_store(loaded)  # this process holds the write lock
    try:
        result = run_cli("load", str(SAMPLE_TRACKER), "--store", str(loaded), check=4,
                         env={"GOVGRAPH_STORE_WAIT": "0"})
        # the message says who holds it: this test's own process, from the note it left beside the lock
        said = " ".join(result.stderr.split())
        assert "in use by 'python -m pytest" in said or "in use by 'pytest" in said, said
        assert f"(process {os.getpid()}, since " in said
        result = run_cli("load", str(SAMPLE_TRACKER), "--store", str(loaded), check=4,
                         env={"GOVGRAPH_STORE_WAIT": "1"})
        said = " ".join(result.stderr.split())
        assert "waiting for it (up to 1 s)" in said and "waited 1 s for it" in said
        # reading falls back to a read-only snapshot
        assert "2  actions without an accountable officer" in run_cli("gaps", "--store", str(loaded)).stdout
    finally:
        holder.close()
    assert not (loaded / "govgraph-writer.json").exists()  # the holder's note goes with its lock


def test_a_load_waits_for_the_writer_before_it(store_dir, tmp_path):
    from tests.conftest import GOVGRAPH

    holder = open_store(store_dir)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")}
    waiting = subprocess.Popen([str(GOVGRAPH), "load", str(SAMPLE_TRACKER), "--store", str(store_dir)],
                               env={**environment, "GOVGRAPH_STORE_WAIT": "60", "NO_COLOR": "1"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        time.sleep(3)  # it is waiting, not gone
        assert waiting.poll() is None
    finally:
        holder.close()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "waiting for it" in err and "1 of 1 file(s) loaded" in out


def test_serve_starts_and_answers(loaded, live_server):
    import httpx

    server = live_server(loaded)
    health = httpx.get(f"{server.url}/healthz", timeout=5).json()
    assert health["ok"] and health["quads"] > 3000
    page = httpx.get(f"{server.url}/", timeout=10).text
    assert "actions without an accountable officer" in page and "Peer Challenge Review Initial Action Plan" in page
    rows = httpx.get(f"{server.url}/queries/actions-without-owner.json", timeout=10).json()["rows"]
    assert [row["number"] for row in rows] == ["14", "17"]


def test_report(run_cli, loaded, tmp_path):
    text = run_cli("report", "--as-of", "2023-07-01", "--store", str(loaded)).stdout
    assert text.startswith("# Accountability gaps in council action plans")
    assert "| Leeds City Council | 12 | 12 (100%) |" in text
    run_cli("report", "--format", "html", "--output", str(tmp_path / "r.html"), "--store", str(loaded))
    assert "<svg" in (tmp_path / "r.html").read_text()
    assert "needs --output" in run_cli("report", "--format", "xlsx", "--store", str(loaded), check=2).stderr
    run_cli("report", "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"), "--store", str(loaded))
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"
    assert "no gg:Council named 'Nowhere'" in run_cli("report", "--council", "Nowhere", "--store", str(loaded),
                                                        check=2).stderr


def test_a_big_rdf_file_is_bulk_loaded_and_a_broken_one_changes_nothing(run_cli, store_dir, tmp_path):
    from govgraph.loaders import rdf

    path = tmp_path / "big.nt"
    lines = [f'<https://example.org/action/{i}> <http://www.w3.org/2000/01/rdf-schema#label> "Action {i} of the '
             f'governance improvement plan, to be completed by the lead officer" .\n' for i in range(40_000)]
    path.write_text("".join(lines))
    assert path.stat().st_size >= rdf.BULK_MIN_BYTES  # so the bulk loader takes it
    first = run_cli("load", str(path), "--store", str(store_dir)).stdout
    assert "big.nt: loaded" in first and "(40,006 triples)" in " ".join(first.split())
    store = open_store(store_dir)
    before = store.dump(format=ExportFormat.NQUADS)
    store.close()
    path.write_text("".join(lines[:30_000]) + '<https://example.org/x> <https://example.org/p> "open .\n')
    result = run_cli("load", str(path), "--store", str(store_dir), check=3)
    assert f"{path}:30001: invalid N-Triples" in " ".join(result.stderr.split())
    store = open_store(store_dir)
    assert store.dump(format=ExportFormat.NQUADS) == before
    store.close()
