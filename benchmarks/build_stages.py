"""Time the build pipeline at scale on an N-Quads file, in a child process, stage by stage:

- load: the dump into an in-memory pyoxigraph store (bulk load);
- validate: every source graph with pySHACL (cache empty), then the cross-graph checks
  over the store (cckg.pipeline.graph_validation);
- validate again: the same, every graph now a cache hit (what a rebuild after a change
  to few files costs);
- reason: HermiT on the ontology plus a bounded module of the data, the inferred types
  carried to every individual (cckg.pipeline.reason_module); the gazetteer graphs get the
  superclasses of their types, as the build does;
- publish: N-Quads, N-Triples and Turtle dumps written by pyoxigraph.

One JSON line per finished stage: its seconds and the process's peak resident memory so
far; the parent stops the child at its time cap. Alone, it prints the table per size:

    python -m benchmarks.build_stages --sizes 100000 1000000 [--dataset dist/cckg.nq]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import TaskID

    from cckg.pipeline.reason_module import Triple as RdflibTriple

STAGES = ("load", "validate", "validate again", "reason", "publish")
_GRAPH = re.compile(rb"<([^>]*)> \.\s*$")
GRAPHS = "https://w3id.org/cckg/graph/"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def graph_lines(dump: Path) -> dict[str, bytes]:
    """Each named graph's N-Quads lines, as the bytes its cache key hashes."""
    lines: dict[str, list[bytes]] = defaultdict(list)
    with dump.open("rb") as handle:
        for line in handle:
            match = _GRAPH.search(line)
            if match:
                lines[match.group(1).decode()].append(line)
    return {iri: b"".join(chunk) for iri, chunk in lines.items()}


def run_stages(dump: Path) -> None:
    """The child: run each stage and print its line as soon as it is done."""
    import pyoxigraph as ox
    from rich.console import Console
    from rich.progress import Progress

    from cckg.paths import PATHS
    from cckg.pipeline.gazetteer_checks import superclass_types
    from cckg.pipeline.graph_validation import SourceGraph, inputs_digest, validate_store
    from cckg.pipeline.reason_module import reason_bounded
    from cckg.pipeline.validate import load_shapes
    from cckg.rdf.terms import to_rdflib

    def done(stage: str, started: float, **extra: object) -> None:
        print(json.dumps({"stage": stage, "seconds": time.perf_counter() - started,
                          "peak_mb": peak_mb(), **extra}), flush=True)

    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    done("load", started, quads=len(store))

    contents = graph_lines(dump)
    sources = [SourceGraph(iri, iri.removeprefix(GRAPHS), content)
               for iri, content in sorted(contents.items()) if not iri.endswith("/inferred")]
    shapes = load_shapes()
    digest = inputs_digest(sorted(PATHS.shapes.glob("*.ttl")),
                           sorted(PATHS.ontology.glob("*.ttl")))
    with tempfile.TemporaryDirectory(prefix="cckg-validation-cache-") as cache, \
            Progress(transient=True, console=Console(stderr=True)) as progress:
        for stage in ("validate", "validate again"):
            task = progress.add_task(stage, total=len(sources))
            started = time.perf_counter()
            def advance(_name: str, done_count: int, _total: int, task: TaskID = task) -> None:
                progress.update(task, completed=done_count)

            checked = validate_store(store, sources, shapes, digest, Path(cache), advance)
            done(stage, started, graphs=len(sources), validated=len(checked.validated),
                 violations=len(checked.result.violations))

    started = time.perf_counter()
    ontology_iris = {f"{GRAPHS}ontology/{p.name}" for p in PATHS.ontology.glob("*.ttl")}
    ontology_quads = [q for iri in ontology_iris
                      for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))]
    from rdflib import Graph

    ontology = Graph()
    for q in ontology_quads:
        ontology.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    data: list[RdflibTriple] = []
    gazetteer: list[RdflibTriple] = []
    for iri in contents:
        if iri in ontology_iris or iri.endswith("/inferred"):
            continue
        target = gazetteer if iri.endswith("data/ttl/gazetteer.ttl") else data
        target.extend((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                      for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
    result, module = reason_bounded(ontology, data)
    inferred = len(result.inferred) + len(superclass_types(ontology, gazetteer))
    done("reason", started, module_triples=len(module.triples), data_triples=len(data),
         inferred=inferred)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cckg-publish-") as out:
        store.dump(f"{out}/cckg.nq", format=ox.RdfFormat.N_QUADS)
        for name, rdf_format in (("nt", ox.RdfFormat.N_TRIPLES), ("ttl", ox.RdfFormat.TURTLE)):
            union = (q.triple for q in store.quads_for_pattern(None, None, None, None))
            ox.serialize(union, f"{out}/cckg.{name}", format=rdf_format)
    done("publish", started)


def measure(dump: Path, cap: float) -> dict[str, dict[str, float] | None]:
    """Each stage's line (seconds, peak MB, …; None: not reached within `cap` seconds)."""
    found: dict[str, dict[str, float] | None] = dict.fromkeys(STAGES)
    child = subprocess.Popen([sys.executable, "-m", "benchmarks.build_stages", "--child",
                              str(dump)], stdout=subprocess.PIPE, text=True)

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            row = json.loads(line)
            found[row.pop("stage")] = row

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        child.wait(timeout=cap)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    reader.join(5)
    return found


def table(rows: dict[int, dict[str, dict[str, float] | None]]) -> str:
    """The stages of every size as a Markdown table, with the total of a cold build."""
    lines = ["| quads | stage | seconds | peak MB | notes |", "|---:|---|---:|---:|---|"]
    for quads, stages in rows.items():
        total = 0.0
        for stage, row in stages.items():
            if row is None:
                lines.append(f"| {quads:,} | {stage} | not reached within the cap | | |")
                continue
            if stage != "validate again":
                total += row["seconds"]
            notes = ", ".join(f"{k} {v:,}" for k, v in row.items()
                              if k not in ("seconds", "peak_mb"))
            lines.append(f"| {quads:,} | {stage} | {row['seconds']:.1f} | "
                         f"{row['peak_mb']:,.0f} | {notes} |")
        lines.append(f"| {quads:,} | **cold build** (all but validate again) | "
                     f"**{total:.1f}** | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--cap", type=float, default=1800, help="seconds per size")
    parser.add_argument("--dataset", type=Path, default=None,
                        help="the build's dump to replicate (default: dist/cckg.nq)")
    args = parser.parse_args(argv)
    if args.child:
        run_stages(args.child)
        return
    from benchmarks.synthetic import generate
    from cckg.paths import PATHS

    base = args.dataset or PATHS.dist / "cckg.nq"
    rows = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="cckg-build-stages-") as work:
            dump = Path(work) / f"synthetic-{size}.nq"
            quads = generate(base, size, dump)
            rows[quads] = measure(dump, args.cap)
            print(table({quads: rows[quads]}), flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()
