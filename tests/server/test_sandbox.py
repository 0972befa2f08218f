"""Query workers cannot open network sockets (seccomp), yet still talk to the server."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_safety import Listener

from cckg.rdf.formats import RESULT_FORMATS
from cckg.store.embedded import EmbeddedStore
from cckg.store.worker_main import QueryJob
from cckg.store.workers import Worker

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="seccomp: Linux")


def test_blocked_process_gets_eperm_for_inet_but_keeps_unix_sockets() -> None:
    code = textwrap.dedent("""
        import socket
        from cckg.store.sandbox import block_network
        assert block_network() is None
        a, b = socket.socketpair()
        a.send(b"ok"); assert b.recv(2) == b"ok"
        for family in (socket.AF_INET, socket.AF_INET6):
            try:
                socket.socket(family)
            except PermissionError:
                continue
            raise SystemExit(f"family {family} was not blocked")
        print("blocked")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "blocked"


def test_worker_is_sandboxed_and_service_reaches_no_listener(tmp_path: Path) -> None:
    """Even a SERVICE query that got past the lexer cannot connect from a worker."""
    store = EmbeddedStore.open(tmp_path)
    generation, snapshot = store.snapshot()
    listener = Listener()
    worker = Worker.start()
    try:
        assert worker.unsandboxed is None
        job = QueryJob(
            query=f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}",
            base_iri=None, default_graphs=None, named_graphs=None, union_default_graph=False,
            formats={kind: offered[0] for kind, offered in RESULT_FORMATS.items()}, max_rows=10,
            snapshot=str(snapshot), generation=generation,
        )
        outcome = worker.call(job, 30)
        assert outcome.status != 200
        assert listener.connections == 0
    finally:
        worker.stop()
        listener.close()


def test_service_description_says_workers_are_isolated(client) -> None:
    text = client.get("/sparql", headers={"accept": "application/n-triples"}).text
    assert "query workers cannot open network sockets (seccomp)" in text
    assert "lexical check only" not in text
