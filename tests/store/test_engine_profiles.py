"""Engine profiles and the remote store's adaptations, without an engine: recognising the
engine, logins, Virtuoso's graph-set drops and booleans, where bindings go."""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox
import pytest

from cckg.errors import CckgError
from cckg.rdf.sparql_text import with_values
from cckg.store.connect import StoreAccess
from cckg.store.engines import OXIGRAPH, SPARQL11, VIRTUOSO, engine_from_server_header, engine_named
from cckg.store.remote import (
    RemoteStore,
    standard_datatype,
    standard_datatypes_json,
    true_false,
    true_false_json,
)

BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


@pytest.mark.parametrize(("server", "engine"), [
    ("Oxigraph/0.5.13", OXIGRAPH),
    ("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", VIRTUOSO),
    ("Apache Jena Fuseki (5.0.0)", SPARQL11),
    ("", SPARQL11),
])
def test_the_engine_is_recognised_from_its_server_header(server: str, engine: object) -> None:
    assert engine_from_server_header(server) is engine


def test_an_unknown_engine_name_lists_the_known_ones() -> None:
    assert engine_named("Virtuoso") is VIRTUOSO
    with pytest.raises(CckgError, match="oxigraph, virtuoso, sparql11"):
        engine_named("stardog")


def test_engine_urls_derive_from_the_query_url() -> None:
    assert VIRTUOSO.graph_store_url is not None and VIRTUOSO.update_url is not None
    assert VIRTUOSO.update_url("http://h:8890/sparql") == "http://h:8890/sparql-auth"
    assert VIRTUOSO.graph_store_url("http://h:8890/sparql") == (
        "http://h:8890/sparql-graph-crud-auth")
    assert OXIGRAPH.graph_store_url is not None
    assert OXIGRAPH.graph_store_url("http://h:7878/query") == "http://h:7878/store"


def test_logins_use_the_scheme_asked_for_and_a_token_wins() -> None:
    assert StoreAccess("http://h/sparql").auth() is None
    assert isinstance(StoreAccess("http://h/sparql", user="u", password="p").auth("digest"),
                      httpx.DigestAuth)
    assert isinstance(StoreAccess("http://h/sparql", user="u").auth(), httpx.BasicAuth)
    token = StoreAccess("http://h/sparql", user="u", token="t0k").auth("digest")
    assert token is not None
    request = next(token.auth_flow(httpx.Request("GET", "http://h/sparql")))
    assert request.headers["Authorization"] == "Bearer t0k"


def virtuoso_with(graphs: list[str]) -> RemoteStore:
    store = RemoteStore("http://h/sparql", engine=VIRTUOSO)
    store.graph_counts = lambda: dict.fromkeys(graphs, 1)  # type: ignore[method-assign]
    return store


def test_drop_all_becomes_one_drop_per_graph_on_virtuoso() -> None:
    store = virtuoso_with(["http://g/1", "http://g/2"])
    update = 'DROP ALL ; INSERT DATA { GRAPH <http://g/1> { <x:a> <x:b> "DROP ALL" } }'
    assert store._graph_by_graph(update) == (
        "DROP SILENT GRAPH <http://g/1> ;\nDROP SILENT GRAPH <http://g/2> ; "
        'INSERT DATA { GRAPH <http://g/1> { <x:a> <x:b> "DROP ALL" } }')
    assert store._graph_by_graph("CLEAR SILENT NAMED") == (
        "DROP SILENT GRAPH <http://g/1> ;\nDROP SILENT GRAPH <http://g/2>")


def test_drop_default_is_nothing_to_do_on_virtuoso() -> None:
    store = virtuoso_with(["http://g/1"])
    assert store._graph_by_graph("DROP DEFAULT ; INSERT DATA { <x:a> <x:b> 1 }").strip() == (
        "INSERT DATA { <x:a> <x:b> 1 }")
    assert store._graph_by_graph("INSERT DATA { <x:a> <x:b> 1 } ; CLEAR DEFAULT").strip() == (
        "INSERT DATA { <x:a> <x:b> 1 }")
    assert store._graph_by_graph("DROP DEFAULT").strip() == ""


def test_numeric_booleans_are_read_as_true_and_false() -> None:
    one = ox.Literal("1", datatype=ox.NamedNode(BOOLEAN))
    assert true_false(one) == ox.Literal("true", datatype=ox.NamedNode(BOOLEAN))
    assert true_false(ox.Literal("1")) == ox.Literal("1")  # a plain "1" stays
    body = json.dumps({"head": {"vars": ["b", "n"]}, "results": {"bindings": [
        {"b": {"type": "typed-literal", "datatype": BOOLEAN, "value": "0"},
         "n": {"type": "literal", "value": "0"}}]}}).encode()
    row = json.loads(true_false_json(body))["results"]["bindings"][0]
    assert row["b"]["value"] == "false" and row["n"]["value"] == "0"


def test_virtuoso_geometries_are_read_as_wkt_literals() -> None:
    aliases = dict(VIRTUOSO.datatype_aliases)
    wkt, geometry = "http://www.opengis.net/ont/geosparql#wktLiteral", next(iter(aliases))
    point = ox.Literal("POINT(116.4 39.9)", datatype=ox.NamedNode(geometry))
    assert standard_datatype(point, aliases) == ox.Literal(
        "POINT(116.4 39.9)", datatype=ox.NamedNode(wkt))
    assert standard_datatype(ox.Literal("POINT(1 2)"), aliases) == ox.Literal("POINT(1 2)")
    body = json.dumps({"head": {"vars": ["w", "s"]}, "results": {"bindings": [
        {"w": {"type": "typed-literal", "datatype": geometry, "value": "POINT(1 2)"},
         "s": {"type": "literal", "value": geometry}}]}}).encode()
    row = json.loads(standard_datatypes_json(body, aliases))["results"]["bindings"][0]
    assert row["w"]["datatype"] == wkt and row["s"] == {"type": "literal", "value": geometry}
    assert standard_datatypes_json(b'{"results": {}}', aliases) == b'{"results": {}}'


def test_bindings_go_at_the_start_of_the_where_group() -> None:
    place = {"p": ox.NamedNode("http://x/p")}
    grouped = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?c <http://x/by> ?p } GROUP BY ?p"
    assert with_values(grouped, place) == (
        "SELECT ?p (COUNT(*) AS ?n) WHERE { VALUES (?p) { (<http://x/p>) }  "
        "?c <http://x/by> ?p } GROUP BY ?p")
    construct = "CONSTRUCT { ?p ?q ?o } WHERE { ?p ?q ?o }"
    assert with_values(construct, place).startswith(
        "CONSTRUCT { ?p ?q ?o } WHERE { VALUES (?p)")
    short = "CONSTRUCT WHERE { ?p ?q ?o }"  # no room for VALUES inside: after the query
    assert with_values(short, place).endswith("VALUES (?p) { (<http://x/p>) }\n")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x/c"), ox.NamedNode("http://x/by"),
                      ox.NamedNode("http://x/p")))
    store.add(ox.Quad(ox.NamedNode("http://x/d"), ox.NamedNode("http://x/by"),
                      ox.NamedNode("http://x/other")))
    [row] = list(store.query(with_values(grouped, place)))  # type: ignore[union-attr]
    assert row["n"].value == "1"


#: What Virtuoso 7.2 sends when its limit comes while it writes rows: status 500, the rows so
#: far, then its error (the Activity figures shortened).
VIRTUOSO_CUT_WHILE_WRITING = (
    '{ "head": { "link": [], "vars": ["a"] },\n  "results": { "bindings": [\n'
    '    { "a": { "type": "uri", "value": "https://w3id.org/cckg/id/place/370117" }'
    "Virtuoso S1TAT Error RC...: Returning incomplete results, query interrupted by result "
    "timeout.  Activity:    141K rnd  459.9K seq\n\nSPARQL query:\nSELECT * WHERE { ?a ?b ?c }"
)


def test_an_engine_stopped_at_its_limit_is_recognised_partial_or_failed() -> None:
    partial = httpx.Response(200, headers={"X-SQL-State": "S1TAT"}, text="{}")
    failed = httpx.Response(500, text=VIRTUOSO_CUT_WHILE_WRITING)
    assert VIRTUOSO.stopped(partial) and VIRTUOSO.stopped(failed)
    # Virtuoso's other errors, and the same texts from engines that do not send them
    other = httpx.Response(500, text="Virtuoso 42000 Error SR186: No permission to execute")
    assert not VIRTUOSO.stopped(other)
    assert not VIRTUOSO.stopped(httpx.Response(200, text=VIRTUOSO_CUT_WHILE_WRITING))
    assert not OXIGRAPH.stopped(failed) and not SPARQL11.stopped(partial)
