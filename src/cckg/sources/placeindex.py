"""Look up places of data/ttl/places.ttl by GB/T 2260 code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from cckg.rdf.namespaces import CCKG


@dataclass(frozen=True)
class PlaceInfo:
    """A place's IRI and its English and Chinese labels."""

    iri: URIRef
    label_en: str
    label_zh: str


def _label(graph: Graph, node: URIRef, lang: str) -> str:
    for value in graph.objects(node, RDFS.label):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def load_places(path: Path) -> dict[str, PlaceInfo]:
    """Every place with a cckg:adminCode in the Turtle file at `path`, keyed by that code."""
    graph = Graph().parse(path, format="turtle")
    places: dict[str, PlaceInfo] = {}
    for node, code in graph.subject_objects(CCKG.adminCode):
        if isinstance(node, URIRef):
            en, zh = _label(graph, node, "en"), _label(graph, node, "zh")
            places[str(code)] = PlaceInfo(node, en, zh)
    return places
