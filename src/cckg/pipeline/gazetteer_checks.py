"""How the build checks the gazetteer (data/ttl/gazetteer.ttl) without paying for it twice.

The gazetteer holds ~47,000 of the graph's triples; the rest is the report's data.

- Validation runs in two parts: everything but the gazetteer, as before; and the gazetteer
  with the ontology and the curated places (data/ttl/places.ttl), which its places point
  to. The second part's result is cached by the hash of its input files, the shapes and
  the pySHACL version (under .cache/shacl/), so it runs once per change of the gazetteer.
- Reasoning: HermiT gets everything but the gazetteer. The gazetteer asserts each place's
  level class and no fact a defined class of the ontology looks at (no memberships,
  commitments or coverage), so its inferred types are the superclasses of the asserted ones;
  they are added by following rdfs:subClassOf in the ontology, as HermiT would.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from cckg.paths import PATHS
from cckg.pipeline.load import graph_iri
from cckg.pipeline.validate import ValidationResult, validate_dataset

GAZETTEER = Path("data") / "ttl" / "gazetteer.ttl"
CURATED_PLACES = Path("data") / "ttl" / "places.ttl"
CACHE = PATHS.root / ".cache" / "shacl"
_CACHE_FORMAT = 1


def _split(dataset: Dataset, root: Path) -> tuple[Dataset, Dataset | None]:
    """(everything but the gazetteer, the gazetteer with ontology and curated places);
    the second is None when the dataset has no gazetteer."""
    gazetteer = graph_iri(root / GAZETTEER, root)
    context = {graph_iri(p, root) for p in sorted((root / "ontology").glob("*.ttl"))}
    context |= {graph_iri(root / CURATED_PLACES, root), gazetteer}
    rest, part = Dataset(), Dataset()
    has_gazetteer = False
    for graph in dataset.graphs():
        if not len(graph):
            continue
        identifier = graph.identifier
        has_gazetteer = has_gazetteer or identifier == gazetteer
        targets = [rest] if identifier != gazetteer else []
        if identifier in context:
            targets.append(part)
        for target in targets:
            copy = target.graph(identifier)
            for triple in graph:
                copy.add(triple)
    if has_gazetteer:
        _add_referenced_places(rest, dataset.graph(gazetteer))
    return rest, part if has_gazetteer else None


def _add_referenced_places(rest: Dataset, gazetteer: Graph) -> None:
    """Copy into `rest` the gazetteer's description of every place the rest's data points
    to (a commitment taken in for a county), with the places above it and its point, so
    the rest validates as it would with the whole gazetteer (sh:class finds the place)."""
    referenced = {o for _, _, o, _ in rest.quads((None, None, None, None))
                  if isinstance(o, URIRef)}
    todo: list[Node] = [s for s in referenced if (s, RDF.type, None) in gazetteer]
    seen: set[Node] = set()
    copy = rest.graph(gazetteer.identifier)
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for triple in gazetteer.triples((subject, None, None)):
            copy.add(triple)
            obj = triple[2]
            if not isinstance(obj, Literal) and (obj, None, None) in gazetteer:
                todo.append(obj)


def cache_key(files: list[Path], shapes_folder: Path = PATHS.shapes) -> str:
    """The hash of the gazetteer part's inputs: its files, the shapes, pySHACL's version."""
    digest = hashlib.sha256(f"{_CACHE_FORMAT} pyshacl {pyshacl.__version__}".encode())
    for path in [*files, *sorted(shapes_folder.glob("*.ttl"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _part_files(root: Path) -> list[Path]:
    return [*sorted((root / "ontology").glob("*.ttl")), root / CURATED_PLACES, root / GAZETTEER]


def validate_sources(dataset: Dataset, shapes: Graph | None = None,
                     root: Path = PATHS.root, cache: Path | None = CACHE) -> ValidationResult:
    """Validate a dataset of the project's sources in two parts, the gazetteer's cached.

    With custom `shapes` (tests) or `cache=None` nothing is read from or written to the
    cache. A result with any violation or warning is never cached."""
    rest, part = _split(dataset, root)
    result = validate_dataset(rest, shapes)
    if part is None:
        return result
    files = _part_files(root)
    use_cache = cache is not None and shapes is None and all(f.is_file() for f in files)
    marker = cache / f"{cache_key(files, root / 'shapes')}.json" if use_cache and cache else None
    if marker is not None and marker.is_file():
        return result
    checked = validate_dataset(part, shapes)
    if marker is not None and not checked.violations and not checked.warnings:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps({"conforms": True, "files": [f.name for f in files]}),
                          encoding="utf-8")
    return ValidationResult(
        violations=tuple(sorted({*result.violations, *checked.violations},
                                key=lambda i: (i.file or "", str(i.focus_node), i.message))),
        warnings=result.warnings + checked.warnings,
    )


def reasoning_graph(dataset: Dataset, root: Path = PATHS.root) -> Graph:
    """The union of every graph but the gazetteer's: HermiT's input."""
    gazetteer = graph_iri(root / GAZETTEER, root)
    merged = Graph()
    for graph in dataset.graphs():
        if graph.identifier != gazetteer:
            for triple in graph:
                merged.add(triple)
    return merged


def gazetteer_types(dataset: Dataset, root: Path = PATHS.root) -> Graph:
    """The rdf:type triples HermiT would infer for the gazetteer's places: every superclass
    (by rdfs:subClassOf in the ontology) of a class the gazetteer asserts, and
    owl:Thing-free."""
    ontology = Graph()
    for path in sorted((root / "ontology").glob("*.ttl")):
        for triple in dataset.graph(graph_iri(path, root)):
            ontology.add(triple)
    gazetteer = dataset.graph(graph_iri(root / GAZETTEER, root))
    supers: dict[URIRef, set[URIRef]] = {}
    inferred = Graph()
    for subject, cls in gazetteer.subject_objects(RDF.type):
        if not isinstance(cls, URIRef):
            continue
        if cls not in supers:
            supers[cls] = {c for c in ontology.transitive_objects(cls, RDFS.subClassOf)
                           if isinstance(c, URIRef) and c != OWL.Thing}
        for parent in supers[cls]:
            if (subject, RDF.type, parent) not in gazetteer:
                inferred.add((subject, RDF.type, parent))
    return inferred
