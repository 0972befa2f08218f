"""Against real server processes: heavy or abandoned work never stalls the site (issue 12).

Each test bounds its own waits with client timeouts well below the server's limits, so
a server that still queued behind runaway work would fail them, not just be slow.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sparql_fixture import ID, PEAKS_QUERY, TOKEN
from test_safety import RUNAWAY, Listener, worker_pids
from tests.services.launcher import LiveServer

from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore
from cckg.store.workers import QueryRunner, WorkerLimits

pytestmark = pytest.mark.server

UPDATE = {"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"}
#: Each row a string of 24^3 = 13,824 fixture IRIs glued together (well over 100 kB).
HUGE_ROWS = (
    "SELECT (GROUP_CONCAT(STR(?a)) AS ?x) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } "
)
#: A three-way product an update has to evaluate before it writes anything.
SLOW_UPDATE = "INSERT { <http://x/s> <http://x/count> ?n } WHERE { SELECT (COUNT(*) AS ?n) { " + \
    " ".join(f"GRAPH ?g{i} {{ ?s{i} ?p{i} ?o{i} }}" for i in range(6)) + " } }"


def abandon(url: str, params: dict[str, str], after: float = 0.5) -> None:
    """Send a request and hang up after `after` seconds without reading the answer."""
    with contextlib.suppress(httpx.TimeoutException):
        httpx.get(url, params=params, timeout=after)


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory, dataset_file: Path) -> Iterator[LiveServer]:
    """One query worker, two queued requests at most, and a 60 s query time limit."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("busy"), query_workers=1, query_timeout=60,
        max_queued_queries=2, update_token=TOKEN, update_timeout=3, max_result_bytes=100_000,
    )
    log = tmp_path_factory.mktemp("busy-log") / "server.log"
    with LiveServer(settings, dataset=dataset_file, log=log) as server:
        yield server


