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


def file_name(path: Path, root: Path = PATHS.root) -> str:
    """The name a source file goes by in reports: its path relative to the root (or its
    bare name outside the root), as in its graph IRI."""
    return str(graph_iri(path, root)).removeprefix(str(GRAPH))


def version_iri(version: str = __version__) -> URIRef:
    """The versionIRI of the ontology at `version`."""
    return URIRef(f"{ONTOLOGY_IRI}/{version}")


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file; a syntax error names the file and line, quotes that line as
    text, names an undeclared prefix and says how to fix it."""
    graph = into if into is not None else Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise SyntaxErrorInFile(
            "file not found", where=str(path), fix="check the path and try again"
        ) from exc
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise _turtle_error(path, exc) from exc
    return graph


_UNBOUND = re.compile(r'Prefix "([^"]*):" not bound')


def _turtle_error(path: Path, exc: Exception) -> SyntaxErrorInFile:
    """A clear error for a Turtle file rdflib could not parse."""
    line: int | None = None
    lines = getattr(exc, "lines", None)  # notation3.BadSyntax: the 0-based line
    if isinstance(lines, int):
        line = lines + 1
    elif match := _LINE.search(str(exc)):
        line = int(match.group(1))
    why = str(getattr(exc, "_why", "") or "").strip()
    if not why:
        text = str(exc).strip()
        why = text.splitlines()[-1] if text else type(exc).__name__
    fix = (
        "correct the Turtle syntax at that line (a missing '.', ';' or quote is the usual "
        "cause); nothing was loaded from this file"
    )
    unbound = _UNBOUND.search(why)
    if unbound:
        prefix = unbound.group(1)
        why = f"the prefix '{prefix}:' is not declared"
        known = PREFIXES.get(prefix)
        fix = (
            f"add '@prefix {prefix}: <{known}> .' at the top of the file"
            if known
            else f"add '@prefix {prefix}: <namespace IRI> .' at the top of the file"
        )
    quoted = _source_line(path, line)
    what = f"not valid Turtle: {why}" + (f"\n  {line} | {quoted}" if quoted else "")
    return SyntaxErrorInFile(
        what, where=f"{path}:{line}" if line else str(path), fix=fix
    )


def _source_line(path: Path, line: int | None) -> str:
    """Line `line` (1-based) of the file as text, shortened, or '' if there is none."""
    if not line:
        return ""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    if not 0 < line <= len(lines):
        return ""
    text = lines[line - 1].strip()
    return text if len(text) <= 120 else text[:117] + "…"


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
