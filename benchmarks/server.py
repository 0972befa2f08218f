"""SPARQL endpoint throughput and latency: CCKG's server beside peers, same query and data.

For one query (CQ01 by default) at 1 and 8 concurrent clients it measures requests per
second and p50/p99 latency of:

- pyoxigraph in-process (query + JSON serialisation, no HTTP): the lower bound;
- the CCKG server (a real process over HTTP, JSON results);
- rdflib-endpoint (pip install rdflib-endpoint) with rdflib's default store, if installed.

It prints a Markdown table with ratios to the CCKG server and writes it to
benchmarks/results/server.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
from tests.services.launcher import LiveServer
from tests.services.process import free_port

from cckg.paths import PATHS
from cckg.server.settings import Settings

RESULTS = Path(__file__).parent / "results" / "server.md"

#: One call of a benchmarked system: run the query once, return the number of rows.
Call = Callable[[], int]


@dataclass(frozen=True)
class Stats:
    """Throughput and latency of one system at one concurrency."""

    system: str
    clients: int
    requests: int
    rows: int
    per_second: float
    p50_ms: float
    p99_ms: float


def measure(system: str, make_call: Callable[[], Call], clients: int, requests: int) -> Stats:
    """Run `requests` calls split over `clients` threads (after a warm-up); collect timings."""
    warm = make_call()
    rows = warm()
    for _ in range(5):
        warm()
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = max(requests // clients, 1)

    def client() -> None:
        call = make_call()
        mine = []
        for _ in range(per_client):
            started = time.perf_counter()
            call()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return Stats(
        system, clients, len(latencies), rows, len(latencies) / elapsed,
        statistics.median(latencies) * 1000, quantiles[98] * 1000,
    )


def pyoxigraph_call(store: ox.Store, query: str) -> Call:
    """One query on pyoxigraph in this process, written as SPARQL JSON; returns its rows."""

    def call() -> int:
        result = store.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions), "the benchmarks' queries are SELECTs"
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        assert body is not None  # serialize() returns the bytes when given no output
        rows: list[object] = json.loads(body)["results"]["bindings"]
        return len(rows)

    return call


def in_process(dataset: Path, query: str) -> Callable[[], Call]:
    """pyoxigraph over the same dump in this process, results as SPARQL JSON."""
    store = ox.Store()
    store.bulk_load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
    return lambda: pyoxigraph_call(store, query)


def over_http(endpoint: str, query: str) -> Callable[[], Call]:
    """A client of a SPARQL endpoint (GET, JSON results), one connection per client."""

    def make_call() -> Call:
        http = httpx.Client(timeout=60, headers={"accept": "application/sparql-results+json"})

        def call() -> int:
            response = http.get(endpoint, params={"query": query})
            response.raise_for_status()
            return len(response.json()["results"]["bindings"])

        return call

    return make_call


class RdflibEndpoint:
    """rdflib-endpoint serving the dump (rdflib's default store), in a child process."""

    def __init__(self, dataset: Path) -> None:
        self.dataset = dataset
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> RdflibEndpoint:
        command = shutil.which("rdflib-endpoint", path=str(Path(sys.executable).parent))
        assert command is not None
        self.process = subprocess.Popen(
            [command, "serve", "--host", "127.0.0.1", "--port", str(self.port),
             str(self.dataset)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.endpoint + "?query=ASK%7B%7D", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("rdflib-endpoint did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)


def table(stats: list[Stats]) -> str:
    """A Markdown table; ratios are requests/s relative to the CCKG server."""
    ours = {s.clients: s.per_second for s in stats if s.system == "cckg server"}
    lines = [
        "| system | clients | requests | rows | req/s | p50 ms | p99 ms | req/s vs cckg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in stats:
        ratio = s.per_second / ours[s.clients] if ours.get(s.clients) else float("nan")
        lines.append(
            f"| {s.system} | {s.clients} | {s.requests} | {s.rows} | {s.per_second:,.0f} | "
            f"{s.p50_ms:.2f} | {s.p99_ms:.2f} | {ratio:.2f}× |"
        )
    return "\n".join(lines)


def dataset_path() -> Path:
    """The built dump (building it first if missing or stale)."""
    from cckg.cli.serve import build_if_stale

    return build_if_stale(PATHS.dist)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--query", type=Path, default=PATHS.queries / "cq01.rq")
    parser.add_argument("--requests", type=int, default=400, help="per system and concurrency")
    parser.add_argument("--dataset", type=Path, help="N-Quads file (default: dist/cckg.nq)")
    args = parser.parse_args(argv)
    dataset = args.dataset or dataset_path()
    query = args.query.read_text(encoding="utf-8")
    stats: list[Stats] = []
    concurrencies = (1, 8)
    for clients in concurrencies:
        stats.append(measure("pyoxigraph in-process", in_process(dataset, query), clients,
                             args.requests))
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), query_workers=8)
        with LiveServer(settings, dataset=dataset) as server:
            for clients in concurrencies:
                stats.append(measure("cckg server", over_http(server.endpoint, query), clients,
                                     args.requests))
    if shutil.which("rdflib-endpoint", path=str(Path(sys.executable).parent)):
        with RdflibEndpoint(dataset) as peer:
            for clients in concurrencies:
                stats.append(measure("rdflib-endpoint (rdflib store)",
                                     over_http(peer.endpoint, query), clients, args.requests))
    else:
        print("rdflib-endpoint is not installed: `pip install rdflib-endpoint` to compare")
    report = (
        f"# SPARQL endpoint benchmark\n\nQuery: `{args.query.name}`; dataset: "
        f"`{dataset.name}` ({sum(1 for _ in dataset.open(encoding='utf-8')):,} quads); "
        f"{args.requests} requests per row.\n\n{table(stats)}\n"
    )
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
