"""RDF terms, converted in one place: pyoxigraph's (stores, query results) and rdflib's
(graphs the pipeline and the pages build), and the short `prefix:local` form of an IRI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from cckg.rdf.namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

#: A pyoxigraph term (RDF 1.2 triple terms aside).
Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
#: What a query solution may bind a variable to.
SolutionTerm: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: A value bound to a query variable before evaluation (a named query's parameter).
BoundTerm: TypeAlias = ox.NamedNode | ox.Literal
#: What a query gives: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).
QueryResult: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]


def to_rdflib(term: Term | ox.Triple) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term; a literal keeps its lexical form ("3", not 3.0).

    Raises TypeError for an RDF 1.2 triple term, which rdflib cannot hold.
    """
    if isinstance(term, ox.Triple):
        raise TypeError(f"rdflib has no triple terms: {term}")
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)  # a simple literal, as rdflib's parsers give it
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def to_ox(term: Node) -> Term:
    """An rdflib term as a pyoxigraph term, a literal keeping its lexical form."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_ox_triple(subject: Node, predicate: Node, obj: Node) -> ox.Triple:
    """An rdflib triple as a pyoxigraph triple."""
    s, p, o = to_ox(subject), to_ox(predicate), to_ox(obj)
    if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {subject} {predicate} {obj}")
    return ox.Triple(s, p, o)


def curie(iri: str) -> str:
    """`prefix:local` for an IRI in a CCKG prefix's namespace (the longest match), else the
    IRI itself."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri
