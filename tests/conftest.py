"""Fixtures shared by the whole suite: one real build of the graph per test session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from rdflib import Graph
from tests.services.launcher import LiveServer

from cckg.paths import PATHS
from cckg.pipeline.build import run_build
from cckg.pipeline.load import load_dataset, parse_file, union_graph
from cckg.rdf.named_queries import load_query, resolve_parameters
from cckg.rdf.query_exec import ResultTable, run_named
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore

RunQuery = Callable[..., ResultTable]


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """ontology/*.ttl parsed as written (not version-stamped), in one graph."""
    graph = Graph()
    for path in sorted(PATHS.ontology.glob("*.ttl")):
        parse_file(path, into=graph)
    return graph


@pytest.fixture(scope="session")
def ontology_and_data() -> Graph:
    """Every source file's triples in one graph (before reasoning)."""
    return union_graph(load_dataset())


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """dist/ of a full build (load, validate, reason, publish) of the real sources: one
    build for the whole run, shared by the parallel workers (the first one builds, the
    others wait on the lock). Tests read it and never write into it."""
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    out = shared / "built-dist"
    with FileLock(str(shared / "built-dist.lock")):
        if not (out / "cckg.nq").exists():
            run_build(out)
    return out


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Parallel runs (`pytest -n 2 --dist loadgroup`, as `make test` does) keep each test
    file on one worker, so its module fixtures (servers, stores) start once; the engine and
    W3C suites share one worker, which starts Oxigraph server and Virtuoso once."""
    for item in items:
        path = item.path.relative_to(Path(__file__).parent).as_posix()
        group = "engines" if path.startswith(("engines/", "w3c/")) else path
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def built_graph(built_dist: Path) -> EmbeddedStore:
    """The built N-Quads dump in an embedded store, as `cckg query` uses it."""
    store = EmbeddedStore.in_memory()
    store.load_dataset_file(built_dist / "cckg.nq")
    return store


@pytest.fixture(scope="session")
def run_cq(built_graph: EmbeddedStore) -> RunQuery:
    """Run a named query by name, with parameters as keyword arguments."""

    def run(name: str, **params: str) -> ResultTable:
        query = load_query(name)
        return run_named(built_graph, query, resolve_parameters(query, params))

    return run


@pytest.fixture(scope="session")
def built_server(
    built_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A server process over the real build, shared by the tests that only read from it."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("built-store"), dist_dir=built_dist,
                        query_workers=1)
    with LiveServer(settings, dataset=built_dist / "cckg.nq") as live:
        yield live
