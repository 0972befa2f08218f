"""The named queries of queries/*.rq at /queries/NAME: an HTML table, CSV or SPARQL JSON.

The format comes from the extension (.html, .csv, .json) or the Accept header; parameters
come from the query string (`/queries/cq07?jurisdiction=620000`) and are checked and bound
as `cckg query --param` binds them.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from cckg.errors import BadParameter, CckgError, UnknownQuery
from cckg.rdf.formats import HTML, TABLE_FORMATS, Format, NotAcceptable, negotiate
from cckg.rdf.named_queries import (
    BoundValue,
    NamedQuery,
    check_places_exist,
    list_queries,
    load_query,
    resolve_parameters,
    shortened,
    web_spelling,
)
from cckg.rdf.query_exec import NamedQueryFailed, ResultTable, describes, run_named
from cckg.rdf.terms import curie
from cckg.server.context import AppContext
from cckg.server.negotiation import alternates, link_header, not_acceptable, split_extension
from cckg.server.rendering import render
from cckg.server.urls import Urls
from cckg.server.views import Value

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


def run(ctx: AppContext, query: NamedQuery, bound: dict[str, BoundValue]) -> ResultTable:
    """Run a named query on the store; a query the store cannot run is the server's fault."""
    where = f"queries/{query.path.name}"
    try:
        table = run_named(ctx.store, query, bound)
    except NamedQueryFailed as exc:
        raise BrokenQuery(
            exc.what, where=where,
            fix="this is a fault in the query file, not in your request; please report it",
        ) from exc
    if table.kind == "graph":
        raise BrokenQuery(
            f"named query {query.name!r} is not a SELECT or ASK query", where=where,
            fix="named queries answer questions with rows: write it as SELECT",
        )
    return table


class BrokenQuery(CckgError):
    """A named query file the store cannot run (answered 500: the server's fault)."""


def cell(term: object, urls: Urls) -> Value:
    """One result cell for the HTML table (IRIs link to this server where they can)."""
    if isinstance(term, ox.NamedNode):
        return Value(curie(term.value), href=urls.local(term.value) or term.value,
                     iri=term.value)
    if isinstance(term, ox.Literal):
        return Value(term.value, lang=term.language)
    return Value("" if term is None else str(term))


def known_name(name: str) -> bool:
    """Whether `name` could name a query file (no path tricks)."""
    return bool(name) and set(name) <= _NAME_CHARS


def router(ctx: AppContext) -> APIRouter:
    """/queries (the list) and /queries/NAME[.html|.csv|.json]."""
    api = APIRouter()

    @api.api_route("/queries", methods=["GET", "HEAD"])
    def index(request: Request) -> Response:
        return render(request, ctx, "queries.html", queries=list_queries())

    @api.api_route("/queries/{name_ext}", methods=["GET", "HEAD"])
    def named_query(name_ext: str, request: Request) -> Response:
        urls = ctx.urls.for_request(request)
        name, forced = split_extension(name_ext, TABLE_FORMATS)
        alts = alternates(urls.page(f"queries/{name}"), TABLE_FORMATS)
        try:
            fmt = forced or negotiate(request.headers.get("accept"), TABLE_FORMATS, HTML)
        except NotAcceptable as exc:
            return not_acceptable(exc)
        key = ctx.answers.key("queries", name, fmt.key, urls.local_base,
                              tuple(sorted(request.query_params.multi_items())))
        kept = ctx.answers.lookup(request, key)
        if kept is not None:
            return kept
        given = dict(request.query_params)
        try:
            repeated = sorted(k for k in given if len(request.query_params.getlist(k)) > 1)
            if repeated:
                raise BadParameter(
                    f"parameter(s) given more than once: {', '.join(repeated)}",
                    fix="give each parameter once",
                )
            if not known_name(name):
                raise UnknownQuery(f"no named query {shortened(name)!r}",
                                   fix="see /queries for the list")
            query = load_query(name)
            bound = resolve_parameters(query, given, web_spelling)
            check_places_exist(query, bound, lambda iri: describes(ctx.store, iri), web_spelling)
            table = run(ctx, query, bound)
        except CckgError as exc:
            return failure(request, exc, fmt)
        suffix = f"?{urlencode(given)}" if given else ""
        headers = {"Vary": "Accept", "Link": link_header(
            [{**a, "href": a["href"] + suffix} for a in alts], fmt, urls.page(f"queries/{name}")
        )}
        if fmt is HTML:
            page = render(
                request, ctx, "named_query.html", query=query, table=table,
                cells=[[cell(row[v], urls) for v in table.variables] for row in table.rows],
                given={k: v.value for k, v in bound.items()}, alternates=alts, suffix=suffix,
                editor=urls.page("query") + "?" + urlencode({"query": query.text}),
            )
            page.headers.update(headers)
            return ctx.answers.store(key, page)
        return ctx.answers.store(
            key, Response(table.write(fmt), media_type=fmt.content_type, headers=headers))

    def failure(request: Request, exc: CckgError, fmt: Format) -> Response:
        status = 404 if isinstance(exc, UnknownQuery) else 500 if isinstance(
            exc, BrokenQuery) else 400
        if fmt is HTML:
            return render(request, ctx, "error.html", status=status,
                          title={404: "Unknown query", 500: "Broken query"}.get(
                              status, "Bad parameter"),
                          message=exc.what, fix=exc.fix)
        return PlainTextResponse(exc.message + "\n", status_code=status)

    return api

