"""/openapi.json: unique operation IDs and no "Duplicate Operation ID" warnings."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore


def test_openapi_has_unique_operation_ids_and_warns_nothing(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path), EmbeddedStore.in_memory())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        schema = app.openapi()
    assert [str(w.message) for w in caught] == []
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert ids and [i for i, n in Counter(ids).items() if n > 1] == []
    assert "get" in schema["paths"]["/ontology"] and "head" not in schema["paths"]["/ontology"]
