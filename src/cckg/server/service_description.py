"""The SPARQL 1.1 Service Description answered by GET /sparql without a query.

It names the endpoint (as the client reached it), the languages and result formats it
supports, its features, and its default dataset with VoID triple counts per graph.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox

from cckg.rdf.formats import RESULT_FORMATS, W3C_FORMATS
from cckg.rdf.namespaces import SD
from cckg.server.settings import Settings
from cckg.store import sandbox
from cckg.store.base import Store

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
DCTERMS_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
DCTERMS_DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def sd(term: str) -> ox.NamedNode:
    """A term of the Service Description vocabulary."""
    return ox.NamedNode(str(SD[term]))


class GraphCounts:
    """Triple counts per graph, recomputed only when the store has changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[str, int, dict[str, int]] | None = None

    def get(self, store: Store) -> tuple[int, dict[str, int]]:
        """(triples in the default graph, {graph IRI: triples})."""
        with self._lock:
            generation = store.generation()
            if self._cached is None or self._cached[0] != generation:
                self._cached = (generation, store.default_graph_count(), store.graph_counts())
            return self._cached[1], self._cached[2]


def service_description(
    endpoint: str,
    settings: Settings,
    store: Store,
    counts: GraphCounts,
    *,
    isolated: bool = False,
) -> list[ox.Triple]:
    """The service description triples for an endpoint URL.

    `isolated` says whether query workers run without network access (seccomp); the
    description says so, or that remote fetching is only blocked lexically.
    """
    service = ox.BlankNode("service")
    remote = (
        f"{sandbox.ISOLATED} (seccomp)." if isolated
        else f"{sandbox.LEXICAL_ONLY}: query workers are not network-isolated on this host."
    )
    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, DCTERMS_TITLE, ox.Literal("CCKG SPARQL endpoint", language="en")),
        ox.Triple(service, DCTERMS_DESCRIPTION, ox.Literal(remote, language="en")),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
    ]
    if settings.update_token:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    w3c_names = {f.media_type: f.w3c for kind in RESULT_FORMATS.values() for f in kind}
    for _media, name in sorted(w3c_names.items()):
        iri = ox.NamedNode(W3C_FORMATS + str(name))
        triples.append(ox.Triple(service, sd("resultFormat"), iri))
    if settings.union_default_graph:
        triples.append(ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")))
    triples += _dataset(service, store, counts, settings.union_default_graph)
    return triples


def _dataset(
    service: ox.BlankNode, store: Store, counts: GraphCounts, union: bool
) -> list[ox.Triple]:
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    default_count, named = counts.get(store)
    total = sum(named.values()) + default_count if union else default_count
    triples = [
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
        ox.Triple(default, VOID_TRIPLES, ox.Literal(str(total), datatype=XSD_INTEGER)),
    ]
    for index, (name, size) in enumerate(sorted(named.items())):
        named_graph, graph = ox.BlankNode(f"ng{index}"), ox.BlankNode(f"g{index}")
        try:
            name_term = ox.NamedNode(name)
        except ValueError:
            continue
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named_graph),
            ox.Triple(named_graph, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named_graph, sd("name"), name_term),
            ox.Triple(named_graph, sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, sd("Graph")),
            ox.Triple(graph, VOID_TRIPLES, ox.Literal(str(size), datatype=XSD_INTEGER)),
        ]
    return triples
