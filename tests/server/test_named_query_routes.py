"""/queries/NAME with bad parameters: 400 that names the parameter, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def client(built_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = EmbeddedStore.in_memory()
    store.load_dataset_file(built_dist / "cckg.nq")
    settings = Settings(data_dir=tmp_path_factory.mktemp("store"), dist_dir=built_dist)
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def test_cq01_as_csv(client: TestClient) -> None:
    response = client.get("/queries/cq01.csv")
    assert response.status_code == 200
    assert len(response.text.strip().splitlines()) == 10  # header + nine provinces


@pytest.mark.parametrize("value", ["http://x/%zz", "http://x/\x00", "http://x/\ue000"])
def test_an_invalid_iri_parameter_is_a_400(client: TestClient, value: str) -> None:
    response = client.get("/queries/cq07.csv", params={"jurisdiction": value})
    assert response.status_code == 400
    assert "jurisdiction" in response.text and "How to fix" in response.text
    assert "/work/" not in response.text  # no server paths leak


def test_a_repeated_parameter_is_a_400(client: TestClient) -> None:
    response = client.get("/queries/cq07.csv?jurisdiction=620000&jurisdiction=310000")
    assert response.status_code == 400
    assert "more than once: jurisdiction" in response.text
