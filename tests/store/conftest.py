"""The stores every contract test runs against: embedded, and remote over Oxigraph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.services.oxigraph import OxigraphServer

from cckg.store.base import Store
from cckg.store.embedded import EmbeddedStore


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real Oxigraph server on 127.0.0.1, for the whole session."""
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(params=["embedded", pytest.param("remote", marks=pytest.mark.server)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each implementation, started with one worker."""
    opened: Store
    if request.param == "embedded":
        opened = EmbeddedStore.open(tmp_path / "embedded")
    else:
        opened = request.getfixturevalue("oxigraph_server").store()
        opened.update("DROP SILENT ALL")
    opened.start(workers=1)
    try:
        yield opened
    finally:
        opened.close()
