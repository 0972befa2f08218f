"""`cckg serve --store` over Oxigraph server and Virtuoso: the same answers as the embedded
store (named queries, linked-data descriptions, pages), two replicas at once, and the
endpoint's promises (lexer first, timeout, engine errors as 400)."""

from __future__ import annotations

import json
import math
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic
from tests.services.engines import SHORT_TIMEOUT, Engine
from tests.services.launcher import LiveServer, free_port

from cckg.rdf.formats import RESULT_FORMATS
from cckg.rdf.named_queries import list_queries, load_query
from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.base import QueryJob
from cckg.store.engines import OXIGRAPH
from cckg.store.remote import RemoteStore

QUERIES = [q.name for q in list_queries()]
#: `GROUP_CONCAT(...; separator="S") AS ?v`: SPARQL 1.1 leaves the order of the parts open.
_CONCAT = re.compile(r'GROUP_CONCAT\(.*?;\s*separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)',
                     re.IGNORECASE | re.DOTALL)
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Rows from the first moment: the engine is writing its answer when the limit comes.
STREAMED_CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"


def concatenated(name: str) -> dict[str, str]:
    """The GROUP_CONCAT variables of a named query and their separators."""
    return {var: sep for sep, var in _CONCAT.findall(load_query(name).text)}


def rows(
    body: bytes, concat: dict[str, str] | None = None
) -> list[tuple[tuple[str, str, str, str], ...]]:
    """SPARQL JSON rows as sorted tuples of (variable, type, value, datatype or language);
    the parts of GROUP_CONCAT values (`concat`: variable -> separator) are sorted and their
    language tag dropped (SPARQL 1.1 makes them simple literals; Oxigraph keeps a tag the
    parts share)."""
    concat = concat or {}
    data: dict[str, Any] = json.loads(body)
    found = []
    for binding in data["results"]["bindings"]:
        cells = []
        for name, term in sorted(binding.items()):
            kind = "literal" if term["type"] == "typed-literal" else term["type"]
            tag = term.get("datatype") or term.get("xml:lang") or ""
            value = term["value"]
            if name in concat:
                value = concat[name].join(sorted(value.split(concat[name])))
                tag = "" if "xml:lang" in term else tag
            cells.append((name, kind, value, tag))
        found.append(tuple(cells))
    return sorted(found)


def test_named_queries_cover_every_competency_question() -> None:
    assert len(QUERIES) >= 15 and "cq01" in QUERIES


@pytest.mark.parametrize("name", QUERIES)
def test_named_query_has_the_same_rows_as_embedded(
    name: str, remote: httpx.Client, embedded: TestClient
) -> None:
    expected = embedded.get(f"/queries/{name}.json")
    got = remote.get(f"/queries/{name}.json")
    assert expected.status_code == got.status_code == 200, got.text
    concat = concatenated(name)
    assert rows(got.content, concat) == rows(expected.content, concat)


def test_most_named_queries_return_rows(embedded: TestClient) -> None:
    """The comparison above proves something: nearly every query's default answers rows."""
    empty = [n for n in QUERIES if not rows(embedded.get(f"/queries/{n}.json").content)]
    assert len(empty) <= 1, empty


def test_group_concat_parts_are_compared_in_any_order() -> None:
    assert concatenated("cq02") == {"timing": ", "}
    body = json.dumps({"head": {"vars": ["timing"]}, "results": {"bindings": [
        {"timing": {"type": "literal", "value": "in, before", "xml:lang": "en"}}]}})
    assert rows(body.encode(), {"timing": ", "}) == [(("timing", "literal", "before, in", ""),)]
    assert rows(body.encode()) == [(("timing", "literal", "in, before", "en"),)]


def sample_resources(embedded: TestClient) -> list[str]:
    """Up to two resources of every kind under /id/ (places, commitments, documents…)."""
    query = (
        "SELECT ?s WHERE { { SELECT DISTINCT ?s WHERE { ?s a ?c } } "
        "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/cckg/id/')) } ORDER BY ?s"
    )
    body = embedded.get("/sparql", params={"query": query},
                        headers={"accept": "application/sparql-results+json"}).json()
    by_kind: dict[str, list[str]] = {}
    for binding in body["results"]["bindings"]:
        iri = binding["s"]["value"]
        by_kind.setdefault(iri.split("/")[5], []).append(iri)
    return [iri for iris in by_kind.values() for iri in iris[:2]]


