"""HermiT (through owlready2) finds the ontology and its vocabularies consistent, with no
unsatisfiable class; planted contradictions are caught."""

from __future__ import annotations

import io

import owlready2
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF

from cckg.errors import InconsistentOntology
from cckg.paths import PATHS
from cckg.pipeline.load import parse_file
from cckg.pipeline.reason import reason
from cckg.rdf.namespaces import CCKG, ID, ONTOLOGY_IRI

PLACE = Namespace(ID["place/"])

PREFIXES = """
@prefix cckg: <https://w3id.org/cckg/ontology#> .
@prefix place: <https://w3id.org/cckg/id/place/> .
@prefix commitment: <https://w3id.org/cckg/id/commitment/> .
@prefix sector: <https://w3id.org/cckg/id/sector/> .
"""


def ontology_graph() -> Graph:
    """ontology/*.ttl merged into one graph."""
    graph = Graph()
    for path in sorted(PATHS.ontology.glob("*.ttl")):
        parse_file(path, into=graph)
    return graph


def with_data(turtle: str) -> Graph:
    """The ontology plus a few planted triples."""
    graph = ontology_graph()
    graph.parse(data=PREFIXES + turtle, format="turtle")
    return graph


def test_owlready2_reads_every_class_offline() -> None:
    graph = ontology_graph()
    assert not list(graph.objects(None, OWL.imports)), "owl:imports would make owlready2 fetch"
    world = owlready2.World()
    data = graph.serialize(format="nt", encoding="utf-8")
    world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(data), format="ntriples")
    declared = {str(c) for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(CCKG)}
    loaded = {c.iri for c in world.classes() if c.iri.startswith(str(CCKG))}
    assert declared == loaded
    assert {str(CCKG.Commitment), str(CCKG.PeakCoveredPlace), str(CCKG.Sector)} <= loaded


def test_hermit_finds_ontology_consistent_and_every_class_satisfiable() -> None:
    result = reason(ontology_graph())
    # the vocabularies' concepts are individuals HermiT reasoned over
    assert result.individuals >= 80


def test_individual_in_two_disjoint_classes_is_inconsistent() -> None:
    graph = with_data("place:999999 a cckg:Nation, cckg:Province .")
    with pytest.raises(InconsistentOntology):
        reason(graph)


def test_top_level_classes_are_disjoint() -> None:
    graph = with_data("commitment:x a cckg:PeakTarget . commitment:x a cckg:Measure .")
    with pytest.raises(InconsistentOntology):
        reason(graph)


def test_functional_committed_by_rejects_two_different_committers() -> None:
    graph = with_data(
        """commitment:x a cckg:PeakTarget ;
            cckg:committedBy place:110000 , commitment:y .
        commitment:y a cckg:ResearchCommitment ."""
    )
    with pytest.raises(InconsistentOntology):
        reason(graph)


def test_concept_in_two_concept_classes_is_inconsistent() -> None:
    graph = with_data("sector:steel a cckg:Metric .")
    with pytest.raises(InconsistentOntology):
        reason(graph)


def test_defined_classes_are_classified() -> None:
    graph = with_data(
        """place:120000 a cckg:Province .
        commitment:120000-overall-peak a cckg:PeakTarget ;
            cckg:committedBy place:120000 ; cckg:appliesTo place:120000 ;
            cckg:coversSector sector:steel ; cckg:value 160.0 ."""
    )
    inferred = reason(graph).inferred
    assert (PLACE["120000"], RDF.type, CCKG["PeakCommitter"]) in inferred
    types = set(inferred.objects(None, RDF.type))
    for name in ("PeakCommitter", "PeakCoveredPlace", "SectoralCommitment",
                 "QuantifiedCommitment"):
        assert CCKG[name] in types, name
