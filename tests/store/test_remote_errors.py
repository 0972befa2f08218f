"""A remote store that cannot do what is asked says so, in the embedded store's terms."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.services.process import free_port

from cckg.errors import CckgError
from cckg.rdf.formats import RESULT_FORMATS
from cckg.store.answers import TooLarge
from cckg.store.base import QueryJob, QueryTimeout
from cckg.store.remote import RemoteStore, StoreUnavailable, read_within


def test_an_unreachable_engine_is_an_os_error() -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=5)
    with pytest.raises(StoreUnavailable, match="cannot reach the SPARQL engine"):
        store.query("ASK {}")
    job = QueryJob(query="ASK {}", base_iri=None, default_graphs=None, named_graphs=None,
                   union_default_graph=True,
                   formats={k: v[0] for k, v in RESULT_FORMATS.items()}, max_rows=10)
    outcome = store.answer(job, 5)
    assert outcome.status == 503 and b"could not be read" in outcome.body


def test_a_query_only_store_refuses_writes_with_advice(tmp_path: Path) -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(CckgError, match="no update URL") as err:
        store.update("INSERT DATA { <http://a> <http://b> <http://c> }")
    assert err.value.fix is not None and "update URL" in err.value.fix
    with pytest.raises(CckgError, match="no graph store URL"):
        store.replace_graph(None, [])
    with pytest.raises(CckgError, match="cckg build"):
        RemoteStore.oxigraph("http://127.0.0.1:1").load_dataset_file(tmp_path / "missing.nq")


def test_an_answer_streamed_past_the_time_limit_is_a_timeout() -> None:
    """Regression: the time limit bounded each read, so an engine sending a chunk now and
    then was read to the end, however long it took."""
    def trickle() -> Iterator[bytes]:
        for _ in range(40):
            time.sleep(0.05)
            yield b"<http://a> <http://b> <http://c> .\n"

    request = httpx.Request("POST", "http://127.0.0.1/query")
    slow = httpx.Response(200, content=trickle(), request=request)
    with pytest.raises(QueryTimeout, match=r"longer than the 0\.5 s time limit"):
        read_within(slow, 0.5)
    whole = read_within(httpx.Response(200, content=trickle(), request=request), 30)
    assert whole.content.count(b"\n") == 40


def test_an_answer_past_the_read_limit_is_not_read_on() -> None:
    """Regression: an answer was read whole into memory however large it was."""
    def endless() -> Iterator[bytes]:
        while True:
            yield b"<http://a> <http://b> <http://c> .\n" * 100

    request = httpx.Request("POST", "http://127.0.0.1/query")
    big = httpx.Response(200, content=endless(), request=request)
    with pytest.raises(TooLarge, match="passed 10,000 bytes"):
        read_within(big, None, 10_000)


def test_a_compressed_answer_is_limited_by_its_decompressed_size() -> None:
    """A small gzip body that inflates past the limit is refused (counted decoded), and one
    within it is read as its decoded text."""
    inflating = gzip.compress(b" " * 1_000_000)
    request = httpx.Request("POST", "http://127.0.0.1/query")
    headers = {"content-encoding": "gzip"}
    assert len(inflating) < 10_000
    with pytest.raises(TooLarge):
        read_within(httpx.Response(200, headers=headers, content=iter([inflating]),
                                   request=request), None, 10_000)
    small = read_within(httpx.Response(200, headers=headers, content=iter([inflating]),
                                       request=request), 30, 2_000_000)
    assert small.content == b" " * 1_000_000 and small.text.strip() == ""
