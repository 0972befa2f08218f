"""Home, search, named queries, /ontology, VoID/DCAT and /dumps/ over the fixture data."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDFS, VOID, XSD

from cckg.rdf.namespaces import CCKG, GRAPH, ID
from cckg.server.app import create_app
from cckg.server.routes.dumps import GZIP_MIN_BYTES
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parent / "data" / "linked_data_fixture.trig"
LOCAL = "http://testserver/"
DATASET = URIRef("https://w3id.org/cckg/dataset")
BIG = "# padding\n" * (GZIP_MIN_BYTES // 10 + 1)


class Page(HTMLParser):
    """Hrefs, element ids and text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.chunks: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key == "href" and value:
                self.hrefs.append(value)
            if key == "id" and value:
                self.ids.add(value)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.chunks)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dist dir with a small Turtle dump, a large N-Triples dump and a build report."""
    out = tmp_path_factory.mktemp("dist")
    quads = list(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    (out / "cckg.ttl").write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE))
    (out / "cckg.nt").write_bytes(
        ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) + BIG.encode()
    )
    (out / "build-report.json").write_text(json.dumps({"triples": len(triples)}))
    (out / "notes.txt").write_text("not a dump")
    return out


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[TestClient]:
    store = EmbeddedStore.in_memory()
    store.store.extend(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    settings = Settings(data_dir=tmp_path_factory.mktemp("store"), dist_dir=dist)
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def test_home_counts_classes_and_links_queries_ontology_dumps_endpoint(client: TestClient) -> None:
    page = Page(client.get("/").text)
    assert "Peak target" in page.text and "达峰目标" in page.text
    rows = [line.split() for line in page.text.splitlines() if line.strip()]
    assert any(r[-1] == "2" for r in rows)  # two PeakTargets
    for href in (f"{LOCAL}query", f"{LOCAL}ontology", f"{LOCAL}dumps/", f"{LOCAL}dataset",
                 f"{LOCAL}queries/cq01", f"{LOCAL}queries/cq01.csv"):
        assert href in page.hrefs
    assert f"{LOCAL}sparql" in page.text


def test_search_finds_labels_in_both_languages(client: TestClient) -> None:
    for text in ("兰州", "lanzhou"):
        page = Page(client.get("/search", params={"q": text}).text)
        assert f"{LOCAL}id/place/620100" in page.hrefs
    assert f"{LOCAL}id/place/620100" not in Page(client.get("/search?q=zzz").text).hrefs


def test_query_page_prefills_prefixes_and_this_endpoint(client: TestClient) -> None:
    html = client.get("/query").text
    start = html.index('id="cckg-config">') + len('id="cckg-config">')
    config = json.loads(html[start: html.index("</script>", start)])
    assert config["endpoint"] == f"{LOCAL}sparql"
    for prefix in ("cckg", "id", "rdfs", "skos", "prov", "org", "dcterms", "xsd"):
        assert f"PREFIX {prefix}: " in config["query"]
    assert f"{LOCAL}static/yasgui/yasgui.min.js" in html
    assert client.get("/static/yasgui/yasgui.min.js").status_code == 200
    assert "MIT" in client.get("/static/yasgui/LICENSE.txt").text


def test_named_query_as_csv_json_and_html(client: TestClient) -> None:
    fact = str(ID["commitment/620000-overall-peak"])
    by_ext = client.get("/queries/cq15.csv", params={"fact": fact})
    by_accept = client.get("/queries/cq15", params={"fact": fact}, headers={"Accept": "text/csv"})
    assert by_ext.headers["content-type"].startswith("text/csv")
    assert by_ext.text == by_accept.text
    rows = list(csv.DictReader(io.StringIO(by_ext.text)))
    assert [(r["fact"], r["quote"], r["row"], r["document"]) for r in rows] == [
        (fact, "甘肃 2030年左右达峰", "8", str(ID["document/ghg-plan-620000"]))
    ]
    data = client.get("/queries/cq15.json", params={"fact": fact}).json()
    [binding] = data["results"]["bindings"]
    assert binding["quote"] == {"type": "literal", "value": "甘肃 2030年左右达峰", "xml:lang": "zh"}
    page = Page(client.get("/queries/cq15", params={"fact": fact}).text)
    assert f"{LOCAL}id/document/ghg-plan-620000" in page.hrefs
    assert "甘肃 2030年左右达峰" in page.text


def test_named_query_errors_are_clear(client: TestClient) -> None:
    assert client.get("/queries/no-such-query").status_code == 404
    bad = client.get("/queries/cq07.csv", params={"jurisdiction": "not a place"})
    assert bad.status_code == 400 and "jurisdiction" in bad.text
    unknown = client.get("/queries/cq15.csv", params={"nope": "1"})
    assert unknown.status_code == 400 and "fact" in unknown.text
    assert client.get("/queries/cq07", headers={"Accept": "image/png"}).status_code == 406


def test_ontology_html_has_an_entry_per_term_and_rdf_by_accept(client: TestClient) -> None:
    page = Page(client.get("/ontology", headers={"Accept": "text/html"}).text)
    assert {"PeakTarget", "committedBy", "targetYear", "Province"} <= page.ids
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.content, format="turtle")
    assert (CCKG.PeakTarget, RDFS.label, Literal("达峰目标", lang="zh")) in graph
    assert not list(graph.triples((ID["place/620000"], None, None)))  # data stays out
    for ext, fmt in (("rdf", "xml"), ("jsonld", "json-ld")):
        other = Graph().parse(data=client.get(f"/ontology.{ext}").content, format=fmt)
        assert set(other) == set(graph)


def test_void_and_dcat_describe_counts_dumps_and_endpoint(client: TestClient, dist: Path) -> None:
    response = client.get("/.well-known/void")
    assert response.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=response.content, format="turtle")
    assert (DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    assert (DATASET, VOID.sparqlEndpoint, URIRef(f"{LOCAL}sparql")) in g
    assert (DATASET, DCTERMS.source, ID["document/report-regional-peaking-2018"]) in g
    quads = list(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    assert (DATASET, VOID.triples, Literal(len(quads), datatype=XSD.integer)) in g
    places = GRAPH["data/ttl/places.ttl"]
    in_places = sum(1 for q in quads if q.graph_name.value == str(places))
    assert (places, VOID.triples, Literal(in_places, datatype=XSD.integer)) in g
    sizes = {
        str(g.value(d, DCAT.downloadURL)): (g.value(d, DCAT.byteSize), g.value(d, DCAT.mediaType))
        for d in g.objects(DATASET, DCAT.distribution) if g.value(d, DCAT.downloadURL)
    }
    ttl = dist / "cckg.ttl"
    assert sizes[f"{LOCAL}dumps/cckg.ttl"] == (
        Literal(ttl.stat().st_size, datatype=XSD.nonNegativeInteger),
        URIRef("https://www.iana.org/assignments/media-types/text/turtle"),
    )
    assert f"{LOCAL}dumps/notes.txt" not in sizes
    partitions = {
        g.value(p, VOID["class"]): g.value(p, VOID.entities)
        for p in g.objects(DATASET, VOID.classPartition)
    }
    assert partitions[CCKG.PeakTarget] == Literal(2, datatype=XSD.integer)
    html = client.get("/dataset", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    same = Graph().parse(data=client.get("/dataset.jsonld").content, format="json-ld")
    assert set(same) == set(g)


def test_dumps_are_listed_and_served_with_etag_and_gzip(client: TestClient, dist: Path) -> None:
    page = Page(client.get("/dumps/").text)
    assert f"{LOCAL}dumps/cckg.ttl" in page.hrefs and f"{LOCAL}dumps/notes.txt" not in page.hrefs
    small = client.get("/dumps/cckg.ttl")
    assert small.content == (dist / "cckg.ttl").read_bytes()
    assert "content-encoding" not in small.headers
    again = client.get("/dumps/cckg.ttl", headers={"If-None-Match": small.headers["etag"]})
    assert again.status_code == 304
    big = client.get("/dumps/cckg.nt", headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip"
    assert big.content == (dist / "cckg.nt").read_bytes()  # httpx decodes gzip
    plain = client.get("/dumps/cckg.nt", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["etag"] != big.headers["etag"]
    assert gzip.decompress(gzip.compress(plain.content)) == big.content
    for name in ("notes.txt", "..%2Fpyproject.toml", "cckg.nq"):
        assert client.get(f"/dumps/{name}").status_code == 404


def test_unknown_paths_get_a_helpful_404_not_json(client) -> None:
    page = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "/no/such/page" in page.text and "/sparql" in page.text
    text = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert text.status_code == 404
    assert text.text.startswith("404 Not found: nothing is served at /no/such/page")


def test_a_wrong_method_says_how_to_fix_it(client) -> None:
    response = client.post("/id/place/110000")
    assert response.status_code in (404, 405)
    assert "How to fix" in response.text


def test_an_invalid_parameter_is_a_400_not_a_422(client) -> None:
    response = client.get("/search", params={"q": "x" * 201})
    assert response.status_code == 400
    assert "q" in response.text and "How to fix" in response.text
