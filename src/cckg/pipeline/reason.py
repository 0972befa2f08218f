"""Step 3 of the build: OWL 2 DL reasoning with owlready2 and HermiT.

The ontology and data must be consistent and no class unsatisfiable; the types HermiT infers
(the defined classes, and every superclass) are returned as their own graph, which the build
writes into the named graph `graph/inferred`.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cckg.errors import CckgError, InconsistentOntology

#: Types never materialised: OWL's and RDF's own vocabulary.
_META_NAMESPACES = (str(OWL), str(RDF), str(RDFS))


@dataclass
class ReasoningResult:
    """What HermiT concluded about ontology plus data."""

    inferred: Graph
    individuals: int
    seconds: float
    defined_class_members: dict[str, int] = field(default_factory=dict)


def _is_meta(iri: str) -> bool:
    return iri.startswith(_META_NAMESPACES)


def reasoner_input(graph: Graph) -> Graph:
    """A copy of `graph` with owl:NamedIndividual on every typed instance (owlready2 needs it)."""
    out = Graph()
    for triple in graph:
        out.add(triple)
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and not _is_meta(str(cls)):
            out.add((subject, RDF.type, OWL.NamedIndividual))
    return out


def _asserted_types(graph: Graph) -> dict[URIRef, set[URIRef]]:
    types: dict[URIRef, set[URIRef]] = {}
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and isinstance(cls, URIRef):
            types.setdefault(subject, set()).add(cls)
    return types


def _defined_classes(graph: Graph) -> set[URIRef]:
    return {c for c in graph.subjects(OWL.equivalentClass, None) if isinstance(c, URIRef)}


def reason(graph: Graph) -> ReasoningResult:
    """Run HermiT over `graph`; raise InconsistentOntology if it is inconsistent or a class
    is unsatisfiable; return the inferred rdf:type triples."""
    start = time.perf_counter()
    world = owlready2.World()
    with tempfile.TemporaryDirectory(prefix="cckg-reason-") as tmp:
        path = Path(tmp) / "cckg.nt"
        reasoner_input(graph).serialize(path, format="nt", encoding="utf-8")
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
        except Exception as exc:  # owlready2 raises assorted parser errors
            raise CckgError(
                f"owlready2 could not read the graph: {exc}",
                where="reasoning input",
                fix="run `cckg validate` first; the graph must be OWL 2 DL",
            ) from exc
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            raise InconsistentOntology(
                "HermiT found the ontology and data inconsistent",
                where="ontology/ + data/ttl/",
                fix="look for an individual typed with two disjoint classes, a functional "
                "property with two values, or a value outside its property's range; "
                "`cckg validate` names most such errors",
            ) from exc
        except owlready2.base.OwlReadyJavaError as exc:
            raise CckgError(
                f"HermiT failed to run: {str(exc).strip().splitlines()[-1]}",
                where="reasoner (Java)",
                fix="check that `java -version` works and that the graph uses only OWL 2 "
                "datatypes (years are xsd:integer)",
            ) from exc
        unsatisfiable = sorted(
            c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing)
        )
        if unsatisfiable:
            raise InconsistentOntology(
                f"unsatisfiable classes: {', '.join(unsatisfiable)}",
                where="ontology/",
                fix="check the disjointness and restriction axioms of these classes",
            )
        inferred = _inferred_types(world, graph)
    defined = _defined_classes(graph)
    members = {
        str(cls): len(set(inferred.subjects(RDF.type, cls)) | set(graph.subjects(RDF.type, cls)))
        for cls in sorted(defined)
    }
    return ReasoningResult(
        inferred=inferred,
        individuals=len(_asserted_types(graph)),
        seconds=time.perf_counter() - start,
        defined_class_members=members,
    )


def _inferred_types(world: owlready2.World, graph: Graph) -> Graph:
    asserted = _asserted_types(graph)
    inferred = Graph()
    for individual in world.individuals():
        subject = URIRef(individual.iri)
        have = asserted.get(subject, set())
        for cls in individual.INDIRECT_is_a:
            iri = getattr(cls, "iri", None)
            if iri is None or _is_meta(iri):
                continue
            if URIRef(iri) not in have:
                inferred.add((subject, RDF.type, URIRef(iri)))
    return inferred
