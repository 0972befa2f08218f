"""How the build reasons over the gazetteer (data/ttl/gazetteer.ttl) without HermiT.

The gazetteer holds ~47,000 of the graph's triples; the rest is the report's data. (Its
validation is cached like every source graph's: cckg.pipeline.source_validation.)

- Reasoning: HermiT gets everything but the gazetteer. The gazetteer asserts each place's
  level class and no fact a defined class of the ontology looks at (no memberships,
  commitments or coverage), so its inferred types are the superclasses of the asserted ones;
  they are added by following rdfs:subClassOf in the ontology, as HermiT would.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from cckg.paths import PATHS
from cckg.pipeline.load import graph_iri

GAZETTEER = Path("data") / "ttl" / "gazetteer.ttl"
Triple = tuple[Node, Node, Node]


def reasoning_graph(dataset: Dataset, root: Path = PATHS.root) -> Graph:
    """The union of every graph but the gazetteer's: HermiT's input."""
    gazetteer = graph_iri(root / GAZETTEER, root)
    merged = Graph()
    for graph in dataset.graphs():
        if graph.identifier != gazetteer:
            for triple in graph:
                merged.add(triple)
    return merged


def ontology_and_data(dataset: Dataset, root: Path = PATHS.root) -> tuple[Graph, list[Triple]]:
    """(the ontology graphs' union, the triples of every other graph but the gazetteer's):
    the input of reasoning over a bounded module (cckg.pipeline.reason_module)."""
    gazetteer = graph_iri(root / GAZETTEER, root)
    ontology_graphs = {graph_iri(p, root) for p in sorted((root / "ontology").glob("*.ttl"))}
    ontology, data = Graph(), list[Triple]()
    for graph in dataset.graphs():
        if graph.identifier in ontology_graphs:
            for triple in graph:
                ontology.add(triple)
        elif graph.identifier != gazetteer:
            data.extend(graph)
    return ontology, data


def gazetteer_types(dataset: Dataset, root: Path = PATHS.root) -> Graph:
    """The rdf:type triples HermiT would infer for the gazetteer's places: every superclass
    (by rdfs:subClassOf in the ontology) of a class the gazetteer asserts, and
    owl:Thing-free."""
    ontology = Graph()
    for path in sorted((root / "ontology").glob("*.ttl")):
        for triple in dataset.graph(graph_iri(path, root)):
            ontology.add(triple)
    gazetteer = dataset.graph(graph_iri(root / GAZETTEER, root))
    return superclass_types(ontology, gazetteer)


def superclass_types(ontology: Graph, triples: Iterable[Triple]) -> Graph:
    """For each rdf:type triple of `triples`, the rdf:type triples of every superclass of
    its class (by rdfs:subClassOf in `ontology`, owl:Thing left out) not asserted there."""
    typed = {(s, o) for s, p, o in triples if p == RDF.type and isinstance(o, URIRef)}
    supers: dict[Node, set[URIRef]] = {}
    inferred = Graph()
    for subject, cls in typed:
        if cls not in supers:
            supers[cls] = {c for c in ontology.transitive_objects(cls, RDFS.subClassOf)
                           if isinstance(c, URIRef) and c != OWL.Thing}
        for parent in supers[cls]:
            if (subject, parent) not in typed:
                inferred.add((subject, RDF.type, parent))
    return inferred
