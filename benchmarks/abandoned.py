"""Load test: 50 abandoned runaway queries must not stall the site (issue 12).

Starts the CCKG server on 127.0.0.1 over the built dump, sends 50 runaway SPARQL queries
(a four-way cross product) whose clients hang up after half a second, then measures
p50/p99 latency of `/`, `/queries/cq01` and `ASK {}`. Before the fix the runaways kept
running and each of these took 26 s or more. Prints a Markdown table and writes it to
benchmarks/results/abandoned.md.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from tests.services.launcher import LiveServer

from benchmarks.server import dataset_path
from cckg.server.settings import Settings

RESULTS = Path(__file__).parent / "results" / "abandoned.md"
#: A four-way cross product of the whole graph: minutes of work for each query.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TARGETS = {
    "/": ("", {}),
    "/queries/cq01": ("queries/cq01", {}),
    "ASK {}": ("sparql", {"query": "ASK {}"}),
}


def abandon(endpoint: str, count: int, concurrency: int, after: float) -> None:
    """Send `count` runaway queries, `concurrency` at a time, each dropped after `after` s."""
    remaining = iter(range(count))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            with contextlib.suppress(httpx.HTTPError):  # the client hangs up: the point
                httpx.get(endpoint, params={"query": RUNAWAY}, timeout=after)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def latencies(base: str, path: str, params: dict[str, str], requests: int) -> list[float]:
    """Seconds per request for `requests` sequential GETs after one warm-up request (every
    answer must be 200)."""
    times = []
    with httpx.Client(timeout=60) as http:
        http.get(base + path, params=params)
        for _ in range(requests):
            started = time.perf_counter()
            response = http.get(base + path, params=params)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}: {response.text}")
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runaways", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200, help="per measured URL")
    parser.add_argument("--dataset", type=Path, help="N-Quads file (default: dist/cckg.nq)")
    args = parser.parse_args(argv)
    dataset = args.dataset or dataset_path()
    rows = []
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), query_workers=2, query_timeout=30)
        with LiveServer(settings, dataset=dataset) as server:
            started = time.perf_counter()
            abandon(server.endpoint, args.runaways, concurrency=10, after=0.5)
            abandoned_in = time.perf_counter() - started
            hung_up = time.perf_counter()
            first = httpx.get(server.endpoint, params={"query": "ASK {}"}, timeout=60)
            recovered_in = time.perf_counter() - hung_up
            assert first.status_code == 200, first.text
            for name, (path, params) in TARGETS.items():
                times = sorted(latencies(server.url, path, params, args.requests))
                p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
                rows.append((name, statistics.median(times) * 1000, p99 * 1000,
                             max(times) * 1000))
    table = "\n".join(
        f"| `{name}` | {p50:.1f} | {p99:.1f} | {worst:.1f} |" for name, p50, p99, worst in rows
    )
    report = (
        "# Abandoned runaway queries\n\n"
        f"{args.runaways} runaway queries (`{RUNAWAY}`), 10 at a time, each dropped by its "
        f"client after 0.5 s (all sent in {abandoned_in:.1f} s); then {args.requests} "
        f"sequential requests per URL after one warm-up request each. The first `ASK {{}}` "
        f"after the last client hung up was answered in {recovered_in * 1000:.0f} ms. "
        f"Dataset `{dataset.name}`; 2 query workers, 30 s query time limit.\n\n"
        "| request | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n"
        f"{table}\n"
    )
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
