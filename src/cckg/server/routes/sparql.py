"""The SPARQL 1.1 Protocol endpoint (mounted at /sparql): query, update, service description.

Queries are answered by the store within the timeout (the embedded store runs them in
killable, network-isolated worker processes); updates run only with the update token,
and are not time-limited; GET (or HEAD) without a query answers the service description.
Remote data is never fetched: SERVICE and LOAD are refused by a strict lexer that fails
closed (cckg.rdf.sparql_lex), and FROM / FROM NAMED / default-graph-uri only ever name
graphs already in the store. Every request text is tokenised once, off the event loop, and refused
(400) when it nests deeper or chains longer than pyoxigraph's parser can take.
"""

from __future__ import annotations

import hmac

import anyio
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from cckg.rdf import sparql_lex
from cckg.rdf.formats import (
    KIND_OF_FORM,
    RESULT_FORMATS,
    Format,
    FormatError,
    choose_result_format,
)
from cckg.rdf.results import write_graph
from cckg.server.context import AppContext
from cckg.server.protocol_request import Operation, ProtocolError, parse
from cckg.server.service_description import GraphCounts, service_description
from cckg.store.base import QueryJob

ALLOWED = "GET, HEAD, POST"


def router(ctx: AppContext) -> APIRouter:
    """The /sparql routes (with and without a trailing slash)."""
    api = APIRouter()
    counts = GraphCounts()

    async def endpoint(request: Request) -> Response:
        operation = await parse(request, ctx.settings.max_request_body)
        urls = ctx.urls.for_request(request)
        if operation.kind == "describe-service":
            response = await _service_description(
                request, operation, ctx, urls.endpoint(), counts
            )
        elif operation.kind == "update":
            response = await _update(request, operation, ctx, urls.endpoint())
        else:
            response = await _query(request, operation, ctx, urls.endpoint())
        if request.method == "HEAD":
            response.headers["content-length"] = str(len(response.body))
            response.body = b""
        return response

    async def other_method(request: Request) -> Response:
        raise ProtocolError(
            405,
            f"{request.method} is not a SPARQL Protocol operation",
            fix="use GET, HEAD or POST (queries) or POST (updates)",
            headers={"Allow": ALLOWED},
        )

    for path in ("/sparql", "/sparql/"):
        api.add_api_route(
            path, endpoint, methods=["GET", "HEAD", "POST"], include_in_schema=False
        )
        api.add_api_route(
            path, other_method, methods=["PUT", "DELETE", "PATCH"], include_in_schema=False
        )
    return api


def _analyse(kind: str, text: str) -> sparql_lex.Analysis:
    """Tokenise a query or update once; refuse what is unsafe or unreadable (400)."""
    try:
        return sparql_lex.analyse(text)
    except sparql_lex.RemoteError as exc:
        raise ProtocolError(
            400,
            str(exc),
            fix="load the data you need into a store of your own and federate from there",
        ) from exc
    except sparql_lex.LexError as exc:
        raise ProtocolError(
            400, f"the {kind} was refused before parsing: {exc}", fix=exc.fix
        ) from exc


def _formats(
    analysis: sparql_lex.Analysis, operation: Operation, accept: str | None
) -> dict[str, Format]:
    """The result format for each kind of result; strict for the query's own kind."""
    own = KIND_OF_FORM.get(analysis.form or "")
    chosen = {}
    for kind in RESULT_FORMATS:
        try:
            chosen[kind] = choose_result_format(kind, accept, operation.format)
        except FormatError as exc:
            if kind == own:
                raise ProtocolError(exc.status, str(exc)) from exc
            chosen[kind] = RESULT_FORMATS[kind][0]
    return chosen


async def _query(request: Request, op: Operation, ctx: AppContext, base: str) -> Response:
    analysis = await run_in_threadpool(_analyse, "query", op.text)
    job = QueryJob(
        query=op.text,
        base_iri=base,
        default_graphs=op.default_graphs,
        named_graphs=op.named_graphs,
        union_default_graph=ctx.settings.union_default_graph,
        formats=_formats(analysis, op, request.headers.get("accept")),
        max_rows=ctx.settings.max_result_rows,
    )
    timeout = ctx.settings.query_timeout
    outcome = await anyio.to_thread.run_sync(lambda: ctx.store.answer(job, timeout))
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers["X-CCKG-Truncated"] = f"results cut at {ctx.settings.max_result_rows} rows"
    return Response(outcome.body, outcome.status, headers, media_type=outcome.content_type)


def _check_token(request: Request, token: str | None) -> None:
    if not token:
        raise ProtocolError(
            403,
            "SPARQL Update is disabled on this server",
            fix="start the server with CCKG_UPDATE_TOKEN set to allow updates",
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # Header values arrive decoded as Latin-1: compare the raw bytes with the token's UTF-8.
    sent = given.strip().encode("latin-1", errors="replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(sent, token.encode("utf-8")):
        raise ProtocolError(
            401,
            "SPARQL Update needs the server's update token",
            fix="send the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="cckg-update"'},
        )


async def _update(request: Request, op: Operation, ctx: AppContext, base: str) -> Response:
    _check_token(request, ctx.settings.update_token)
    analysis = await run_in_threadpool(_analyse, "update", op.text)
    text = op.text
    if op.default_graphs or op.named_graphs:
        if analysis.has_using_or_with:
            raise ProtocolError(
                400,
                "the request has using-graph-uri/using-named-graph-uri and the update has "
                "USING or WITH; the protocol forbids both",
                fix="name the graphs either in the request parameters or in the update",
            )
        text = analysis.add_using(list(op.default_graphs or ()), list(op.named_graphs or ()))
    try:
        await anyio.to_thread.run_sync(lambda: ctx.store.update(text, base_iri=base))
    except SyntaxError as exc:
        raise ProtocolError(
            400,
            f"the update is not valid SPARQL 1.1 Update: {exc}",
            fix="correct the update at that line:column (positions count from 1)",
        ) from exc
    except ValueError as exc:
        raise ProtocolError(400, f"the update cannot be run: {exc}") from exc
    except RuntimeError as exc:  # pyoxigraph: a graph that must (not) exist does (not)
        raise ProtocolError(
            _graph_status(str(exc)),
            f"the update was not applied: {exc}",
            fix="add SILENT (e.g. DROP SILENT GRAPH, CREATE SILENT GRAPH) to ignore this",
        ) from exc
    except OSError as exc:
        raise ProtocolError(
            503, f"the store could not apply the update: {exc}", fix="try again shortly"
        ) from exc
    return Response(status_code=204)


def _graph_status(message: str) -> int:
    """404 for a missing graph, 409 for one that already exists, else 400."""
    if "does not exist" in message:
        return 404
    if "already exists" in message:
        return 409
    return 400


async def _service_description(
    request: Request, op: Operation, ctx: AppContext, endpoint: str, counts: GraphCounts
) -> Response:
    try:
        fmt = choose_result_format("graph", request.headers.get("accept"), op.format)
    except FormatError as exc:
        raise ProtocolError(exc.status, str(exc)) from exc
    triples = await anyio.to_thread.run_sync(
        lambda: service_description(
            endpoint, ctx.settings, ctx.store, counts, isolated=ctx.store.network_access() is None
        )
    )
    body = write_graph(triples, fmt)
    return Response(body, 200, {"Vary": "Accept"}, media_type=fmt.content_type)
