"""/ontology: the OWL ontology as documentation for browsers and as RDF for RDF clients.

The HTML comes from `cckg.pipeline.ontology_docs.render_ontology_html` when that module is
installed, else from a term list rendered here; either way every term's entry has its
local name as HTML id, so https://w3id.org/cckg/ontology#PeakTarget lands on it.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

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
from cckg.rdf.namespaces import CCKG, GRAPH, ONTOLOGY_IRI
from cckg.server.context import AppContext
from cckg.server.describe import Construct, store_construct
from cckg.server.rendering import render
from cckg.server.routes.linked_data import (
    alternates,
    link_header,
    not_acceptable,
    rdf_response,
    split_extension,
)
from cckg.server.views import label_of

OFFERED = (HTML, TURTLE, RDFXML, JSONLD, NTRIPLES)
KINDS = (
    (OWL.Class, "Classes", "类"),
    (OWL.ObjectProperty, "Object properties", "对象属性"),
    (OWL.DatatypeProperty, "Data properties", "数据属性"),
    (OWL.AnnotationProperty, "Annotation properties", "注释属性"),
)


@dataclass(frozen=True)
class Term:
    """One ontology term as the fallback page lists it."""

    local: str
    iri: str
    en: str | None
    zh: str | None
    definition: str | None


def ontology_graph(construct: Construct) -> Graph:
    """The triples of the ontology's named graphs (graph/ontology/...)."""
    prefix = f"{GRAPH}ontology/"
    return construct(
        f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
          GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}"""
    )


def _definition(graph: Graph, term: URIRef) -> str | None:
    values = [o for o in graph.objects(term, SKOS.definition) if isinstance(o, Literal)]
    english = [str(v) for v in values if v.language in (None, "en")]
    return (english or [str(v) for v in values] or [None])[0]


def terms(graph: Graph) -> list[tuple[str, str, list[Term]]]:
    """The ontology's own terms grouped by kind, each sorted by local name."""
    groups = []
    for kind, title_en, title_zh in KINDS:
        found = []
        for term in set(graph.subjects(RDF.type, kind)):
            if isinstance(term, URIRef) and str(term).startswith(str(CCKG)):
                label = label_of(graph, term)
                found.append(Term(str(term)[len(str(CCKG)):], str(term), label.en, label.zh,
                                  _definition(graph, term)))
        groups.append((title_en, title_zh, sorted(found, key=lambda t: t.local.lower())))
    return groups


def html_renderer() -> object | None:
    """`render_ontology_body` of cckg.pipeline.ontology_docs, if that module exists."""
    try:
        module = importlib.import_module("cckg.pipeline.ontology_docs")
    except ModuleNotFoundError:
        return None
    return getattr(module, "render_ontology_body", None)


def router(ctx: AppContext) -> APIRouter:
    """GET/HEAD /ontology[.html|.ttl|.rdf|.owl|.jsonld|.nt] and /context.jsonld."""
    api = APIRouter()
    construct = store_construct(ctx.store)

    @api.api_route("/ontology", methods=["GET", "HEAD"])
    def ontology(request: Request) -> Response:
        return answer(request, None)

    @api.api_route("/ontology.{ext}", methods=["GET", "HEAD"])
    def ontology_file(ext: str, request: Request) -> Response:
        _, forced = split_extension(f"ontology.{ext}", OFFERED)
        if ext == "owl":  # what OWL tools look for: the same RDF/XML as .rdf
            forced = RDFXML
        if forced is None:
            offered = ", ".join(f"/ontology.{f.extension}" for f in OFFERED)
            return PlainTextResponse(
                f"No ontology file /ontology.{ext}\nHow to fix: use one of {offered}.\n",
                status_code=404,
            )
        return answer(request, forced)

    @api.api_route("/context.jsonld", methods=["GET", "HEAD"])
    def context() -> Response:
        from cckg.pipeline.release import jsonld_context

        body = json.dumps(jsonld_context(ontology_graph(construct)), indent=2)
        return Response(body + "\n", media_type="application/ld+json")

    def answer(request: Request, forced: Format | None) -> Response:
        urls = ctx.urls.for_request(request)
        alts = alternates(urls.page("ontology"), OFFERED)
        try:
            fmt = forced or negotiate(request.headers.get("accept"), OFFERED, HTML)
        except NotAcceptable as exc:
            return not_acceptable(exc, link_header(alts, None, ONTOLOGY_IRI))
        graph = ontology_graph(construct)
        headers = {"Vary": "Accept", "Link": link_header(alts, fmt, ONTOLOGY_IRI)}
        if fmt.is_rdf:
            return rdf_response(graph, fmt, headers)
        renderer = html_renderer()
        if callable(renderer):
            page = render(request, ctx, "ontology_doc.html", body=Markup(renderer(graph)),
                          alternates=alts)
            page.headers.update(headers)
            return page
        onto = URIRef(ONTOLOGY_IRI)
        page = render(
            request, ctx, "ontology.html", label=label_of(graph, onto),
            version=graph.value(onto, OWL.versionInfo), groups=terms(graph),
            comment=graph.value(onto, RDFS.comment), alternates=alts,
        )
        page.headers.update(headers)
        return page

    return api
