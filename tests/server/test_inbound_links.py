"""Capped descriptions and the list of links in, over the real build: a hub's description
has at most --max-inbound things linking in and says how many there are and where all of
them are listed (/inbound/<path>: paged, HTML, CSV and JSON); a smaller description is as
it was."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, URIRef

from cckg.rdf.namespaces import PREFIXES
from cckg.rdf.query_exec import select_rows
from cckg.server.app import create_app
from cckg.server.describe import description_query, description_triples
from cckg.server.inbound import first_linking
from cckg.server.settings import Settings
from cckg.store.base import Store
from cckg.store.embedded import EmbeddedStore

ID = "https://w3id.org/cckg/id/"
HUB = "source/npm-china-division-2.7.0"  # the gazetteer's source: every county cites it
SMALLER_HUB = "division-type/autonomous-county"
PROVINCE = "place/370000"
LOCAL = "http://testserver/"
COLLECTION = "http://www.w3.org/ns/hydra/core#collection"
CAP = Settings.max_inbound


@pytest.fixture(scope="module")
def store(built_graph: EmbeddedStore) -> EmbeddedStore:
    """The session's built graph (these tests only read it)."""
    return built_graph


@pytest.fixture(scope="module")
def client(store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("inbound"), query_workers=1,
                        allowed_hosts=("testserver",))
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def links_in(store: Store, path: str) -> list[tuple[str, str]]:
    """Every (thing linking in, predicate) of the store to ID + path, rdf:type aside."""
    rows = select_rows(store, f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{ID}{path}> "
                              "FILTER(?p != rdf:type) }")
    return [(r["s"].value, r["p"].value) for r in rows]


def constructed(store: Store, query: str) -> set[ox.Triple]:
    """The triples of a CONSTRUCT query over the store."""
    found = store.query(query, prefixes=PREFIXES)
    assert not isinstance(found, ox.QuerySolutions | ox.QueryBoolean)
    return set(found)


def linking_in(graph: Graph, path: str) -> set[str]:
    """The things linking to ID + path in a description (rdf:type aside)."""
    return {str(s) for s, p in graph.subject_predicates(URIRef(ID + path)) if p != RDF.type}


def link_targets(header: str) -> dict[str, str]:
    """A Link header as rel -> target."""
    return {rel: target for target, rel in re.findall(r'<([^>]*)>[^,]*?rel="([^"]*)"', header)}


def test_a_hub_description_has_the_first_things_linking_in_and_says_how_many_there_are(
    client: TestClient, store: EmbeddedStore
) -> None:
    everything = {s for s, _ in links_in(store, HUB)}
    assert len(everything) > CAP  # the store really has more than the cap
    response = client.get(f"/id/{HUB}.ttl")
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    shown = linking_in(graph, HUB)
    assert len(shown) == CAP
    assert shown == set(sorted(everything)[:CAP])  # the first by IRI
    # its own triples are never cut
    own = select_rows(store, f"SELECT ?p ?o WHERE {{ <{ID}{HUB}> ?p ?o }}")
    assert len(list(graph.predicate_objects(URIRef(ID + HUB)))) == len(own) > 0
    # the reader learns it, and where the full list is
    counts = f"{CAP} of {len(everything)} things linking here"
    assert counts in response.headers["x-cckg-truncated"]
    full = link_targets(response.headers["link"])[COLLECTION]
    assert full == f"{LOCAL}inbound/{HUB}"
    listed = client.get(full + ".json").json()
    assert listed["total"] == len(links_in(store, HUB))
    # the list counts (thing, predicate) rows and, as the description does, things
    assert listed["things"] == len(everything)
    html = client.get(full).text
    assert f'<span id="things">{len(everything)}</span> things' in html


def test_a_hub_page_says_it_shows_part_and_links_to_the_list(
    client: TestClient, store: EmbeddedStore
) -> None:
    total = len({s for s, _ in links_in(store, HUB)})
    html = client.get(f"/id/{HUB}", headers={"accept": "text/html"}).text
    assert f"Showing {CAP} of {total} things linking here" in html
    assert f'href="{LOCAL}inbound/{HUB}" id="all-inbound"' in html


def test_a_description_below_the_cap_is_whole_and_says_nothing(
    client: TestClient, store: EmbeddedStore
) -> None:
    response = client.get(f"/id/{PROVINCE}.ttl")
    graph = Graph().parse(data=response.text, format="turtle")
    assert linking_in(graph, PROVINCE) == {s for s, _ in links_in(store, PROVINCE)}
    assert "x-cckg-truncated" not in response.headers
    assert COLLECTION not in response.headers["link"]
    assert "inbound-cut" not in client.get(f"/id/{PROVINCE}").text


def test_the_cap_bites_at_any_size_and_not_at_the_count(store: EmbeddedStore) -> None:
    everything = sorted({s for s, _ in links_in(store, PROVINCE)})
    assert len(everything) > 3
    cut = description_triples(ID + PROVINCE, store, 3)
    assert cut is not None and cut.is_cut
    assert (cut.shown, cut.total) == (3, len(everything))
    node = ID + PROVINCE
    shown = {t.subject.value for t in cut.triples
             if t.object.value == node and t.predicate.value != str(RDF.type)}
    assert shown == set(everything[:3])
    whole = description_triples(node, store, len(everything))
    assert whole is not None and not whole.is_cut
    assert whole.shown == whole.total == len(everything)
    assert description_triples(f"{ID}place/nowhere", store, 3) is None


