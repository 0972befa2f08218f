"""Time the build's stages on an N-Quads file, in a child process: load (rdflib), validate
(pySHACL, the shapes/ of the repository), reason (owlready2 + HermiT), publish (the
N-Triples dump). One JSON line per finished stage: its seconds and the process's peak
resident memory so far; the parent stops the child at its time cap.

    python -m benchmarks.build_stages FILE.nq
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

STAGES = ("load", "validate", "reason", "publish")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_stages(dump: Path) -> None:
    """The child: run each stage and print its line as soon as it is done."""
    from rdflib import Dataset

    from cckg.pipeline.load import union_graph
    from cckg.pipeline.reason import reason
    from cckg.pipeline.validate import validate_graph

    def done(stage: str, started: float) -> None:
        print(json.dumps({"stage": stage, "seconds": time.perf_counter() - started,
                          "peak_mb": peak_mb()}), flush=True)

    started = time.perf_counter()
    dataset = Dataset()
    dataset.parse(str(dump), format="nquads")
    merged = union_graph(dataset)
    done("load", started)
    started = time.perf_counter()
    validate_graph(merged)
    done("validate", started)
    started = time.perf_counter()
    reason(merged)
    done("reason", started)
    started = time.perf_counter()
    merged.serialize(format="nt", encoding="utf-8")
    done("publish", started)


def measure(dump: Path, cap: float) -> dict[str, dict[str, float] | None]:
    """Each stage's seconds and peak MB (None: not reached within `cap` seconds in all)."""
    found: dict[str, dict[str, float] | None] = dict.fromkeys(STAGES)
    child = subprocess.Popen([sys.executable, "-m", "benchmarks.build_stages", str(dump)],
                             stdout=subprocess.PIPE, text=True)

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            row = json.loads(line)
            found[row["stage"]] = {"seconds": row["seconds"], "peak_mb": row["peak_mb"]}

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        child.wait(timeout=cap)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    reader.join(5)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dump", type=Path)
    run_stages(parser.parse_args(argv).dump)


if __name__ == "__main__":
    main()
