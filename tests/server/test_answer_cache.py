"""Answers kept until the data changes: same bytes cached and uncached, strong ETags and
304s, invalidation by a committed update, and the safety checks still first."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sparql_fixture import ID, PEAKS_QUERY, TOKEN
from test_safety import RUNAWAY
from tests.services.launcher import LiveServer

from cckg.rdf import sparql_lex
from cckg.rdf.named_queries import list_queries
from cckg.server.answer_cache import AnswerCache, Entry, etag, normalised
from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore

JSON = {"accept": "application/sparql-results+json"}


def entry(size: int) -> Entry:
    return Entry(b"x" * size, "text/plain", ())


def test_the_cache_is_bounded_in_bytes_and_drops_the_least_recently_used() -> None:
    size = entry(900).size
    cache = AnswerCache(max_bytes=10 * size)
    for n in range(10):
        cache.put(n, entry(900))
    assert cache.get(0) is not None  # 0 is now the most recently used
    cache.put("new", entry(900))
    assert cache.get(1) is None and cache.get(0) is not None and cache.get("new") is not None
    assert cache.size == 10 * size and len(cache) == 10
    cache.put("huge", entry(3 * size))  # over a quarter of the cache: not kept
    assert cache.get("huge") is None and len(cache) == 10


def test_a_cache_of_zero_bytes_keeps_nothing() -> None:
    cache = AnswerCache(max_bytes=0)
    cache.put("a", entry(10))
    assert cache.get("a") is None and len(cache) == 0


def test_normalisation_ignores_layout_and_comments_but_not_strings() -> None:
    def key(text: str) -> str:
        return normalised(sparql_lex.analyse(text))

    assert key("SELECT * { ?s ?p ?o }") == key("SELECT  *\n{ ?s\t?p ?o } # all")
    assert key("SELECT * {?s ?p 'a b'}") != key("SELECT * {?s ?p 'a  b'}")
    assert key("SELECT * {?s ?p ?o}") != key("SELECT * {?s ?p ?o2}")
    assert key("ASK {?s ?p 1.0}") != key("ASK {?s ?p 1 .0}")


def test_etags_are_strong_and_differ_by_key() -> None:
    assert etag(("g1", "q")).startswith('"') and etag(("g1", "q")) == etag(("g1", "q"))
    assert etag(("g1", "q")) != etag(("g2", "q"))


def test_a_query_is_answered_the_same_from_the_cache_with_a_strong_etag(
    client: TestClient,
) -> None:
    first = client.post("/sparql", data={"query": PEAKS_QUERY}, headers=JSON)
    again = client.post("/sparql", data={"query": PEAKS_QUERY + "\n# same query\n"},
                        headers=JSON)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert first.headers["etag"] == again.headers["etag"]
    assert not first.headers["etag"].startswith("W/")
    assert "max-age=" in again.headers["cache-control"]
    assert again.headers["content-type"] == first.headers["content-type"]
    as_xml = client.post("/sparql", data={"query": PEAKS_QUERY},
                         headers={"accept": "application/sparql-results+xml"})
    assert as_xml.headers["etag"] != first.headers["etag"]
    assert as_xml.content.startswith(b"<?xml")


def test_if_none_match_is_a_304_for_queries_and_pages(client: TestClient) -> None:
    for url in ("/sparql?query=ASK%7B%7D", "/id/place/110000.ttl"):
        first = client.get(url, headers=JSON if "sparql" in url else {})
        assert first.status_code == 200
        tag = first.headers["etag"]
        second = client.get(url, headers={"if-none-match": f'"other", {tag}',
                                          **(JSON if "sparql" in url else {})})
        assert second.status_code == 304 and second.content == b""
        assert second.headers["etag"] == tag
        stale = client.get(url, headers={"if-none-match": '"other"',
                                         **(JSON if "sparql" in url else {})})
        assert stale.status_code == 200 and stale.content == first.content


def test_a_committed_update_is_a_new_generation(client: TestClient) -> None:
    query = f"SELECT ?l {{ <{ID}place/530000> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    before = client.get("/sparql", params={"query": query}, headers=JSON)
    page_before = client.get("/id/place/530000.nt")
    assert "Cached label" not in before.text
    done = client.post(
        "/sparql", headers={"authorization": f"Bearer {TOKEN}"},
        data={"update": f'INSERT DATA {{ GRAPH <{ID}g> {{ <{ID}place/530000> '
                        f'<http://www.w3.org/2000/01/rdf-schema#label> "Cached label"@en }} }}'},
    )
    assert done.status_code == 204
    after = client.get("/sparql", params={"query": query}, headers=JSON)
    page_after = client.get("/id/place/530000.nt",
                            headers={"if-none-match": page_before.headers["etag"]})
    assert "Cached label" in after.text and after.headers["etag"] != before.headers["etag"]
    assert page_after.status_code == 200 and "Cached label" in page_after.text


def test_a_refused_service_is_refused_though_a_similar_query_is_cached(
    client: TestClient,
) -> None:
    plain = "SELECT * { ?s ?p ?o } LIMIT 1"
    assert client.get("/sparql", params={"query": plain}, headers=JSON).status_code == 200
    assert client.get("/sparql", params={"query": plain}, headers=JSON).status_code == 200
    for remote in ("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } } LIMIT 1",
                   "SELECT * {SERVICE<http://127.0.0.1:1/>{ ?s ?p ?o } } LIMIT 1",
                   "SELECT * { ?s ?p ?o } LIMIT 1 LATERAL{}"):
        for _ in range(2):  # the lexer's memo keeps no refusal
            refused = client.get("/sparql", params={"query": remote}, headers=JSON)
            assert refused.status_code == 400, remote
            assert "etag" not in refused.headers


def test_a_runaway_query_is_stopped_every_time_with_the_cache_on(live: LiveServer) -> None:
    with httpx.Client(timeout=30) as http:
        for _ in range(2):
            response = http.get(live.endpoint, params={"query": RUNAWAY}, headers=JSON)
            assert response.status_code == 503
            assert "etag" not in response.headers
        # the server still answers (once its killed workers are replaced: a busy machine
        # may take longer than the 1 s limit, and the 503 says when to retry), and a quick
        # query is cached as usual
        for _ in range(20):
            ok = http.get(live.endpoint, params={"query": "ASK {}"}, headers=JSON)
            if ok.status_code != 503:
                break
            time.sleep(float(ok.headers["retry-after"]))
        assert ok.status_code == 200 and "etag" in ok.headers


@pytest.fixture(scope="module")
def on_and_off(
    built_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps over the same built graph: one keeps answers, the other keeps none."""
    store = EmbeddedStore.in_memory()
    store.load_dataset_file(built_dist / "cckg.nq")
    clients = []
    for size in (200_000_000, 0):
        settings = Settings(data_dir=tmp_path_factory.mktemp("store"), dist_dir=built_dist,
                            allowed_hosts=("testserver",), answer_cache_bytes=size)
        clients.append(TestClient(create_app(settings, store)))
    with clients[0] as cached, clients[1] as uncached:
        yield cached, uncached


