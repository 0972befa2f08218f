"""Real SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore) get rows from a server process."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from sparql_fixture import PEAKS_QUERY
from SPARQLWrapper import CSV, GET, JSON, POST, TURTLE, XML, SPARQLWrapper
from tests.services.launcher import LiveServer

pytestmark = pytest.mark.server
EXPECTED = [("北京", 2020), ("云南", 2025), ("天津", 2025), ("山东", 2027)]


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_json(live: LiveServer, method: str) -> None:
    client = SPARQLWrapper(live.endpoint)
    client.setMethod(method)
    client.setQuery(PEAKS_QUERY)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [(r["name"]["value"], int(r["year"]["value"])) for r in rows] == EXPECTED


def test_sparqlwrapper_xml_csv_and_construct(live: LiveServer) -> None:
    client = SPARQLWrapper(live.endpoint)
    client.setQuery(PEAKS_QUERY)
    client.setReturnFormat(XML)
    assert len(client.query().convert().getElementsByTagName("result")) == 4
    client.setReturnFormat(CSV)
    assert len(client.query().convert().decode().strip().splitlines()) == 5
    client.setQuery("CONSTRUCT WHERE { ?s a ?type }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 8


def test_rdflib_sparqlstore(live: LiveServer) -> None:
    graph = Graph(store=SPARQLStore(live.endpoint, returnFormat="json"))
    rows = list(graph.query(PEAKS_QUERY))
    assert [(str(r.name), r.year.toPython()) for r in rows] == EXPECTED
    assert rows[0].name == Literal("北京", lang="zh")
    ask = graph.query("ASK { ?s a <https://w3id.org/cckg/ontology#PeakTarget> }")
    assert ask.askAnswer is True
