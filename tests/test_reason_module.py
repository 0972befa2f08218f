"""Reasoning over a bounded module (cckg.pipeline.reason_module): on the real data plus a
copy with its own individuals, every individual gets exactly the types HermiT infers over
all of it, and the module does not grow with more copies."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from cckg.errors import InconsistentOntology
from cckg.pipeline.gazetteer_checks import ontology_and_data
from cckg.pipeline.load import load_dataset
from cckg.pipeline.reason import reason
from cckg.pipeline.reason_module import build_module, reason_bounded
from cckg.rdf.namespaces import CCKG

Triple = tuple[Node, Node, Node]
#: The defined classes the competency questions read (CQ01, CQ06 and the coverage ones).
DEFINED = ("OverallPeakTarget", "PilotJurisdiction", "AllianceMember", "PeakCommitter",
           "PeakCoveredPlace", "SectoralCommitment", "QuantifiedCommitment")


def _copy(data: list[Triple], constants: set[Node], k: int) -> list[Triple]:
    """The data again with its own individuals: every IRI the ontology does not describe
    gets the suffix `-copyK`, every blank node is new."""
    blanks: dict[Node, BNode] = {}

    def rename(node: Node) -> Node:
        if isinstance(node, BNode):
            return blanks.setdefault(node, BNode())
        if isinstance(node, URIRef) and node not in constants:
            return URIRef(f"{node}-copy{k}")
        return node

    return [(rename(s), p, rename(o)) for s, p, o in data]


@pytest.fixture(scope="module")
def inputs() -> tuple[Graph, list[Triple], set[Node]]:
    ontology, data = ontology_and_data(load_dataset())
    constants = {n for t in ontology for n in t if isinstance(n, URIRef | BNode)}
    return ontology, data, constants


def test_every_individual_gets_the_types_hermit_infers_over_all_data(
        inputs: tuple[Graph, list[Triple], set[Node]]) -> None:
    ontology, data, constants = inputs
    both = data + _copy(data, constants, 1)
    bounded, module = reason_bounded(ontology, both)
    assert len(module.triples) < len(both) * 0.6  # the copy adds no kind of neighbourhood
    everything = Graph()
    for triple in (*ontology, *both):
        everything.add(triple)
    assert set(bounded.inferred) == set(reason(everything).inferred)
    for name in DEFINED:
        members = set(bounded.inferred.subjects(RDF.type, CCKG[name]))
        originals = {m for m in members if not str(m).endswith("-copy1")}
        assert originals, name
        assert {URIRef(f"{m}-copy1") for m in originals} == members - originals, name
    overall = {m for m in bounded.inferred.subjects(RDF.type, CCKG.OverallPeakTarget)}
    assert len(overall) == 18  # CQ01's nine provinces, in the data and in its copy


def test_the_module_does_not_grow_with_the_data(
        inputs: tuple[Graph, list[Triple], set[Node]]) -> None:
    _ontology, data, constants = inputs
    two = build_module(data + _copy(data, constants, 1), constants)
    four = build_module(data + [t for k in (1, 2, 3) for t in _copy(data, constants, k)],
                        constants)
    assert len(four.signature) > len(two.signature) * 1.9
    assert len(four.triples) == len(two.triples)
    assert len(four.representatives) == len(two.representatives)


def test_an_inconsistent_individual_outside_the_first_copy_is_found(
        inputs: tuple[Graph, list[Triple], set[Node]]) -> None:
    ontology, data, constants = inputs
    copy = _copy(data, constants, 1)
    province = next(s for s, p, o in copy if p == RDF.type and o == CCKG.Province)
    with pytest.raises(InconsistentOntology):
        reason_bounded(ontology, data + copy + [(province, RDF.type, CCKG.Nation)])
