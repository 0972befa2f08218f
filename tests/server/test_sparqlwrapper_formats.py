"""Every return format SPARQLWrapper 2.0 offers, against a real server process.

SPARQLWrapper sends the format three times (`format`, `output`, `results`) and, for TSV,
JSON-LD and RDF/XML, `format` twice (`format=rdf+xml&format=application/rdf+xml`); each
test below fails if the endpoint refuses that or answers another format.
"""

from __future__ import annotations

import csv
import io
import warnings
from typing import Any

import pytest
from rdflib import Graph, URIRef
from sparql_fixture import CCKG, PEAKS_QUERY
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from tests.services.launcher import LiveServer

pytestmark = pytest.mark.server

NAMES = ["北京", "云南", "天津", "山东"]
ASK_QUERY = f"ASK {{ ?s a <{CCKG}PeakTarget> }}"
CONSTRUCT_QUERY = f"CONSTRUCT {{ ?s a <{CCKG}PeakTarget> }} WHERE {{ ?s a <{CCKG}PeakTarget> }}"
DESCRIBE_QUERY = "DESCRIBE <https://w3id.org/cckg/id/commitment/110000-overall-peak>"
METHODS = [GET, POST]


def _run(live: LiveServer, query: str, fmt: str, method: str) -> tuple[Any, str]:
    """The converted result and the response's Content-Type; no format-mismatch warning."""
    client = SPARQLWrapper(live.endpoint)
    client.setMethod(method)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # SPARQLWrapper: format mismatch
        response = client.query()
        content_type = response.info()["content-type"]
        return response.convert(), content_type


def _names_from_csv(text: str, delimiter: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    column = rows[0].index("name" if delimiter == "," else "?name")
    return [r[column].split("@")[0].strip('"') for r in rows[1:]]


@pytest.mark.parametrize("method", METHODS)
def test_select_json(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, PEAKS_QUERY, JSON, method)
    assert ctype.startswith("application/sparql-results+json")
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == NAMES


@pytest.mark.parametrize("method", METHODS)
def test_select_xml(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, PEAKS_QUERY, XML, method)
    assert ctype.startswith("application/sparql-results+xml")
    literals = [b.getElementsByTagName("literal")[0].firstChild.data
                for b in result.getElementsByTagName("binding") if b.getAttribute("name") == "name"]
    assert literals == NAMES


@pytest.mark.parametrize("method", METHODS)
def test_select_csv(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, PEAKS_QUERY, CSV, method)
    assert ctype.startswith("text/csv")
    assert _names_from_csv(result.decode("utf-8"), ",") == NAMES


@pytest.mark.parametrize("method", METHODS)
def test_select_tsv(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, PEAKS_QUERY, TSV, method)
    assert ctype.startswith("text/tab-separated-values")
    assert _names_from_csv(result.decode("utf-8"), "\t") == NAMES


@pytest.mark.parametrize("method", METHODS)
def test_ask_json(live: LiveServer, method: str) -> None:
    result, _ = _run(live, ASK_QUERY, JSON, method)
    assert result["boolean"] is True


@pytest.mark.parametrize("method", METHODS)
def test_ask_xml(live: LiveServer, method: str) -> None:
    result, _ = _run(live, ASK_QUERY, XML, method)
    assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("method", METHODS)
def test_ask_csv(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, ASK_QUERY, CSV, method)
    assert ctype.startswith("text/csv") and result.decode().split() == ["boolean", "true"]


@pytest.mark.parametrize("method", METHODS)
def test_ask_tsv(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, ASK_QUERY, TSV, method)
    assert ctype.startswith("text/tab-separated-values")
    assert result.decode().split() == ["?boolean", "true"]


def _targets(graph: Graph) -> int:
    return len(set(graph.subjects(None, URIRef(CCKG + "PeakTarget"))))


@pytest.mark.parametrize("method", METHODS)
def test_construct_turtle(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, CONSTRUCT_QUERY, TURTLE, method)
    assert ctype.startswith("text/turtle")
    assert _targets(Graph().parse(data=result, format="turtle")) == 4


@pytest.mark.parametrize("method", METHODS)
def test_construct_n3(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, CONSTRUCT_QUERY, N3, method)
    assert ctype.startswith("text/turtle")  # Turtle is N3; SPARQLWrapper accepts it for N3
    assert _targets(Graph().parse(data=result, format="n3")) == 4


@pytest.mark.parametrize("method", METHODS)
def test_construct_rdfxml(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, CONSTRUCT_QUERY, RDFXML, method)
    assert ctype.startswith("application/rdf+xml")
    assert _targets(result) == 4


@pytest.mark.parametrize("method", METHODS)
def test_construct_xml(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, CONSTRUCT_QUERY, XML, method)
    assert ctype.startswith("application/rdf+xml")
    assert _targets(result) == 4


@pytest.mark.parametrize("method", METHODS)
def test_construct_jsonld(live: LiveServer, method: str) -> None:
    result, ctype = _run(live, CONSTRUCT_QUERY, JSONLD, method)
    assert ctype.startswith("application/ld+json")
    assert _targets(result) == 4


@pytest.mark.parametrize(
    ("fmt", "media"), [(JSON, "application/ld+json"), (RDF, "application/rdf+xml")]
)
@pytest.mark.parametrize("method", METHODS)
def test_construct_json_and_rdf(live: LiveServer, method: str, fmt: str, media: str) -> None:
    client = SPARQLWrapper(live.endpoint)
    client.setMethod(method)
    client.setQuery(CONSTRUCT_QUERY)
    client.setReturnFormat(fmt)  # SPARQLWrapper itself warns that it sends Accept: */*
    with pytest.warns(RuntimeWarning, match="Accept header"):
        response = client.query()
    assert response.info()["content-type"].startswith(media)
    assert _targets(response.convert()) == 4


@pytest.mark.parametrize("method", METHODS)
def test_describe_turtle_and_rdfxml(live: LiveServer, method: str) -> None:
    turtle, _ = _run(live, DESCRIBE_QUERY, TURTLE, method)
    assert _targets(Graph().parse(data=turtle, format="turtle")) == 1
    rdfxml, _ = _run(live, DESCRIBE_QUERY, RDFXML, method)
    assert _targets(rdfxml) == 1


def test_construct_ntriples_by_accept(live: LiveServer) -> None:
    client = SPARQLWrapper(live.endpoint)
    client.setQuery(CONSTRUCT_QUERY)
    client.setReturnFormat(N3)  # SPARQLWrapper reads N-Triples as N3
    client.setOnlyConneg(True)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    response = client.query()
    assert response.info()["content-type"].startswith("application/n-triples")
    text = response.convert().decode("utf-8")
    assert len(text.strip().splitlines()) == 4
