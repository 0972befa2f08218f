"""The dataset described with VoID and DCAT, from a store, the dist folder and where the
dataset is published.

The build writes it into dist/ (at the public base IRI); the server answers it at
/dataset (at the address the client reached). Both call `void_graph`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from cckg.pipeline.dist import DUMPS_PATH, SPARQL_PATH, present_files
from cckg.rdf.namespaces import CCKG, ID, ONTOLOGY_IRI, PREFIXES, SD
from cckg.rdf.query_exec import select_rows
from cckg.rdf.terms import curie
from cckg.store.base import Store

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
REPORT = ID["document/report-regional-peaking-2018"]
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Publication:
    """Where the dataset is published: its base IRI, and the homepage, SPARQL endpoint and
    dumps folder of the site serving it (URLs; `homepage` and `dumps` end with '/')."""

    base_iri: str
    homepage: str
    endpoint: str
    dumps: str

    @classmethod
    def at(cls, base_iri: str, site: str) -> Publication:
        """The URLs of a site at `site`, laid out as CCKG's server lays them out."""
        site = site if site.endswith("/") else site + "/"
        return cls(base_iri, site, site + SPARQL_PATH, f"{site}{DUMPS_PATH}/")

    @property
    def dataset_iri(self) -> URIRef:
        """The public IRI of the dataset (base IRI + 'dataset')."""
        return URIRef(self.base_iri + "dataset")

    def dump(self, name: str) -> str:
        """The URL of one dump file."""
        return self.dumps + quote(name)


@dataclass(frozen=True)
class ClassPartition:
    """Instances of one class."""

    iri: str
    entities: int


def class_partitions(store: Store) -> list[ClassPartition]:
    """Instances per class (every class with instances), most first."""
    rows = select_rows(store, """SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
                           WHERE { ?s a ?class FILTER(isIRI(?class)) }
                           GROUP BY ?class ORDER BY DESC(?n) ?class""")
    return [ClassPartition(r["class"].value, int(r["n"].value)) for r in rows]


def creators(store: Store) -> list[Literal | URIRef]:
    """The ontology header's dcterms:creator values."""
    rows = select_rows(store, f"SELECT DISTINCT ?c WHERE {{ <{ONTOLOGY_IRI}> dcterms:creator ?c }}")
    out: list[Literal | URIRef] = []
    for row in rows:
        term = row["c"]
        out.append(Literal(term.value) if isinstance(term, ox.Literal) else URIRef(term.value))
    return out or [Literal("CCKG developers")]


def void_graph(store: Store, dist: Path, at: Publication) -> Graph:
    """The VoID + DCAT description of the dataset in `store`, with the dumps in `dist`."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("sd", SD)
    ds = at.dataset_iri
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("Climate Commitments Knowledge Graph", lang="en")))
    g.add((ds, DCTERMS.title, Literal("气候承诺知识图谱", lang="zh")))
    g.add((ds, DCTERMS.description, Literal(
        "What a Chinese report on regional carbon peaking (about 2018) says about the climate "
        "commitments of China's provinces and cities, each fact with the report's own words.",
        lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    for creator in creators(store):
        g.add((ds, DCTERMS.creator, creator))
    g.add((ds, DCTERMS.source, REPORT))
    g.add((ds, FOAF.homepage, URIRef(at.homepage)))
    g.add((ds, VOID.uriSpace, Literal(str(ID))))
    g.add((ds, VOID.vocabulary, URIRef(str(CCKG))))
    g.add((ds, VOID.sparqlEndpoint, URIRef(at.endpoint)))
    g.add((ds, VOID.triples, Literal(store.triple_count(), datatype=XSD.integer)))
    service = URIRef(at.endpoint)
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, ds))
    g.add((ds, DCAT.distribution, _endpoint_distribution(g, ds, service)))
    for dump in present_files(dist):
        url = URIRef(at.dump(dump.name))
        if dump.file.format.is_rdf:
            g.add((ds, VOID.dataDump, url))
        dist_node = URIRef(f"{ds}#distribution-{quote(dump.name)}")
        g.add((ds, DCAT.distribution, dist_node))
        g.add((dist_node, RDF.type, DCAT.Distribution))
        g.add((dist_node, DCTERMS.title, Literal(f"{dump.name}: {dump.description}", lang="en")))
        g.add((dist_node, DCAT.downloadURL, url))
        g.add((dist_node, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        g.add((dist_node, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        g.add((dist_node, DCTERMS.license, LICENSE))
    for graph_iri, count in sorted(store.graph_counts().items()):
        subset = URIRef(graph_iri)
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, subset))
        g.add((subset, VOID.triples, Literal(count, datatype=XSD.integer)))
    for part in class_partitions(store):
        node = URIRef(f"{ds}#class-{quote(curie(part.iri).replace(':', '-'), safe='')}")
        g.add((ds, VOID.classPartition, node))
        g.add((node, VOID["class"], URIRef(part.iri)))
        g.add((node, VOID.entities, Literal(part.entities, datatype=XSD.integer)))
    return g


def _endpoint_distribution(g: Graph, ds: URIRef, service: URIRef) -> URIRef:
    node = URIRef(f"{ds}#distribution-sparql")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    g.add((node, DCAT.accessURL, service))
    g.add((node, DCAT.accessService, service))
    return node
