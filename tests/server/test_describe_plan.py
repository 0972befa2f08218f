"""The one-query description, and the description the server sends (below the cap on things
linking in), give exactly the triples the separate queries gave, for every curated place
of the real graph, every third commitment and document, and every 100th place of the
gazetteer (they are alike; all of them would take many minutes)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import to_isomorphic

from cckg.rdf.namespaces import GRAPH, PREFIXES
from cckg.server.describe import (
    FACT_LIST,
    LABEL_LIST,
    describe_resource,
    description_graph,
    description_query,
    description_triples,
    store_construct,
)
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore

KINDS = ("cckg:Place", "cckg:Commitment", "cckg:PolicyDocument")


def separate_queries(iri: str) -> list[str]:
    """The description as planned before: seven CONSTRUCTs and, since the gazetteer, an
    eighth for blank nodes (the reference). A UNION of the plan is written as one query
    per branch (a CONSTRUCT of a UNION is the union of the branches' graphs), with the
    predicate lists as FILTER ... IN, which pyoxigraph evaluates after the subject is
    bound: the same triples, found in seconds rather than minutes."""
    r = f"<{iri}>"
    inbound = f"{{ SELECT DISTINCT ?s {{ ?s ?p {r} FILTER(?p != rdf:type) }} }}"
    labels = f"FILTER(?lp IN ({LABEL_LIST}))"
    facts = f"FILTER(?kp IN ({FACT_LIST}))"
    return [
        f"CONSTRUCT {{ {r} ?p ?o }} WHERE {{ {r} ?p ?o }}",
        f"CONSTRUCT {{ ?x ?lp ?l }} WHERE {{ {r} ?p ?x FILTER(isIRI(?x)) ?x ?lp ?l {labels} }}",
        f"CONSTRUCT {{ ?x ?lp ?l }} WHERE {{ {r} ?x ?o . ?x ?lp ?l {labels} }}",
        f"""CONSTRUCT {{ ?s ?p {r} . ?s ?lp ?l }} WHERE {{
              ?s ?p {r} FILTER(?p != rdf:type)
              OPTIONAL {{ ?s ?lp ?l {labels} }} }}""",
        f"CONSTRUCT {{ ?s ?kp ?k }} WHERE {{ {inbound} ?s ?kp ?k {facts} }}",
        f"""CONSTRUCT {{ ?k ?lp ?l }} WHERE {{
              {inbound} ?s ?kp ?k {facts} FILTER(isIRI(?k)) ?k ?lp ?l {labels} }}""",
        f"""CONSTRUCT {{ ?k ?lp ?l }} WHERE {{
              ?s ?k {r} FILTER(?k != rdf:type) ?k ?lp ?l {labels} }}""",
        f"CONSTRUCT {{ ?pass ?pp ?po }} WHERE {{ {r} prov:wasDerivedFrom ?pass . ?pass ?pp ?po }}",
        f"""CONSTRUCT {{ ?pass ?pp ?po }} WHERE {{
              {inbound} ?s prov:wasDerivedFrom ?pass . ?pass ?pp ?po }}""",
        f"""CONSTRUCT {{ ?doc ?lp ?l }} WHERE {{
              {r} prov:wasDerivedFrom/cckg:passageOf ?doc . ?doc ?lp ?l {labels} }}""",
        f"""CONSTRUCT {{ ?doc ?lp ?l }} WHERE {{
              {inbound} ?s prov:wasDerivedFrom/cckg:passageOf ?doc . ?doc ?lp ?l {labels} }}""",
        # Added with the gazetteer: a place's point is a blank node (geo:hasGeometry).
        f"CONSTRUCT {{ ?b ?bp ?bo }} WHERE {{ {r} ?p ?b FILTER(isBlank(?b)) ?b ?bp ?bo }}",
    ]


def reference(iri: str, store: EmbeddedStore) -> Graph:
    construct = store_construct(store)
    graph = Graph()
    own = construct(separate_queries(iri)[0])
    if len(own) == 0:
        return graph
    graph += own
    for query in separate_queries(iri)[1:]:
        graph += construct(query)
    return graph


def iris(store: EmbeddedStore) -> list[str]:
    found: set[str] = set()
    for kind in KINDS:
        rows = store.query(f"SELECT DISTINCT ?s {{ ?s a {kind} FILTER(isIRI(?s)) }}",
                           prefixes=PREFIXES)
        assert isinstance(rows, ox.QuerySolutions)
        found |= {row["s"].value for row in rows}
    others = sorted(other_than_places(store))
    gazetteer_only = sorted(found - curated_places(store) - set(others))
    curated = sorted(found - set(gazetteer_only) - set(others))
    return curated + others[::3] + gazetteer_only[::100]


def curated_places(store: EmbeddedStore) -> set[str]:
    """The places data/ttl/places.ttl describes (the report's and the memberships')."""
    rows = store.query(
        f"SELECT DISTINCT ?s {{ GRAPH <{GRAPH['data/ttl/places.ttl']}> {{ ?s a ?k }} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {row["s"].value for row in rows}


def other_than_places(store: EmbeddedStore) -> set[str]:
    """Commitments and documents."""
    rows = store.query(
        "SELECT DISTINCT ?s { { ?s a cckg:Commitment } UNION { ?s a cckg:PolicyDocument } }",
        prefixes=PREFIXES,
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {row["s"].value for row in rows}


def test_one_query_gives_the_separate_queries_triples(built_graph: EmbeddedStore) -> None:
    every = iris(built_graph)
    assert len(every) > 100  # places, commitments and documents of the real graph
    assert "https://w3id.org/cckg/id/place/CN" in every
    construct = store_construct(built_graph)
    for iri in every:
        new = describe_resource(iri, construct)
        old = reference(iri, built_graph)
        assert len(new) > 0
        assert to_isomorphic(new) == to_isomorphic(old), iri
        # what the server sends: below the cap, the same triples
        served = description_triples(iri, built_graph, Settings.max_inbound)
        assert served is not None and not served.is_cut, iri
        assert to_isomorphic(description_graph(served.triples)) == to_isomorphic(old), iri


def test_an_iri_with_only_inbound_links_has_no_description(built_graph: EmbeddedStore) -> None:
    rows = built_graph.query(
        """SELECT ?o { ?s ?p ?o FILTER(isIRI(?o) && ?p != rdf:type)
           FILTER NOT EXISTS { ?o ?q ?z } } LIMIT 1""", prefixes=PREFIXES)
    assert isinstance(rows, ox.QuerySolutions)
    (row,) = list(rows)
    iri = row["o"].value
    construct = store_construct(built_graph)
    assert len(construct(description_query(iri))) > 0  # the inbound part matches...
    assert len(describe_resource(iri, construct)) == 0  # ...but it is no description
    assert len(reference(iri, built_graph)) == 0
    assert len(describe_resource("https://w3id.org/cckg/id/place/nowhere", construct)) == 0
