"""CQ01 through real clients against a real server process holding the real build."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from tests.competency.helpers import code_of, rows
from tests.services.launcher import LiveServer

from cckg.rdf.named_queries import load_query, resolve_parameters
from cckg.rdf.query_exec import run_named
from cckg.store.remote import RemoteStore

pytestmark = pytest.mark.server
NINE = {"110000", "120000", "530000", "370000", "500000", "140000", "460000", "620000", "650000"}


@pytest.fixture(scope="module")
def server(built_server: LiveServer) -> LiveServer:
    return built_server


def test_the_remote_store_gets_the_nine_provinces(server: LiveServer, run_cq):
    remote = run_named(RemoteStore(server.endpoint), load_query("cq01"), {})
    assert {code_of(p) for (p,) in rows(remote, "province")} == NINE
    assert remote.rows == run_cq("cq01").rows  # same answer as the embedded store


def test_rdflib_sparqlstore_gets_the_nine_provinces(server: LiveServer):
    graph = Graph(store=SPARQLStore(server.endpoint, returnFormat="json"))
    result = graph.query(load_query("cq01").text)
    years = {code_of(str(r.province)): r.year.toPython() for r in result}
    assert set(years) == NINE
    assert years["370000"] == 2027 and years["650000"] == 2030


def test_a_parameterised_query_over_http(server: LiveServer, run_cq):
    query = load_query("cq07")
    bound = resolve_parameters(query, {"jurisdiction": "630000"})
    assert run_named(RemoteStore(server.endpoint), query, bound).rows == run_cq(
        "cq07", jurisdiction="630000"
    ).rows
