"""CCKG server beside Oxigraph server and rdflib-endpoint, same data, same requests (issue 13).

Load comes from `wrk` (Debian package `wrk`) with a Lua script that rotates request
bodies; every row runs a few seconds on 127.0.0.1. Rows:

- **repeated CQ mix**: the 15 named queries as plain SPARQL (parameters bound by a trailing
  VALUES), POSTed round-robin, at 1 and 8 connections; CCKG also with uvicorn's pure-Python
  loop and parser (asyncio + h11) instead of the uvloop + httptools it installs;
- **unique CQ mix**: the same with a value that differs on every request (a BIND of a
  counter nothing reads), so no answer can be reused;
- **/id pages**: /id/place/370000 as Turtle uncached (cache off) and cached, beside one
  Oxigraph CONSTRUCT of the same neighbourhood (the description's own query), and every
  province page round-robin at 8 connections.

It prints the rows, the ratios to Oxigraph server and the hardware, and writes them to
benchmarks/results/speed.md. Each row is the median of `--rounds` runs of `--seconds`,
taken in turn with the other systems of its test (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from tests.services.launcher import LiveServer
from tests.services.oxigraph import OxigraphServer, oxigraph_command

from benchmarks.server import RdflibEndpoint, dataset_path
from cckg.rdf.named_queries import list_queries, resolve_parameters
from cckg.rdf.namespaces import PREFIXES
from cckg.rdf.sparql_text import sparql_prologue, with_values
from cckg.server.describe import description_query
from cckg.server.settings import Settings

RESULTS = Path(__file__).parent / "results" / "speed.md"
JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
PLACE = "https://w3id.org/cckg/id/place/370000"
COUNTER = "BENCHCOUNTER"
#: CCKG installs uvloop and httptools, which uvicorn picks by itself; the pure-Python loop
#: and parser (asyncio, h11) are measured beside them to show what they bring.
UVICORN_PLAIN = ("--loop", "asyncio", "--http", "h11")
#: Least length of rdflib-endpoint's runs (it answers in seconds under 8 connections).
PEER_SECONDS = 15.0


@dataclass(frozen=True)
class Row:
    """One measured row: what, which system, connections, throughput and latency."""

    test: str
    system: str
    connections: int
    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p99_ms: float


# -- the requests ------------------------------------------------------------------------


def cq_mix(unique: bool) -> list[str]:
    """The named queries as plain SPARQL, parameters bound as the remote store binds them
    (a trailing VALUES); with `unique`, a BIND of COUNTER (replaced by a number that
    differs per request) that nothing reads."""
    texts = []
    for query in list_queries():
        bound = {name: v.term() for name, v in resolve_parameters(query, {}).items()}
        text = query.text
        if unique:
            head, where, rest = text.partition("WHERE {")
            assert where, f"{query.name} has no 'WHERE {{'"
            text = f'{head}{where} BIND("{COUNTER}" AS ?bench_counter){rest}'
        texts.append(with_values(text, bound))
    return texts


def form_body(query: str) -> str:
    return urlencode({"query": query})


# -- wrk -----------------------------------------------------------------------------------


LUA = """
local bodies = {%(bodies)s}
local paths = {%(paths)s}
local method = "%(method)s"
local headers = {["Accept"] = "%(accept)s",
                 ["Content-Type"] = "application/x-www-form-urlencoded"}
local counter = 0
local thread_id = 0
local next_id = 0
setup = function(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end
request = function()
  counter = counter + 1
  local i = (counter %% math.max(#bodies, #paths)) + 1
  local body = nil
  if #bodies > 0 then
    body = string.gsub(bodies[(i - 1) %% #bodies + 1], "%(marker)s",
                       tostring(thread_id * 1000000000 + counter))
  end
  local path = paths[(i - 1) %% #paths + 1]
  return wrk.format(method, path, headers, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%f %%f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def _lua_string(text: str) -> str:
    level = "=" * 4
    assert f"]{level}]" not in text
    return f"[{level}[{text}]{level}]"


def run_wrk(base: str, paths: list[str], bodies: list[str], accept: str, connections: int,
            seconds: float) -> tuple[int, int, float, float, float]:
    """(requests, errors, req/s, p50 ms, p99 ms) of wrk on `base` for `seconds`."""
    script = LUA % {
        "bodies": ", ".join(_lua_string(b) for b in bodies),
        "paths": ", ".join(_lua_string(p) for p in paths),
        "method": "POST" if bodies else "GET",
        "accept": accept,
        "marker": COUNTER,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        threads = min(connections, os.cpu_count() or 1)
        out = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
             "--timeout", "30s", "-s", lua.name, base],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        ).stdout
    finally:
        os.unlink(lua.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    requests, micros, errors, p50, p99 = line.split()[1:]
    return (int(requests), int(errors), int(requests) / (int(micros) / 1e6),
            float(p50) / 1000, float(p99) / 1000)


def check(base: str, paths: list[str], bodies: list[str], accept: str) -> None:
    """Every request once (this also warms caches); each must be answered 200."""
    with httpx.Client(timeout=60) as http:
        for i in range(max(len(paths), len(bodies))):
            path = paths[i % len(paths)]
            headers = {"accept": accept}
            if bodies:
                body = bodies[i % len(bodies)].replace(COUNTER, "0")
                headers["content-type"] = "application/x-www-form-urlencoded"
                response = http.post(base.rstrip("/") + path, content=body, headers=headers)
            else:
                response = http.get(base.rstrip("/") + path, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"{base}{path}: {response.status_code} {response.text[:300]}")


def measure(test: str, system: str, base: str, paths: list[str], bodies: list[str],
            accept: str, connections: int, seconds: float) -> Row:
    """One wrk run of a few seconds after every request was sent once (and checked)."""
    check(base, paths, bodies, accept)
    requests, errors, rate, p50, p99 = run_wrk(base, paths, bodies, accept, connections,
                                               seconds)
    return Row(test, system, connections, requests, errors, rate, p50, p99)


def median_row(runs: list[Row]) -> Row:
    """The rounds of one row as one: summed requests and errors, median rate and latency."""
    first = runs[0]
    row = Row(first.test, first.system, first.connections, sum(r.requests for r in runs),
              sum(r.errors for r in runs), statistics.median(r.per_second for r in runs),
              statistics.median(r.p50_ms for r in runs),
              statistics.median(r.p99_ms for r in runs))
    print(f"  {row.test:<24} {row.system:<22} c={row.connections} {row.per_second:8.1f} "
          f"req/s p50 {row.p50_ms:7.2f} ms p99 {row.p99_ms:7.2f} ms errors {row.errors}",
          flush=True)
    return row


Target = tuple[str, str, list[str], list[str], str]


def compare(test: str, targets: list[Target], connections: int, seconds: float,
            rounds: int) -> list[Row]:
    """Systems measured in turn, `rounds` times over (so a burst of load elsewhere on the
    machine hits them alike), each as the median of its rounds."""
    runs: dict[str, list[Row]] = {system: [] for system, *_ in targets}
    for _ in range(rounds):
        for system, base, paths, bodies, accept in targets:
            runs[system].append(measure(test, system, base, paths, bodies, accept,
                                        connections, seconds))
    return [median_row(r) for r in runs.values()]


# -- the systems ---------------------------------------------------------------------------


@contextmanager
def oxigraph_server(dataset: Path) -> Iterator[OxigraphServer]:
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([oxigraph_command(), "load", "--location", directory, "--file",
                        str(dataset)], check=True, capture_output=True)
        with OxigraphServer(Path(directory), options=("--union-default-graph",)) as server:
            yield server


@contextmanager
def cckg_server(dataset: Path, cache: bool, uvicorn_options: tuple[str, ...] = ()
                ) -> Iterator[LiveServer]:
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(data_dir=Path(directory), query_workers=os.cpu_count() or 2,
                            answer_cache_bytes=200_000_000 if cache else 0)
        with LiveServer(settings, dataset=dataset, uvicorn_options=uvicorn_options) as server:
            yield server


def hardware() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines()
                          if x.startswith("MemTotal")).split()[1])
        memory = f"{mem_kb / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "unknown RAM"
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{model}, {os.cpu_count()} CPUs, {memory}; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}; pyoxigraph "
            f"{ox.__version__ if hasattr(ox, '__version__') else '?'}; load average {load} "
            "(shared machine)")


# -- the run -------------------------------------------------------------------------------


def province_paths(base: str) -> list[str]:
    query = sparql_prologue(PREFIXES) + "SELECT ?p { ?p a cckg:Province } ORDER BY ?p"
    with httpx.Client(timeout=60) as http:
        rows = http.get(base + "sparql", params={"query": query},
                        headers={"accept": JSON}).json()["results"]["bindings"]
    return ["/" + r["p"]["value"].removeprefix(PREFIXES["id"].removesuffix("id/")) + ".ttl"
            for r in rows]


def table(rows: list[Row]) -> str:
    lines = ["| test | system | conns | requests | errors | req/s | p50 ms | p99 ms |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r.test} | {r.system} | {r.connections} | {r.requests} | {r.errors} "
                     f"| {r.per_second:,.1f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} |")
    return "\n".join(lines)


def find(rows: list[Row], test: str, system: str, connections: int) -> Row | None:
    return next((r for r in rows if (r.test, r.system, r.connections) ==
                 (test, system, connections)), None)


def goals(rows: list[Row]) -> str:
    """The issue's goals, each as a measured ratio or figure."""
    lines = ["| goal | measured | met |", "|---|---:|:---:|"]

    def ratio(test: str, conns: int, target: float, label: str) -> None:
        ours, theirs = find(rows, test, "cckg", conns), find(rows, test, "oxigraph", conns)
        if ours and theirs:
            value = ours.per_second / theirs.per_second
            lines.append(f"| {label} | {value:.2f}× | {'yes' if value >= target else 'no'} |")

    ratio("repeated CQ mix", 1, 1.5, "repeated CQ mix, 1 conn: ≥ 1.5× Oxigraph req/s")
    ratio("repeated CQ mix", 8, 1.5, "repeated CQ mix, 8 conns: ≥ 1.5× Oxigraph req/s")
    ratio("unique CQ mix", 1, 0.9, "unique CQ mix, 1 conn: ≥ 0.9× Oxigraph req/s")
    ratio("unique CQ mix", 8, 0.9, "unique CQ mix, 8 conns: ≥ 0.9× Oxigraph req/s")
    uncached = find(rows, "/id/place/370000 .ttl", "cckg, cache off", 1)
    construct = find(rows, "/id/place/370000 .ttl", "oxigraph CONSTRUCT", 1)
    if uncached and construct:
        value = uncached.p50_ms / construct.p50_ms
        lines.append(f"| /id page uncached p50 within 2× of one Oxigraph CONSTRUCT | "
                     f"{uncached.p50_ms:.2f} / {construct.p50_ms:.2f} ms = {value:.2f}× | "
                     f"{'yes' if value <= 2 else 'no'} |")
    cached = find(rows, "/id/place/370000 .ttl", "cckg", 1)
    if cached:
        lines.append(f"| /id page cached p50 < 2 ms | {cached.p50_ms:.2f} ms | "
                     f"{'yes' if cached.p50_ms < 2 else 'no'} |")
    provinces = find(rows, "province pages .ttl", "cckg", 8)
    if provinces:
        lines.append(f"| province pages ≥ 500 req/s at 8 conns | "
                     f"{provinces.per_second:,.0f} req/s | "
                     f"{'yes' if provinces.per_second >= 500 else 'no'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each row")
    parser.add_argument("--dataset", type=Path, help="N-Quads file (default: dist/cckg.nq)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per row (median)")
    parser.add_argument("--no-peers", action="store_true", help="skip rdflib-endpoint")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (Debian) to benchmark")
    dataset = args.dataset or dataset_path()
    seconds = args.seconds
    repeated = [form_body(q) for q in cq_mix(unique=False)]
    unique = [form_body(q) for q in cq_mix(unique=True)]
    rows: list[Row] = []
    rounds = args.rounds
    print(f"hardware: {hardware()}")
    with ExitStack() as stack:
        cckg = stack.enter_context(cckg_server(dataset, cache=True))
        plain = stack.enter_context(cckg_server(dataset, cache=False))
        oxigraph = stack.enter_context(oxigraph_server(dataset))
        pure = stack.enter_context(
            cckg_server(dataset, cache=True, uvicorn_options=UVICORN_PLAIN))
        for test, bodies in (("repeated CQ mix", repeated), ("unique CQ mix", unique)):
            targets: list[Target] = [("cckg", cckg.url, ["/sparql"], bodies, JSON),
                                     ("oxigraph", oxigraph.url, ["/query"], bodies, JSON)]
            if test == "repeated CQ mix":
                targets.append(("cckg (asyncio + h11)", pure.url, ["/sparql"], bodies, JSON))
            for connections in (1, 8):
                rows += compare(test, targets, connections, seconds, rounds)
        page = "/id/place/370000.ttl"
        construct = form_body(sparql_prologue(PREFIXES) + description_query(PLACE))
        rows += compare("/id/place/370000 .ttl", [
            ("cckg, cache off", plain.url, [page], [], TURTLE),
            ("oxigraph CONSTRUCT", oxigraph.url, ["/query"], [construct], TURTLE),
            ("cckg", cckg.url, [page], [], TURTLE),
        ], 1, seconds, rounds)
        provinces = province_paths(cckg.url)
        rows += compare("province pages .ttl", [
            ("cckg", cckg.url, provinces, [], TURTLE),
            ("cckg, cache off", plain.url, provinces, [], TURTLE),
        ], 8, seconds, rounds)
    if not args.no_peers and shutil.which("rdflib-endpoint", path=str(Path(
            sys.executable).parent)):
        with RdflibEndpoint(dataset) as peer:
            for connections in (1, 8):
                # a request takes seconds there: a short run would finish none at 8 conns
                rows += compare("repeated CQ mix", [
                    ("rdflib-endpoint", peer.endpoint, ["/"], repeated[:3], JSON),
                ], connections, max(seconds, PEER_SECONDS), 1)
    report = (
        "# CCKG server beside Oxigraph server (issue 13)\n\n"
        f"Hardware: {hardware()}.\n\n"
        f"Dataset: `{dataset.name}` ({sum(1 for _ in dataset.open(encoding='utf-8')):,} "
        f"quads); wrk on 127.0.0.1, {seconds:g} s per run, each row the median of "
        f"{rounds} runs taken in turn with the other systems of its test; `cckg` has "
        "the answer cache on, "
        "`cckg, cache off` has CCKG_ANSWER_CACHE_BYTES=0; Oxigraph server runs "
        "`oxigraph serve --union-default-graph`. rdflib-endpoint gets the first three "
        "queries of the mix only (it takes seconds per query), one run of at least "
        f"{PEER_SECONDS:g} s. `cckg` runs uvicorn "
        "with uvloop and httptools (installed with CCKG); `cckg (asyncio + h11)` is the same "
        "server with uvicorn's pure-Python loop and parser.\n\n"
        f"{table(rows)}\n\n## Goals\n\n{goals(rows)}\n"
    )
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
