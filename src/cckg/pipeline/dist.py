"""What dist/ holds, declared once: the build writes these files, the server serves them.

Also where a published dataset puts its endpoint and its dumps under its base URL, so
the build's VoID names the same URLs a server answers at.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cckg.rdf.formats import JSON_DOCUMENT, JSONLD, NQUADS, NTRIPLES, RDFXML, TURTLE, Format

#: The SPARQL endpoint's path under a site's base URL.
SPARQL_PATH = "sparql"
#: The folder of the dumps (the served files below) under a site's base URL.
DUMPS_PATH = "dumps"


@dataclass(frozen=True)
class DistFile:
    """A file the build writes into dist/."""

    name: str
    format: Format
    description: str


#: The whole graph in every dump format; the N-Quads dump is what a store loads.
NQUADS_DUMP = DistFile("cckg.nq", NQUADS, "the whole graph, one named graph per source file")
GRAPH_DUMPS: tuple[DistFile, ...] = (
    NQUADS_DUMP,
    DistFile("cckg.ttl", TURTLE, "the whole graph"),
    DistFile("cckg.nt", NTRIPLES, "the whole graph"),
    DistFile("cckg.jsonld", JSONLD, "the whole graph"),
    DistFile("cckg.rdf", RDFXML, "the whole graph"),
)
#: The ontology's own triples.
ONTOLOGY_FILES: tuple[DistFile, ...] = (
    DistFile("ontology.ttl", TURTLE, "the ontology"),
    DistFile("ontology.rdf", RDFXML, "the ontology"),
)
BUILD_REPORT = DistFile("build-report.json", JSON_DOCUMENT, "the build report")
#: What /dumps/ serves, in this order (never any other file of dist/).
SERVED: tuple[DistFile, ...] = (*GRAPH_DUMPS, *ONTOLOGY_FILES, BUILD_REPORT)
#: Written by the build, not served as dumps (the server renders its own /ontology, /dataset).
ONTOLOGY_HTML = "ontology.html"
VOID_FILE = "void.ttl"


@dataclass(frozen=True)
class PresentFile:
    """A served file as it is in a dist folder now."""

    file: DistFile
    path: Path
    size: int
    mtime_ns: int

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def media_type(self) -> str:
        return self.file.format.media_type

    @property
    def description(self) -> str:
        return self.file.description

    @property
    def version(self) -> str:
        """Changes whenever the file is rewritten (a digest of name, size and mtime)."""
        stamp = f"{self.name}:{self.size}:{self.mtime_ns}".encode()
        return hashlib.sha256(stamp).hexdigest()[:32]


def present_file(dist: Path, name: str) -> PresentFile | None:
    """The served file `name` in `dist`, or None if it is not one or does not exist."""
    file = next((f for f in SERVED if f.name == name), None)
    if file is None:
        return None
    path = dist / name
    if not path.is_file():
        return None
    stat = path.stat()
    return PresentFile(file, path, stat.st_size, stat.st_mtime_ns)


def present_files(dist: Path) -> list[PresentFile]:
    """Every served file present in `dist`, in the order of SERVED."""
    return [f for file in SERVED if (f := present_file(dist, file.name)) is not None]