def description_paths(store_client: TestClient) -> list[str]:
    """/id paths of every province, every policy document and a spread of commitments."""
    query = """PREFIX cckg: <https://w3id.org/cckg/ontology#>
      SELECT ?s ?k { { ?s a cckg:Province BIND("p" AS ?k) }
        UNION { ?s a cckg:PolicyDocument BIND("d" AS ?k) }
        UNION { ?s a cckg:Commitment BIND("c" AS ?k) } } ORDER BY ?s"""
    rows = store_client.get("/sparql", params={"query": query}, headers=JSON).json()
    found = [(r["s"]["value"], r["k"]["value"]) for r in rows["results"]["bindings"]]
    commitments = [s for s, k in found if k == "c"]
    chosen = {s for s, k in found if k != "c"} | set(commitments[:: max(len(commitments) // 40, 1)])
    return sorted(s.removeprefix(ID.removesuffix("id/")) for s in chosen if s.startswith(ID))


def test_every_named_query_and_description_is_the_same_cached_and_uncached(
    on_and_off: tuple[TestClient, TestClient],
) -> None:
    cached, uncached = on_and_off
    paths = [f"queries/{q.name}.{ext}" for q in list_queries() for ext in ("csv", "json", "html")]
    descriptions = description_paths(cached)
    assert len(descriptions) > 40
    paths += [f"{p}.{ext}" for p in descriptions for ext in ("ttl", "html")]
    for path in paths:
        reference = uncached.get("/" + path)
        miss = cached.get("/" + path)
        hit = cached.get("/" + path)
        assert reference.status_code == miss.status_code == hit.status_code == 200, path
        assert reference.content == miss.content == hit.content, path
        assert "etag" not in reference.headers or reference.headers["etag"] == hit.headers["etag"]
    assert cached.app.state.ctx.answers.cache.hits >= len(paths)
    assert len(uncached.app.state.ctx.answers.cache) == 0
