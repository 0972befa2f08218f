"""FOOPS!-style checks: the ontology header carries the metadata a reuser needs (after the
loader stamps the version), every cckg term is labelled in English and Chinese, defined and
attributed, and the contract's terms and alignments are all there."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS

from cckg import __version__
from cckg.paths import PATHS
from cckg.pipeline.load import graph_iri, load_dataset, version_iri
from cckg.rdf.namespaces import CCKG, ID, ONTOLOGY_IRI, ORG, PREFIXES, SCHEMA, VANN

ONTOLOGY = URIRef(ONTOLOGY_IRI)
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
CONTRACT_DOCS = (PATHS.root / "docs" / "modelling.md",)


@pytest.fixture(scope="module")
def stamped() -> Graph:
    """The ontology file's named graph after cckg.pipeline.load stamped the version."""
    path = PATHS.ontology / "cckg.ttl"
    return load_dataset([path]).graph(graph_iri(path))


def cckg_terms(graph: Graph) -> set[URIRef]:
    return {
        t
        for kind in TERM_KINDS
        for t in graph.subjects(RDF.type, kind)
        if isinstance(t, URIRef) and t.startswith(str(CCKG))
    }


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {
        o.language for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language and str(o).strip()
    }


def contract_terms() -> set[str]:
    """Every cckg: term named in docs/modelling.md."""
    text = "".join(p.read_text(encoding="utf-8") for p in CONTRACT_DOCS)
    return set(re.findall(r"`?cckg:([A-Za-z][A-Za-z0-9]*)", text))


def test_file_does_not_carry_its_own_version(ontology: Graph) -> None:
    assert (ONTOLOGY, OWL.versionInfo, None) not in ontology
    assert (ONTOLOGY, OWL.versionIRI, None) not in ontology


def test_version_is_stamped_from_the_package(stamped: Graph) -> None:
    assert stamped.value(ONTOLOGY, OWL.versionInfo) == Literal(__version__)
    assert stamped.value(ONTOLOGY, OWL.versionIRI) == version_iri()
    assert str(version_iri()) == f"{ONTOLOGY_IRI}/{__version__}"


def test_header_title_and_description(stamped: Graph) -> None:
    assert languages(stamped, ONTOLOGY, DCTERMS.title) >= {"en", "zh"}
    assert "en" in languages(stamped, ONTOLOGY, DCTERMS.description)


def test_header_licence_creator_dates(stamped: Graph) -> None:
    assert stamped.value(ONTOLOGY, DCTERMS.license) == CC_BY
    assert stamped.value(ONTOLOGY, DCTERMS.creator) is not None
    assert stamped.value(ONTOLOGY, DCTERMS.created) == Literal("2026-11-24", datatype=XSD_DATE)
    modified = stamped.value(ONTOLOGY, DCTERMS.modified)
    assert isinstance(modified, Literal) and modified.datatype == XSD_DATE


def test_header_namespace_and_citation(stamped: Graph) -> None:
    assert stamped.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("cckg")
    assert stamped.value(ONTOLOGY, VANN.preferredNamespaceUri) == Literal(str(CCKG))
    citation = stamped.value(ONTOLOGY, DCTERMS.bibliographicCitation)
    assert citation is not None and ONTOLOGY_IRI in str(citation)


def test_prior_version_is_the_previous_release(stamped: Graph) -> None:
    assert __version__ == "0.2.0"
    assert stamped.value(ONTOLOGY, OWL.priorVersion) == version_iri("0.1.0")


def test_every_term_labelled_in_english_and_chinese(ontology: Graph) -> None:
    missing = sorted(
        str(t) for t in cckg_terms(ontology)
        if not languages(ontology, t, RDFS.label) >= {"en", "zh"}
    )
    assert missing == []


def test_every_term_defined_and_attributed(ontology: Graph) -> None:
    terms = cckg_terms(ontology)
    undefined = sorted(str(t) for t in terms if "en" not in languages(ontology, t, SKOS.definition))
    unattributed = sorted(
        str(t) for t in terms if (t, RDFS.isDefinedBy, ONTOLOGY) not in ontology
    )
    assert (undefined, unattributed) == ([], [])


def test_every_contract_term_is_declared(ontology: Graph) -> None:
    declared = {t.removeprefix(str(CCKG)) for t in cckg_terms(ontology)}
    assert sorted(contract_terms() - declared) == []


