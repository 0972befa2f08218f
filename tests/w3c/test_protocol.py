"""The W3C SPARQL 1.1 Protocol test suite, over real HTTP against a server process.

Each manifest test loads its ut:graphData into the graphs named by their labels (through
the update endpoint), then sends its requests in order and checks every response's
status class, result format and (for ASK) boolean.
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from w3c_manifest import Expect, ProtocolTest, protocol_tests

BOOLEAN_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
TABULAR_TYPES = {
    **BOOLEAN_TYPES,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = {
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}
TESTS = protocol_tests()


def load_graphs(client: httpx.Client, test: ProtocolTest, token: str) -> None:
    """Empty the store, then put each graph file into the graph its label names."""
    inserts = "".join(
        f"GRAPH <{iri}> {{ {path.read_text(encoding='utf-8')} }}\n"
        for iri, path in test.graphs.items()
    )
    update = "DROP ALL" + (f" ; INSERT DATA {{ {inserts} }}" if inserts else "")
    response = client.post(
        "/sparql",
        content=update.encode(),
        headers={"content-type": "application/sparql-update", "authorization": f"Bearer {token}"},
    )
    assert response.status_code == 204, response.text


def check(response: httpx.Response, expect: Expect) -> None:
    """Assert a response meets the manifest's expectations."""
    assert response.status_code // 100 in expect.status_classes, (
        f"status {response.status_code}, expected {sorted(expect.status_classes)}xx: "
        f"{response.text[:500]}"
    )
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if expect.format == "boolean":
        assert media in BOOLEAN_TYPES, media
    elif expect.format == "tabular":
        assert media in TABULAR_TYPES, media
        ox.parse_query_results(response.content, format=TABULAR_TYPES[media])
    elif expect.format == "RDF":
        assert media in RDF_TYPES, media
        list(ox.parse(response.content, format=RDF_TYPES[media]))
    if expect.boolean is not None:
        result = ox.parse_query_results(response.content, format=BOOLEAN_TYPES[media])
        assert isinstance(result, ox.QueryBoolean)
        assert bool(result) is expect.boolean


@pytest.mark.server
@pytest.mark.parametrize("test", TESTS, ids=[t.id for t in TESTS])
def test_protocol(client: httpx.Client, update_token: str, test: ProtocolTest) -> None:
    load_graphs(client, test, update_token)
    for request in test.requests:
        headers = dict(request.headers)
        if request.method == "POST":
            headers["authorization"] = f"Bearer {update_token}"
        response = client.request(
            request.method, request.path, headers=headers, content=request.body
        )
        check(response, request.expect)


def test_manifest_has_every_test() -> None:
    assert len(TESTS) == 34
    assert all(t.requests for t in TESTS)
