"""What the description of one resource holds, gathered with SPARQL CONSTRUCT queries.

A description is the resource's own triples plus what a reader needs to understand them:
the labels (en, zh) of everything it links to and of its predicates; the inbound links
(places within a place, commitments committed by or applying to it, memberships) with the
labels and key facts of the things linking in; and, for anything derived from a source
passage, the passage (quote, section, row) and the document it is quoted from. A hub (a
source every county cites) is described with its first `max_inbound` things linking in;
/inbound/<path> lists them all.

Every query is plain SPARQL 1.1 over the default graph (the union of the named graphs), so
the same description comes from the embedded store or a remote endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from cckg.rdf.namespaces import PREFIXES
from cckg.rdf.query_exec import select_rows
from cckg.rdf.terms import to_rdflib
from cckg.server.inbound import count_linking, first_linking
from cckg.store.base import Store

#: Runs one CONSTRUCT query and returns its triples.
Construct = Callable[[str], Graph]


LABELS = "rdfs:label skos:prefLabel dcterms:title"

#: Facts shown for a thing that links to the described resource (a commitment, a membership).
KEY_FACTS = (
    "rdf:type cckg:targetYear cckg:baseYear cckg:timing cckg:strength cckg:earlierIfPossible "
    "cckg:committedBy cckg:appliesTo cckg:coversSector cckg:metric cckg:statedIn "
    "cckg:value cckg:valueMin cckg:valueMax cckg:unit prov:wasDerivedFrom "
    "cckg:member cckg:group cckg:memberSince cckg:adminCode"
)


#: The same, as lists for FILTER(... IN (...)): with the subject bound first, a filter lets
#: the store look up each subject's triples, where VALUES made it scan every label.
LABEL_LIST = ", ".join(LABELS.split())
FACT_LIST = ", ".join(KEY_FACTS.split())


def description_query(iri: str, linking: Sequence[str] | None = None) -> str:
    """One CONSTRUCT for the whole description: a UNION of eight parts, each copying the
    triples it matches (so every triple it gives is a triple of the store).

    One query instead of eight saves seven round trips to the store and seven parses; the
    parts match what the separate queries matched (see tests/server/
    test_describe_plan.py, which compares both for every place, commitment and document).
    Parts 3 to 7 are about the things linking in: all of them, or only the IRIs in
    `linking` (named in each part: pyoxigraph evaluates a UNION joined with one VALUES or
    subquery without its bindings, over the whole store).
    """
    r = f"<{iri}>"
    things = " ".join(f"<{s}>" for s in linking or ())

    def linking_in(var: str, predicate: str) -> str:
        """The things ?`var` linking in by ?`predicate` (those of `linking`, if given)."""
        links = f"?{var} ?{predicate} {r} FILTER(?{predicate} != rdf:type)"
        return links if linking is None else f"VALUES ?{var} {{ {things} }} {links}"

    return f"""CONSTRUCT {{
      {r} ?p ?o . ?x ?lp ?l . ?s ?p {r} . ?s ?kp ?k . ?pass ?pp ?po . ?b ?bp ?bo
    }} WHERE {{
      # 1. the resource's own triples
      {{ {r} ?p ?o }}
      # 2. labels of what it links to, and of the predicates it uses
      UNION {{ {{ {r} ?p0 ?x FILTER(isIRI(?x)) }} UNION {{ {r} ?x ?o0 }}
               ?x ?lp ?l FILTER(?lp IN ({LABEL_LIST})) }}
      # 3. inbound links, with the labels of the things linking in
      UNION {{ {linking_in("s", "p")} }}
      UNION {{ {linking_in("x", "p0")} ?x ?lp ?l FILTER(?lp IN ({LABEL_LIST})) }}
      # 4. key facts of the things linking in (a commitment's year, timing, strength...)
      UNION {{ {linking_in("s", "p0")} ?s ?kp ?k FILTER(?kp IN ({FACT_LIST})) }}
      # 5. labels of those facts' values and of the inbound predicates
      UNION {{ {{ {linking_in("s0", "p0")}
                  ?s0 ?kp0 ?x FILTER(?kp0 IN ({FACT_LIST})) FILTER(isIRI(?x)) }}
               UNION {{ {linking_in("s0", "x")} }}
               ?x ?lp ?l FILTER(?lp IN ({LABEL_LIST})) }}
      # 6. the source passages behind it and behind the things linking in
      UNION {{ {{ {r} prov:wasDerivedFrom ?pass }}
               UNION {{ {linking_in("s0", "p0")} ?s0 prov:wasDerivedFrom ?pass }}
               ?pass ?pp ?po }}
      # 7. the documents those passages are quoted from: their labels
      UNION {{ {{ {r} prov:wasDerivedFrom/cckg:passageOf ?x }}
               UNION {{ {linking_in("s0", "p0")}
                        ?s0 prov:wasDerivedFrom/cckg:passageOf ?x }}
               ?x ?lp ?l FILTER(?lp IN ({LABEL_LIST})) }}
      # 8. the triples of blank nodes it points to (a place's point: geo:asWKT)
      UNION {{ {r} ?p0 ?b FILTER(isBlank(?b)) ?b ?bp ?bo }}
    }}"""


@dataclass(frozen=True)
class Description:
    """The triples describing a resource, and how many of the things linking to it they
    include (`shown`) out of how many there are (`total`)."""

    triples: list[ox.Triple]
    shown: int
    total: int

    @property
    def is_cut(self) -> bool:
        """Whether some things linking in were left out (the cap was reached)."""
        return self.total > self.shown


def description_triples(iri: str, store: Store, max_inbound: int) -> Description | None:
    """The description of `iri` with at most `max_inbound` things linking in (None when
    the store knows nothing about it).

    The things linking in are counted first (a lookup of the resource's inbound links):
    only a description with more than `max_inbound` of them names the first that many (as
    /inbound/ lists them), so every other one comes from the same query as before there
    was a cap. Every triple the query gives is a store triple, so the resource has triples
    of its own exactly when some triple of the answer has it as subject.
    """
    def select(sparql: str) -> list[dict[str, Any]]:
        return select_rows(store, sparql)

    total = count_linking(select, iri)
    linking = first_linking(select, iri, max_inbound) if total > max_inbound else None
    found = store.query(description_query(iri, linking), prefixes=PREFIXES)
    assert not isinstance(found, ox.QuerySolutions | ox.QueryBoolean)
    triples = list(dict.fromkeys(found))
    node = ox.NamedNode(iri)
    if not any(t.subject == node for t in triples):
        return None
    return Description(triples, total if linking is None else len(linking), total)


def description_graph(triples: list[ox.Triple]) -> Graph:
    """Description triples as an rdflib graph (for the HTML view), CCKG's prefixes bound."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


#: The prefixes a description graph has bound (rdflib's own and CCKG's): Turtle and
#: RDF/XML descriptions declare those their IRIs use.
NAMESPACES = {str(p): str(ns) for p, ns in description_graph([]).namespaces() if p}


def describe_resource(iri: str, construct: Construct) -> Graph:
    """The description of `iri` as an rdflib graph, from any Construct (empty when the
    store knows nothing about it)."""
    graph = description_graph([])
    found = construct(description_query(iri))
    if (URIRef(iri), None, None) in found:
        graph += found
    return graph


def store_construct(store: Store) -> Construct:
    """A Construct over the server's store, its default graph the union of all graphs."""

    def run(query: str) -> Graph:
        triples = store.query(query, prefixes=PREFIXES)
        assert not isinstance(triples, (ox.QuerySolutions, ox.QueryBoolean))
        graph = Graph()
        for t in triples:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return graph

    return run
