"""HTML pages: the home page, label search, the YASGUI query page and the static files."""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from cckg.rdf.named_queries import list_queries
from cckg.rdf.namespaces import CCKG, PREFIXES
from cckg.rdf.query_exec import select_rows
from cckg.rdf.sparql_text import sparql_prologue
from cckg.rdf.terms import curie
from cckg.server.context import AppContext
from cckg.server.rendering import STATIC, link_from_row, literal_text, render
from cckg.server.urls import Urls
from cckg.server.views import Label, Value

#: Prefixes the query page starts with.
EDITOR_PREFIXES = ("cckg", "id", "rdfs", "skos", "prov", "org", "dcterms", "xsd")
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class ClassCount:
    """How many instances a CCKG class has."""

    value: Value
    count: int


def class_counts(ctx: AppContext, urls: Urls) -> list[ClassCount]:
    """Instances per CCKG class, most first, with the classes' en/zh labels."""
    rows = select_rows(
        ctx.store,
        f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) (SAMPLE(?en) AS ?len) (SAMPLE(?zh) AS ?lzh)
        WHERE {{ ?s a ?class FILTER(STRSTARTS(STR(?class), "{CCKG}"))
          OPTIONAL {{ ?class rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
          OPTIONAL {{ ?class rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }} }}
        GROUP BY ?class ORDER BY DESC(?n) ?class""",
    )
    counts = []
    for row in rows:
        iri = row["class"].value
        label = Label(literal_text(row.get("len")), literal_text(row.get("lzh")), curie(iri))
        counts.append(ClassCount(Value(label.text, href=urls.local(iri) or iri, iri=iri),
                                 int(row["n"].value)))
    return counts


def search_labels(ctx: AppContext, urls: Urls, text: str, limit: int) -> list[Value]:
    """Things whose label (any language) contains `text`, case-insensitively."""
    needle = json.dumps(text.lower(), ensure_ascii=False)
    rows = select_rows(
        ctx.store,
        f"""SELECT ?s (SAMPLE(?en) AS ?len) (SAMPLE(?zh) AS ?lzh) WHERE {{
          ?s rdfs:label|skos:prefLabel|skos:altLabel ?l
          FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?l)), {needle}))
          OPTIONAL {{ ?s rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
          OPTIONAL {{ ?s rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }}
        }} GROUP BY ?s ORDER BY STRLEN(STR(?s)) ?s LIMIT {int(limit)}""",
    )
    return [link_from_row(urls, row) for row in rows]


def editorliteral_text(query: str | None = None) -> str:
    """What the query editor starts with: a given query as is, else the CCKG prefixes and
    an example query."""
    if query and query.strip():
        return query
    prologue = sparql_prologue({p: PREFIXES[p] for p in EDITOR_PREFIXES})
    body = (
        "\nSELECT ?commitment ?label ?year WHERE {\n"
        "  ?commitment a cckg:PeakTarget ;\n"
        "      rdfs:label ?label ;\n"
        "      cckg:targetYear ?year .\n"
        '  FILTER(LANG(?label) = "en")\n'
        "} ORDER BY ?year ?label LIMIT 100\n"
    )
    return prologue + body


def router(ctx: AppContext) -> APIRouter:
    """Home, search, query page and /static."""
    api = APIRouter()
    api.mount("/static", StaticFiles(directory=STATIC), name="static")

    @api.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        urls = ctx.urls.for_request(request)
        return render(
            request, ctx, "home.html",
            counts=class_counts(ctx, urls),
            triples=ctx.store.triple_count(),
            queries=list_queries(),
        )

    @api.api_route("/search", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def search(request: Request, q: str = Query("", max_length=200)) -> HTMLResponse:
        urls = ctx.urls.for_request(request)
        text = q.strip()
        results = search_labels(ctx, urls, text, SEARCH_LIMIT + 1) if text else []
        return render(
            request, ctx, "search.html",
            query=text, results=results[:SEARCH_LIMIT], truncated=len(results) > SEARCH_LIMIT,
        )

    @api.api_route("/query", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def query_page(
        request: Request, query: str | None = Query(None, max_length=100_000)
    ) -> HTMLResponse:
        urls = ctx.urls.for_request(request)
        config = {"endpoint": urls.endpoint(), "query": editorliteral_text(query)}
        return render(request, ctx, "query.html", config=config)

    return api
