"""The endpoint runs its jobs on the server's own event loop (uvloop under uvicorn), not
only on the pools' loop: answers of every size come back whole on both kinds of loop,
and sync callers on other threads still share the same workers."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import uvloop

from cckg.rdf.formats import RESULT_FORMATS, choose_result_format
from cckg.rdf.sparql_lex import analyse
from cckg.store.base import Outcome, QueryJob
from cckg.store.embedded import EmbeddedStore

EX = "http://example.org/"
ROWS = 2_000
#: Each row's literal: the whole answer (~2 MB) is far larger than a socket's buffer, so
#: the reply reaches the server in several reads.
FILLER = "年" * 300
QUERY = f"SELECT ?s ?label WHERE {{ ?s <{EX}label> ?label }} ORDER BY ?s"

LOOPS: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {
    "asyncio": asyncio.new_event_loop,
    "uvloop": uvloop.new_event_loop,
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore.open(Path(tmp_path_factory.mktemp("store")))
    opened.replace_graph(f"{EX}graph", [
        ox.Triple(ox.NamedNode(f"{EX}s{i:05d}"), ox.NamedNode(f"{EX}label"),
                  ox.Literal(f"{i} {FILLER}"))
        for i in range(ROWS)
    ])
    opened.start(workers=2)
    yield opened
    opened.close()


def job(text: str) -> QueryJob:
    formats = {kind: choices[0] for kind, choices in RESULT_FORMATS.items()}
    formats["solutions"] = choose_result_format("solutions", "application/sparql-results+json", ())
    return QueryJob(query=text, base_iri=None, default_graphs=None, named_graphs=None,
                    union_default_graph=True, formats=formats, max_rows=100_000,
                    shape=analyse(text).shape)


def run_on(loop_name: str, work: Coroutine[Any, Any, Outcome]) -> Outcome:
    with asyncio.Runner(loop_factory=LOOPS[loop_name]) as runner:
        return runner.run(work)


@pytest.mark.parametrize("loop_name", sorted(LOOPS))
def test_a_large_answer_comes_back_whole_on_either_loop(store: EmbeddedStore, loop_name: str):
    for _ in range(2):  # the second job reuses the worker whose pipe the loop watched
        outcome = run_on(loop_name, store.answer_async(job(QUERY), 30))
        assert outcome.status == 200, outcome.body[:300]
        assert len(outcome.body) > 1_000_000
        rows = json.loads(outcome.body)["results"]["bindings"]
        assert len(rows) == ROWS
        assert rows[-1]["label"]["value"] == f"{ROWS - 1} {FILLER}"
    # uvloop makes an fd it watched non-blocking: the pipes must be blocking again, or a
    # reply the worker is still writing fails half-read (a race this test cannot force)
    assert store.runner is not None
    pipes = [worker.conn.fileno() for worker in store.runner.sparql._all]
    assert pipes and all(os.get_blocking(fd) for fd in pipes)


def test_jobs_from_two_loops_at_once_share_the_workers(store: EmbeddedStore):
    """8 jobs, 2 workers: 6 wait (at most 8 may), handed over across the two loops."""
    small = job(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}label> ?o }}")

    async def many() -> list[Outcome]:
        return list(await asyncio.gather(*(store.answer_async(small, 30) for _ in range(4))))

    async def both() -> list[Outcome]:
        other = asyncio.get_running_loop().run_in_executor(
            None, lambda: asyncio.run(many()))
        return await many() + await other

    outcomes = run_on("uvloop", both())
    assert [o.status for o in outcomes] == [200] * 8
    counts = {json.loads(o.body)["results"]["bindings"][0]["n"]["value"] for o in outcomes}
    assert counts == {str(ROWS)}


def test_a_job_whose_preparation_fails_gives_its_worker_back(store: EmbeddedStore):
    assert store.runner is not None
    pool = store.runner.sparql
    killed, pids = pool.killed, set(pool.pids)

    async def refuse(job: QueryJob, timeout: float) -> QueryJob:
        raise OSError("the snapshot could not be read")

    async def fail_then_answer() -> Outcome:
        with pytest.raises(OSError, match="snapshot"):
            await pool.run(job(QUERY), 30, refuse)
        return await store.answer_async(job(QUERY), 30)

    assert run_on("uvloop", fail_then_answer()).status == 200
    assert pool.killed == killed and set(pool.pids) == pids  # no worker was replaced
