"""/dataset and /.well-known/void: the dataset described with VoID and DCAT.

The description is computed from the running server: triple counts per named graph and in
all, instances per class (SPARQL), the dumps present in the dist dir with media types and
byte sizes, and this server's SPARQL endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from cckg.rdf.formats import HTML, LINKED_DATA_FORMATS, TURTLE, Format, NotAcceptable
from cckg.rdf.formats import negotiate as choose_format
from cckg.rdf.namespaces import CCKG, ID, ONTOLOGY_IRI, PREFIXES, SD
from cckg.server.context import AppContext
from cckg.server.rendering import render, select
from cckg.server.routes.dumps import dump_files
from cckg.server.routes.linked_data import (
    alternates,
    link_header,
    not_acceptable,
    rdf_response,
    split_extension,
)
from cckg.server.settings import Settings
from cckg.server.urls import Urls
from cckg.server.views import curie
from cckg.store.base import Store

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
REPORT = ID["document/report-regional-peaking-2018"]
IANA = "https://www.iana.org/assignments/media-types/"


class DatasetSource(Protocol):
    """What a VoID description is computed from: the server's AppContext, or the build."""

    settings: Settings
    store: Store


@dataclass(frozen=True)
class BuiltDataset:
    """A build's dataset (no server): settings and a store holding the N-Quads dump."""

    settings: Settings
    store: Store


@dataclass(frozen=True)
class ClassPartition:
    """Instances of one class."""

    iri: str
    entities: int


def dataset_iri(ctx: DatasetSource) -> URIRef:
    """The public IRI of the dataset (base IRI + 'dataset')."""
    return URIRef(ctx.settings.base_iri + "dataset")


def class_partitions(ctx: DatasetSource) -> list[ClassPartition]:
    """Instances per class (every class with instances), most first."""
    rows = select(ctx, """SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
                          WHERE { ?s a ?class FILTER(isIRI(?class)) }
                          GROUP BY ?class ORDER BY DESC(?n) ?class""")
    return [ClassPartition(r["class"].value, int(r["n"].value)) for r in rows]


def creators(ctx: DatasetSource) -> list[Literal | URIRef]:
    """The ontology header's dcterms:creator values."""
    rows = select(ctx, f"SELECT DISTINCT ?c WHERE {{ <{ONTOLOGY_IRI}> dcterms:creator ?c }}")
    out: list[Literal | URIRef] = []
    for row in rows:
        term = row["c"]
        out.append(Literal(term.value) if hasattr(term, "datatype") else URIRef(term.value))
    return out or [Literal("CCKG developers")]


def void_graph(ctx: DatasetSource, urls: Urls) -> Graph:
    """The VoID + DCAT description of the dataset as served here."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("sd", SD)
    ds = dataset_iri(ctx)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("Climate Commitments Knowledge Graph", lang="en")))
    g.add((ds, DCTERMS.title, Literal("气候承诺知识图谱", lang="zh")))
    g.add((ds, DCTERMS.description, Literal(
        "What a Chinese report on regional carbon peaking (about 2018) says about the climate "
        "commitments of China's provinces and cities, each fact with the report's own words.",
        lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    for creator in creators(ctx):
        g.add((ds, DCTERMS.creator, creator))
    g.add((ds, DCTERMS.source, REPORT))
    g.add((ds, FOAF.homepage, URIRef(urls.page(""))))
    g.add((ds, VOID.uriSpace, Literal(str(ID))))
    g.add((ds, VOID.vocabulary, URIRef(str(CCKG))))
    g.add((ds, VOID.sparqlEndpoint, URIRef(urls.endpoint())))
    g.add((ds, VOID.triples, Literal(ctx.store.triple_count(), datatype=XSD.integer)))
    service = URIRef(urls.endpoint())
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, ds))
    g.add((ds, DCAT.distribution, _endpoint_distribution(g, ds, service)))
    for dump in dump_files(ctx.settings.dist_dir):
        url = URIRef(urls.dump(dump.name))
        if dump.media_type != "application/json":
            g.add((ds, VOID.dataDump, url))
        dist = URIRef(f"{ds}#distribution-{quote(dump.name)}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"{dump.name}: {dump.description}", lang="en")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.license, LICENSE))
    for graph_iri, count in sorted(ctx.store.graph_counts().items()):
        subset = URIRef(graph_iri)
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, subset))
        g.add((subset, VOID.triples, Literal(count, datatype=XSD.integer)))
    for part in class_partitions(ctx):
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


def router(ctx: AppContext) -> APIRouter:
    """/dataset[.ext] and /.well-known/void (Turtle by default there, as VoID asks)."""
    api = APIRouter()

    def answer(request: Request, forced: Format | None, default: Format) -> Response:
        urls = ctx.urls.for_request(request)
        alts = alternates(urls.page("dataset"), LINKED_DATA_FORMATS)
        canonical = str(dataset_iri(ctx))
        try:
            fmt = forced or choose_format(
                request.headers.get("accept"), LINKED_DATA_FORMATS, default
            )
        except NotAcceptable as exc:
            return not_acceptable(exc, link_header(alts, None, canonical))
        graph = void_graph(ctx, urls)
        headers = {"Vary": "Accept", "Link": link_header(alts, fmt, canonical)}
        if fmt.is_rdf:
            return rdf_response(graph, fmt, headers)
        page = render(
            request, ctx, "dataset.html", alternates=alts, endpoint=urls.endpoint(),
            files=dump_files(ctx.settings.dist_dir),
            hrefs={f.name: urls.dump(f.name) for f in dump_files(ctx.settings.dist_dir)},
            graphs=sorted(ctx.store.graph_counts().items()), triples=ctx.store.triple_count(),
            classes=[(curie(p.iri), urls.local(p.iri) or p.iri, p.entities)
                     for p in class_partitions(ctx)],
            creators=[str(c) for c in creators(ctx)],
        )
        page.headers.update(headers)
        return page

    @api.api_route("/.well-known/void", methods=["GET", "HEAD"])
    def well_known(request: Request) -> Response:
        return answer(request, None, TURTLE)

    @api.api_route("/dataset", methods=["GET", "HEAD"])
    def dataset(request: Request) -> Response:
        return answer(request, None, HTML)

    @api.api_route("/dataset.{ext}", methods=["GET", "HEAD"])
    def dataset_file(ext: str, request: Request) -> Response:
        _, forced = split_extension(f"dataset.{ext}", LINKED_DATA_FORMATS)
        if forced is None:
            return Response(f"No /dataset.{ext}; use .html, .ttl, .jsonld, .nt or .rdf\n",
                            status_code=404, media_type="text/plain")
        return answer(request, forced, HTML)

    return api
