"""Small helpers the data tests share for reading facts out of a graph."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from cckg.rdf.namespaces import CCKG, ID


def iri(kind: str, key: str) -> URIRef:
    """The IRI of a thing or concept: id/<kind>/<key>."""
    return ID[f"{kind}/{key}"]


def one(graph: Graph, subject: URIRef, prop: URIRef) -> object:
    """The single value of `prop` on `subject` (fails if there is none or more than one)."""
    values = list(graph.objects(subject, prop))
    assert len(values) == 1, f"{subject} has {len(values)} values for {prop}"
    return values[0]


def quote_of(graph: Graph, fact: URIRef) -> str:
    """The quotes of the passages a fact is derived from, joined."""
    passages = graph.objects(fact, PROV.wasDerivedFrom)
    return " ".join(str(graph.value(p, CCKG.quote)) for p in passages)
