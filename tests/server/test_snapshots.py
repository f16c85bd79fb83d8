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
    # whole-corpus views are kept with the snapshot they were computed from, and computed again on the next one
    views = ("/api/dashboard", "/api/compare")
    first = [httpx.get(f"{server.url}{path}", timeout=20).json() for path in views]
    assert [httpx.get(f"{server.url}{path}", timeout=20).json() for path in views] == first
    assert len({r["council"] for r in first[0]["reviews"]}) == 1 and len(first[1]["councils"]) == 1
    run_cli("load", str(ROOT / "samples" / "documents" / "derby-2018-improvement-plan-update.txt"),
            "--store", str(store_dir))
    assert councils_at_endpoint(server) == 2
    assert len({r["council"] for r in httpx.get(f"{server.url}/api/dashboard", timeout=20).json()["reviews"]}) == 2
    assert len(httpx.get(f"{server.url}/api/compare", timeout=20).json()["councils"]) == 2
    after = httpx.get(f"{server.url}/api/documents", timeout=20).json()["documents"]
    assert len(after) == len(before["documents"]) + 1
    derby = next(d["graph"] for d in after if "derby" in (d["source"] or ""))
    run_cli("remove", derby, "--store", str(store_dir))
    assert councils_at_endpoint(server) == 1
    assert httpx.get(f"{server.url}/api/dashboard", timeout=20).json()["reviews"] == first[0]["reviews"]
    assert derby not in {d["graph"] for d in httpx.get(f"{server.url}/api/documents", timeout=20).json()["documents"]}