def canonical(turtle: str) -> set[ox.Quad]:
    """A description's triples with their blank nodes named canonically (pyoxigraph, many
    times faster than rdflib on a gazetteer source's 35,000 triples): equal sets for
    isomorphic descriptions."""
    dataset = ox.Dataset(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def test_canonical_descriptions_ignore_blank_node_names_not_literals() -> None:
    one = '<http://x/p> <http://x/at> [ <http://x/wkt> "POINT(1 2)" ] .'
    other = '<http://x/p> <http://x/at> _:b7 . _:b7 <http://x/wkt> "POINT(1 2)" .'
    assert canonical(one) == canonical(other)
    assert canonical(one) != canonical(other.replace("POINT(1 2)", "POINT(1 3)"))


def test_linked_data_descriptions_are_isomorphic_to_embedded(
    remote: httpx.Client, embedded: TestClient
) -> None:
    resources = sample_resources(embedded)
    assert len(resources) >= 10
    for iri in resources:
        path = iri.removeprefix("https://w3id.org/cckg")
        expected = embedded.get(path, headers={"accept": "text/turtle"})
        got = remote.get(path, headers={"accept": "text/turtle"})
        assert expected.status_code == got.status_code == 200, (iri, got.text[:300])
        want, have = canonical(expected.text), canonical(got.text)
        assert len(want) > 0
        assert have == want, f"{iri}: {len(have)} vs {len(want)} triples"


def test_a_hub_is_cut_and_its_links_in_listed_as_on_the_embedded_store(
    remote: httpx.Client, embedded: TestClient
) -> None:
    """The same first things linking in (by IRI text), the same counts, the same pages."""
    hub = "source/npm-china-division-2.7.0"
    cut = [c.get(f"/id/{hub}.ttl").headers["x-cckg-truncated"] for c in (embedded, remote)]
    assert cut[0].startswith("inbound links cut: 500 of ")
    assert cut[1].split("; all at")[0] == cut[0].split("; all at")[0]
    for url in (f"/inbound/{hub}.json?page=3", "/inbound/division-type/county.json?page=2"):
        expected, got = embedded.get(url).json(), remote.get(url).json()
        assert got["total"] == expected["total"] > 100, url
        assert got["rows"] == expected["rows"] and len(got["rows"]) == 50, url


WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
POINTS = ("SELECT ?place ?wkt WHERE { ?place <http://www.opengis.net/ont/geosparql#hasGeometry>"
          "/<http://www.opengis.net/ont/geosparql#asWKT> ?wkt }")


def points(client: httpx.Client | TestClient) -> dict[str, tuple[str, str]]:
    """Each place's point: its WKT text and datatype, through the endpoint."""
    body = client.get("/sparql", params={"query": POINTS},
                      headers={"accept": "application/sparql-results+json"}).json()
    return {b["place"]["value"]: (b["wkt"]["value"], b["wkt"].get("datatype", ""))
            for b in body["results"]["bindings"]}


def coordinates(wkt: str) -> tuple[float, ...]:
    """The numbers of a WKT point."""
    return tuple(float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", wkt))


def test_every_point_comes_back_as_a_wkt_literal_with_its_coordinates(
    engine: Engine, remote: httpx.Client, embedded: TestClient
) -> None:
    """Oxigraph server keeps every point as written. Virtuoso stores WKT as its own
    geometries: written back typed virtrdf:Geometry (the engine profile gives back
    geo:wktLiteral), numbers in shortest form, some in single precision (within 1e-5
    degree, about a metre)."""
    want, got = points(embedded), points(remote)
    assert len(want) > 3000 and got.keys() == want.keys()
    assert {datatype for _, datatype in got.values()} == {WKT}
    if engine.kind == "oxigraph":
        assert got == want
    for place, (text, _) in want.items():
        pairs = zip(coordinates(got[place][0]), coordinates(text), strict=True)
        assert all(math.isclose(a, b, abs_tol=1e-5) for a, b in pairs), (place, got[place])


@pytest.mark.parametrize("path", ["/", "/queries", "/dataset", "/ontology", "/dumps/"])
def test_pages_answer_over_the_engine(path: str, remote: httpx.Client) -> None:
    response = remote.get(path, headers={"accept": "text/html"})
    assert response.status_code == 200, response.text[:500]


def test_void_counts_the_engines_triples(
    remote: httpx.Client, embedded: TestClient, replicas: list[LiveServer]
) -> None:
    want = Graph().parse(data=embedded.get("/dataset", headers={"accept": "text/turtle"}).text)
    text = remote.get("/dataset", headers={"accept": "text/turtle"}).text
    # the endpoint and dump URLs are this server's: the test client's are http://testserver/
    have = Graph().parse(data=text.replace(replicas[0].url, "http://testserver/"))
    assert len(want) > 50
    assert isomorphic(have, want), "VoID differs between the engine and the embedded store"


def test_two_replicas_answer_at_once(replicas: list[LiveServer], embedded: TestClient) -> None:
    expected = rows(embedded.get("/queries/cq01.json").content)

    def ask(i: int) -> list[tuple[tuple[str, str, str, str], ...]]:
        url = replicas[i % 2].url + "queries/cq01.json"
        return rows(httpx.get(url, timeout=60).content)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, range(16)))
    assert all(answer == expected for answer in answers)