def test_the_query_naming_every_thing_linking_in_gives_the_whole_description(
    store: EmbeddedStore,
) -> None:
    def select(query: str) -> list[dict[str, Any]]:
        return select_rows(store, query)

    for path in (PROVINCE, "place/CN", "document/report-regional-peaking-2018"):
        uncapped = constructed(store, description_query(ID + path))
        named = constructed(store, description_query(ID + path, first_linking(
            select, ID + path, CAP)))
        assert named == uncapped and len(uncapped) > 100, path


def test_list_pages_are_disjoint_ordered_and_together_every_link_in(
    client: TestClient, store: EmbeddedStore
) -> None:
    expected = links_in(store, SMALLER_HUB)
    assert 100 < len(expected) < 1000
    first = client.get(f"/inbound/{SMALLER_HUB}.json?size=40").json()
    assert (first["total"], first["pages"], first["page"]) == (len(expected), 3, 1)
    rows: list[tuple[str, str]] = []
    url: str | None = first["links"]["self"]
    while url:
        page = client.get(url).json()
        rows += [(r["subject"]["iri"], r["predicate"]["iri"]) for r in page["rows"]]
        url = page["links"]["next"]
    assert len(rows) == len(set(rows)) == len(expected)  # disjoint pages
    assert set(rows) == set(expected)
    assert rows == sorted(rows)  # by the thing linking in, then the predicate
    assert first["links"]["prev"] is None and first["links"]["next"].endswith("page=2&size=40")


def test_list_rows_carry_the_labels_of_the_store(client: TestClient, store: EmbeddedStore) -> None:
    row = client.get(f"/inbound/{HUB}.json?size=1").json()["rows"][0]
    assert row["predicate"]["iri"] == "http://www.w3.org/ns/prov#wasDerivedFrom"
    assert row["subject"]["en"] and row["subject"]["zh"]  # a county, named in both
    for part in ("subject", "predicate"):
        for lang in ("en", "zh"):
            labels = [r["l"].value for r in select_rows(store, f"""SELECT ?l WHERE {{
                <{row[part]["iri"]}> rdfs:label ?l FILTER(LANG(?l) = "{lang}") }}""")]
            assert row[part][lang] == (min(labels) if labels else None), (part, lang)


def test_list_as_csv_and_html_is_the_same_page(client: TestClient, store: EmbeddedStore) -> None:
    expected = sorted(links_in(store, SMALLER_HUB))
    response = client.get(f"/inbound/{SMALLER_HUB}.csv?page=2&size=40")
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0][:4] == ["subject", "subject_label_en", "subject_label_zh", "predicate"]
    assert [(r[0], r[3]) for r in table[1:]] == expected[40:80]
    html = client.get(f"/inbound/{SMALLER_HUB}?page=2&size=40").text
    assert html.count('<tr data-subject="') == 40
    assert f'data-subject="{expected[40][0]}"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    links = link_targets(response.headers["link"])
    assert links["next"].endswith(f"inbound/{SMALLER_HUB}.csv?page=3&size=40")


@pytest.mark.parametrize("query", ["page=0", "page=two", "page=4&size=40", "sort=label"])
def test_a_bad_page_is_a_400_that_says_how_to_fix_it(client: TestClient, query: str) -> None:
    response = client.get(f"/inbound/{SMALLER_HUB}.json?{query}")
    assert response.status_code == 400
    assert "How to fix" in response.text


def test_an_unknown_iri_is_the_same_404_as_its_description(client: TestClient) -> None:
    listed = client.get("/inbound/place/nowhere.csv")
    described = client.get("/id/place/nowhere", headers={"accept": "text/turtle"})
    assert listed.status_code == described.status_code == 404
    assert listed.text == described.text
    page = client.get("/inbound/place/37000", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert 'class="suggestions"' in page.text and f"{ID}{PROVINCE}" in page.text


def test_list_pages_are_kept_and_revalidated_like_descriptions(client: TestClient) -> None:
    """Each list page sorts every link in: it is kept in the answer cache (per store
    generation) with an ETag, and a client that has it gets a 304."""
    url = f"/inbound/{SMALLER_HUB}.csv?page=2&size=40"
    first = client.get(url)
    tag = first.headers["etag"]
    again = client.get(url)
    assert again.text == first.text and again.headers["etag"] == tag
    for header in ("link", "content-disposition", "content-type"):
        assert again.headers[header] == first.headers[header], header
    assert client.get(url, headers={"if-none-match": tag}).status_code == 304
    assert client.get(url.replace("page=2", "page=3")).headers["etag"] != tag
    assert client.get(url.replace(".csv", ".json")).headers["etag"] != tag
    assert "etag" not in client.get(f"/inbound/{SMALLER_HUB}.json?page=0").headers
