"""Step 4 of the build: write the dumps and the ontology files into dist/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from cckg.pipeline.load import union_graph
from cckg.rdf.namespaces import GRAPH, PREFIXES

#: Dump file name -> rdflib format, media type. The N-Quads dump keeps the named graphs.
DUMP_FORMATS: dict[str, tuple[str, str]] = {
    "cckg.nq": ("nquads", "application/n-quads"),
    "cckg.ttl": ("turtle", "text/turtle"),
    "cckg.nt": ("nt", "application/n-triples"),
    "cckg.jsonld": ("json-ld", "application/ld+json"),
    "cckg.rdf": ("xml", "application/rdf+xml"),
}
ONTOLOGY_FORMATS: dict[str, tuple[str, str]] = {
    "ontology.ttl": ("turtle", "text/turtle"),
    "ontology.rdf": ("xml", "application/rdf+xml"),
}


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


def _write(graph: Graph | Dataset, path: Path, fmt: str, media_type: str) -> WrittenFile:
    kwargs = {"auto_compact": True} if fmt == "json-ld" else {}
    graph.serialize(path, format=fmt, encoding="utf-8", **kwargs)
    return WrittenFile(path, media_type, path.stat().st_size)


def write_dumps(dataset: Dataset, out: Path) -> list[WrittenFile]:
    """Write every dump format of the whole dataset, and the ontology on its own."""
    out.mkdir(parents=True, exist_ok=True)
    merged = union_graph(dataset)
    written = []
    for name, (fmt, media) in DUMP_FORMATS.items():
        target = dataset if fmt == "nquads" else merged
        written.append(_write(target, out / name, fmt, media))
    onto = ontology_graph(dataset)
    for name, (fmt, media) in ONTOLOGY_FORMATS.items():
        written.append(_write(onto, out / name, fmt, media))
    written.append(write_ontology_html(onto, out / "ontology.html"))
    written.extend(write_flat_tables(out))
    written.append(write_void(out))
    return written


def write_flat_tables(out: Path) -> list[WrittenFile]:
    """commitments.csv and commitments.xlsx, one row per commitment, from the built dump."""
    from cckg.pipeline.flat_table import (
        CSV_NAME,
        XLSX_MEDIA,
        XLSX_NAME,
        commitment_rows,
        write_csv,
        write_xlsx,
    )
    from cckg.store.embedded import EmbeddedStore

    store = EmbeddedStore.in_memory()
    store.load_dataset_file(out / "cckg.nq")
    rows = commitment_rows(store)
    write_csv(rows, out / CSV_NAME)
    write_xlsx(rows, out / XLSX_NAME)
    return [WrittenFile(out / CSV_NAME, "text/csv", (out / CSV_NAME).stat().st_size),
            WrittenFile(out / XLSX_NAME, XLSX_MEDIA, (out / XLSX_NAME).stat().st_size)]


def write_ontology_html(onto: Graph, path: Path) -> WrittenFile:
    """The ontology's HTML documentation (the same page the server shows at /ontology)."""
    from cckg.pipeline.ontology_docs import render_ontology_html

    path.write_text(render_ontology_html(onto), encoding="utf-8")
    return WrittenFile(path, "text/html", path.stat().st_size)


def write_void(out: Path) -> WrittenFile:
    """The VoID + DCAT description of the built dataset, with its public IRIs (endpoint
    and dumps under the base IRI), computed by the same code as the server's /dataset."""
    from cckg.server.routes.void import BuiltDataset, void_graph
    from cckg.server.settings import Settings
    from cckg.server.urls import UrlBuilder
    from cckg.store.embedded import EmbeddedStore

    settings = Settings().with_(dist_dir=out)
    store = EmbeddedStore.in_memory()
    store.load_dataset_file(out / "cckg.nq")
    urls = UrlBuilder.from_settings(settings).at(settings.base_iri)
    path = out / "void.ttl"
    void_graph(BuiltDataset(settings, store), urls).serialize(path, format="turtle")
    return WrittenFile(path, "text/turtle", path.stat().st_size)
