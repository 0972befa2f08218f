"""`cckg publish --store`: every graph of the build on the engine, with the build's counts;
publishing again replaces graphs; clear errors for a wrong store, login or URL."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from tests.services.engines import Engine
from tests.services.launcher import LiveServer, free_port
from typer.testing import CliRunner

from cckg.cli import app
from cckg.store.connect import StoreAccess, connect


def build_counts(dist: Path) -> Counter[str]:
    """Triples per named graph of the build's N-Quads dump."""
    quads = ox.parse(path=str(dist / "cckg.nq"), format=ox.RdfFormat.N_QUADS)
    return Counter(q.graph_name.value for q in quads)


def access(engine: Engine) -> StoreAccess:
    user = engine.options[1] if engine.options else None
    password = engine.options[3] if engine.options else None
    return StoreAccess(engine.query_url, user=user, password=password)


def test_every_graph_is_published_with_the_builds_count(
    engine: Engine, published: str, built_dist: Path
) -> None:
    expected = build_counts(built_dist)
    assert "https://w3id.org/cckg/graph/data/ttl/appendix.ttl" in expected
    assert "https://w3id.org/cckg/graph/inferred" in expected
    store = connect(access(engine))
    assert store.engine.name == engine.kind  # recognised from its Server header
    assert store.graph_counts() == dict(expected)
    assert "the engine's counts match the build's" in published


def test_publishing_again_replaces_each_graph(
    engine: Engine, published: str, built_dist: Path
) -> None:
    store = connect(access(engine))
    graph = "https://w3id.org/cckg/graph/data/ttl/zones.ttl"
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }}")
    assert store.graph_counts()[graph] == build_counts(built_dist)[graph] + 1
    result = CliRunner().invoke(app, ["publish", "--store", engine.query_url, *engine.options,
                                      "--dist-dir", str(built_dist)])
    assert result.exit_code == 0, result.output
    assert store.graph_counts() == dict(build_counts(built_dist))  # replaced, not added to


def run_publish(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["publish", *args])
    return result.exit_code, " ".join(result.output.split())


def test_an_unreachable_store_is_a_clear_error(built_dist: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    code, output = run_publish("--store", url, "--dist-dir", str(built_dist))
    assert code == 2
    assert f"{url}: cannot reach the SPARQL engine" in output
    assert "How to fix: check that the engine runs" in output


def test_a_page_that_is_not_sparql_is_a_clear_error(
    replicas: list[LiveServer], built_dist: Path
) -> None:
    url = replicas[0].url + "queries"  # an HTML page, not a SPARQL endpoint
    code, output = run_publish("--store", url, "--dist-dir", str(built_dist))
    assert code == 2
    assert "this URL does not answer SPARQL" in output
    assert "How to fix: give the engine's SPARQL query URL" in output


def test_a_refused_login_is_a_clear_error(engine: Engine, built_dist: Path) -> None:
    if engine.kind != "virtuoso":
        pytest.skip("Oxigraph server has no logins")
    code, output = run_publish("--store", engine.query_url, "--store-user", "dba",
                               "--store-password", "wrong", "--dist-dir", str(built_dist))
    assert code == 2
    assert "the SPARQL engine refused the login (401)" in output
    assert "--store-user/--store-password" in output
