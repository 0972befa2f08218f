"""The endpoint speaks SPARQL 1.1: LATERAL (a SPARQL 1.2 draft join pyoxigraph parses) is
refused like SERVICE, and the service description states exactly what is accepted."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from cckg.rdf.namespaces import SD
from cckg.server.service_description import LANGUAGE_EXTENSIONS

LATERAL = "SELECT * WHERE { ?s ?p ?o LATERAL { SELECT ?x WHERE { BIND (?o AS ?x) } } }"

#: One query per SPARQL 1.2 draft extension the service description declares.
EXTENSION_EXAMPLES = {
    "triple-terms": "SELECT * WHERE { BIND (<<( <http://x/a> <http://x/p> 1 )>> AS ?t) "
                    "OPTIONAL { << ?s ?p ?o >> ?q ?r } OPTIONAL { ?s ?p ?o {| ?q ?r |} } }",
    "triple-functions": "SELECT (isTRIPLE(TRIPLE(<http://x/a>, <http://x/p>, 1)) AS ?t) "
                        "(SUBJECT(TRIPLE(<http://x/a>, <http://x/p>, 1)) AS ?u) WHERE {}",
    "base-direction": 'SELECT (LANGDIR("x"@en--ltr) AS ?d) (hasLANG("x"@en) AS ?h) '
                      '(hasLANGDIR("x"@en--ltr) AS ?g) (STRLANGDIR("x", "en", "ltr") AS ?s) '
                      "WHERE {}",
    "version": 'VERSION "1.2" ASK {}',
    "adjust": 'SELECT (ADJUST("2020-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>,'
              ' "PT1H"^^<http://www.w3.org/2001/XMLSchema#dayTimeDuration>) AS ?t) WHERE {}',
}


def ask(client: TestClient, query: str):
    return client.get(
        "/sparql", params={"query": query},
        headers={"accept": "application/sparql-results+json"},
    )


@pytest.mark.parametrize("query", [LATERAL, LATERAL.replace("LATERAL", "lateral")])
def test_lateral_is_refused_with_a_clear_400(client: TestClient, query: str) -> None:
    response = ask(client, query)
    assert response.status_code == 400
    assert "LATERAL is SPARQL 1.2 draft syntax and this endpoint speaks SPARQL 1.1" in (
        response.text
    )
    assert "line 1, column 27" in response.text


def test_lateral_as_a_name_or_in_a_string_is_fine(client: TestClient) -> None:
    query = (
        "SELECT ?lateral WHERE { BIND ('LATERAL' AS ?lateral) "
        "FILTER (?lateral != <http://x/LATERAL>) }"
    )
    assert ask(client, query).status_code == 200


def test_the_service_description_states_the_language_accepted(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    service = graph.value(None, RDF.type, SD.Service)
    assert set(graph.objects(service, SD.supportedLanguage)) == {
        SD.SPARQL11Query, SD.SPARQL11Update  # the test server has an update token
    }
    labels = {
        str(graph.value(f, RDFS.label)) for f in graph.objects(service, SD.languageExtension)
    }
    assert labels == {label for _, label in LANGUAGE_EXTENSIONS}
    assert not any("LATERAL" in label for label in labels)
    for feature in graph.objects(service, SD.languageExtension):
        assert (feature, RDF.type, SD.Feature) in graph
        assert (feature, RDFS.seeAlso, URIRef("https://www.w3.org/TR/sparql12-query/")) in graph
    description = str(graph.value(service, URIRef("http://purl.org/dc/terms/description")))
    assert "speaks SPARQL 1.1 Query" in description and "refuses LATERAL" in description


@pytest.mark.parametrize("key", [key for key, _ in LANGUAGE_EXTENSIONS])
def test_every_declared_extension_is_accepted(client: TestClient, key: str) -> None:
    response = ask(client, EXTENSION_EXAMPLES[key])
    assert response.status_code == 200, response.text
