"""Real SPARQL engines for the engine tests: Oxigraph server and Virtuoso, each loaded with
`cckg publish` from the session's build, and two `cckg serve --store` replicas over each.

Every fixture here is per engine (`engine` is parametrised); the engine processes live for
the whole session and are stopped at its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.services.engines import (
    ENGINES,
    QUERY_TIMEOUT,
    SHORT_TIMEOUT,
    Engine,
    publish,
    start_engine,
)
from tests.services.launcher import LiveServer

from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore


@pytest.fixture(scope="session", params=[pytest.param(e, marks=pytest.mark.engines)
                                          for e in ENGINES])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A running engine, not loaded yet."""
    with ExitStack() as stack:
        yield start_engine(request.param, tmp_path_factory.mktemp(request.param), stack)


@pytest.fixture(scope="session")
def published(engine: Engine, built_dist: Path) -> str:
    """The engine loaded with the build by `cckg publish` (its output)."""
    return publish(engine, built_dist)


@pytest.fixture(scope="session")
def replicas(
    engine: Engine, published: str, built_dist: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[LiveServer]]:
    """Two `cckg serve --store` processes over the published engine."""
    settings = engine.settings(
        dist_dir=built_dist, query_timeout=QUERY_TIMEOUT, query_workers=4,
        data_dir=tmp_path_factory.mktemp("unused-store"),
    )
    with LiveServer(settings) as first, LiveServer(settings) as second:
        yield [first, second]


@pytest.fixture(scope="session")
def limited(
    engine: Engine, published: str, built_dist: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[httpx.Client]:
    """An HTTP client of a `cckg serve --store` over the engine whose queries may run only
    SHORT_TIMEOUT seconds (for the timeout tests)."""
    settings = engine.settings(
        dist_dir=built_dist, query_timeout=SHORT_TIMEOUT, query_workers=2,
        max_result_bytes=10**9,  # the time limit, not the read limit, stops its answers
        data_dir=tmp_path_factory.mktemp("unused-store"),
    )
    with LiveServer(settings) as server, httpx.Client(
        base_url=server.url.rstrip("/"), timeout=60
    ) as client:
        yield client


@pytest.fixture(scope="session")
def embedded(
    built_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The same build served from the embedded store (the reference)."""
    store = EmbeddedStore.in_memory()
    store.load_dataset_file(built_dist / "cckg.nq")
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("embedded"), dist_dir=built_dist,
        allowed_hosts=("testserver",),  # TestClient's Host
    )
    with TestClient(create_app(settings, store)) as client:
        yield client


@pytest.fixture(scope="session")
def remote(replicas: list[LiveServer]) -> Iterator[httpx.Client]:
    """An HTTP client of the first replica."""
    with httpx.Client(base_url=replicas[0].url.rstrip("/"), timeout=60) as client:
        yield client
