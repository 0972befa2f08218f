"""Dereferencing /id/...: content negotiation, descriptions, Link headers, 404 and 406."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDFS

from cckg.rdf.namespaces import CCKG, ID
from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parent / "data" / "linked_data_fixture.trig"
LOCAL = "http://testserver/"
GANSU = ID["place/620000"]
LANZHOU = ID["place/620100"]
OVERALL = ID["commitment/620000-overall-peak"]
CITY = ID["commitment/620000-key-city-peak-2025"]
PASSAGE = ID["passage/appendix-overall-peak-year-8"]
PLAN = ID["document/ghg-plan-620000"]
RDF_TYPES = {
    "text/turtle": ("ttl", "turtle"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/n-triples": ("nt", "nt"),
    "application/rdf+xml": ("rdf", "xml"),
}


def fixture_store() -> EmbeddedStore:
    """An in-memory store holding the fixture quads."""
    store = EmbeddedStore.in_memory()
    store.store.extend(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    return store


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("ld")
    settings = Settings(data_dir=tmp / "store", dist_dir=tmp / "dist", query_workers=1)
    with TestClient(create_app(settings, fixture_store())) as test_client:
        yield test_client


def parse(response: httpx.Response, fmt: str) -> Graph:
    return Graph().parse(data=response.content, format=fmt)


class Links(HTMLParser):
    """The hrefs and the text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if k == "href" and v]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def page(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def link_header(value: str) -> list[tuple[str, dict[str, str]]]:
    """A Link header as (target, params) pairs."""
    out = []
    for target, params in re.findall(r"<([^>]*)>((?:\s*;\s*[^,;]+)*)", value):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', params))
        out.append((target, attrs))
    return out


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_every_rdf_format_by_accept_and_by_extension_gives_the_same_triples(
    client: TestClient, media_type: str
) -> None:
    ext, fmt = RDF_TYPES[media_type]
    by_accept = client.get("/id/place/620000", headers={"Accept": media_type})
    by_ext = client.get(f"/id/place/620000.{ext}", headers={"Accept": "text/html"})
    for response in (by_accept, by_ext):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
        assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
    graph = parse(by_accept, fmt)
    assert set(graph) == set(parse(by_ext, fmt))
    assert (GANSU, RDFS.label, Literal("Gansu", lang="en")) in graph
    assert (GANSU, RDFS.label, Literal("甘肃省", lang="zh")) in graph


def test_place_description_has_inbound_links_labels_and_quotes(client: TestClient) -> None:
    graph = parse(client.get("/id/place/620000", headers={"Accept": "text/turtle"}), "turtle")
    # own triples, with public IRIs (not the local server's)
    assert (GANSU, CCKG.withinJurisdiction, ID["place/CN"]) in graph
    assert (ID["place/CN"], RDFS.label, Literal("中国", lang="zh")) in graph
    # places within it, commitments committed by it or applying to it, with their labels
    assert (LANZHOU, CCKG.withinJurisdiction, GANSU) in graph
    assert (LANZHOU, RDFS.label, Literal("Lanzhou", lang="en")) in graph
    assert (OVERALL, CCKG.committedBy, GANSU) in graph
    assert (OVERALL, CCKG.appliesTo, GANSU) in graph
    assert (CITY, CCKG.committedBy, GANSU) in graph
    # the key facts and the report's words for those commitments
    assert (OVERALL, CCKG.targetYear, Literal(2030)) in graph
    assert (PASSAGE, CCKG.quote, Literal("甘肃 2030年左右达峰", lang="zh")) in graph
    # the predicate labels a reader needs
    assert (CCKG.withinJurisdiction, RDFS.label, Literal("所属行政区", lang="zh")) in graph
    assert not [t for t in graph if any(str(x).startswith(LOCAL) for x in t)]


def test_commitment_description_has_its_passage_and_document(client: TestClient) -> None:
    graph = parse(
        client.get("/id/commitment/620000-overall-peak.jsonld"), "json-ld"
    )
    assert (OVERALL, CCKG.statedIn, PLAN) in graph
    title = Literal("甘肃省“十三五”控制温室气体排放工作方案", lang="zh")
    assert (PLAN, DCTERMS.title, title) in graph
    assert (PASSAGE, CCKG.section, Literal("附表：提出整体达峰年的省份")) in graph
    assert (PASSAGE, CCKG.passageOf, ID["document/report-regional-peaking-2018"]) in graph
    assert (
        ID["document/report-regional-peaking-2018"], RDFS.label,
        Literal("区域碳排放达峰报告", lang="zh"),
    ) in graph
    assert (ID["timing/around"], RDFS.label, Literal("左右", lang="zh")) in graph
    # nothing about the other commitment leaks into this one's description
    assert not list(graph.triples((CITY, None, None)))


def test_membership_is_part_of_a_member_city(client: TestClient) -> None:
    graph = parse(client.get("/id/place/620100.nt"), "nt")
    membership = ID["membership/alliance-620100"]
    assert (membership, CCKG.member, LANZHOU) in graph
    assert (membership, CCKG.group, ID["alliance/peaking-pioneer-cities"]) in graph
    assert (
        ID["alliance/peaking-pioneer-cities"], RDFS.label,
        Literal("中国达峰先锋城市联盟", lang="zh"),
    ) in graph
    assert (CITY, CCKG.appliesTo, LANZHOU) in graph


def test_q_values_choose_the_format(client: TestClient) -> None:
    response = client.get(
        "/id/place/620000",
        headers={"Accept": "text/turtle;q=0.4, application/rdf+xml;q=0.9, text/html;q=0.1"},
    )
    assert response.headers["content-type"].startswith("application/rdf+xml")
    assert (GANSU, RDFS.label, Literal("Gansu", lang="en")) in parse(response, "xml")


def test_browsers_get_html_with_links_to_this_server(client: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/id/commitment/620000-overall-peak", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = page(response.text)
    text = " ".join(html.text)
    assert "甘肃 2030年左右达峰" in text  # the report's words
    assert "2030" in text and "around" in text and "sets" in text
    assert f"{LOCAL}id/place/620000" in html.hrefs
    assert f"{LOCAL}id/document/ghg-plan-620000" in html.hrefs
    assert f"{LOCAL}id/commitment/620000-overall-peak.ttl" in html.hrefs
    assert not [h for h in html.hrefs if h.startswith("https://w3id.org/cckg/id/")]


def test_place_page_lists_its_commitments_with_year_and_quote(client: TestClient) -> None:
    html = page(client.get("/id/place/620000.html").text)
    assert f"{LOCAL}id/commitment/620000-key-city-peak-2025" in html.hrefs
    assert f"{LOCAL}id/place/620100" in html.hrefs
    text = " ".join(html.text)
    assert "甘肃 兰州，2025年" in text and "2025" in text


def test_link_header_names_every_other_format_and_the_public_iri(client: TestClient) -> None:
    response = client.get("/id/place/620000", headers={"Accept": "text/turtle"})
    links = link_header(response.headers["link"])
    alternates = {a["type"]: t for t, a in links if a.get("rel") == "alternate"}
    assert alternates == {
        "text/html": f"{LOCAL}id/place/620000.html",
        "application/ld+json": f"{LOCAL}id/place/620000.jsonld",
        "application/n-triples": f"{LOCAL}id/place/620000.nt",
        "application/rdf+xml": f"{LOCAL}id/place/620000.rdf",
    }
    assert [t for t, a in links if a.get("rel") == "canonical"] == [str(GANSU)]
    assert response.headers["content-location"] == f"{LOCAL}id/place/620000.ttl"


def test_unknown_iri_is_a_helpful_404_page(client: TestClient) -> None:
    response = client.get("/id/place/620101", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    html = page(response.text)
    assert f"{LOCAL}id/place/620100" in html.hrefs  # a similar IRI
    assert f"{LOCAL}query" in html.hrefs and LOCAL in html.hrefs
    assert any(h.startswith(f"{LOCAL}search") for h in html.hrefs)


def test_unknown_iri_is_a_404_for_rdf_clients(client: TestClient) -> None:
    response = client.get("/id/place/999999", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "https://w3id.org/cckg/id/place/999999" in response.text


@pytest.mark.parametrize("path", ["/id/", "/id/place/%3Cx%3E%20y", "/id/place/a%22b"])
def test_impossible_iris_are_404_not_500(client: TestClient, path: str) -> None:
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404


def test_unsupported_accept_is_406_listing_the_formats(client: TestClient) -> None:
    response = client.get("/id/place/620000", headers={"Accept": "image/png"})
    assert response.status_code == 406
    for media_type in ("text/html", *RDF_TYPES):
        assert media_type in response.text


def test_malformed_accept_is_a_406_like_on_sparql(client: TestClient) -> None:
    response = client.get("/id/place/620000", headers={"Accept": "nonsense"})
    assert response.status_code == 406
    assert client.get("/sparql", params={"query": "ASK {}"},
                      headers={"Accept": "nonsense"}).status_code == 406
    assert "does not parse" in response.text
    for media_type in ("text/html", *RDF_TYPES):
        assert media_type in response.text


def test_head_answers_the_headers(client: TestClient) -> None:
    response = client.head("/id/place/620000.ttl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == b""
