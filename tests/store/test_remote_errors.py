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
from cckg.store.engines import VIRTUOSO
from cckg.store.remote import RemoteStore, StoreUnavailable, read_within


def job_for(query: str) -> QueryJob:
    """A client's query as the endpoint hands it to a store."""
    return QueryJob(query=query, base_iri=None, default_graphs=None, named_graphs=None,
                    union_default_graph=True,
                    formats={k: v[0] for k, v in RESULT_FORMATS.items()}, max_rows=10)


def test_an_unreachable_engine_is_an_os_error() -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=5)
    with pytest.raises(StoreUnavailable, match="cannot reach the SPARQL engine"):
        store.query("ASK {}")
    outcome = store.answer(job_for("ASK {}"), 5)
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
    with pytest.raises(QueryTimeout, match="still coming at the time limit"):
        read_within(slow, time.monotonic() + 0.5)
    whole = read_within(httpx.Response(200, content=trickle(), request=request),
                        time.monotonic() + 30)
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
                                       request=request), time.monotonic() + 30, 2_000_000)
    assert small.content == b" " * 1_000_000 and small.text.strip() == ""


def test_the_time_limit_counts_the_wait_for_the_answer_to_start() -> None:
    """Regression: the whole-answer deadline started once the headers had come, so 0.7 s
    of thinking and 0.7 s of rows passed a 1 s limit."""
    rows = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'

    def late_then_slow() -> Iterator[bytes]:
        time.sleep(0.7)
        yield rows

    def handle(request: httpx.Request) -> httpx.Response:
        time.sleep(0.7)
        return httpx.Response(200, headers={"content-type": "application/sparql-results+json"},
                              content=late_then_slow())

    store = RemoteStore("http://127.0.0.1/query", transport=httpx.MockTransport(handle))
    store.start(workers=2)  # the server's pool of connections keeps the transport
    outcome = store.answer(job_for("SELECT ?s WHERE { ?s ?p ?o }"), 1.0)
    assert outcome.status == 503 and b"stopped after the 1 s time limit" in outcome.body
    assert store.answer(job_for("SELECT ?s WHERE { ?s ?p ?o }"), 5.0).status == 200
    store.close()


def test_virtuoso_cut_while_writing_rows_is_answered_as_a_timeout() -> None:
    """Regression (CI): Virtuoso's 500 with partial rows and its S1TAT error was a 502/400
    "engine failed"; the same error for another reason, whose query merely quotes the
    S1TAT text, stays an engine error."""
    def virtuoso(said: str) -> RemoteStore:
        def handle(request: httpx.Request) -> httpx.Response:
            if b"Service" in request.content:  # the profile's look-up of its own graphs
                return httpx.Response(200, json={"head": {"vars": ["g"]},
                                                 "results": {"bindings": []}})
            return httpx.Response(500, text=said)
        return RemoteStore("http://127.0.0.1/sparql", engine=VIRTUOSO,
                           transport=httpx.MockTransport(handle))

    cut = virtuoso('{ "head": { "vars": ["s"] }, "results": { "bindings": [ { "s": '
                   "Virtuoso S1TAT Error RC...: Returning incomplete results, query "
                   "interrupted by result timeout.  Activity: 141K rnd\n\nSPARQL query:\n"
                   "SELECT * WHERE { ?s ?p ?o }")
    outcome = cut.answer(job_for("SELECT * WHERE { ?s ?p ?o }"), 6.0)
    assert outcome.status == 503 and b"stopped after the 6 s time limit" in outcome.body
    query = 'SELECT * WHERE { ?s ?p "Virtuoso S1TAT Error" }'
    refused = virtuoso("Virtuoso 42000 Error SR186: No permission\n\nSPARQL query:\n" + query)
    outcome = refused.answer(job_for(query), 6.0)
    assert outcome.status == 400 and b"SR186" in outcome.body
    cut.close()
    refused.close()
