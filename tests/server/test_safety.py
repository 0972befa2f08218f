"""Against a real server process: runaway queries are stopped, remote IRIs never fetched."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sparql_fixture import PEAKS_QUERY, TOKEN
from tests.services.launcher import LiveServer

from cckg.server.settings import Settings

pytestmark = pytest.mark.server

#: A six-way cross product of the fixture's 24 quads: 24^6 ≈ 1.9e8 rows to count.
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . " \
    "?p ?q ?r }"


def worker_pids(server: LiveServer) -> set[int]:
    """Child processes of the server (its query workers), from /proc."""
    assert server.process is not None
    children = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == server.process.pid:
                children.add(int(entry))
    return children


def cpu_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def test_runaway_query_is_stopped_and_its_worker_killed(live: LiveServer) -> None:
    with httpx.Client(timeout=30) as http:
        before = worker_pids(live)
        started = time.monotonic()
        response = http.get(live.endpoint, params={"query": RUNAWAY})
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert "time limit" in response.text and "CCKG_QUERY_TIMEOUT" in response.text
        assert elapsed < 5
        # the next request is answered at once by another worker
        started = time.monotonic()
        ok = http.get(live.endpoint, params={"query": PEAKS_QUERY})
        assert ok.status_code == 200
        assert time.monotonic() - started < 1
        # the worker that ran the runaway query is gone, so no core stays busy
        time.sleep(0.3)
        gone = before - worker_pids(live)
        assert gone, "no worker was killed"
        for pid in gone:
            assert cpu_ticks(pid) is None
        # a replacement worker arrives
        deadline = time.monotonic() + 20
        while len(worker_pids(live)) < len(before) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(worker_pids(live)) >= len(before)


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it.

    Each connection gets REPLY (an HTTP response with a recognisable body) and is closed.
    """

    MARKER = "remote-content-7f3a"
    REPLY = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
        f"Content-Length: {len(MARKER)}\r\nConnection: close\r\n\r\n{MARKER}"
    ).encode()

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            try:
                conn.settimeout(1)
                conn.recv(65536)
                conn.sendall(self.REPLY)
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def test_service_and_from_never_fetch(live: LiveServer) -> None:
    listener = Listener()
    try:
        remote = f"http://127.0.0.1:{listener.port}"
        with httpx.Client(timeout=10) as http:
            service = http.get(live.endpoint, params={
                "query": f"SELECT * {{ SERVICE <{remote}/> {{ ?s ?p ?o }} }}"})
            silent = http.get(live.endpoint, params={
                "query": f"SELECT * {{ SERVICE SILENT <{remote}/> {{ ?s ?p ?o }} }}"})
            from_ = http.get(live.endpoint, params={
                "query": f"SELECT * FROM <{remote}/x> FROM NAMED <{remote}/y> {{ ?s ?p ?o }}"})
            dataset = http.get(live.endpoint, params={
                "query": "ASK { ?s ?p ?o }", "default-graph-uri": f"{remote}/z"})
        assert service.status_code == 400 and "SERVICE" in service.text
        assert silent.status_code == 400
        assert from_.status_code == 200
        assert from_.json()["results"]["bindings"] == []
        assert dataset.status_code == 200 and dataset.json()["boolean"] is False
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_escaped_iri_does_not_hide_service(live: LiveServer) -> None:
    """CRITICAL 1: `\\u` in an IRI made the lexer read '#' as a comment and miss SERVICE."""
    listener = Listener()
    try:
        query = (
            "SELECT * WHERE { BIND(<http://x/\\u0041#> AS ?z) SERVICE "
            f"<http://127.0.0.1:{listener.port}/viaserver> {{ ?s ?p ?o }} }}"
        )
        with httpx.Client(timeout=10) as http:
            response = http.get(live.endpoint, params={"query": query})
        time.sleep(0.5)
        assert 400 <= response.status_code < 500
        assert "SERVICE would fetch remote data" in response.text
        assert Listener.MARKER not in response.text
        assert listener.connections == 0
    finally:
        listener.close()


def test_huge_body_does_not_block_other_requests(live: LiveServer) -> None:
    """CRITICAL 2: 1 MB of 'a.' made the lexer quadratic and stalled the event loop."""
    body = "a." * 500_000
    headers = {"content-type": "application/sparql-query"}
    with httpx.Client(timeout=30) as http, ThreadPoolExecutor(2) as pool:
        started = time.monotonic()
        big = pool.submit(http.post, live.endpoint, content=body, headers=headers)
        time.sleep(0.05)
        css = http.get(live.url + "static/style.css")
        css_elapsed = time.monotonic() - started
        response = big.result()
        elapsed = time.monotonic() - started
    assert css.status_code == 200
    assert css_elapsed < 3
    assert elapsed < 3
    assert response.status_code == 400
    assert "operators and separators" in response.text


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        ("SELECT * WHERE " + "{" * 10_000 + "}" * 10_000, "nested too deeply (limit 200"),
        ("SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
         "nested too deeply (limit 200"),
        ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 50_000) + " }",
         "more than 1000 UNION"),
        ("SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3_000 + "}" * 3_000 + " }",
         "nested too deeply (limit 200"),
        ("SELECT * WHERE { " + "{ SELECT * WHERE { ?s ?p ?o " * 3_000 + "} }" * 3_000 + " }",
         "nested too deeply (limit 200"),
    ],
    ids=["braces", "parentheses", "unions", "optionals", "subselects"],
)
def test_deep_or_long_queries_are_400_not_503(live: LiveServer, query: str, limit: str) -> None:
    """MEDIUM 9: these crashed the query worker (503 'stopped unexpectedly')."""
    with httpx.Client(timeout=30) as http:
        response = http.post(live.endpoint, content=query,
                             headers={"content-type": "application/sparql-query"})
        assert response.status_code == 400
        assert limit in response.text
        assert http.get(live.endpoint, params={"query": "ASK {}"}).status_code == 200


@pytest.fixture(scope="module")
def live_update(tmp_path_factory: pytest.TempPathFactory, dataset_file: Path) -> Iterator[
    LiveServer
]:
    """A real server process that accepts updates with the test token."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("live-update"), update_token=TOKEN,
                        query_workers=1)
    with LiveServer(settings, dataset=dataset_file) as server:
        yield server


def test_deeply_nested_update_is_400_and_the_server_lives(live_update: LiveServer) -> None:
    """MEDIUM 8: 20,000 nested braces in an update overflowed the server's stack."""
    update = "INSERT { <http://a> <http://b> <http://c> } WHERE " + "{" * 20_000 + "}" * 20_000
    with httpx.Client(timeout=30) as http:
        response = http.post(live_update.endpoint, content=update, headers={
            "content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 400
        assert "nested too deeply (limit 200" in response.text
        assert http.get(live_update.endpoint, params={"query": "ASK {}"}).status_code == 200
    assert live_update.process is not None and live_update.process.poll() is None