def parse_example(example: str) -> Graph:
    """A skos:example snippet parsed with the cckg prefixes and one prefix per thing kind."""
    kinds = set(re.findall(r"\b([a-z][a-z-]*):", example)) - set(PREFIXES)
    prologue = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    prologue += "".join(f"@prefix {k}: <{ID[k + '/']}> .\n" for k in sorted(kinds))
    return Graph().parse(data=prologue + example, format="turtle")


@pytest.mark.parametrize(
    "name", ["Commitment", "PeakTarget", "Jurisdiction", "SourcePassage", "Membership",
             "PolicyDocument"],
)
def test_central_terms_have_a_valid_turtle_example(ontology: Graph, name: str) -> None:
    example = ontology.value(CCKG[name], SKOS.example)
    assert example is not None
    parsed = parse_example(str(example))
    subclasses = set(ontology.transitive_subjects(RDFS.subClassOf, CCKG[name]))
    assert set(parsed.objects(None, RDF.type)) & subclasses


@pytest.mark.parametrize(
    ("subject", "predicate", "obj"),
    [
        (CCKG.Place, RDFS.subClassOf, SCHEMA.Place),
        (CCKG.Place, RDFS.subClassOf, PROV.Location),
        (CCKG.Jurisdiction, RDFS.subClassOf, PROV.Agent),
        (CCKG.Jurisdiction, RDFS.subClassOf, SCHEMA.AdministrativeArea),
        (CCKG.Commitment, RDFS.subClassOf, PROV.Entity),
        (CCKG.PolicyDocument, RDFS.subClassOf, SCHEMA.CreativeWork),
        (CCKG.PolicyDocument, RDFS.subClassOf, FOAF.Document),
        (CCKG.SourcePassage, RDFS.subClassOf, PROV.Entity),
        (CCKG.ExternalSource, RDFS.subClassOf, PROV.Entity),
        (CCKG.Alliance, RDFS.subClassOf, ORG.Organization),
        (CCKG.Organisation, RDFS.subClassOf, ORG.Organization),
        (CCKG.Membership, RDFS.subClassOf, ORG.Membership),
        (CCKG.Sector, RDFS.subClassOf, SKOS.Concept),
        (CCKG.withinJurisdiction, RDFS.subPropertyOf, SCHEMA.containedInPlace),
        (CCKG.committedBy, RDFS.subPropertyOf, PROV.wasAttributedTo),
        (CCKG.statedIn, RDFS.subPropertyOf, PROV.hadPrimarySource),
        (CCKG.memberOf, RDFS.subPropertyOf, ORG.memberOf),
        (CCKG.hasMember, RDFS.subPropertyOf, ORG.hasMember),
        (CCKG.member, RDFS.subPropertyOf, ORG.member),
    ],
)
def test_alignment_to_established_vocabularies(
    ontology: Graph, subject: URIRef, predicate: URIRef, obj: URIRef
) -> None:
    assert (subject, predicate, obj) in ontology


@pytest.mark.parametrize(
    ("prop", "inverse"),
    [("committedBy", "makesCommitment"), ("appliesTo", "coveredBy"),
     ("inPilotBatch", "hasPilot"), ("batchOf", "hasBatch"), ("memberOf", "hasMember")],
)
def test_contract_inverses(ontology: Graph, prop: str, inverse: str) -> None:
    assert (CCKG[prop], OWL.inverseOf, CCKG[inverse]) in ontology


def test_functional_properties_as_the_contract_says(ontology: Graph) -> None:
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    for name in ("committedBy", "timing", "strength", "unit"):
        assert CCKG[name] in functional, name
    data_props = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    not_functional = sorted(str(p) for p in data_props - functional)
    assert not_functional == [str(CCKG.sourceNote)]


def test_external_terms_the_data_uses_are_declared(ontology: Graph) -> None:
    for term, kind in [
        (PROV.wasDerivedFrom, OWL.ObjectProperty),
        (DCTERMS.title, OWL.AnnotationProperty),
        (DCTERMS.issued, OWL.AnnotationProperty),
        (SKOS.prefLabel, OWL.AnnotationProperty),
        (SCHEMA.url, OWL.AnnotationProperty),
        (SKOS.inScheme, OWL.ObjectProperty),
        (SKOS.broader, OWL.ObjectProperty),
        (ORG.Membership, OWL.Class),
        (SCHEMA.Place, OWL.Class),
    ]:
        assert (term, RDF.type, kind) in ontology, term
