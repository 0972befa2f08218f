"""HTML pages: the home page, label search, the YASGUI query page and the static files.

`render` is the one place templates are turned into responses; the other routers
(dereferencing, ontology, named queries) use it too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from cckg.rdf.named_queries import list_queries
from cckg.rdf.namespaces import CCKG, PREFIXES
from cckg.server.context import AppContext
from cckg.server.urls import Urls
from cckg.server.views import Label, Value, curie
from cckg.store.base import Store

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
#: Prefixes the query page starts with.
EDITOR_PREFIXES = ("cckg", "id", "rdfs", "skos", "prov", "org", "dcterms", "xsd")
SEARCH_LIMIT = 50

_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def printable(text: str) -> str:
    """`text` with every non-printable character escaped as Python writes it (NUL as \\x00,
    newline as \\n), so an error message never echoes raw control characters."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def render(
    request: Request, ctx: AppContext, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A template rendered as an HTML response, with `urls` for this request."""
    urls = ctx.urls.for_request(request)
    html = _ENV.get_template(name).render(urls=urls, **context)
    return HTMLResponse(html, status_code=status)


def select(ctx: HasStore, sparql: str) -> list[dict[str, Any]]:
    """Rows of a small SELECT over the union of the store's graphs (in this process)."""
    solutions = ctx.store.query(sparql, prefixes=PREFIXES)
    assert isinstance(solutions, ox.QuerySolutions), "select() takes a SELECT query"
    names = [v.value for v in solutions.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in solutions]


class HasStore(Protocol):
    """Anything with a `store` (the AppContext, or a build's dataset)."""

    @property
    def store(self) -> Store: ...


@dataclass(frozen=True)
class ClassCount:
    """How many instances a CCKG class has."""

    value: Value
    count: int


def class_counts(ctx: AppContext, urls: Urls) -> list[ClassCount]:
    """Instances per CCKG class, most first, with the classes' en/zh labels."""
    rows = select(
        ctx,
        f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) (SAMPLE(?en) AS ?len) (SAMPLE(?zh) AS ?lzh)
        WHERE {{ ?s a ?class FILTER(STRSTARTS(STR(?class), "{CCKG}"))
          OPTIONAL {{ ?class rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
          OPTIONAL {{ ?class rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }} }}
        GROUP BY ?class ORDER BY DESC(?n) ?class""",
    )
    counts = []
    for row in rows:
        iri = row["class"].value
        label = Label(_text(row.get("len")), _text(row.get("lzh")), curie(iri))
        counts.append(ClassCount(Value(label.text, href=urls.local(iri) or iri, iri=iri),
                                 int(row["n"].value)))
    return counts


def _text(term: ox.Literal | None) -> str | None:
    return term.value if term is not None else None


def search_labels(ctx: AppContext, urls: Urls, text: str, limit: int) -> list[Value]:
    """Things whose label (any language) contains `text`, case-insensitively."""
    needle = json.dumps(text.lower(), ensure_ascii=False)
    rows = select(
        ctx,
        f"""SELECT ?s (SAMPLE(?en) AS ?len) (SAMPLE(?zh) AS ?lzh) WHERE {{
          ?s rdfs:label|skos:prefLabel|skos:altLabel ?l
          FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?l)), {needle}))
          OPTIONAL {{ ?s rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
          OPTIONAL {{ ?s rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }}
        }} GROUP BY ?s ORDER BY STRLEN(STR(?s)) ?s LIMIT {int(limit)}""",
    )
    return [link_from_row(urls, row) for row in rows]


def link_from_row(urls: Urls, row: dict[str, Any]) -> Value:
    """A link from a row with ?s, ?len (English label) and ?lzh (Chinese label)."""
    iri = row["s"].value
    label = Label(_text(row.get("len")), _text(row.get("lzh")), curie(iri))
    return Value(label.text, href=urls.local(iri) or iri, iri=iri)


def editor_text(query: str | None = None) -> str:
    """What the query editor starts with: a given query as is, else the CCKG prefixes and
    an example query."""
    if query and query.strip():
        return query
    prologue = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in EDITOR_PREFIXES)
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
        config = {"endpoint": urls.endpoint(), "query": editor_text(query)}
        return render(request, ctx, "query.html", config=config)

    return api
