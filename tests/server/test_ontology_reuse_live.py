"""Reusing the served ontology from a live server: owlready2 loads the ontology IRI by
content negotiation (RDF/XML, nothing printed on stderr), /ontology.owl and
/context.jsonld are served as the release writes them."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import owlready2
import pytest
from rdflib import Graph
from tests.services.launcher import LiveServer

from cckg.paths import PATHS
from cckg.pipeline.load import load_dataset
from cckg.pipeline.release import jsonld_context, merged_ontology
from cckg.server.settings import Settings

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def onto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server process over the real ontology files (no data)."""
    root = tmp_path_factory.mktemp("onto-live")
    dataset = load_dataset(sorted(PATHS.ontology.glob("*.ttl")))
    (root / "cckg.nq").write_bytes(dataset.serialize(format="nquads", encoding="utf-8"))
    settings = Settings(data_dir=root / "store", dist_dir=root, query_workers=1)
    with LiveServer(settings, dataset=root / "cckg.nq") as server:
        yield server


def test_owlready2_loads_the_ontology_iri_silently(
    onto_server: LiveServer, capfd: pytest.CaptureFixture[str]
) -> None:
    world = owlready2.World()
    onto = world.get_ontology(onto_server.url + "ontology").load()
    _out, err = capfd.readouterr()
    assert err == ""
    assert onto.PeakTarget is not None
    assert "Commitment" in {c.name for c in onto.PeakTarget.is_a}


def test_no_accept_header_gets_rdfxml_and_browsers_still_get_html(
    onto_server: LiveServer,
) -> None:
    browser = httpx.get(onto_server.url + "ontology", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html")
    with httpx.Client() as client:
        request = client.build_request("GET", onto_server.url + "ontology")
        del request.headers["accept"]
        bare = client.send(request)
    assert bare.status_code == 200
    assert bare.headers["content-type"].startswith("application/rdf+xml")


def test_ontology_owl_is_rdfxml_of_the_whole_ontology(onto_server: LiveServer) -> None:
    response = httpx.get(onto_server.url + "ontology.owl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rdf+xml")
    served = Graph().parse(data=response.content, format="xml")
    assert len(served) == len(merged_ontology())


def test_context_jsonld_is_the_releases_context(onto_server: LiveServer) -> None:
    response = httpx.get(onto_server.url + "context.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    body = json.loads(response.text)
    assert body == jsonld_context(merged_ontology())
    assert body["@context"]["committedBy"] == {"@id": "cckg:committedBy", "@type": "@id"}
