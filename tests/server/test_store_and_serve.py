"""EmbeddedStore loading and snapshots, and `cckg serve`'s build-and-load step."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from sparql_fixture import COMMITMENTS, PLACES

from cckg.cli.serve import prepare
from cckg.errors import CckgError
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore


def test_load_counts_and_stamp(tmp_path: Path, dataset_file: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    assert not store.is_loaded(dataset_file)
    assert store.load_dataset_file(dataset_file) == 24
    assert store.is_loaded(dataset_file)
    assert store.graph_counts() == {PLACES: 12, COMMITMENTS: 12}
    assert store.default_graph_count() == 0
    # the default graph of in-process queries is the union of the graphs
    assert len(list(store.query("SELECT * { ?s ?p ?o }"))) == 24
    assert len(list(store.query(f"SELECT * FROM <{PLACES}> {{ ?s ?p ?o }}"))) == 12


def test_reopened_store_keeps_data_and_stamp(tmp_path: Path, dataset_file: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    store.load_dataset_file(dataset_file)
    del store
    again = EmbeddedStore.open(tmp_path / "store")
    assert len(again) == 24 and again.is_loaded(dataset_file)


def test_snapshot_follows_writes(tmp_path: Path, dataset_file: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    store.load_dataset_file(dataset_file)
    generation, snapshot = store.snapshot()
    assert len(ox.Store.read_only(str(snapshot))) == 24
    store.update("INSERT DATA { <http://ex/a> <http://ex/p> <http://ex/o> }")
    newer, fresh = store.snapshot()
    assert newer > generation and fresh != snapshot
    assert len(ox.Store.read_only(str(fresh))) == 25
    store.drop_snapshots(keep=set())
    # the previous generation is kept one change longer (a query may have just taken it)
    assert snapshot.exists() and fresh.exists()
    store.update("INSERT DATA { <http://ex/b> <http://ex/p> <http://ex/o> }")
    latest = store.snapshot()[1]
    store.drop_snapshots(keep=set())
    assert not snapshot.exists() and fresh.exists() and latest.exists()


def test_missing_and_bad_dump_are_clear(tmp_path: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    with pytest.raises(CckgError, match="cckg build"):
        store.load_dataset_file(tmp_path / "nope.nq")
    bad = tmp_path / "bad.nq"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(CckgError, match="N-Quads"):
        store.load_dataset_file(bad)


def test_prepare_builds_then_loads_only_when_the_dump_changes(
    tmp_path: Path, dataset_file: Path
) -> None:
    calls: list[Path] = []
    dump = tmp_path / "dist" / "cckg.nq"

    def builder(dist: Path) -> Path:
        calls.append(dist)
        dump.parent.mkdir(exist_ok=True)
        if not dump.exists():
            dump.write_bytes(dataset_file.read_bytes())
        return dump

    settings = Settings(data_dir=tmp_path / "store", dist_dir=tmp_path / "dist")
    first = prepare(settings, builder)
    assert len(first) == 24 and calls == [settings.dist_dir]
    stamp = first.build_stamp()
    del first
    second = prepare(settings, builder)
    assert second.build_stamp() == stamp and len(second) == 24
    del second
    dump.write_text(dump.read_text() + "<http://ex/a> <http://ex/p> <http://ex/o> .\n")
    assert len(prepare(settings, builder)) == 25
