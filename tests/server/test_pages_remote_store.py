"""The list, map, timeline, comparison and flat-table queries give the same answers over a
remote SPARQL 1.1 engine (a real Oxigraph server) as over the embedded store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.services.oxigraph import OxigraphServer

from cckg.pipeline.flat_table import commitment_rows
from cckg.rdf.query_exec import select_rows
from cckg.server import charts
from cckg.server.lists import FAMILIES, Tokens, list_view, parse_state
from cckg.store.base import Store
from cckg.store.embedded import EmbeddedStore

pytestmark = pytest.mark.server
CCKG = "https://w3id.org/cckg/ontology#"


@pytest.fixture(scope="module")
def stores(built_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[Store, Store]]:
    embedded = EmbeddedStore.in_memory()
    embedded.load_dataset_file(built_dist / "cckg.nq")
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph-pages")) as server:
        remote = server.store()
        remote.load_dataset_file(built_dist / "cckg.nq")
        yield embedded, remote


def runner(store: Store) -> Any:
    return lambda sparql: select_rows(store, sparql)


def test_a_filtered_list_is_the_same_on_a_remote_store(stores: tuple[Store, Store]) -> None:
    family = FAMILIES[0]
    state = parse_state(family, [("strength", "strength/strives"), ("sort", "-year")])
    tokens = Tokens("https://w3id.org/cckg/")
    local, remote = (list_view(runner(s), CCKG + "Commitment", family, state, tokens)
                     for s in stores)
    assert remote.total == local.total == 9
    assert [r.iri for r in remote.rows] == [r.iri for r in local.rows]
    assert [r.cells for r in remote.rows] == [r.cells for r in local.rows]
    assert [(c.key, v) for c, v in remote.facets] == [(c.key, v) for c, v in local.facets]


def test_charts_and_the_flat_table_are_the_same_on_a_remote_store(
    stores: tuple[Store, Store],
) -> None:
    local, remote = stores
    assert charts.map_data(runner(remote)) == charts.map_data(runner(local))
    assert charts.timeline(runner(remote)) == charts.timeline(runner(local))
    places = ["https://w3id.org/cckg/id/place/370000", "https://w3id.org/cckg/id/place/440000"]
    assert charts.compare(runner(remote), places) == charts.compare(runner(local), places)
    assert commitment_rows(remote) == commitment_rows(local)
