"""A real server process (uvicorn on 127.0.0.1, a free port) for the W3C test suites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.services.launcher import LiveServer

from cckg.server.settings import Settings

TOKEN = "w3c-suite-token"


@pytest.fixture(scope="session")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("w3c-store")
    settings = Settings(data_dir=data_dir, update_token=TOKEN, query_timeout=20)
    with LiveServer(settings) as server:
        yield server


@pytest.fixture()
def update_token() -> str:
    return TOKEN


@pytest.fixture()
def client(w3c_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=w3c_server.url.rstrip("/"), timeout=30) as http:
        yield http
