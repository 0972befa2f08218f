"""Step 1 of the build: parse the ontology and data files into one dataset.

Each file becomes its own named graph, so every triple keeps the file it came from. The
ontology header's version (owl:versionInfo, owl:versionIRI) is stamped from the package
version here, so the package, the ontology and the release path share one version source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL

from cckg import __version__
from cckg.errors import SyntaxErrorInFile
from cckg.paths import PATHS
from cckg.rdf.namespaces import GRAPH, ONTOLOGY_IRI, PREFIXES

_LINE = re.compile(r"line (\d+)")


def graph_iri(path: Path, root: Path = PATHS.root) -> URIRef:
    """The named graph a source file is loaded into: graph/<path relative to the root>."""
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        rel = Path(path.name)
    return GRAPH[rel.as_posix()]


def version_iri(version: str = __version__) -> URIRef:
    """The versionIRI of the ontology at `version`."""
    return URIRef(f"{ONTOLOGY_IRI}/{version}")


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file; a syntax error names the file and line and says how to fix it."""
    graph = into if into is not None else Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise SyntaxErrorInFile(
            "file not found", where=str(path), fix="check the path and try again"
        ) from exc
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        text = str(exc)
        match = _LINE.search(text)
        where = f"{path}:{match.group(1)}" if match else str(path)
        detail = text.strip().splitlines()[-1] if text.strip() else type(exc).__name__
        raise SyntaxErrorInFile(
            f"not valid Turtle: {detail}",
            where=where,
            fix="correct the Turtle syntax at that line (a missing '.', ';' or prefix is "
            "the usual cause); nothing was loaded from this file",
        ) from exc
    return graph


def stamp_version(graph: Graph, version: str = __version__) -> None:
    """Set owl:versionInfo and owl:versionIRI on the ontology header from the package."""
    onto = URIRef(ONTOLOGY_IRI)
    if (onto, None, None) not in graph:
        return
    graph.set((onto, OWL.versionInfo, Literal(version)))
    graph.set((onto, OWL.versionIRI, version_iri(version)))


def load_dataset(files: Iterable[Path] | None = None, root: Path = PATHS.root) -> Dataset:
    """Load every source file (default: ontology/*.ttl then data/ttl/*.ttl) into a Dataset."""
    dataset = Dataset()
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri)
    for path in files if files is not None else PATHS.source_files():
        graph = dataset.graph(graph_iri(path, root))
        parse_file(path, into=graph)
        stamp_version(graph)
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    """All triples of a dataset's named graphs in one plain Graph (for SHACL and OWL)."""
    merged = Graph()
    for prefix, iri in PREFIXES.items():
        merged.bind(prefix, iri)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged
