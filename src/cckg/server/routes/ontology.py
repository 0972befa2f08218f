"""/ontology: the OWL ontology as documentation for browsers and as RDF for RDF clients.

The HTML is the page the build writes too (cckg.pipeline.ontology_docs): every term's
entry has its local name as HTML id, so https://w3id.org/cckg/ontology#PeakTarget lands
on it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse
from rdflib import Graph

from cckg.pipeline.ontology_docs import render_ontology_html
from cckg.rdf.formats import (
    HTML,
    JSONLD,
    NTRIPLES,
    RDFXML,
    TURTLE,
    Format,
    NotAcceptable,
    negotiate,
)
from cckg.rdf.namespaces import GRAPH, ONTOLOGY_IRI
from cckg.server.context import AppContext
from cckg.server.describe import Construct, store_construct
from cckg.server.negotiation import (
    alternates,
    link_header,
    not_acceptable,
    rdf_response,
    split_extension,
)

OFFERED = (HTML, TURTLE, RDFXML, JSONLD, NTRIPLES)


def stored_ontology(construct: Construct) -> Graph:
    """The triples of the ontology's named graphs in the store (graph/ontology/...)."""
    prefix = f"{GRAPH}ontology/"
    return construct(
        f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
          GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}"""
    )


def router(ctx: AppContext) -> APIRouter:
    """GET/HEAD /ontology[.html|.ttl|.rdf|.jsonld|.nt]."""
    api = APIRouter()
    construct = store_construct(ctx.store)

    @api.api_route("/ontology", methods=["GET", "HEAD"])
    def ontology(request: Request) -> Response:
        return answer(request, None)

    @api.api_route("/ontology.{ext}", methods=["GET", "HEAD"])
    def ontology_file(ext: str, request: Request) -> Response:
        _, forced = split_extension(f"ontology.{ext}", OFFERED)
        if forced is None:
            offered = ", ".join(f"/ontology.{f.extension}" for f in OFFERED)
            return PlainTextResponse(
                f"No ontology file /ontology.{ext}\nHow to fix: use one of {offered}.\n",
                status_code=404,
            )
        return answer(request, forced)

    def answer(request: Request, forced: Format | None) -> Response:
        urls = ctx.urls.for_request(request)
        alts = alternates(urls.page("ontology"), OFFERED)
        try:
            fmt = forced or negotiate(request.headers.get("accept"), OFFERED, HTML)
        except NotAcceptable as exc:
            return not_acceptable(exc, link_header(alts, None, ONTOLOGY_IRI))
        graph = stored_ontology(construct)
        headers = {"Vary": "Accept", "Link": link_header(alts, fmt, ONTOLOGY_IRI)}
        if fmt.is_rdf:
            return rdf_response(graph, fmt, headers)
        return HTMLResponse(render_ontology_html(graph), headers=headers)

    return api
