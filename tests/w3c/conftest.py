"""A real server process (uvicorn on 127.0.0.1, a free port) for the W3C test suites:
over the embedded store, and (marked `engines`) over a fresh Oxigraph server and Virtuoso
each (the suite empties the store it runs on)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from tests.services.engines import ENGINES, start_engine
from tests.services.launcher import LiveServer

from cckg.server.settings import Settings

TOKEN = "w3c-suite-token"


@pytest.fixture(
    scope="session",
    params=["embedded", *(pytest.param(e, marks=pytest.mark.engines) for e in ENGINES)],
)
def w3c_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("w3c-store")
    settings = Settings(data_dir=data_dir, update_token=TOKEN, query_timeout=20)
    with ExitStack() as stack:
        if request.param != "embedded":
            engine = start_engine(request.param, tmp_path_factory.mktemp("w3c-engine"), stack)
            settings = engine.settings(data_dir=data_dir, update_token=TOKEN, query_timeout=20)
        yield stack.enter_context(LiveServer(settings))


@pytest.fixture()
def update_token() -> str:
    return TOKEN


@pytest.fixture()
def client(w3c_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=w3c_server.url.rstrip("/"), timeout=30) as http:
        yield http
