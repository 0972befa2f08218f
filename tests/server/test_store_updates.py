"""Updates applied to a copy of the store and adopted durably (issue 12.4 and 12.9)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from cckg.store.embedded import CURRENT_FILE, FIRST_STORE, EmbeddedStore

TRIPLE = "<http://x/s> <http://x/p> 'new'"


def _apply(copy: Path, update: str) -> None:
    """What the update worker does: open the copy, update, flush, close."""
    store = ox.Store(str(copy))
    store.update(update)
    store.flush()
    del store


def test_adopted_copy_is_live_durably_and_survives_reopening(
    tmp_path: Path, dataset_file: Path
) -> None:
    store = EmbeddedStore.open(tmp_path)
    store.load_dataset_file(dataset_file)
    before = store.triple_count()
    copy = store.copy_for_update()
    _apply(copy, f"INSERT DATA {{ {TRIPLE} }}")
    assert store.triple_count() == before  # not live until adopted
    store.adopt(copy)
    assert store.triple_count() == before + 1
    assert (tmp_path / CURRENT_FILE).read_text().strip() == copy.relative_to(tmp_path).as_posix()
    # the snapshot of the new state was taken at commit: a query finds it even while the
    # next write holds the store (before, it waited for the lock, then got 503)
    with store._lock:
        _, snapshot = store.snapshot(timeout=0)
    assert len(ox.Store.read_only(str(snapshot))) == before + 1
    leftover = store.copy_for_update()  # an update interrupted by a crash
    del store
    reopened = EmbeddedStore.open(tmp_path)
    assert reopened.triple_count() == before + 1
    assert not leftover.exists()
    assert not (tmp_path / FIRST_STORE).exists()  # replaced, so removed


def test_discarded_copy_changes_nothing(tmp_path: Path, dataset_file: Path) -> None:
    store = EmbeddedStore.open(tmp_path)
    store.load_dataset_file(dataset_file)
    generation = store.generation()
    copy = store.copy_for_update()
    _apply(copy, "CLEAR ALL")
    store.discard_copy(copy)
    assert not copy.exists()
    assert store.triple_count() == 24 and store.generation() == generation
    assert not (tmp_path / CURRENT_FILE).exists()
