"""/list/: every CCKG class as a list with facets, sorting and paging, as HTML, CSV, JSON.

/list/PeakTarget is the page; /list/PeakTarget.csv and .json are the same view (same query
string) as data, linked from the page and its Link header (rel="alternate"), as datasette
does. /list/ is the index of all classes with their instance counts.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse

from cckg.rdf.query_exec import select_rows
from cckg.server.context import AppContext
from cckg.server.lists import (
    ListError,
    Select,
    Tokens,
    class_iri_of,
    family_of,
    flat_rows,
    is_class,
    json_view,
    list_view,
    parse_state,
)
from cckg.server.negotiation import link
from cckg.server.rendering import render
from cckg.server.routes.pages import class_counts
from cckg.server.urls import Urls

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def list_url(urls: Urls, name: str, params: list[tuple[str, str]], ext: str = "") -> str:
    """The URL of a list view: /list/<Class>[.ext]?<params>."""
    query = urlencode(params)
    return urls.page(f"list/{name}{'.' + ext if ext else ''}") + (f"?{query}" if query else "")


def alternate_links(urls: Urls, name: str, params: list[tuple[str, str]]) -> dict[str, str]:
    """The view's URL in each format, keyed by extension ('' for HTML)."""
    return {ext: list_url(urls, name, params, ext) for ext in ("", "csv", "json")}


def split_format(name: str) -> tuple[str, str]:
    """'PeakTarget.csv' -> ('PeakTarget', 'csv'); without a table extension -> (name, '')."""
    stem, dot, ext = name.rpartition(".")
    return (stem, ext) if dot and ext in FORMATS else (name, "")


def link_header(links: dict[str, str], served: str) -> str:
    types = {"": "text/html", "csv": "text/csv", "json": "application/json"}
    return ", ".join(
        link(href, "alternate", type=types[ext]) for ext, href in links.items() if ext != served
    )


def csv_text(header: list[str], table: list[list[str]]) -> str:
    """A table as CSV (RFC 4180 line ends), its header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(table)
    return out.getvalue()


def list_problem(
    ctx: AppContext, request: Request, status: int, exc: ListError, ext: str
) -> Response:
    """A list's error as a page for a browser asking for the HTML view, else as text."""
    if not ext and "text/html" in request.headers.get("accept", ""):
        what = f"{exc.where}: {exc.what}" if exc.where else exc.what
        return render(request, ctx, "error.html", status=status,
                      title="Not found" if status == 404 else "Bad request",
                      message=what, fix=exc.fix)
    return PlainTextResponse(exc.message + "\n", status_code=status)


def class_label(query: Select, class_iri: str, name: str) -> dict[str, str]:
    """The class's en and zh labels (the local name when it has none)."""
    rows = query(
        f"""SELECT ?en ?zh WHERE {{
          OPTIONAL {{ <{class_iri}> rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
          OPTIONAL {{ <{class_iri}> rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }} }}"""
    )
    row = rows[0] if rows else {}
    return {"en": row["en"].value if "en" in row else name,
            "zh": row["zh"].value if "zh" in row else ""}


def router(ctx: AppContext) -> APIRouter:
    """GET/HEAD /list/ and /list/{Class}[.csv|.json]."""
    api = APIRouter()

    def run(sparql: str) -> list[dict[str, Any]]:
        return select_rows(ctx.store, sparql)

    query: Select = run

    @api.api_route("/list/", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        urls = ctx.urls.for_request(request)
        return render(request, ctx, "lists.html", counts=class_counts(ctx, urls))

    @api.api_route("/list/{name}", methods=["GET", "HEAD"])
    def one_list(name: str, request: Request) -> Response:
        urls = ctx.urls.for_request(request)
        stem, ext = split_format(name)
        class_iri = class_iri_of(stem)
        if class_iri is None or not is_class(query, class_iri):
            return list_problem(ctx, request, 404, ListError(
                f"No list {stem!r}: the graph has no class cckg:{stem}.",
                fix=f"pick a class from {urls.page('list/')}"), ext)
        family = family_of(query, class_iri)
        params = list(request.query_params.multi_items())
        try:
            state = parse_state(family, params)
            view = list_view(query, class_iri, family, state, Tokens(urls.base_iri),
                             with_facets=ext != "csv")
        except ListError as exc:
            return list_problem(ctx, request, 400, exc, ext)
        links = alternate_links(urls, stem, state.params())
        headers = {"Link": link_header(links, ext)}
        if ext == "csv":
            headers["Content-Disposition"] = f'inline; filename="{stem}.csv"'
            return Response(csv_text(*flat_rows(view)), media_type=FORMATS["csv"], headers=headers)
        if ext == "json":
            pages = {
                "self": links["json"],
                "next": list_url(urls, stem, state.params(page=state.page + 1), "json")
                if state.page < view.pages else None,
                "csv": links["csv"], "html": links[""],
            }
            body = json.dumps(json_view(view, pages), ensure_ascii=False, indent=1)
            return Response(body, media_type=FORMATS["json"], headers=headers)

        def url(**change: object) -> str:
            return list_url(urls, stem, state.params(**change))

        def toggle(key: str, token: str) -> str:
            filters = {k: list(v) for k, v in state.filters.items()}
            values = filters.setdefault(key, [])
            if token in values:
                values.remove(token)
            else:
                values.append(token)
            return url(filters={k: v for k, v in filters.items() if v}, page=None)

        page = render(
            request, ctx, "list.html", list_name=stem, view=view, links=links, url=url,
            toggle=toggle, title=class_label(query, class_iri, stem),
        )
        page.headers.update(headers)
        return page

    return api
