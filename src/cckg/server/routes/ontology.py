"""/ontology: the OWL ontology as documentation for browsers and as RDF for RDF clients.

/ontology.owl is the ontology as RDF/XML (the release's cckg.owl), a request without any
Accept header gets RDF/XML too (owlready2, urllib), and /context.jsonld is the release's
JSON-LD context, computed from the served ontology.

The HTML is the page the build writes too (cckg.pipeline.ontology_docs): every term's
entry has its local name as HTML id, so https://w3id.org/cckg/ontology#PeakTarget lands
on it.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from markupsafe import Markup
from rdflib import Graph

from cckg.pipeline.ontology_docs import render_ontology_body
from cckg.pipeline.release import jsonld_context
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
from cckg.server.rendering import render

OFFERED = (HTML, TURTLE, RDFXML, JSONLD, NTRIPLES)


def stored_ontology(construct: Construct) -> Graph:
    """The triples of the ontology's named graphs in the store (graph/ontology/...)."""
    prefix = f"{GRAPH}ontology/"
    return construct(
        f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
          GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}"""
    )


def router(ctx: AppContext) -> APIRouter:
    """GET/HEAD /ontology[.html|.ttl|.rdf|.owl|.jsonld|.nt] and /context.jsonld."""
    api = APIRouter()
    construct = store_construct(ctx.store)

    @api.api_route("/ontology", methods=["GET", "HEAD"])
    def ontology(request: Request) -> Response:
        return answer(request, None)

    @api.api_route("/context.jsonld", methods=["GET", "HEAD"])
    def context() -> Response:
        body = json.dumps(jsonld_context(stored_ontology(construct)), indent=2) + "\n"
        return Response(body, media_type="application/ld+json")

    @api.api_route("/ontology.{ext}", methods=["GET", "HEAD"])
    def ontology_file(ext: str, request: Request) -> Response:
        _, forced = split_extension(f"ontology.{ext}", OFFERED)
        if ext == "owl":  # the release's cckg.owl: RDF/XML, where OWL tools look first
            forced = RDFXML
        if forced is None:
            offered = ", ".join([*(f"/ontology.{f.extension}" for f in OFFERED), "/ontology.owl"])
            return PlainTextResponse(
                f"No ontology file /ontology.{ext}\nHow to fix: use one of {offered}.\n",
                status_code=404,
            )
        return answer(request, forced)

    def answer(request: Request, forced: Format | None) -> Response:
        urls = ctx.urls.for_request(request)
        alts = alternates(urls.page("ontology"), OFFERED)
        accept = request.headers.get("accept")
        try:
            # No Accept at all is a program, not a browser (browsers always send one):
            # owlready2's get_ontology(...).load() and urllib get RDF/XML, the OWL exchange
            # format, instead of HTML they would fail to parse.
            fmt = forced or (RDFXML if accept is None else negotiate(accept, OFFERED, HTML))
        except NotAcceptable as exc:
            return not_acceptable(exc, link_header(alts, None, ONTOLOGY_IRI))
        graph = stored_ontology(construct)
        headers = {"Vary": "Accept", "Link": link_header(alts, fmt, ONTOLOGY_IRI)}
        if fmt.is_rdf:
            return rdf_response(graph, fmt, headers)
        page = render(request, ctx, "ontology_doc.html",
                      body=Markup(render_ontology_body(graph)), alternates=alts)
        page.headers.update(headers)
        return page

    return api
