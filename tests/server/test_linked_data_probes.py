"""Regression tests for what a reviewer found probing a running server (one test per bug)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from cckg.rdf.namespaces import CCKG, ID
from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parent / "data" / "linked_data_fixture.trig"
GRAPH = ox.NamedNode("https://w3id.org/cckg/graph/probes")
INTENSITY = ID["commitment/CN-carbon-intensity-2030"]
#: Enough labelled places that an unbounded fuzzy match over them all takes many seconds.
EXTRA_PLACES = 400


def probe_quads() -> list[ox.Quad]:
    """A commitment with a decimal value "60" (the store's canonical form of 60.0), and many
    labelled places."""
    subject = ox.NamedNode(str(INTENSITY))
    decimal = ox.NamedNode(str(XSD.decimal))
    quads = [
        ox.Quad(subject, ox.NamedNode(str(RDFS.label)),
                ox.Literal("China: carbon intensity 60-65% below 2005 by 2030", language="en"),
                GRAPH),
        ox.Quad(subject, ox.NamedNode(str(CCKG.valueMin)), ox.Literal("60", datatype=decimal),
                GRAPH),
        ox.Quad(subject, ox.NamedNode(str(CCKG.valueMax)), ox.Literal("65", datatype=decimal),
                GRAPH),
    ]
    for n in range(EXTRA_PLACES):
        quads.append(ox.Quad(ox.NamedNode(f"{ID}place/9{n:05d}"), ox.NamedNode(str(RDFS.label)),
                             ox.Literal(f"Probe county number {n}", language="en"), GRAPH))
    return quads


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("probes")
    store = EmbeddedStore.in_memory()
    store.store.extend(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    store.store.extend(probe_quads())
    settings = Settings(data_dir=tmp / "store", dist_dir=tmp / "dist", query_workers=1)
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def test_a_60000_character_path_is_a_quick_404(client: TestClient) -> None:
    """GET /id/place/<60,000 × 'a'> took 74 s: suggestions ran difflib on the whole path."""
    start = time.monotonic()
    response = client.get(f"/id/place/{'a' * 60_000}", headers={"Accept": "text/html"})
    elapsed = time.monotonic() - start
    assert response.status_code == 404
    assert elapsed < 2, f"took {elapsed:.1f} s"


@pytest.mark.parametrize("path", [
    "/id/place/%25", "/id/place/%FF", "/id/place/%EE%80%80", "/id/place/%EF%BF%BE",
    "/id/place/%EF%B7%90", "/id/place/a%25zz", "/id/place/x.ttl%FF",
])
@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_percent_encodings_that_are_not_iris_are_a_helpful_404(
    client: TestClient, path: str, accept: str
) -> None:
    """These were 500s: the decoded path is no IRI, and building the query raised."""
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 404
    expected = "text/html" if accept == "text/html" else "text/plain"
    assert response.headers["content-type"].startswith(expected)
    assert "search" in response.text.lower()


def test_media_types_in_accept_are_case_insensitive(client: TestClient) -> None:
    response = client.get("/id/place/620000", headers={"Accept": "TEXT/TURTLE"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(("path", "raw", "escaped"), [
    ("/static/style.css%00", "\x00", "style.css\\x00"),
    ("/id/place/620000%00.ttl", "\x00", "620000\\x00"),
    ("/nowhere%1B[31m", "\x1b", "nowhere\\x1b[31m"),
])
@pytest.mark.parametrize("accept", ["text/html", "text/plain"])
def test_not_found_messages_escape_control_characters(
    client: TestClient, path: str, raw: str, escaped: str, accept: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 404
    assert raw not in response.text
    assert escaped in response.text


def test_no_docs_ui_loads_from_a_cdn(client: TestClient) -> None:
    for path in ("/api", "/docs", "/redoc"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "cdn.jsdelivr.net" not in response.text
    assert client.get("/openapi.json").json()["info"]["title"] == "CCKG"


def test_every_rdf_format_keeps_decimal_lexical_forms(client: TestClient) -> None:
    """The .ttl printed "60"^^xsd:decimal as 60.0, so it was not isomorphic to the .nt."""
    base = "/id/commitment/CN-carbon-intensity-2030"
    graphs = {}
    for ext, fmt in (("nt", "nt"), ("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")):
        response = client.get(f"{base}.{ext}")
        assert response.status_code == 200
        graphs[ext] = Graph().parse(data=response.content, format=fmt)
    literal = Literal("60", datatype=XSD.decimal)
    assert (INTENSITY, CCKG.valueMin, literal) in graphs["nt"]
    turtle = client.get(f"{base}.ttl").text
    assert "60.0" not in turtle and "65.0" not in turtle
    for ext in ("ttl", "jsonld", "rdf"):
        assert isomorphic(graphs["nt"], graphs[ext]), ext
