"""The SPARQL endpoint of a real ``govgraph serve`` on a free loopback port, through standard clients (SPARQLWrapper
and rdflib's SPARQLStore) and plain HTTP; the same cases on an on-disk store and on a SPARQL server store."""
from __future__ import annotations

import time

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from govgraph.server import service
from tests.conftest import SAMPLE_TRACKER

GG = "https://w3id.org/govgraph/def#"
TRACKER_GRAPH = "https://w3id.org/govgraph/id/document/leeds-2023-peer-challenge-tracker"
ACTIONS = f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{GG}Action> }}"
# Every quad against every quad against every quad: far longer than the timeout on any machine.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module", params=["disk", "remote"])
def endpoint(request, tmp_path_factory):
    """The endpoint of a server on an on-disk store (queries in worker processes) and on a SPARQL server store
    (queries forwarded to the server)."""
    from tests.conftest import LiveServer, empty_remote_store

    folder = tmp_path_factory.mktemp("sparql")
    store = folder / "store"
    if request.param == "remote":
        store = request.getfixturevalue("sparql_server")
        empty_remote_store(store).close()
    with service.opened(store, write=True) as db:
        service.load_paths(db, [SAMPLE_TRACKER])
        other = folder / "other.csv"
        other.write_text("Council: Testshire County Council\n\nAction ref,Action,Lead officer\n"
                         "1,Publish the register.,Monitoring Officer\n", encoding="utf-8")
        service.load_paths(db, [other])
    server = LiveServer(store, {"GOVGRAPH_QUERY_TIMEOUT": "2", "GOVGRAPH_MAX_RESULTS": "500"}, log_dir=folder)
    yield server.url + "/sparql"
    server.stop()


def test_sparqlwrapper_select_in_every_results_format(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(ACTIONS)
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "22"  # 21 in the tracker, 1 more
    client.setMethod(POST)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "22"
    client.setReturnFormat(XML)
    xml = client.query().convert()  # a DOM document
    assert xml.getElementsByTagName("literal")[0].firstChild.data == "22"
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines() == ["n", "22"]


def test_sparqlwrapper_construct_gives_a_graph(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"CONSTRUCT {{ ?a a <{GG}Action> }} WHERE {{ ?a a <{GG}Action> }}")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 22
    client.setReturnFormat(XML)  # RDF/XML, which SPARQLWrapper parses into an rdflib graph itself
    assert len(client.query().convert()) == 22


def test_rdflib_sparqlstore_reads_the_graph(endpoint):
    graph = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="xml"))
    rows = list(graph.query(f"SELECT ?label WHERE {{ ?b a <{GG}OversightBody> ; <http://www.w3.org/2004/02/skos/"
                            "core#prefLabel> ?label }"))
    assert {str(r.label) for r in rows} == {"Executive Board", "Strategy and Resources Scrutiny Board"}
    actions = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(GG + "Action")))
    assert len(actions) == 22
    json_store = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    assert len(list(json_store.query(ACTIONS))) == 1


def test_protocol_bodies_negotiation_and_datasets(endpoint):
    direct = httpx.post(endpoint, content=ACTIONS, headers={"content-type": "application/sparql-query",
                                                            "accept": "text/tab-separated-values"})
    assert direct.status_code == 200 and direct.headers["content-type"].startswith("text/tab-separated-values")
    assert direct.text.splitlines() == ["?n", "22"]  # TSV writes terms as Turtle does
    ask = httpx.get(endpoint, params={"query": f"ASK {{ ?a a <{GG}Action> }}"})
    assert ask.headers["content-type"] == "application/sparql-results+json" and ask.json()["boolean"] is True
    jsonld = httpx.get(endpoint, params={"query": f"DESCRIBE <{TRACKER_GRAPH}>"},
                       headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"] == "application/ld+json" and TRACKER_GRAPH in jsonld.text
    refused = httpx.get(endpoint, params={"query": ACTIONS}, headers={"accept": "image/png"})
    assert refused.status_code == 406 and "offered: application/sparql-results+json" in refused.json()["error"]
    one = httpx.get(endpoint, params={"query": ACTIONS, "default-graph-uri": TRACKER_GRAPH})
    assert one.json()["results"]["bindings"][0]["n"]["value"] == "21"
    named = httpx.get(endpoint, params={"query": f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?a a <{GG}Action> }} }}",
                                        "named-graph-uri": TRACKER_GRAPH})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [TRACKER_GRAPH]


def test_updates_are_refused_and_the_store_is_unchanged(endpoint):
    insert = f"INSERT DATA {{ <urn:x> a <{GG}Action> }}"
    for answer in (httpx.post(endpoint, data={"update": insert}),
                   httpx.post(endpoint, content=insert, headers={"content-type": "application/sparql-update"}),
                   httpx.get(endpoint, params={"query": insert}),
                   httpx.get(endpoint, params={"query": "PREFIX x: <urn:x#>\n# a comment\nDROP ALL"})):
        assert answer.status_code == 403 and "read-only" in answer.json()["error"]
    count = httpx.get(endpoint, params={"query": ACTIONS}).json()
    assert count["results"]["bindings"][0]["n"]["value"] == "22"


