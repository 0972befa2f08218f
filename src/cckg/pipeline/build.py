"""The build: load → validate → reason → publish, with a report of what it did.

`run_build` is what `cckg build`, `make build` and `cckg serve` (when dist/ is stale) call.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF, RDFS, SH

from cckg import __version__
from cckg.errors import ValidationFailed
from cckg.paths import PATHS
from cckg.pipeline.dist import BUILD_REPORT, NQUADS_DUMP
from cckg.pipeline.gazetteer_checks import gazetteer_types, ontology_and_data, reasoning_graph
from cckg.pipeline.load import load_dataset, union_graph
from cckg.pipeline.publish import write_dumps
from cckg.pipeline.reason import ReasoningResult, reason
from cckg.pipeline.reason_module import FULL_LIMIT, reason_bounded
from cckg.pipeline.source_validation import validate_sources
from cckg.pipeline.validate import load_shapes
from cckg.rdf.namespaces import CCKG, INFERRED_GRAPH

#: A callback told the name of each step as it starts (the CLI shows it with rich).
StepCallback = Callable[[str], None]
#: A callback told how many of a step's items (source graphs) are done, of how many.
CountCallback = Callable[[int, int], None]


@dataclass
class BuildReport:
    """What a build read, checked, inferred and wrote, with timings in seconds."""

    version: str
    fingerprint: str
    triples_per_file: dict[str, int] = field(default_factory=dict)
    triples_total: int = 0
    inferred_triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    defined_class_members: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)


def input_files(root: Path = PATHS.root) -> list[Path]:
    """Everything a build depends on: sources, shapes, and the package version."""
    files = PATHS.source_files() + sorted((root / "shapes").glob("*.ttl"))
    return [f for f in files if f.is_file()]


def fingerprint(files: list[Path] | None = None) -> str:
    """A hash of the build inputs' names and contents and the package version."""
    digest = hashlib.sha256(__version__.encode())
    for path in files if files is not None else input_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_stale(out: Path = PATHS.dist) -> bool:
    """True when dist/ is missing or was built from other inputs."""
    report = out / BUILD_REPORT.name
    if not report.is_file() or not (out / NQUADS_DUMP.name).is_file():
        return True
    try:
        built = json.loads(report.read_text(encoding="utf-8")).get("fingerprint")
    except json.JSONDecodeError:
        return True
    return bool(built != fingerprint())


def _count_instances(graph: Graph, cls_local: str) -> int:
    """Instances of a cckg class, counting its subclasses (asserted or inferred)."""
    cls = CCKG[cls_local]
    classes = set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return len({s for c in classes for s in graph.subjects(RDF.type, c)})


def _counts(merged: Graph, shapes: Graph) -> dict[str, int]:
    names = (
        "Jurisdiction", "Province", "City", "Zone", "PlaceGroup", "Commitment", "PeakTarget",
        "SourcePassage", "ExternalSource", "PolicyDocument", "Measure", "Observation",
        "Finding", "Recommendation", "Membership", "PilotBatch", "Alliance",
    )
    counts = {name: _count_instances(merged, name) for name in names}
    counts["node_shapes"] = len(set(shapes.subjects(RDF.type, SH.NodeShape)))
    counts["property_shapes"] = len(set(shapes.subjects(SH.path, None)))
    return counts


def _reason(dataset: Dataset) -> ReasoningResult:
    """HermiT on ontology and data; above FULL_LIMIT triples, on the ontology plus a bounded
    module of the data, its types carried to every individual (cckg.pipeline.reason_module)."""
    graph = reasoning_graph(dataset)
    if len(graph) <= FULL_LIMIT:
        return reason(graph)
    return reason_bounded(*ontology_and_data(dataset))[0]


def run_build(
    out: Path = PATHS.dist, on_step: StepCallback | None = None,
    on_count: CountCallback | None = None,
) -> Path:
    """Build dist/ from the sources; return the N-Quads dump's path.

    Raises cckg.errors.CckgError subclasses for bad input (syntax, violations,
    inconsistency); nothing is written to `out` unless every check passes.
    """
    step = on_step or (lambda _name: None)
    report = BuildReport(version=__version__, fingerprint=fingerprint())

    step("load")
    t0 = time.perf_counter()
    dataset = load_dataset()
    report.triples_per_file = {
        str(g.identifier).rsplit("/graph/", 1)[-1]: len(g) for g in dataset.graphs() if len(g)
    }
    report.seconds["load"] = time.perf_counter() - t0

    step("validate")
    t0 = time.perf_counter()
    result = validate_sources(
        dataset, on_graph=(lambda _name, done, total: on_count(done, total)) if on_count else None)
    report.seconds["validate"] = time.perf_counter() - t0
    if not result.conforms:
        raise ValidationFailed(
            f"{len(result.violations)} SHACL violation(s):\n{result.format_report()}",
            where="data/ttl/",
            fix="correct each file and node named above, then build again",
        )
    report.warnings = [w.one_line() for w in result.warnings]

    step("reason")
    t0 = time.perf_counter()
    reasoning = _reason(dataset)
    report.seconds["reason"] = time.perf_counter() - t0
    inferred = dataset.graph(INFERRED_GRAPH)
    for triple in reasoning.inferred:
        inferred.add(triple)
    for triple in gazetteer_types(dataset):
        inferred.add(triple)
    report.inferred_triples = len(inferred)
    report.defined_class_members = reasoning.defined_class_members

    step("publish")
    t0 = time.perf_counter()
    written = write_dumps(dataset, out)
    report.seconds["publish"] = time.perf_counter() - t0
    report.files = {w.path.name: w.bytes for w in written}
    report.triples_total = sum(report.triples_per_file.values())
    report.counts = _counts(union_graph(dataset), load_shapes())
    (out / BUILD_REPORT.name).write_text(
        json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return out / NQUADS_DUMP.name
