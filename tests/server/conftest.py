"""Fixtures of the SPARQL server tests: a small CCKG-like dataset, apps and a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sparql_fixture import TOKEN, fixture_quads
from tests.services.launcher import LiveServer

from cckg.server.app import create_app
from cckg.server.settings import Settings


@pytest.fixture(scope="session")
def dataset_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dist") / "cckg.nq"
    path.write_text(fixture_quads(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("store"),
        update_token=TOKEN,
        query_timeout=5,
        max_result_rows=10,
        max_request_body=10_000,
        cors_origins=("https://example.org",),
    )


@pytest.fixture(scope="module")
def client(app_settings: Settings, dataset_file: Path) -> Iterator[TestClient]:
    """The app in this process (queries still run in worker processes), fixture loaded."""
    from cckg.store.embedded import EmbeddedStore

    store = EmbeddedStore.open(app_settings.data_dir)
    store.load_dataset_file(dataset_file)
    with TestClient(create_app(app_settings, store)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, dataset_file: Path) -> Iterator[LiveServer]:
    """A real server process on 127.0.0.1 with the fixture loaded and a 1 s timeout."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("live-store"), query_timeout=1, query_workers=2
    )
    with LiveServer(settings, dataset=dataset_file) as server:
        yield server
