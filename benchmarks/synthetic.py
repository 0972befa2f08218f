"""A synthetic CCKG graph of the real one's shape, at any size: the build's dump, replicated.

Copy 0 is the real graph unchanged (so every named query's default parameters still find
their rows). Copy k > 0 repeats every data graph (and the inferred graph) with its own
places, commitments, passages, documents, memberships, findings, measures, observations
and zones: their IRIs get the suffix `-rK`, their graphs live under
`graph/synthetic/rK/`, blank nodes are renamed. Shared vocabulary (sectors, strengths,
timings, metrics, schemes, pilot batches, the alliance, units) and the ontology graphs
are not copied, nor is any statement about them (a statement repeated in several graphs
would be counted once per graph in the union default graph), so every copy links to the
same concepts, as new documents would.
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path

ID = "https://w3id.org/cckg/id/"
GRAPH = "https://w3id.org/cckg/graph/"
#: Kinds of things each copy has its own of.
COPIED_KINDS = (
    "place", "passage", "commitment", "document", "membership", "finding", "measure",
    "observation", "zone", "recommendation", "place-group",
)
_THING = re.compile(r"<" + re.escape(ID) + r"(" + "|".join(COPIED_KINDS) + r")/([^>]*)>")
_GRAPH = re.compile(r"<" + re.escape(GRAPH) + r"((?:data/|inferred)[^>]*)> \.$")
_SUBJECT = re.compile(r"<" + re.escape(ID) + r"(" + "|".join(COPIED_KINDS) + r")/")
_BLANK = re.compile(r"_:([A-Za-z0-9_]+)")


def copied_lines(lines: list[str], k: int) -> list[str]:
    """The data lines of copy `k` (lines of graphs that are not copied are left out)."""
    out = []
    for line in lines:
        graph = _GRAPH.search(line)
        if graph is None or not (_SUBJECT.match(line) or line.startswith("_:")):
            continue  # the ontology, and statements about shared things, exist once
        line = _THING.sub(lambda m: f"<{ID}{m.group(1)}/{m.group(2)}-r{k}>", line)
        line = _BLANK.sub(lambda m: f"_:r{k}x{m.group(1)}", line)
        line = _GRAPH.sub(lambda m: f"<{GRAPH}synthetic/r{k}/{m.group(1)}> .", line)
        out.append(line)
    return out


def generate(dump: Path, triples: int, out: Path) -> int:
    """Write an N-Quads file of about `triples` quads shaped like `dump`; return its count."""
    lines = [line for line in dump.read_text(encoding="utf-8").splitlines() if line.strip()]
    per_copy = len(copied_lines(lines, 1))
    copies = max(0, math.ceil((triples - len(lines)) / per_copy))
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
        written += len(lines)
        for k in range(1, copies + 1):
            block = copied_lines(lines, k)
            handle.write("\n".join(block) + "\n")
            written += len(block)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dump", type=Path, help="the build's cckg.nq")
    parser.add_argument("triples", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    print(f"{generate(args.dump, args.triples, args.out):,} quads in {args.out}")


if __name__ == "__main__":
    main()
