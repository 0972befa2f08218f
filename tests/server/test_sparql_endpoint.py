"""The /sparql endpoint beyond the W3C suite: formats, limits, auth, CORS, clear errors."""

from __future__ import annotations

import json

import pyoxigraph as ox
from fastapi.testclient import TestClient
from sparql_fixture import PEAKS_QUERY, TOKEN

UPDATE = "application/sparql-update"


def select(client: TestClient, query: str, **headers: str):
    return client.get("/sparql", params={"query": query}, headers=headers)


def test_select_json_answers_the_fixture(client: TestClient) -> None:
    response = select(client, PEAKS_QUERY)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    rows = response.json()["results"]["bindings"]
    assert [(r["name"]["value"], r["year"]["value"]) for r in rows] == [
        ("北京", "2020"), ("云南", "2025"), ("天津", "2025"), ("山东", "2027")
    ]


def test_format_parameter_and_accept(client: TestClient) -> None:
    csv = client.get("/sparql", params={"query": PEAKS_QUERY, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "province,name,year"
    turtle = select(client, "CONSTRUCT WHERE { ?s a ?t }", accept="text/turtle")
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))) == 8
    jsonld = select(client, "DESCRIBE <https://w3id.org/cckg/id/place/110000>",
                    accept="application/ld+json")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(list(ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD))) == 3


def test_not_acceptable_lists_formats(client: TestClient) -> None:
    response = select(client, PEAKS_QUERY, accept="image/png")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_syntax_error_has_position(client: TestClient) -> None:
    response = select(client, "SELECT * WHERE {\n  ?s ?p }")
    assert response.status_code == 400
    assert "2:" in response.text
    assert "How to fix" in response.text


def test_result_rows_are_capped_with_a_header(client: TestClient) -> None:
    response = select(client, "SELECT * { ?s ?p ?o }")  # 24 quads, cap 10
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 10
    assert "10" in response.headers["x-cckg-truncated"]
    assert "x-cckg-truncated" not in select(client, PEAKS_QUERY).headers


def test_union_default_graph_and_from(client: TestClient) -> None:
    union = select(client, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").json()
    assert union["results"]["bindings"][0]["n"]["value"] == "24"
    query = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/cckg/graph/data/ttl/places.ttl> " \
        "{ ?s ?p ?o }"
    assert select(client, query).json()["results"]["bindings"][0]["n"]["value"] == "12"


def test_oversize_body_is_413(client: TestClient) -> None:
    body = "ASK {} #" + "x" * 20_000
    response = client.post("/sparql", content=body,
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert "CCKG_MAX_REQUEST_BODY" in response.text


def test_wrong_media_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content="ASK {}", headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


def test_service_and_load_are_refused(client: TestClient) -> None:
    response = select(client, "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert response.status_code == 400
    assert "SERVICE" in response.text
    load = client.post("/sparql", content="LOAD <http://127.0.0.1:9/x.ttl>",
                       headers={"content-type": UPDATE, "authorization": f"Bearer {TOKEN}"})
    assert load.status_code == 400


def test_update_needs_the_token(client: TestClient) -> None:
    update = "INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> 1 } }"
    missing = client.post("/sparql", content=update, headers={"content-type": UPDATE})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = client.post("/sparql", content=update,
                        headers={"content-type": UPDATE, "authorization": "Bearer nope"})
    assert wrong.status_code == 401
    ok = client.post("/sparql", content=update,
                     headers={"content-type": UPDATE, "authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 204
    # the query workers see the write at once (a new snapshot)
    seen = select(client, "ASK { GRAPH <http://ex/g> { <http://ex/a> ?p ?o } }")
    assert json.loads(seen.text)["boolean"] is True
    client.post("/sparql", content="DROP GRAPH <http://ex/g>",
                headers={"content-type": UPDATE, "authorization": f"Bearer {TOKEN}"})


def test_bad_graph_iri_is_400(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "default-graph-uri" in response.text


def test_cors(client: TestClient) -> None:
    allowed = select(client, "ASK {}", origin="https://example.org")
    assert allowed.headers["access-control-allow-origin"] == "https://example.org"
    other = select(client, "ASK {}", origin="https://evil.example")
    assert "access-control-allow-origin" not in other.headers
    preflight = client.options("/sparql", headers={
        "origin": "https://example.org", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    assert preflight.status_code == 200


def test_service_description_counts_graphs(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "application/n-triples"})
    assert response.status_code == 200
    text = response.text
    assert "<http://www.w3.org/ns/sparql-service-description#endpoint> " \
        "<http://testserver/sparql>" in text
    assert '"12"^^<http://www.w3.org/2001/XMLSchema#integer>' in text


def test_update_disabled_without_token(tmp_path, dataset_file) -> None:
    from cckg.server.app import create_app
    from cckg.server.settings import Settings

    app = create_app(Settings(data_dir=tmp_path, query_workers=1))
    with TestClient(app) as plain:
        response = plain.post("/sparql", content="CLEAR ALL", headers={"content-type": UPDATE})
        assert response.status_code == 403
        assert "CCKG_UPDATE_TOKEN" in response.text
        description = plain.get("/sparql").text
        assert "SPARQL11Update" not in description


def test_non_ascii_bearer_token_is_401_not_500(client: TestClient) -> None:
    """MEDIUM 6: hmac.compare_digest raised TypeError on non-ASCII header values."""
    for header in ("Bearer sécret".encode(), b"Bearer \xff\xfe"):
        response = client.post("/sparql", content="INSERT DATA {}",
                               headers={"content-type": UPDATE, "authorization": header})
        assert response.status_code == 401


def test_graph_management_errors_suggest_silent(client: TestClient) -> None:
    """MEDIUM 7: DROP of a missing graph and CREATE of an existing one answered 500."""
    auth = {"content-type": UPDATE, "authorization": f"Bearer {TOKEN}"}
    drop = client.post("/sparql", content="DROP GRAPH <http://nonexistent/g>", headers=auth)
    assert drop.status_code == 404
    assert "SILENT" in drop.text
    existing = "https://w3id.org/cckg/graph/data/ttl/places.ttl"
    create = client.post("/sparql", content=f"CREATE GRAPH <{existing}>", headers=auth)
    assert create.status_code == 409
    assert "SILENT" in create.text


def test_query_reads_the_last_snapshot_while_an_update_holds_the_store(
    client: TestClient,
) -> None:
    """MEDIUM 8: a query waited for the store lock and its healthy worker was killed."""
    ctx = client.app.state.ctx
    assert select(client, "ASK {}").status_code == 200
    killed = ctx.store.runner.killed
    with ctx.store._lock:  # what a long-running update does
        response = select(client, PEAKS_QUERY)
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 4
    assert ctx.store.runner.killed == killed


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    """LOW: HEAD /sparql was 405."""
    head = client.head("/sparql", params={"query": "ASK {}"})
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("application/sparql-results+json")
    assert head.content == b""
    assert client.head("/sparql").status_code == 200


def test_unwritable_results_are_406_with_advice(client: TestClient) -> None:
    """LOW: triple terms in JSON-LD were 503; control characters made XML ill-formed."""
    triple_term = client.get("/sparql", params={
        "query": "CONSTRUCT { <http://a> <http://b> <<( <http://a> <http://b> <http://c> )>> }"
        " WHERE {}", "format": "jsonld"})
    assert triple_term.status_code == 406
    assert "Turtle" in triple_term.text
    control = client.get("/sparql", params={
        "query": 'SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }', "format": "xml"})
    assert control.status_code == 406
    assert "U+0001" in control.text and "JSON" in control.text
