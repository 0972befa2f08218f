"""The named queries of queries/*.rq at /queries/NAME: an HTML table, CSV or SPARQL JSON.

The format comes from the extension (.html, .csv, .json) or the Accept header; parameters
come from the query string (`/queries/cq07?jurisdiction=620000`) and are checked and bound
as `cckg query --param` binds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from cckg.errors import BadParameter, CckgError, UnknownQuery
from cckg.rdf import results
from cckg.rdf.formats import CSV, HTML, TABLE_FORMATS, Format, NotAcceptable, negotiate
from cckg.rdf.named_queries import (
    BoundValue,
    NamedQuery,
    list_queries,
    load_query,
    resolve_parameters,
)
from cckg.rdf.namespaces import PREFIXES
from cckg.server.context import AppContext
from cckg.server.rendering import render
from cckg.server.routes.linked_data import alternates, link_header, not_acceptable, split_extension
from cckg.server.urls import Urls
from cckg.server.views import Value, curie

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
_RESULT_FORMAT = {f.name: f for f in results.FORMATS["solutions"]}


@dataclass(frozen=True)
class Table:
    """A SELECT result (or an ASK answer) ready for a page or a file."""

    variables: list[str]
    rows: list[ox.QuerySolution]
    boolean: bool | None = None


def ox_term(value: BoundValue) -> ox.NamedNode | ox.Literal:
    """A bound parameter as a pyoxigraph term."""
    if value.kind == "iri":
        return ox.NamedNode(value.value)
    if value.kind == "integer":
        return ox.Literal(value.value, datatype=ox.NamedNode(XSD_INTEGER))
    return ox.Literal(value.value)


def run(ctx: AppContext, query: NamedQuery, bound: dict[str, BoundValue]) -> Table:
    """Run a named query on the store, over the union of its graphs."""
    try:
        result = ctx.store.query(
            query.text, prefixes=PREFIXES, bindings={k: ox_term(v) for k, v in bound.items()}
        )
    except (SyntaxError, ValueError, RuntimeError) as exc:
        raise BrokenQuery(
            f"the named query cannot be run: {exc}",
            where=f"queries/{query.path.name}",
            fix="this is a fault in the query file, not in your request; please report it",
        ) from exc
    if isinstance(result, ox.QueryBoolean):
        return Table([], [], boolean=bool(result))
    if not isinstance(result, ox.QuerySolutions):
        raise BrokenQuery(
            f"named query {query.name!r} is not a SELECT or ASK query",
            where=f"queries/{query.path.name}",
            fix="named queries answer questions with rows: write it as SELECT",
        )
    return Table([v.value for v in result.variables], list(result))


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
        given = dict(request.query_params)
        try:
            repeated = sorted(k for k in given if len(request.query_params.getlist(k)) > 1)
            if repeated:
                raise BadParameter(
                    f"parameter(s) given more than once: {', '.join(repeated)}",
                    fix="give each parameter once",
                )
            if not known_name(name):
                raise UnknownQuery(f"no named query {name!r}", fix="see /queries for the list")
            query = load_query(name)
            bound = resolve_parameters(query, given)
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
            return page
        return Response(file_body(table, fmt), media_type=_RESULT_FORMAT[fmt.key].content_type,
                        headers=headers)

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


def file_body(table: Table, fmt: Format) -> bytes:
    """The table as CSV or SPARQL JSON."""
    if table.boolean is not None:
        if fmt is CSV:
            return f"boolean\r\n{str(table.boolean).lower()}\r\n".encode()
        return f'{{"head": {{}}, "boolean": {str(table.boolean).lower()}}}'.encode()
    return results.write_solutions(table.variables, table.rows, _RESULT_FORMAT[fmt.key])
