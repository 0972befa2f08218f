"""Validate the project's sources as the build does: per source graph, cached, then the
cross-graph checks (cckg.pipeline.graph_validation) over the whole dataset.

The cache folder is var/validation-cache/ under the project root (never under dist/, whose
contents are the release). A graph loaded from a file is keyed by the file's bytes; a graph
with no file behind it (added in memory) by its sorted N-Triples.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from cckg.paths import PATHS
from cckg.pipeline.graph_validation import (
    GraphCallback,
    GraphValidation,
    SourceGraph,
    inputs_digest,
    store_of,
    validate_store,
)
from cckg.pipeline.validate import ValidationResult, load_shapes
from cckg.rdf.namespaces import GRAPH

CACHE = PATHS.root / "var" / "validation-cache"


def dataset_sources(dataset: Dataset, root: Path = PATHS.root) -> list[SourceGraph]:
    """Each non-empty named graph of the dataset as a source graph, in IRI order."""
    sources = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        iri = str(graph.identifier)
        if not len(graph) or not iri.startswith(str(GRAPH)):
            continue
        name = iri.removeprefix(str(GRAPH))
        path = root / name
        content = path.read_bytes() if path.is_file() else _canonical(graph)
        sources.append(SourceGraph(iri, name, content))
    return sources


def _canonical(graph: Graph) -> bytes:
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines()
    return b"\n".join(sorted(line for line in lines if line.strip()))


def check_sources(dataset: Dataset, shapes: Graph | None = None, root: Path = PATHS.root,
                  cache: Path | None = CACHE,
                  on_graph: GraphCallback | None = None) -> GraphValidation:
    """Validate a dataset of the project's sources; say which graphs pySHACL ran on.

    With custom `shapes` (tests) or `cache=None` nothing is read from or written to the
    cache; a graph with any result (violation or warning) is never cached."""
    shape_files = sorted((root / "shapes").glob("*.ttl"))
    digest = inputs_digest(shape_files, sorted((root / "ontology").glob("*.ttl")))
    return validate_store(
        store_of(dataset),
        dataset_sources(dataset, root),
        shapes if shapes is not None else load_shapes(root / "shapes"),
        digest,
        cache if shapes is None else None,
        on_graph,
    )


def validate_sources(dataset: Dataset, shapes: Graph | None = None, root: Path = PATHS.root,
                     cache: Path | None = CACHE,
                     on_graph: GraphCallback | None = None) -> ValidationResult:
    """The result of `check_sources`: every violation and warning, each naming its file."""
    return check_sources(dataset, shapes, root, cache, on_graph).result
