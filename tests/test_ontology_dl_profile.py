"""OWL 2 DL profile checks that matter for CCKG (there is no pure-Python OWL API profile
checker): datatypes from the OWL 2 datatype map only, no punning of classes as individuals,
no property of two kinds, annotation properties kept out of logical axioms, and HermiT finds
ontology plus data consistent. Each check is proved to bite on a small broken graph."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cckg.pipeline.reason import reason

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
#: The OWL 2 datatype map (OWL 2 Structural Specification, section 4).
XSD_NAMES = (
    "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
    "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString", "token",
    "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary", "anyURI",
    "dateTime", "dateTimeStamp",
)
OWL2_DATATYPES = {URIRef(XSD_NS + n) for n in XSD_NAMES} | {
    URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral"),
    URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral"),
    RDFS.Literal, OWL.real, OWL.rational,
}
XSD_STRING = URIRef(XSD_NS + "string")
#: Predicates of logical axioms, where an annotation property must never appear.
AXIOM_PREDICATES = (RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf,
                    OWL.propertyDisjointWith, RDFS.domain, RDFS.range)
META = (str(OWL), str(RDF), str(RDFS))
PREFIXES = """
@prefix cckg: <https://w3id.org/cckg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/> .
"""


def literal_datatype(value: Literal) -> URIRef:
    """A literal's datatype in OWL 2 terms (a language-tagged string is rdf:PlainLiteral)."""
    if value.language:
        return URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral")
    return URIRef(value.datatype) if value.datatype else XSD_STRING


def datatype_violations(graph: Graph) -> list[str]:
    """Data property ranges and values outside the OWL 2 datatype map."""
    found = []
    data_props = set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    for prop in sorted(data_props):
        for rng in graph.objects(prop, RDFS.range):
            if isinstance(rng, URIRef) and rng not in OWL2_DATATYPES:
                found.append(f"{prop} has range {rng}")
        for s, o in graph.subject_objects(prop):
            if not isinstance(o, Literal):
                found.append(f"{s} {prop} has a non-literal value {o}")
            elif literal_datatype(o) not in OWL2_DATATYPES:
                found.append(f"{s} {prop} {o!r}: {literal_datatype(o)} is not OWL 2")
    return found


def punning_violations(graph: Graph) -> list[str]:
    """IRIs that are declared classes and also typed as instances of a non-OWL class."""
    classes = set(graph.subjects(RDF.type, OWL.Class))
    return sorted(
        f"{s} is a class and an instance of {t}"
        for s, t in graph.subject_objects(RDF.type)
        if s in classes and not str(t).startswith(META)
    )


def property_kind_violations(graph: Graph) -> list[str]:
    """IRIs declared as two of object, data and annotation property."""
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    seen: dict[URIRef, list[str]] = {}
    for kind in kinds:
        for prop in graph.subjects(RDF.type, kind):
            seen.setdefault(prop, []).append(str(kind).removeprefix(str(OWL)))
    return sorted(f"{p} is {' and '.join(k)}" for p, k in seen.items() if len(k) > 1)


def object_value_violations(graph: Graph) -> list[str]:
    """Object properties with literal values."""
    return sorted(
        f"{s} {p} has a literal value {o!r}"
        for p in graph.subjects(RDF.type, OWL.ObjectProperty)
        for s, o in graph.subject_objects(p)
        if isinstance(o, Literal)
    )


def annotation_axiom_violations(graph: Graph) -> list[str]:
    """Annotation properties used in logical axioms (restrictions, characteristics, domain,
    range, sub-property of a non-annotation property, inverses)."""
    annotations = set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    found = [f"{p} is used in a restriction" for p in graph.objects(None, OWL.onProperty)
             if p in annotations]
    characteristics = (OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
                       OWL.TransitiveProperty, OWL.SymmetricProperty)
    found += [f"{p} is a {c}" for c in characteristics for p in graph.subjects(RDF.type, c)
              if p in annotations]
    for pred in AXIOM_PREDICATES:
        for s, o in graph.subject_objects(pred):
            if pred == RDFS.subPropertyOf and s in annotations and o in annotations:
                continue  # annotation sub-property of an annotation property is allowed
            if pred in (RDFS.domain, RDFS.range) and s in annotations and isinstance(o, URIRef):
                continue  # annotation property domain/range axioms are allowed (IRIs only)
            if s in annotations or o in annotations:
                found.append(f"{s} {pred} {o} uses an annotation property")
    return sorted(found)


CHECKS = {
    "datatypes": datatype_violations,
    "punning": punning_violations,
    "property kinds": property_kind_violations,
    "object values": object_value_violations,
    "annotation axioms": annotation_axiom_violations,
}

BROKEN = {
    "datatypes": """cckg:targetYear a owl:DatatypeProperty ; rdfs:range xsd:integer .
        ex:c cckg:targetYear "2025"^^xsd:gYear .""",
    "punning": """cckg:Commitment a owl:Class . cckg:PeakTarget a owl:Class .
        cckg:PeakTarget a cckg:Commitment .""",
    "property kinds": "cckg:unit a owl:ObjectProperty , owl:DatatypeProperty .",
    "object values": 'cckg:committedBy a owl:ObjectProperty . ex:c cckg:committedBy "Tianjin" .',
    "annotation axioms": """dcterms:title a owl:AnnotationProperty .
        ex:R a owl:Restriction ; owl:onProperty dcterms:title ; owl:hasValue "x" .""",
}


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_ontology_passes(check: str, ontology: Graph) -> None:
    assert CHECKS[check](ontology) == []


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_ontology_and_data_pass(check: str, ontology_and_data: Graph) -> None:
    assert CHECKS[check](ontology_and_data) == []


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_check_bites_on_broken_graph(check: str) -> None:
    broken = Graph().parse(data=PREFIXES + BROKEN[check], format="turtle")
    assert len(CHECKS[check](broken)) == 1


def test_every_data_property_range_is_a_single_owl2_datatype(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        ranges = list(ontology.objects(prop, RDFS.range))
        assert len(ranges) == 1 and ranges[0] in OWL2_DATATYPES, prop
        assert not isinstance(ranges[0], BNode)


def test_hermit_finds_ontology_and_data_consistent(ontology_and_data: Graph) -> None:
    result = reason(ontology_and_data)
    assert result.individuals > 100
