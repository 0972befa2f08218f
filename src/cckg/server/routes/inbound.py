"""/inbound/<path>: every link to /id/<path>, paged, as HTML, CSV (.csv) and JSON (.json).

A description includes at most --max-inbound things linking in and, when it leaves some out,
links here. The three formats are one view (same query string), linked from each other and
from their Link header (rel="alternate"); pages link the next and previous ones (rel="next",
rel="prev"). An IRI /id/ cannot describe is the same 404 as there; a bad page is a 400.
Pages are kept in the answer cache until the store changes (ETag, 304), as descriptions are:
each one sorts every link in.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request, Response

from cckg.rdf.query_exec import select_rows
from cckg.server.context import AppContext
from cckg.server.inbound import (
    flat_rows,
    inbound_page,
    is_described,
    json_page,
    paging_params,
    parse_paging,
)
from cckg.server.lists import ListError
from cckg.server.negotiation import link
from cckg.server.rendering import render
from cckg.server.routes.linked_data import is_describable, not_found
from cckg.server.routes.lists import FORMATS, csv_text, link_header, list_problem, split_format

#: The formats of the list, by extension ('' for HTML).
EXTENSIONS = ("", "csv", "json")
#: Characters left out of a CSV file's name (it goes into a header).
UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]")


def router(ctx: AppContext) -> APIRouter:
    """GET/HEAD /inbound/{path}[.csv|.json]."""
    api = APIRouter()

    def select(sparql: str) -> list[dict[str, Any]]:
        return select_rows(ctx.store, sparql)

    @api.api_route("/inbound/{path:path}", methods=["GET", "HEAD"])
    def inbound(path: str, request: Request) -> Response:
        urls = ctx.urls.for_request(request)
        resource_path, ext = split_format(path)
        iri = urls.iri_for_path(f"id/{resource_path}")
        wants_html = not ext and "text/html" in request.headers.get("accept", "")
        key = ctx.answers.key("inbound", path, tuple(request.query_params.multi_items()),
                              urls.local_base)
        kept = ctx.answers.lookup(request, key)
        if kept is not None:
            return kept
        valid = is_describable(resource_path, iri)
        if not valid or not is_described(select, iri):
            return not_found(request, ctx, urls, iri, wants_html, valid)
        try:
            page, size = parse_paging(list(request.query_params.multi_items()))
            view = inbound_page(select, iri, page, size)
        except ListError as exc:
            return list_problem(ctx, request, 400, exc, ext)

        def url(fmt: str, to_page: int = page) -> str:
            return urls.inbound(resource_path, fmt, paging_params(to_page, size))

        links = {fmt: url(fmt) for fmt in EXTENSIONS}
        pages = {
            "next": url(ext, page + 1) if page < view.pages else None,
            "prev": url(ext, page - 1) if page > 1 else None,
        }
        header = [link_header(links, ext)]
        header += [link(href, rel) for rel, href in pages.items() if href]
        headers = {"Link": ", ".join(header)}
        if ext == "csv":
            name = UNSAFE_IN_NAME.sub("-", resource_path)
            headers["Content-Disposition"] = f'inline; filename="inbound-{name}.csv"'
            return ctx.answers.store(key, Response(
                csv_text(*flat_rows(view)), media_type=FORMATS["csv"], headers=headers))
        description = urls.page(f"id/{resource_path}")
        if ext == "json":
            body = json_page(view, {"self": links["json"], **pages, "csv": links["csv"],
                                    "html": links[""], "description": description})
            return ctx.answers.store(key, Response(
                json.dumps(body, ensure_ascii=False, indent=1), media_type=FORMATS["json"],
                headers=headers))
        html = render(request, ctx, "inbound.html", view=view, links=links, pages=pages,
                      description=description)
        html.headers.update(headers)
        return ctx.answers.store(key, html)

    return api
