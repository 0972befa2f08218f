"""The list, map, timeline and comparison pages and the flat downloads, over the real build
(in-process app; the pages' queries go through the Store interface)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, VOID

from cckg.pipeline.flat_table import HEADER
from cckg.rdf.query_exec import ResultTable, select_rows
from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.base import Store
from cckg.store.embedded import EmbeddedStore

ID = "https://w3id.org/cckg/id/"
STRIVES_SHANDONG = "/list/Commitment?strength=strength/strives&province=place/370000"


@pytest.fixture(scope="module")
def client(built_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data_dir = tmp_path_factory.mktemp("browse-store")
    store = EmbeddedStore.open(data_dir)
    store.load_dataset_file(built_dist / "cckg.nq")
    settings = Settings(data_dir=data_dir, dist_dir=built_dist, query_workers=1,
                        allowed_hosts=("testserver",))
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def count(graph: Store, pattern: str) -> int:
    rows = select_rows(graph, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"].value)


def test_every_class_on_the_home_page_links_to_its_list(client: TestClient) -> None:
    home = client.get("/").text
    assert 'href="http://testserver/list/Province"' in home
    assert 'href="http://testserver/list/PeakTarget"' in home
    provinces = client.get("/list/Province.json?size=100").json()
    assert provinces["total"] == 31
    assert {r["label"]["en"] for r in provinces["rows"]} >= {"Shandong", "Gansu", "Beijing"}


def test_filter_gives_the_rows_the_graph_has_in_every_format(
    client: TestClient, built_graph: Store
) -> None:
    expected = {f"{ID}commitment/370000-support-city-peak-2020",
                f"{ID}commitment/370000-support-city-peak-2025"}
    page = client.get(STRIVES_SHANDONG)
    assert page.status_code == 200
    assert all(f'data-iri="{iri}"' in page.text for iri in expected)
    assert page.text.count("<tr data-iri=") == 2
    as_csv = client.get(STRIVES_SHANDONG.replace("Commitment?", "Commitment.csv?"))
    assert {r["iri"] for r in csv.DictReader(io.StringIO(as_csv.text))} == expected
    as_json = client.get(STRIVES_SHANDONG.replace("Commitment?", "Commitment.json?")).json()
    assert as_json["total"] == 2 and {r["iri"] for r in as_json["rows"]} == expected
    # the HTML view links its CSV and JSON, as datasette does
    assert 'rel="alternate"; type="text/csv"' in page.headers["link"]
    assert 'rel="alternate"; type="application/json"' in page.headers["link"]
    everything = client.get("/list/Commitment.json?size=1000").json()
    assert everything["total"] == count(built_graph, "?s a cckg:Commitment")


def test_facet_counts_sorting_and_paging(client: TestClient, built_graph: Store) -> None:
    view = client.get("/list/PeakTarget.json?size=10&sort=-year").json()
    assert view["total"] == 40
    years = [int(r["year"][0]) for r in view["rows"] if r["year"]]
    assert years == sorted(years, reverse=True) and years[0] == 2030
    strengths = {f["value"]: f["count"] for f in view["facets"]["strength"]}
    assert sum(strengths.values()) == 40 and strengths["strength/strives"] == count(
        built_graph, f"?s a cckg:PeakTarget ; cckg:strength <{ID}strength/strives>")
    last = client.get("/list/PeakTarget.json?size=10&page=4").json()
    assert len(last["rows"]) == 10 and last["links"]["next"] is None
    assert client.get("/list/PeakTarget.json?size=10&page=5").status_code == 400


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/list/NoSuchClass", 404, "no class cckg:NoSuchClass"),
        ("/list/Bad%3Ename", 404, "No list"),
        ("/list/Commitment?colour=red", 400, "unknown parameter 'colour'"),
        ("/list/Commitment?sort=colour", 400, "cannot sort by 'colour'"),
        ("/list/Commitment?page=0", 400, "page must be a whole number"),
        ("/list/Commitment?strength=a%3Eb", 400, "is not a value of strength"),
        ("/compare?place=place/999999", 400, "no jurisdiction with commitments"),
    ],
)
def test_bad_requests_say_what_and_how_to_fix(
    client: TestClient, url: str, status: int, says: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert says in response.text and "How to fix" in response.text


def test_map_colours_the_nine_provinces_with_an_overall_peak_year(
    client: TestClient, run_cq: Callable[..., ResultTable]
) -> None:
    data = client.get("/map.json").json()
    years = {p["code"]: p["year"] for p in data["provinces"] if p["year"] is not None}
    cq01 = run_cq("cq01")
    assert years == {r["province"].value.rsplit("/", 1)[-1]: int(r["year"].value)
                     for r in cq01.rows}
    assert len(data["provinces"]) == 31 and len(years) == 9
    legend = {c["key"]: c["colour"] for c in data["legend"]}
    for p in data["provinces"]:
        assert p["colour"] == legend[p["category"]]
    assert sum(c["count"] for c in data["legend"]) == 31
    jinan = next(c for c in data["cities"] if c["code"] == "370100")
    assert jinan["years"] == [2025] and jinan["province"] == "370000"


def test_every_city_on_the_map_has_the_gazetteers_point(client: TestClient) -> None:
    cities = {c["code"]: c for c in client.get("/map.json").json()["cities"]}
    assert all(c["point"] is not None for c in cities.values()), [
        c["code"] for c in cities.values() if c["point"] is None]
    # the report's county-level cities of Xinjiang, which no map package had a point for
    lon, lat = cities["652301"]["point"]  # 昌吉市
    assert 86.5 < lon < 88.0 and 43.5 < lat < 44.8
    assert {"654002", "653201"} <= set(cities)  # 伊宁市, 和田市


def test_timeline_has_every_peak_target_and_a_place_its_own(client: TestClient) -> None:
    data = client.get("/timeline.json").json()
    assert len(data["marks"]) == 40
    assert data["rows"][0]["level_en"] == "Nation"
    shandong = client.get("/timeline.json?place=place/370000").json()
    assert {m["year"] for m in shandong["marks"]} == {2020, 2025, 2027, None}
    assert {m["row_en"] for m in shandong["marks"]} == {"Shandong"}
    qingdao = client.get("/timeline.json?place=place/370200").json()
    assert [(m["year"], m["strength"]) for m in qingdao["marks"]] == [
        (2020, "sets"), (2020, "strives")]
    page = client.get("/timeline").text
    assert page.count("<tr data-iri=") == 40


def test_comparison_puts_two_provinces_side_by_side(client: TestClient) -> None:
    page = client.get("/compare?place=place/370000&place=place/440000").text
    assert "Shandong" in page and "Guangdong" in page
    assert "370000-overall-peak" in page and "440000-peak-before-2030" in page


def test_flat_tables_have_one_row_per_commitment(
    built_dist: Path, built_graph: Store
) -> None:
    with (built_dist / "commitments.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == HEADER
    assert len(rows) == count(built_graph, "?s a cckg:Commitment")
    shandong = next(r for r in rows if r["iri"] == f"{ID}commitment/370000-overall-peak")
    assert shandong["committed_by_zh"] == "山东省" and shandong["committed_by_code"] == "370000"
    assert shandong["target_year"] == "2027" and shandong["timing_en"] == "around"
    assert shandong["strength_en"] == "sets" and shandong["quote"] == "山东 2027年左右达峰"
    sheet = load_workbook(built_dist / "commitments.xlsx", read_only=True)["commitments"]
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == HEADER and len(cells) == len(rows) + 1
    by_iri = {row[0]: row for row in cells[1:]}
    assert by_iri[f"{ID}commitment/370000-overall-peak"][HEADER.index("target_year")] == 2027


def test_flat_tables_are_served_and_listed_in_dcat(client: TestClient) -> None:
    assert client.get("/dumps/commitments.csv").headers["content-type"].startswith("text/csv")
    assert client.get("/dumps/commitments.xlsx").content[:2] == b"PK"
    void = Graph().parse(data=client.get("/dataset.ttl").text, format="turtle")
    downloads = {str(o) for o in void.objects(None, DCAT.downloadURL)}
    assert {"http://testserver/dumps/commitments.csv",
            "http://testserver/dumps/commitments.xlsx"} <= downloads
    dumps = {str(o) for o in void.objects(None, VOID.dataDump)}
    assert "http://testserver/dumps/cckg.ttl" in dumps
    assert URIRef("http://testserver/dumps/commitments.csv") not in set(
        void.objects(None, VOID.dataDump))


def test_ontology_page_has_the_site_navigation_and_links_between_terms(
    client: TestClient,
) -> None:
    page = client.get("/ontology", headers={"accept": "text/html"}).text
    assert '<nav aria-label="Site' in page
    assert '<a href="#PeakTarget">' in page


def test_favicon(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.text.startswith("<svg")


def test_ontology_owl_and_the_json_ld_context_are_served(client: TestClient) -> None:
    owl = client.get("/ontology.owl")
    assert owl.headers["content-type"].startswith("application/rdf+xml")
    graph = Graph().parse(data=owl.text, format="xml")
    assert (URIRef("https://w3id.org/cckg/ontology#PeakTarget"), None, None) in graph
    context = client.get("/context.jsonld")
    assert context.headers["content-type"].startswith("application/ld+json")
    terms = context.json()["@context"]
    assert terms["PeakTarget"] == "cckg:PeakTarget"
    assert terms["committedBy"] == {"@id": "cckg:committedBy", "@type": "@id"}


def test_charts_have_text_alternatives(client: TestClient) -> None:
    for url, table, rows in (("/map", "map-table", 31), ("/timeline", "timeline-table", 40)):
        page = client.get(url).text
        assert 'role="img" aria-label=' in page
        body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
        assert body.count("<tr data-") == rows


def test_chart_pages_load_the_chart_code_from_this_server(client: TestClient) -> None:
    for url in ("/map", "/timeline", "/id/place/370000"):
        page = client.get(url, headers={"Accept": "text/html"}).text
        assert '<script src="http://testserver/static/echarts/echarts.min.js"></script>\n' \
            '<script src="http://testserver/static/charts.js" defer></script>' in page, url
    not_a_place = client.get("/id/strength/strives", headers={"Accept": "text/html"})
    assert not_a_place.status_code == 200
    assert "echarts" not in not_a_place.text


def test_every_view_state_has_one_permalink(client: TestClient) -> None:
    spelled_out = "/list/Commitment.json?sort=year&page=1&size=50&strength=strength/strives"
    a = client.get(spelled_out).json()["links"]["html"]
    b = client.get("/list/Commitment.json?strength=strength/strives").json()["links"]["html"]
    assert a == b == "http://testserver/list/Commitment?strength=strength%2Fstrives"
    sorted_down = client.get("/list/Commitment.json?sort=-year").json()["links"]["html"]
    assert sorted_down == "http://testserver/list/Commitment?sort=-year"


def test_every_class_has_a_list_with_all_its_instances(
    client: TestClient, built_graph: Store
) -> None:
    counts = {
        row["class"].value.rsplit("#", 1)[-1]: int(row["n"].value)
        for row in select_rows(built_graph, """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
            ?s a ?class FILTER(STRSTARTS(STR(?class), STR(cckg:))) } GROUP BY ?class""")
    }
    index = client.get("/list/").text
    assert len(counts) > 30
    for name, n in counts.items():
        assert f'href="http://testserver/list/{name}"' in index
        view = client.get(f"/list/{name}.json?size=1").json()
        assert view["total"] == n, name
    passages = client.get(
        "/list/SourcePassage.json?category=report-category/overall-peak-year").json()
    assert passages["total"] == 9  # the appendix's nine provinces with an overall peak year


def test_a_browser_gets_list_errors_as_a_page(client: TestClient) -> None:
    page = client.get("/list/Commitment?colour=red", headers={"accept": "text/html"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "unknown parameter &#39;colour&#39;" in page.text and "How to fix" in page.text
    assert client.get("/list/Nope", headers={"accept": "text/html"}).status_code == 404
