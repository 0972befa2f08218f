"""Reasoning where the data outgrows HermiT: HermiT on the ontology plus a bounded module of
the data, its conclusions carried to every individual with the same neighbourhood.

Each data node gets a *signature*: the hash, refined DEPTH times, of its edges (property,
direction, and the other end's signature; a literal counts by its datatype or language, a
node the ontology describes — a class, a concept of the vocabularies, the object of an
owl:hasValue — by its IRI). Two nodes with the same signature have the same neighbourhood
up to DEPTH steps, as a set of paths. The ontology's class expressions (intersections,
someValuesFrom, hasValue, unions of them, domains, ranges, inverses, sub-properties) decide
an individual's types from such a neighbourhood, nesting at most three levels deep
(cckg:OverallPeakTarget: derived from a passage whose category has a value); without
cardinality restrictions or nominals over the data, how many neighbours a node has does
not matter, only which kinds.

The module: one representative per signature, and from each, one neighbour per kind of
edge, DEPTH steps out. HermiT reasons over the ontology plus the module (consistency, and
the types of each representative); every node gets the types inferred for the
representative of its signature. The module's size depends on how many kinds of
neighbourhood the data has, not on how much data there is.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from cckg.pipeline.reason import ReasoningResult, reason

#: How many steps of neighbourhood a signature covers (the ontology nests three).
DEPTH = 4
#: Data triples above which the build reasons over a module instead of all data.
FULL_LIMIT = 150_000

Triple = tuple[Node, Node, Node]
#: One kind of edge: (property, True if outgoing, the other end's signature or constant).
EdgeKind = tuple[Node, bool, object]


@dataclass
class Module:
    """The data chosen for HermiT, and each data node's signature."""

    triples: list[Triple]
    signature: dict[Node, int]
    representatives: dict[int, Node]


class _Edges:
    """Each data node's outgoing and incoming edges."""

    def __init__(self, data: Iterable[Triple], constants: set[Node]):
        self.out: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        self.into: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        self.constants = constants
        for s, p, o in data:
            self.out[s].append((p, o))
            if self.is_data(o):
                self.into[o].append((p, s))

    def is_data(self, node: Node) -> bool:
        return isinstance(node, URIRef | BNode) and node not in self.constants

    def nodes(self) -> set[Node]:
        return {n for n in (*self.out, *self.into) if self.is_data(n)}


def _constant(node: Node) -> object:
    """What a node that is not abstracted contributes to a signature."""
    if isinstance(node, Literal):
        return ("literal", node.datatype, node.language)
    return ("node", node)


def _kinds(edges: _Edges, node: Node, previous: dict[Node, int]) -> dict[EdgeKind, Triple]:
    """Each kind of edge of `node` (by `previous` signatures), with one triple of that kind."""
    kinds: dict[EdgeKind, Triple] = {}
    for p, o in edges.out.get(node, ()):
        end = previous[o] if edges.is_data(o) else _constant(o)
        kinds.setdefault((p, True, end), (node, p, o))
    for p, s in edges.into.get(node, ()):
        end = previous[s] if edges.is_data(s) else _constant(s)
        kinds.setdefault((p, False, end), (s, p, node))
    return kinds


def signatures(edges: _Edges, depth: int = DEPTH) -> list[dict[Node, int]]:
    """The signatures of every data node after 0, 1, … `depth` refinements."""
    nodes = edges.nodes()
    rounds = [dict.fromkeys(nodes, 0)]
    for _ in range(depth):
        previous = rounds[-1]
        rounds.append({n: hash(frozenset(_kinds(edges, n, previous))) for n in nodes})
    return rounds


def build_module(data: Iterable[Triple], constants: set[Node], depth: int = DEPTH) -> Module:
    """One representative per signature (an IRI where there is one) and, around each, one
    neighbour per kind of edge, `depth` steps out."""
    edges = _Edges(data, constants)
    rounds = signatures(edges, depth)
    final = rounds[depth]
    representatives: dict[int, Node] = {}
    for node in sorted(final, key=lambda n: (not isinstance(n, URIRef), str(n))):
        representatives.setdefault(final[node], node)
    chosen: set[Triple] = {(s, p, o) for s in edges.out if not edges.is_data(s)
                           for p, o in edges.out[s]}  # statements about the vocabulary
    reached: dict[Node, int] = {}
    frontier = [(node, depth) for node in representatives.values()]
    while frontier:
        node, left = frontier.pop()
        if reached.get(node, -1) >= left:
            continue
        reached[node] = left
        for p, o in edges.out.get(node, ()):
            if p == RDF.type:
                chosen.add((node, p, o))
        if left == 0:
            continue
        for (_p, _out, _end), triple in _kinds(edges, node, rounds[left - 1]).items():
            chosen.add(triple)
            other = triple[2] if triple[0] == node else triple[0]
            if edges.is_data(other):
                frontier.append((other, left - 1))
    return Module(sorted(chosen, key=str), final, representatives)


def reason_bounded(ontology: Graph, data: Iterable[Triple],
                   depth: int = DEPTH) -> tuple[ReasoningResult, Module]:
    """HermiT on the ontology plus a module of `data`; the types it infers for each
    representative, given to every data node (an IRI) of the same signature. Raises
    InconsistentOntology as `reason` does."""
    start = time.perf_counter()
    constants: set[Node] = {n for t in ontology for n in t if isinstance(n, URIRef | BNode)}
    data = list(data)
    module = build_module(data, constants, depth)
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    for triple in module.triples:
        graph.add(triple)
    found = reason(graph)
    types: dict[Node, set[Node]] = defaultdict(set)
    for subject, _p, cls in found.inferred:
        types[subject].add(cls)
    asserted = {(s, o) for s, p, o in data if p == RDF.type}
    inferred = Graph()
    for node, signature in module.signature.items():
        if not isinstance(node, URIRef):
            continue
        for cls in types.get(module.representatives[signature], ()):
            if (node, cls) not in asserted:
                inferred.add((node, RDF.type, cls))
    members = {cls: len(set(inferred.subjects(RDF.type, URIRef(cls)))
                        | {s for s, c in asserted if c == URIRef(cls)})
               for cls in found.defined_class_members}
    return ReasoningResult(
        inferred=inferred,
        individuals=len({s for s, _c in asserted if isinstance(s, URIRef)}),
        seconds=time.perf_counter() - start,
        defined_class_members=members,
    ), module
