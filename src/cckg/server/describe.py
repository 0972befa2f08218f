"""What the description of one resource holds, gathered with SPARQL CONSTRUCT queries.

A description is the resource's own triples plus what a reader needs to understand them:
the labels (en, zh) of everything it links to and of its predicates; the inbound links
(places within a place, commitments committed by or applying to it, memberships) with the
labels and key facts of the things linking in; and, for anything derived from a source
passage, the passage (quote, section, row) and the document it is quoted from.

Every query is plain SPARQL 1.1 over the default graph (the union of the named graphs), so
the same description comes from the embedded store or a remote endpoint.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from rdflib import Graph

from cckg.rdf.namespaces import PREFIXES
from cckg.rdf.terms import to_rdflib
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


def _queries(iri: str) -> list[str]:
    r = f"<{iri}>"
    return [
        # 1. the resource's own triples
        f"CONSTRUCT {{ {r} ?p ?o }} WHERE {{ {r} ?p ?o }}",
        # 2. labels of what it links to, and of the predicates it uses
        f"""CONSTRUCT {{ ?x ?lp ?l }} WHERE {{
              {{ {r} ?p ?x FILTER(isIRI(?x)) }} UNION {{ {r} ?x ?o }}
              ?x ?lp ?l VALUES ?lp {{ {LABELS} }} }}""",
        # 3. inbound links, with the labels of the things linking in
        f"""CONSTRUCT {{ ?s ?p {r} . ?s ?lp ?l }} WHERE {{
              ?s ?p {r} FILTER(?p != rdf:type)
              OPTIONAL {{ ?s ?lp ?l VALUES ?lp {{ {LABELS} }} }} }}""",
        # 4. key facts of the things linking in (a commitment's year, timing, strength...)
        f"""CONSTRUCT {{ ?s ?kp ?k }} WHERE {{
              ?s ?p {r} FILTER(?p != rdf:type)
              ?s ?kp ?k VALUES ?kp {{ {KEY_FACTS} }} }}""",
        # 5. labels of those facts' values and of the inbound predicates
        f"""CONSTRUCT {{ ?k ?lp ?l }} WHERE {{
              {{ ?s ?p {r} FILTER(?p != rdf:type)
                 ?s ?kp ?k VALUES ?kp {{ {KEY_FACTS} }} FILTER(isIRI(?k)) }}
              UNION {{ ?s ?k {r} FILTER(?k != rdf:type) }}
              ?k ?lp ?l VALUES ?lp {{ {LABELS} }} }}""",
        # 6. the source passages behind it and behind the things linking in: quote, section
        f"""CONSTRUCT {{ ?pass ?pp ?po }} WHERE {{
              {{ {r} prov:wasDerivedFrom ?pass }}
              UNION {{ ?s ?p {r} FILTER(?p != rdf:type) ?s prov:wasDerivedFrom ?pass }}
              ?pass ?pp ?po }}""",
        # 7. the documents those passages are quoted from, and its documents' labels
        f"""CONSTRUCT {{ ?doc ?lp ?l }} WHERE {{
              {{ {r} prov:wasDerivedFrom/cckg:passageOf ?doc }}
              UNION {{ ?s ?p {r} FILTER(?p != rdf:type)
                       ?s prov:wasDerivedFrom/cckg:passageOf ?doc }}
              ?doc ?lp ?l VALUES ?lp {{ {LABELS} }} }}""",
    ]


def describe_resource(iri: str, construct: Construct) -> Graph:
    """The description of `iri` (empty when the store knows nothing about it)."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    own = construct(_queries(iri)[0])
    if len(own) == 0:
        return graph
    graph += own
    for query in _queries(iri)[1:]:
        graph += construct(query)
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
