"""A running server reads a snapshot of the store that it keeps between requests: a load made beside it (another
process) must still show on its next request, on the pages and at the SPARQL endpoint."""
from __future__ import annotations

import httpx

from tests.conftest import ROOT, SAMPLE_TRACKER

COUNT_COUNCILS = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/govgraph/def#Council> }"


def councils_at_endpoint(server) -> int:
    answer = httpx.get(f"{server.url}/sparql", params={"query": COUNT_COUNCILS},
                       headers={"Accept": "application/sparql-results+json"}, timeout=20).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_a_load_beside_the_server_shows_on_its_next_request(run_cli, store_dir, live_server):
    run_cli("load", str(SAMPLE_TRACKER), "--store", str(store_dir))
    server = live_server(store_dir)
    assert councils_at_endpoint(server) == 1
    assert councils_at_endpoint(server) == 1  # the same snapshot, kept
    before = httpx.get(f"{server.url}/api/documents", timeout=20).json()
    run_cli("load", str(ROOT / "samples" / "documents" / "derby-2018-improvement-plan-update.txt"),
            "--store", str(store_dir))
    assert councils_at_endpoint(server) == 2
    after = httpx.get(f"{server.url}/api/documents", timeout=20).json()["documents"]
    assert len(after) == len(before["documents"]) + 1
    derby = next(d["graph"] for d in after if "derby" in (d["source"] or ""))
    run_cli("remove", derby, "--store", str(store_dir))
    assert councils_at_endpoint(server) == 1
    assert derby not in {d["graph"] for d in httpx.get(f"{server.url}/api/documents", timeout=20).json()["documents"]}