def test_a_bad_query_is_a_clear_400(endpoint):
    answer = httpx.get(endpoint, params={"query": "SELECT ?x WHERE { ?x"})
    assert answer.status_code == 400 and answer.json()["error"].startswith("the query is not valid SPARQL: error at 1:")
    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT ?x WHERE { ?x")
    with pytest.raises(QueryBadFormed):
        client.query()
    assert httpx.get(endpoint).status_code == 400


def test_a_long_query_is_stopped_and_the_endpoint_goes_on(endpoint):
    started = time.monotonic()
    answer = httpx.get(endpoint, params={"query": HEAVY}, timeout=30)
    took = time.monotonic() - started
    assert answer.status_code == 503 and "ran for longer than 2 s and was stopped" in answer.json()["error"]
    assert took < 10
    after = httpx.get(endpoint, params={"query": ACTIONS}, timeout=30)
    assert after.status_code == 200 and after.json()["results"]["bindings"][0]["n"]["value"] == "22"


def test_a_result_over_the_cap_is_refused_whole(endpoint):
    answer = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert answer.status_code == 422 and "more than 500 rows" in answer.json()["error"]
    limited = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"})
    assert len(limited.json()["results"]["bindings"]) == 500


def test_the_query_page_runs_a_query_as_a_table(endpoint):
    page = httpx.get(endpoint, headers={"accept": "text/html"})
    assert page.status_code == 200 and "<textarea" in page.text and "Recommendations without actions" in page.text
    answered = httpx.get(endpoint, params={"query": ACTIONS}, headers={"accept": "text/html,*/*;q=0.8"})
    assert "1 row(s)" in answered.text and "<td>22</td>" in answered.text
    failed = httpx.get(endpoint, params={"query": "SELECT ?x WHERE { ?x"}, headers={"accept": "text/html"})
    assert failed.status_code == 400 and 'class="error"' in failed.text
    assert "<title>SPARQL query · govgraph</title>" in page.text


def test_every_example_on_the_query_page_answers_within_the_limit(endpoint):
    import html
    import re

    page = httpx.get(endpoint, headers={"accept": "text/html"}).text
    examples = {name: html.unescape(text) for name, text in
                re.findall(r'<template id="example-([\w-]+)">(.*?)</template>', page, re.S)}
    assert len(examples) > 15
    # a query about one thing is bound to one thing of the store, said in a comment beside the VALUES line
    assert "# one action of the store, as an example" in examples["accountability-chain"]
    for name, text in examples.items():
        answer = httpx.post(endpoint, data={"query": text}, headers={"accept": "application/sparql-results+json"},
                            timeout=30)
        assert answer.status_code == 200, (name, answer.text[:300])


@pytest.fixture()
def listener():
    """A local HTTP server that records every request made to it (the target an attacker would aim SERVICE at)."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["secret"]},"results":{"bindings":[{"secret":{"type":"literal",'
                             b'"value":"internal-only"}}]}}')

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    server.shutdown()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
    "ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_before_any_request_leaves_the_server(endpoint, listener, template):
    url, hits = listener
    for method in ("get", "post"):
        query = template.format(url=url)
        response = (httpx.get(endpoint, params={"query": query}) if method == "get" else
                    httpx.post(endpoint, content=query, headers={"Content-Type": "application/sparql-query"}))
        assert response.status_code == 400, response.text
        assert "SERVICE" in response.json()["error"] and "internal-only" not in response.text
    assert hits == []  # nothing reached the target
    # the word in a string or a comment is no SERVICE clause
    fine = httpx.get(endpoint, params={"query": 'SELECT ("SERVICE <x>" AS ?t) WHERE {} # SERVICE <y>'})
    assert fine.status_code == 200


def test_protocol_edges_are_4xx_and_the_endpoint_stays_up(endpoint):
    construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 1"
    # SPARQLWrapper's JSON-LD request: the format repeated, one of them a comma list
    from urllib.parse import quote

    jsonld = httpx.get(endpoint + "?format=json-ld&format=application/ld%2Bjson,application/x-json%2Bld&query="
                       + quote(construct))
    assert jsonld.status_code == 200 and jsonld.headers["content-type"].startswith("application/ld+json")
    # a relative graph IRI is the client's error, and the next query still runs
    relative = httpx.get(endpoint, params={"query": ACTIONS, "default-graph-uri": "data1"})
    assert relative.status_code == 400 and "not a graph IRI" in relative.json()["error"]
    two = httpx.get(endpoint + "?query=ASK%7B%7D&query=ASK%7B%7D")
    assert two.status_code == 400 and "more than one" in two.json()["error"]
    assert httpx.get(endpoint, params={"query": ACTIONS}).status_code == 200
    # a query's own FROM stands when the request names no dataset
    own = httpx.get(endpoint, params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{TRACKER_GRAPH}> WHERE {{ ?s ?p ?o }}"},
                    headers={"Accept": "application/sparql-results+json"})
    every = httpx.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                      headers={"Accept": "application/sparql-results+json"})
    count = lambda r: int(r.json()["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert 0 < count(own) < count(every)


COUNTS = (f"SELECT ?council ?name (COUNT(DISTINCT ?a) AS ?actions) WHERE {{ ?a a <{GG}Action> ; <{GG}councilOf> "
          "?council . ?council <http://www.w3.org/2000/01/rdf-schema#label> ?name } GROUP BY ?council ?name "
          "ORDER BY DESC(?actions)")
POSTS = f"SELECT DISTINCT ?action ?post WHERE {{ ?action <{GG}accountablePost> ?post }}"
HTML = {"accept": "text/html"}


def test_the_query_page_draws_a_bar_chart_above_the_table(endpoint):
    import html
    import re
    import xml.etree.ElementTree as ET

    page = httpx.get(endpoint, params={"query": COUNTS, "view": "chart"}, headers=HTML)
    assert page.status_code == 200
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", page.text, re.DOTALL)[0])
    bars = [g.find("{http://www.w3.org/2000/svg}title").text for g in svg.iter("{http://www.w3.org/2000/svg}g")]
    assert bars == ["Leeds City Council: 21", "Testshire County Council: 1"] and svg.get("role") == "img"
    assert "Bars: ?actions for each ?name: the first numeric column and the first column of text." in page.text
    assert "2 row(s)." in page.text and "<td>21</td>" in page.text  # the table stays
    # the view choice: links to each view with the same query, this one marked; the form keeps it
    links = {title: html.unescape(url) for url, title in
             re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a></li>', page.text.split('class="result-views"')[1])}
    assert set(links) == {"Table", "Bar chart", "Network"}
    assert httpx.URL(links["Network"]).params["query"] == COUNTS and httpx.URL(links["Network"]).params["view"] == \
        "network"
    assert re.search(r'aria-current="page">Bar chart<', page.text)
    assert '<option value="chart" selected>Bar chart</option>' in page.text
    # the same by a form posted
    posted = httpx.post(endpoint, data={"query": COUNTS, "view": "chart"}, headers=HTML)
    assert posted.status_code == 200 and posted.text.count('<g class="bar">') == 2


def test_the_query_page_says_why_it_cannot_draw(endpoint):
    nothing = httpx.get(endpoint, params={"query": POSTS, "view": "chart"}, headers=HTML)
    assert nothing.status_code == 200 and "<svg" not in nothing.text.split("</header>")[1]
    assert "These results have no numeric column" in nothing.text and "?action (IRIs), ?post (IRIs)" in nothing.text
    assert '<table class="result">' in nothing.text
    single = httpx.get(endpoint, params={"query": COUNTS, "view": "network"}, headers=HTML)
    assert "A network needs two columns of IRIs" in single.text and "only ?council holds IRIs" in single.text
    assert 'id="result-network"' not in single.text and "<td>21</td>" in single.text
    ask = httpx.get(endpoint, params={"query": f"ASK {{ ?a a <{GG}Action> }}", "view": "chart"}, headers=HTML)
    assert "A bar chart needs the rows of a SELECT query" in ask.text and "<pre>true</pre>" in ask.text
    unknown = httpx.get(endpoint, params={"query": COUNTS, "view": "pie"}, headers=HTML)
    assert unknown.status_code == 400 and "no view &#39;pie&#39;: show results as table, chart, network" in unknown.text
    # errors show as before, whatever the view
    bad = httpx.get(endpoint, params={"query": "SELECT ?x WHERE { ?x", "view": "chart"}, headers=HTML)
    assert bad.status_code == 400 and '<p class="error">the query is not valid SPARQL' in bad.text
    assert 'class="result-views"' not in bad.text
    slow = httpx.get(endpoint, params={"query": HEAVY, "view": "network"}, headers=HTML, timeout=30)
    assert slow.status_code == 503 and "ran for longer than 2 s and was stopped" in slow.text
    # a client of the protocol is not affected by the parameter
    client = httpx.get(endpoint, params={"query": COUNTS, "view": "chart"})
    assert client.headers["content-type"] == "application/sparql-results+json"


def test_the_query_page_carries_a_network_for_its_script(endpoint):
    import json
    import re

    page = httpx.get(endpoint, params={"query": POSTS, "view": "network"}, headers=HTML)
    data = json.loads(re.search(r'<script type="application/json" id="result-network-data">(.*?)</script>',
                                page.text, re.DOTALL)[1])
    rows = httpx.get(endpoint, params={"query": POSTS}).json()["results"]["bindings"]
    ends = {b[k]["value"] for b in rows for k in ("action", "post")}
    assert {n["id"] for n in data["nodes"]} == ends and len(data["edges"]) == len(rows) > 20
    assert all(n["url"].startswith("/id/") for n in data["nodes"])
    assert f'data-nodes="{len(ends)}" data-edges="{len(rows)}"' in page.text
    # vis-network from this server
    script = re.search(r'<script src="(/static/vis-network/[^"]+)"', page.text)[1]
    served = httpx.get(endpoint.removesuffix("/sparql") + script)
    assert served.status_code == 200 and "vis" in served.text[:2000]
