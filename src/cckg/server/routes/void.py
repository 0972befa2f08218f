"""/dataset and /.well-known/void: the dataset described with VoID and DCAT.

The description (cckg.pipeline.description) is computed from the running server: triple
counts per named graph and in all, instances per class, the dumps present in the dist dir
with media types and byte sizes, and this server's SPARQL endpoint.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from cckg.pipeline.description import Publication, class_partitions, creators, void_graph
from cckg.pipeline.dist import present_files
from cckg.rdf.formats import HTML, LINKED_DATA_FORMATS, TURTLE, Format, NotAcceptable
from cckg.rdf.terms import curie
from cckg.server.context import AppContext
from cckg.server.negotiation import (
    alternates,
    choose_format,
    link_header,
    not_acceptable,
    rdf_response,
    split_extension,
)
from cckg.server.rendering import render


def router(ctx: AppContext) -> APIRouter:
    """/dataset[.ext] and /.well-known/void (Turtle by default there, as VoID asks)."""
    api = APIRouter()

    def answer(request: Request, forced: Format | None, default: Format) -> Response:
        urls = ctx.urls.for_request(request)
        alts = alternates(urls.page("dataset"), LINKED_DATA_FORMATS)
        at = Publication.at(ctx.settings.base_iri, urls.local_base)
        canonical = str(at.dataset_iri)
        try:
            fmt = choose_format(request, forced, LINKED_DATA_FORMATS, default)
        except NotAcceptable as exc:
            return not_acceptable(exc, link_header(alts, None, canonical))
        dist = ctx.settings.dist_dir
        graph = void_graph(ctx.store, dist, at)
        headers = {"Vary": "Accept", "Link": link_header(alts, fmt, canonical)}
        if fmt.is_rdf:
            return rdf_response(graph, fmt, headers)
        page = render(
            request, ctx, "dataset.html", alternates=alts, endpoint=urls.endpoint(),
            files=present_files(dist),
            hrefs={f.name: urls.dump(f.name) for f in present_files(dist)},
            graphs=sorted(ctx.store.graph_counts().items()), triples=ctx.store.triple_count(),
            classes=[(curie(p.iri), urls.href(p.iri), p.entities)
                     for p in class_partitions(ctx.store)],
            creators=[str(c) for c in creators(ctx.store)],
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
