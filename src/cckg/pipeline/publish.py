"""Step 4 of the build: write the dumps, the ontology files and the VoID into dist/.

What dist/ holds is declared in cckg.pipeline.dist; this module writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from cckg.pipeline.description import Publication, void_graph
from cckg.pipeline.dist import GRAPH_DUMPS, NQUADS_DUMP, ONTOLOGY_FILES, ONTOLOGY_HTML, VOID_FILE
from cckg.pipeline.load import union_graph
from cckg.pipeline.ontology_docs import render_ontology_html
from cckg.rdf.formats import NQUADS, TURTLE, Format
from cckg.rdf.namespaces import BASE, GRAPH, PREFIXES
from cckg.store.embedded import EmbeddedStore


@dataclass(frozen=True)
class WrittenFile:
    """One file the build wrote."""

    path: Path
    media_type: str
    bytes: int


def ontology_graph(dataset: Dataset) -> Graph:
    """The triples of the ontology/ files only."""
    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    prefix = str(GRAPH["ontology/"])
    for graph in dataset.graphs():
        if str(graph.identifier).startswith(prefix):
            for triple in graph:
                out.add(triple)
    return out


def _write(graph: Graph | Dataset, path: Path, fmt: Format) -> WrittenFile:
    assert fmt.rdflib_format is not None, f"{fmt.label} is not an RDF format"
    options: dict[str, Any] = {"auto_compact": True} if fmt.rdflib_format == "json-ld" else {}
    graph.serialize(str(path), format=fmt.rdflib_format, encoding="utf-8", **options)
    return WrittenFile(path, fmt.media_type, path.stat().st_size)


def write_dumps(dataset: Dataset, out: Path) -> list[WrittenFile]:
    """Write every dump format of the whole dataset, the ontology on its own, and VoID."""
    out.mkdir(parents=True, exist_ok=True)
    merged = union_graph(dataset)
    written = []
    for dump in GRAPH_DUMPS:
        target = dataset if dump.format is NQUADS else merged
        written.append(_write(target, out / dump.name, dump.format))
    onto = ontology_graph(dataset)
    for file in ONTOLOGY_FILES:
        written.append(_write(onto, out / file.name, file.format))
    written.append(write_ontology_html(onto, out / ONTOLOGY_HTML))
    written.append(write_void(out))
    return written


def write_ontology_html(onto: Graph, path: Path) -> WrittenFile:
    """The ontology's HTML documentation (the same page the server shows at /ontology)."""
    path.write_text(render_ontology_html(onto), encoding="utf-8")
    return WrittenFile(path, "text/html", path.stat().st_size)


def write_void(out: Path, base_iri: str = BASE) -> WrittenFile:
    """The VoID + DCAT description of the built dataset, with its public IRIs (endpoint
    and dumps under the base IRI), computed by the same code as the server's /dataset."""
    store = EmbeddedStore.in_memory()
    store.load_dataset_file(out / NQUADS_DUMP.name)
    path = out / VOID_FILE
    graph = void_graph(store, out, Publication.at(base_iri, base_iri))
    graph.serialize(str(path), format="turtle")
    return WrittenFile(path, TURTLE.media_type, path.stat().st_size)
