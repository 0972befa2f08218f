"""Scale benchmark: the graph at 100k, 1M (and more) triples on each store, side by side.

For each size, a synthetic graph of the real one's shape (benchmarks/synthetic.py) is
loaded into the embedded store (pyoxigraph bulk load), into an Oxigraph server and into
Virtuoso (both with `cckg publish`: one Graph Store Protocol PUT per graph, then the count
check). Then the CQ mix (every named query with its default parameters, in turn) is sent
by 1 and 8 clients through `cckg serve` over each store and directly to each engine
(pyoxigraph in-process for the embedded store); the ratio p50(serve) / p50(direct) is
CCKG's overhead. Results are printed as a Markdown table and written to
benchmarks/results/scale.md.

    python -m benchmarks.scale --sizes 100000 1000000 --requests 240
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
from tests.services.engines import ENGINES, Engine, start_engine
from tests.services.launcher import LiveServer

from benchmarks import build_stages
from benchmarks.server import Call, Stats, measure, pyoxigraph_call
from benchmarks.synthetic import generate
from cckg.paths import PATHS
from cckg.pipeline.remote_publish import graphs_of_dump, publish_graphs
from cckg.rdf.named_queries import list_queries, resolve_parameters
from cckg.rdf.namespaces import PREFIXES
from cckg.rdf.sparql_text import sparql_prologue, with_values
from cckg.server.settings import Settings
from cckg.store.connect import StoreAccess, connect
from cckg.store.embedded import EmbeddedStore

RESULTS = Path(__file__).parent / "results" / "scale.md"
#: Seconds one benchmark query may take through the server and on the engines.
QUERY_LIMIT = 120.0
#: A query whose single run on Oxigraph server takes over SLOW / 10 seconds is left out of
#: the mix (and reported with its time; over SLOW: not measured).
SLOW = 20.0


def cq_mix() -> dict[str, str]:
    """Every named query with its default parameters bound, by name."""
    texts = {}
    for query in list_queries():
        bound = {k: v.term() for k, v in resolve_parameters(query, {}).items()}
        texts[query.name] = sparql_prologue(PREFIXES) + with_values(query.text, bound)
    return texts


def single_runs(url: str, queries: dict[str, str], limit: float) -> dict[str, float | None]:
    """Seconds of one run of each query on an engine (None: over `limit`)."""
    times: dict[str, float | None] = {}
    with httpx.Client(timeout=limit,
                      headers={"accept": "application/sparql-results+json"}) as http:
        for name, query in queries.items():
            started = time.perf_counter()
            try:
                http.post(url, data={"query": query, "union-default-graph": "true"}
                          ).raise_for_status()
                times[name] = time.perf_counter() - started
            except httpx.TimeoutException:
                times[name] = None
    return times


def cycling(make_one: Callable[[str], Call], queries: list[str]) -> Callable[[], Call]:
    """A call that runs the next query of the mix each time (summing rows for the check)."""

    def make_call() -> Call:
        calls = [make_one(q) for q in queries]
        position = [0]

        def call() -> int:
            position[0] = (position[0] + 1) % len(calls)
            return calls[position[0]]()

        return call

    return make_call


def in_process(store: ox.Store) -> Callable[[str], Call]:
    """A query on pyoxigraph in this process, written as SPARQL JSON."""
    return lambda query: pyoxigraph_call(store, query)


def over_http(url: str, extra: dict[str, str] | None = None) -> Callable[[str], Call]:
    """A query POSTed to a SPARQL endpoint (JSON results), one connection per client."""

    def one(query: str) -> Call:
        http = httpx.Client(timeout=QUERY_LIMIT,
                            headers={"accept": "application/sparql-results+json"})

        def call() -> int:
            response = http.post(url, data={"query": query, **(extra or {})})
            response.raise_for_status()
            return len(response.json()["results"]["bindings"])

        return call

    return one


@dataclass
class SizeResult:
    """Everything measured at one size."""

    triples: int
    load_s: dict[str, float]
    latency: list[Stats]
    build: dict[str, dict[str, float] | None]
    single: dict[str, float | None]
    mix: list[str]


def load_embedded(dump: Path, directory: Path) -> tuple[EmbeddedStore, float]:
    started = time.perf_counter()
    store = EmbeddedStore.open(directory)
    store.load_dataset_file(dump)
    return store, time.perf_counter() - started


def load_engine(engine: Engine, dump: Path) -> float:
    """Seconds `cckg publish` takes (read the dump, one PUT per graph, count check)."""
    user = engine.options[1] if engine.options else None
    password = engine.options[3] if engine.options else None
    access = StoreAccess(engine.query_url, user=user, password=password, timeout=3600)
    started = time.perf_counter()
    store = connect(access)
    publish_graphs(graphs_of_dump(dump), store)
    store.close()
    return time.perf_counter() - started


def run_size(
    triples: int, base_dump: Path, requests: int, work: Path, build_cap: float
) -> SizeResult:
    dump = work / f"synthetic-{triples}.nq"
    count = generate(base_dump, triples, dump)
    print(f"\n== {count:,} quads ==", flush=True)
    build = build_stages.measure(dump, build_cap) if build_cap > 0 else {}
    print(f"build stages: {build}", flush=True)
    named = cq_mix()
    loads: dict[str, float] = {}
    stats: list[Stats] = []
    with ExitStack() as stack:
        store, loads["embedded (pyoxigraph bulk load)"] = load_embedded(dump, work / "embedded")
        print(f"embedded loaded in {loads['embedded (pyoxigraph bulk load)']:.1f} s", flush=True)
        engines = {}
        for kind in ENGINES:
            engine = start_engine(kind, work / kind, stack, query_timeout=QUERY_LIMIT)
            loads[f"{kind} (cckg publish)"] = load_engine(engine, dump)
            print(f"{kind} loaded in {loads[f'{kind} (cckg publish)']:.1f} s", flush=True)
            engines[kind] = engine
        single = single_runs(engines["oxigraph"].query_url, named, SLOW)
        mix = [name for name, seconds in single.items() if seconds is not None
               and seconds <= SLOW / 10]
        queries = [named[name] for name in mix]
        print(f"single runs on Oxigraph server: {single}; mix: {mix}", flush=True)
        direct = {
            "embedded": in_process(store.store),
            "oxigraph": over_http(engines["oxigraph"].query_url,
                                  {"union-default-graph": "true"}),
            "virtuoso": over_http(engines["virtuoso"].query_url),
        }
        store.close()
        for kind in ("embedded", *ENGINES):
            if kind == "embedded":
                settings = Settings(data_dir=work / "served-embedded", query_workers=8,
                                    query_timeout=QUERY_LIMIT)
                server = LiveServer(settings, dataset=dump, startup=1800)
            else:
                settings = engines[kind].settings(
                    data_dir=work / "unused", query_workers=8, query_timeout=QUERY_LIMIT)
                server = LiveServer(settings)
            for clients in (1, 8):
                stats.append(measure(f"{kind} direct", cycling(direct[kind], queries),
                                     clients, requests))
            with server:
                for clients in (1, 8):
                    stats.append(measure(f"{kind} via cckg serve",
                                         cycling(over_http(server.endpoint), queries),
                                         clients, requests))
            print(f"{kind} measured", flush=True)
    return SizeResult(count, loads, stats, build, single, mix)


def report(results: list[SizeResult], requests: int) -> str:
    lines = ["# Scale benchmark", "",
             "CQ mix: the named queries with default parameters, in turn, leaving out those "
             f"whose single run on Oxigraph server takes over {SLOW / 10:g} s (below); "
             f"{requests} requests per row. Peak memory of the benchmark process: "
             f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB.", ""]
    lines += ["## Single runs on Oxigraph server (seconds)", "",
              "| triples | " + " | ".join(cq_mix()) + " |",
              "|---:|" + "---:|" * len(cq_mix())]
    for r in results:
        cells = [f"{v:.2f}" if v is not None else f"> {SLOW:g}" for v in r.single.values()]
        lines.append(f"| {r.triples:,} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += ["## Load time", "", "| triples | store | load s | vs embedded |",
              "|---:|---|---:|---:|"]
    for r in results:
        base = next(iter(r.load_s.values()))
        for name, seconds in r.load_s.items():
            lines.append(f"| {r.triples:,} | {name} | {seconds:.1f} | {seconds / base:.1f}× |")
    lines += ["", "## Build stages (one process: benchmarks/build_stages.py)", "",
              "| triples | stage | seconds | peak MB |", "|---:|---|---:|---:|"]
    for r in results:
        for stage, row in r.build.items():
            if row is None:
                lines.append(f"| {r.triples:,} | {stage} | not reached within the cap | |")
            else:
                lines.append(f"| {r.triples:,} | {stage} | {row['seconds']:.1f} | "
                             f"{row['peak_mb']:,.0f} |")
    lines += ["", "## CQ-mix latency", "",
              "| triples | store | path | clients | req/s | p50 ms | p99 ms | p50 vs direct |",
              "|---:|---|---|---:|---:|---:|---:|---:|"]
    for r in results:
        direct = {(s.system.split()[0], s.clients): s.p50_ms for s in r.latency
                  if s.system.endswith("direct")}
        for s in r.latency:
            kind, path = s.system.split(" ", 1)
            ratio = s.p50_ms / direct[(kind, s.clients)]
            lines.append(
                f"| {r.triples:,} | {kind} | {path} | {s.clients} | {s.per_second:,.1f} | "
                f"{s.p50_ms:.1f} | {s.p99_ms:.1f} | {ratio:.2f}× |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=240,
                        help="per store, path and concurrency")
    parser.add_argument("--build-cap", type=float, default=900,
                        help="seconds the build stages may take per size (0: skip them)")
    parser.add_argument("--dataset", type=Path, default=PATHS.dist / "cckg.nq",
                        help="the build's dump to replicate (default: dist/cckg.nq)")
    args = parser.parse_args(argv)
    if not args.dataset.is_file():
        from cckg.cli.serve import build_if_stale

        args.dataset = build_if_stale(PATHS.dist)
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="cckg-scale-") as work:
            results.append(run_size(size, args.dataset, args.requests, Path(work),
                                    args.build_cap))
        text = report(results, args.requests)
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