def test_service_is_refused_before_reaching_the_engine(remote: httpx.Client) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = remote.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE" in response.text


def test_engine_pragmas_are_refused_as_not_sparql(remote: httpx.Client) -> None:
    query = 'define input:grab-all "yes" SELECT * WHERE { ?s ?p ?o } LIMIT 1'
    response = remote.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "not valid SPARQL 1.1" in response.text


def test_a_query_past_the_time_limit_is_stopped(limited: httpx.Client) -> None:
    response = limited.get("/sparql", params={"query": CROSS_PRODUCT})
    assert response.status_code == 503
    assert f"stopped after the {SHORT_TIMEOUT:g} s time limit" in response.text


def test_an_answer_still_streaming_at_the_time_limit_is_stopped(limited: httpx.Client) -> None:
    """Regression: Oxigraph server streams these rows until its own, longer limit; the
    limit bounded each read, so the answer was read to its cut end (then a 502). Virtuoso
    answers late or, cut while writing rows, with a 500 and its S1TAT error (that answer:
    tests/store/test_engine_profiles.py)."""
    response = limited.get("/sparql", params={"query": STREAMED_CROSS_PRODUCT})
    assert response.status_code == 503, response.text[:300]
    assert f"stopped after the {SHORT_TIMEOUT:g} s time limit" in response.text


def test_an_answer_past_the_read_limit_is_not_read_on(engine: Engine, published: str) -> None:
    """Regression: a remote answer was read whole into memory, whatever its size, before the
    byte limit was applied to the rows; it is now refused once it passes the read limit."""
    if engine.kind != "oxigraph":
        pytest.skip("Virtuoso may write an answer only once it has it whole")
    store = RemoteStore(engine.query_url, engine=OXIGRAPH)
    job = QueryJob(query=STREAMED_CROSS_PRODUCT, base_iri=None, default_graphs=None,
                   named_graphs=None, union_default_graph=True,
                   formats={k: v[0] for k, v in RESULT_FORMATS.items()}, max_rows=10,
                   max_bytes=100_000)
    try:
        outcome = store.answer(job, timeout=60)
    finally:
        store.close()
    assert outcome.status == 503
    assert b"larger than the 100,000-byte limit" in outcome.body


def test_an_engine_error_is_a_400_with_its_message(
    engine: Engine, remote: httpx.Client
) -> None:
    if engine.kind != "virtuoso":
        pytest.skip("Oxigraph server runs every query pyoxigraph parses")
    # Standard SPARQL that Virtuoso refuses: a path closure with neither end bound.
    query = "SELECT * WHERE { ?s <https://w3id.org/cckg/ontology#withinJurisdiction>* ?o }"
    response = remote.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "transitive start not given" in response.text


def test_an_unreachable_engine_is_a_503_not_a_500(tmp_path: Path) -> None:
    gone = RemoteStore.oxigraph(f"http://127.0.0.1:{free_port()}")
    settings = Settings(data_dir=tmp_path, allowed_hosts=("testserver",))  # TestClient's Host
    with TestClient(create_app(settings, gone)) as client:
        page = client.get("/id/place/110000", headers={"accept": "text/turtle"})
        assert page.status_code == 503
        assert "The store cannot be reached" in page.text
        query = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert query.status_code == 503
