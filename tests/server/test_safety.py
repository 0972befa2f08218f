"""Against a real server process: runaway queries are stopped, remote IRIs never fetched."""

from __future__ import annotations

import os
import socket
import threading
import time

import httpx
import pytest
from sparql_fixture import PEAKS_QUERY

from cckg.server.launcher import LiveServer

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
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

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