def test_abandoned_runaways_are_stopped(busy: LiveServer) -> None:
    """12.2: runaway queries dropped by their clients kept running and stalled the site."""
    before = worker_pids(busy)
    threads = [threading.Thread(target=abandon, args=(busy.endpoint, {"query": RUNAWAY}))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The query time limit is 60 s: ASK {} is answered long before only if the runaway
    # worker was killed when its client went away.
    with httpx.Client(timeout=20) as http:
        # (a text no earlier request sent: a kept answer would need no worker)
        fresh = "ASK { BIND(1 AS ?after_abandoned_runaways) }"
        assert http.get(busy.endpoint, params={"query": fresh}).json()["boolean"] is True
    assert before - worker_pids(busy), "the runaway's worker was not killed"


def test_queue_full_is_503_with_retry_after_at_once(busy: LiveServer) -> None:
    """12.2: requests waiting for a worker are bounded; one more is refused at once."""
    threads = [threading.Thread(target=abandon, args=(busy.endpoint, {"query": RUNAWAY}, 4))
               for _ in range(3)]  # one running, two queued
    for thread in threads:
        thread.start()
    time.sleep(1)
    try:
        with httpx.Client(timeout=2) as http:
            # a text no earlier request sent: a kept answer is served without a worker
            refused = http.get(busy.endpoint, params={"query": "ASK { BIND(2 AS ?queue) }"})
            assert refused.status_code == 503
            assert refused.headers["Retry-After"] == "2"
            assert "CCKG_MAX_QUEUED_QUERIES" in refused.text
            # pages, static files and dumps do not wait behind SPARQL
            assert http.get(busy.url + "static/style.css").status_code == 200
            page = http.get(busy.url + "id/place/110000", headers={"accept": "text/turtle"})
            assert page.status_code == 200 and "Beijing" in page.text
            assert http.get(busy.url).status_code == 200
    finally:
        for thread in threads:
            thread.join()


def test_result_over_the_byte_limit_is_a_clear_503(busy: LiveServer) -> None:
    """12.5: a small query returned 199.5 MB; results now stop at max_result_bytes."""
    with httpx.Client(timeout=30) as http:
        response = http.get(busy.endpoint, params={"query": HUGE_ROWS})
        assert response.status_code == 503
        assert "100,000-byte limit (CCKG_MAX_RESULT_BYTES)" in response.text
        assert http.get(busy.endpoint, params={"query": PEAKS_QUERY}).status_code == 200


def test_update_is_time_limited_and_queries_read_the_last_commit(busy: LiveServer) -> None:
    """12.4: a long update ran unbounded and every query got 503 meanwhile."""
    with httpx.Client(timeout=30) as http:
        added = http.post(busy.endpoint, headers=UPDATE,
                          content=f"INSERT DATA {{ <{ID}x> <{ID}p> 'committed' }}")
        assert added.status_code == 204
        box: list[httpx.Response] = []
        worker = threading.Thread(target=lambda: box.append(
            http.post(busy.endpoint, headers=UPDATE, content=SLOW_UPDATE)))
        worker.start()
        time.sleep(0.5)
        # while the update runs, queries read the state committed before it
        during = http.get(busy.endpoint, params={"query": f"ASK {{ <{ID}x> ?p 'committed' }}"})
        assert during.status_code == 200 and during.json()["boolean"] is True
        worker.join()
        assert box[0].status_code == 503
        assert "stopped after 3 s (CCKG_UPDATE_TIMEOUT)" in box[0].text
        assert "nothing was applied" in box[0].text
        count = http.get(busy.endpoint, params={"query": "SELECT (COUNT(*) AS ?n) {?s ?p ?o}"})
        assert count.json()["results"]["bindings"][0]["n"]["value"] == "25"


def test_malformed_chunked_body_logs_one_line(busy: LiveServer) -> None:
    """12.10: a malformed chunked body (or a client hanging up) logged a full traceback."""
    assert busy.log is not None
    start = busy.log.stat().st_size
    with socket.create_connection(("127.0.0.1", busy.settings.port), timeout=5) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/sparql-query\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n5\r\nASK {\r\nzz\r\n")
        sock.settimeout(5)
        with contextlib.suppress(OSError):
            sock.recv(1000)
    time.sleep(0.5)
    with httpx.Client(timeout=10) as http:
        assert http.get(busy.endpoint, params={"query": "ASK {}"}).status_code == 200
    written = busy.log.read_bytes()[start:].decode("utf-8", "replace")
    assert "Traceback" not in written
    assert len([line for line in written.splitlines() if "disconnect" in line.lower()]) <= 1


#: A string doubled 22 times from 256 bytes: 1 GiB for one row whose answer is a number.
DOUBLING = "SELECT (STRLEN(?v22) AS ?n) WHERE { BIND(REPLACE(STR(<http://x/>), '.*', '" + \
    "x" * 256 + "') AS ?v0) " + \
    " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(22)) + " }"


def test_worker_memory_is_capped(tmp_path: Path, dataset_file: Path) -> None:
    """12.5: a worker peaked at 1.2 GB; past --worker-memory it is stopped (503)."""
    settings = Settings(data_dir=tmp_path, query_workers=1, worker_memory=400)
    with LiveServer(settings, dataset=dataset_file) as server, httpx.Client(timeout=60) as http:
        assert http.get(server.endpoint, params={"query": "ASK {}"}).status_code == 200
        response = http.get(server.endpoint, params={"query": DOUBLING})
        assert response.status_code == 503
        assert "CCKG_WORKER_MEMORY" in response.text
        assert http.get(server.endpoint, params={"query": "ASK {}"}).status_code == 200


def test_acknowledged_update_survives_kill_9(tmp_path: Path, dataset_file: Path) -> None:
    """12.9: an update answered 204 is on disk: it survives SIGKILL of the server."""
    settings = Settings(data_dir=tmp_path, query_workers=1, update_token=TOKEN)
    with LiveServer(settings, dataset=dataset_file) as server:
        for n in range(3):
            done = httpx.post(server.endpoint, headers=UPDATE, timeout=30,
                              content=f"INSERT DATA {{ <{ID}kept> <{ID}n> {n} }}")
            assert done.status_code == 204
        assert server.process is not None
        server.process.kill()  # SIGKILL: no shutdown, no flush
        server.process.wait()
    with LiveServer(settings, dataset=dataset_file) as again:
        response = httpx.get(again.endpoint, timeout=30, params={
            "query": f"SELECT (COUNT(*) AS ?n) {{ <{ID}kept> <{ID}n> ?v }}"})
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "3"


def test_update_worker_cannot_fetch_even_past_the_lexer(tmp_path: Path) -> None:
    """12.1: updates run in the sandboxed worker, so a LOAD the lexer missed fetches nothing."""
    store = EmbeddedStore.open(tmp_path)
    runner = QueryRunner(store, workers=1, limits=WorkerLimits(update_timeout=30))
    listener = Listener()
    runner.start()
    try:
        for update in (f"LOADSILENT<http://127.0.0.1:{listener.port}/x>",
                       f"LOAD <http://127.0.0.1:{listener.port}/y>"):
            runner.update(update, None)  # straight to the worker: no lexer on this path
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        runner.close()
        listener.close()


@pytest.mark.parametrize(("limits", "paths", "expected"), [
    ({"page_timeout": 0.0001}, ("id/place/110000", "queries/cq01.csv", ""),
     "within 0.0001 s (CCKG_PAGE_TIMEOUT)"),
    ({"max_result_bytes": 300}, ("id/place/110000",), "300-byte limit (CCKG_MAX_RESULT_BYTES)"),
])
def test_pages_read_the_store_within_limits(
    tmp_path: Path, dataset_file: Path, limits: dict[str, float], paths: tuple[str, ...],
    expected: str,
) -> None:
    """12.3 and 12.5: /id descriptions, named queries and pages ran unbounded in the server
    process; now each read has the page deadline and the byte limit, answered 503."""
    settings = Settings(data_dir=tmp_path, query_workers=1, **limits)
    with LiveServer(settings, dataset=dataset_file) as server, httpx.Client(timeout=30) as http:
        for path in paths:
            response = http.get(server.url + path, headers={"accept": "text/turtle"})
            assert response.status_code == 503, path
            assert expected in response.text and response.headers["Retry-After"] == "2"
        assert http.get(server.url + "static/style.css").status_code == 200


def test_glued_keywords_over_http_fetch_nothing(busy: LiveServer) -> None:
    """12.1: the issue's forms reached a loopback listener (LOAD 204, SERVICE wrote data)."""
    listener = Listener()
    remote = f"http://127.0.0.1:{listener.port}"
    try:
        with httpx.Client(timeout=30) as http:
            for update in (f"LOADSILENT<{remote}/x>", f"PREFIX ex: <{remote}/> LOADex:u4",
                           f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICESILENT<{remote}/u>"
                           "{?s ?p ?o} }"):
                response = http.post(busy.endpoint, headers=UPDATE, content=update)
                assert response.status_code == 400 and "would fetch remote data" in response.text
            query = http.get(busy.endpoint, params={
                "query": f"SELECT * {{ SERVICESILENT<{remote}/u>{{?s ?p ?o}} }}"})
            assert query.status_code == 400 and "SERVICE" in query.text
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()
