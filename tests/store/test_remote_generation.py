"""A remote store's generation: its own writes at once, another client's writes once the
engine's graph sizes are counted again (not on every request the answer cache serves)."""

from __future__ import annotations

import pytest
from tests.services.oxigraph import OxigraphServer

pytestmark = pytest.mark.server
GRAPH = "https://example.org/graph/targets"


def insert(n: int) -> str:
    triple = f"<https://example.org/t{n}> <https://example.org/year> {2020 + n}"
    return f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {triple} }} }}"


def test_another_clients_write_is_seen_after_the_recount(oxigraph_server: OxigraphServer) -> None:
    reader, writer = oxigraph_server.store(), oxigraph_server.store()
    try:
        writer.update("DROP SILENT ALL")
        reader.recount_after = 3600.0
        first = reader.generation()
        writer.update(insert(1))
        assert reader.generation() == first  # sizes kept: no count per request
        reader.recount_after = 0.0
        second = reader.generation()
        assert second != first  # counted again: the new triple is seen
        reader.update(insert(2))
        reader.recount_after = 3600.0
        assert reader.generation() != second  # its own write: at once
    finally:
        reader.close()
        writer.close()
