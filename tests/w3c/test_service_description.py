"""The W3C SPARQL 1.1 Service Description tests, over real HTTP against a server process."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from w3c_manifest import service_description_tests

from cckg.rdf.namespaces import SD

SHAPES = Path(__file__).parent / "sd_shapes.ttl"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
TESTS = dict(service_description_tests())


def fetch(client: httpx.Client, accept: str | None = None) -> tuple[httpx.Response, Graph]:
    """GET the endpoint without a query; the response and its parsed RDF."""
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", headers=headers)
    assert response.status_code == 200, response.text
    media = response.headers["content-type"].split(";")[0]
    assert media in RDF_TYPES, media
    return response, Graph().parse(data=response.content, format=RDF_TYPES[media])


def has_endpoint_triple(client: httpx.Client) -> None:
    response, graph = fetch(client)
    endpoint = URIRef(str(response.request.url))
    services = list(graph.subjects(SD.endpoint, endpoint))
    assert services, f"no sd:endpoint <{endpoint}>"
    assert (services[0], RDF.type, SD.Service) in graph


def returns_rdf(client: httpx.Client) -> None:
    for accept in (None, *RDF_TYPES):
        _, graph = fetch(client, accept)
        assert len(graph) > 0


def conforms_to_schema(client: httpx.Client) -> None:
    _, graph = fetch(client)
    conforms, _, report = validate(graph, shacl_graph=Graph().parse(SHAPES))
    assert conforms, report
    assert (None, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) in graph  # the token is set
    assert (None, SD.defaultDataset, None) in graph


CHECKS = {
    "has-endpoint-triple": has_endpoint_triple,
    "returns-rdf": returns_rdf,
    "conforms-to-schema": conforms_to_schema,
}


@pytest.mark.server
@pytest.mark.parametrize("test_id", list(TESTS))
def test_service_description(client: httpx.Client, test_id: str) -> None:
    CHECKS[test_id](client)


def test_every_manifest_test_has_a_check() -> None:
    assert set(TESTS) == set(CHECKS)
