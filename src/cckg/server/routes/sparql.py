"""The SPARQL 1.1 Protocol endpoint (mounted at /sparql): query, update, service description.

Queries and updates run in killable, network-isolated, memory-capped worker processes
(store/workers.py, sandbox.py), each with its time limit; a query whose client goes away
is stopped. Updates need the update token. GET (or HEAD) without a query answers the
service description. Remote data is never fetched: SERVICE and LOAD are refused by a
strict lexer that fails closed (sparql_lex.py), and FROM / FROM NAMED /
default-graph-uri only ever name graphs already in the store. Every request text is
tokenised once (on the event loop when it is short, else in a thread), and refused (400)
when it nests deeper or chains longer than pyoxigraph's parser can take.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable

import anyio
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from cckg.rdf import query_errors, sparql_lex
from cckg.rdf.formats import (
    KIND_OF_FORM,
    RESULT_FORMATS,
    Format,
    FormatError,
    choose_result_format,
)
from cckg.rdf.results import write_graph
from cckg.rdf.sparql_lex import QueryShape
from cckg.server.answer_cache import Key, normalised
from cckg.server.context import AppContext
from cckg.server.protocol_request import Operation, ProtocolError, parse
from cckg.server.service_description import GraphCounts, service_description
from cckg.store.base import Outcome, QueryJob, QueryTimeout, StoreBusy

ALLOWED = "GET, HEAD, POST"
#: Query texts whose analysis is kept (the most recently sent), and the longest kept.
LEXED_TEXTS = 1024
MAX_LEXED_TEXT = 20_000
#: Longest query text checked on the event loop itself (a few ms of lexing at most);
#: longer texts are checked in a thread, so the loop keeps serving other requests.
MAX_TEXT_ON_LOOP = 3_000


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
            fix=exc.fix,
        ) from exc
    except sparql_lex.LexError as exc:
        raise ProtocolError(
            400, f"the {kind} was refused before parsing: {exc}", fix=exc.fix
        ) from exc


@functools.lru_cache(maxsize=256)
def _formats(form: str | None, accept: str | None, format_param: tuple[str, ...]
             ) -> dict[str, Format]:
    """The result format for each kind of result; strict for the query's own kind.

    Kept per (form, Accept, format): clients send the same few headers again and again.
    """
    own = KIND_OF_FORM.get(form or "")
    chosen = {}
    for kind in RESULT_FORMATS:
        try:
            chosen[kind] = choose_result_format(kind, accept, format_param)
        except FormatError as exc:
            if kind == own:
                raise ProtocolError(exc.status, str(exc)) from exc
            chosen[kind] = RESULT_FORMATS[kind][0]
    return chosen


@functools.lru_cache(maxsize=LEXED_TEXTS)
def _lexed(text: str) -> tuple[QueryShape, str]:
    """A safe query's shape and normalised text, kept for texts sent again (the lexer
    is deterministic; a refused text raises, and exceptions are not kept)."""
    analysis = _analyse("query", text)
    return analysis.shape, normalised(analysis)


def _checked(op: Operation, ctx: AppContext, base: str) -> tuple[QueryShape, Key]:
    """The query's shape (refused if unsafe) and its answer's key: the store's
    generation, the normalised text and everything else the answer depends on."""
    if len(op.text) <= MAX_LEXED_TEXT:
        shape, text = _lexed(op.text)
    else:
        analysis = _analyse("query", op.text)
        shape, text = analysis.shape, normalised(analysis)
    return shape, ctx.answers.key(
        "sparql", text, base, op.default_graphs, op.named_graphs,
        ctx.settings.union_default_graph, ctx.settings.max_result_rows,
        ctx.settings.max_result_bytes,
    )


async def _query(request: Request, op: Operation, ctx: AppContext, base: str) -> Response:
    if len(op.text) <= MAX_TEXT_ON_LOOP and not ctx.store.generation_waits:
        shape, key = _checked(op, ctx, base)
    else:
        shape, key = await run_in_threadpool(_checked, op, ctx, base)
    formats = dict(_formats(shape.form, request.headers.get("accept"), op.formats))
    kind = KIND_OF_FORM.get(shape.form or "")
    chosen = [formats[kind]] if kind else list(formats.values())
    key = (*key, tuple(f.content_type for f in chosen))
    kept = ctx.answers.lookup(request, key)
    if kept is not None:
        return kept
    job = QueryJob(
        query=op.text,
        base_iri=base,
        default_graphs=op.default_graphs,
        named_graphs=op.named_graphs,
        union_default_graph=ctx.settings.union_default_graph,
        formats=formats,
        max_rows=ctx.settings.max_result_rows,
        max_bytes=ctx.settings.max_result_bytes,
        shape=shape,
    )
    work = ctx.store.answer_async(job, ctx.settings.query_timeout)
    outcome = await unless_disconnected(request, work)
    if outcome is None:  # the client went away: its query was stopped, nobody reads this
        return Response(status_code=499)
    headers = {"Vary": "Accept"}
    if outcome.retry_after:
        headers["Retry-After"] = str(outcome.retry_after)
    if outcome.truncated:
        headers["X-CCKG-Truncated"] = f"results cut at {ctx.settings.max_result_rows} rows"
    response = Response(outcome.body, outcome.status, headers, media_type=outcome.content_type)
    return ctx.answers.store(key, response)


async def unless_disconnected(request: Request, work: Awaitable[Outcome]) -> Outcome | None:
    """The outcome of `work`, or None as soon as the client disconnects (the work is
    cancelled then: a queued job leaves the queue, a running one has its worker killed)."""
    result: list[Outcome] = []
    async with anyio.create_task_group() as group:

        async def watch() -> None:
            while (await request.receive())["type"] != "http.disconnect":
                continue  # the (already read) body's messages
            group.cancel_scope.cancel()

        async def run() -> None:
            result.append(await work)
            group.cancel_scope.cancel()

        group.start_soon(watch)
        group.start_soon(run)
    return result[0] if result else None


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
        await ctx.store.update_async(text, base_iri=base)
    except SyntaxError as exc:
        problem = query_errors.explain(text, str(exc))
        raise ProtocolError(
            400,
            f"the update is not valid SPARQL 1.1 Update: {problem.one_line()}",
            fix=problem.fix,
        ) from exc
    except ValueError as exc:
        raise ProtocolError(400, f"the update cannot be run: {exc}") from exc
    except RuntimeError as exc:  # pyoxigraph: a graph that must (not) exist does (not)
        raise ProtocolError(
            _graph_status(str(exc)),
            f"the update was not applied: {exc}",
            fix="add SILENT (e.g. DROP SILENT GRAPH, CREATE SILENT GRAPH) to ignore this",
        ) from exc
    except StoreBusy as exc:
        raise ProtocolError(
            503, f"the update was not applied: {exc}", fix="try again shortly",
            headers={"Retry-After": "2"},
        ) from exc
    except (QueryTimeout, MemoryError) as exc:
        raise ProtocolError(
            503, str(exc),
            fix="split the update into smaller ones, or make its WHERE more selective",
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
        fmt = choose_result_format("graph", request.headers.get("accept"), op.formats)
    except FormatError as exc:
        raise ProtocolError(exc.status, str(exc)) from exc
    triples = await anyio.to_thread.run_sync(
        lambda: service_description(
            endpoint, ctx.settings, ctx.store, counts, isolated=ctx.store.network_access() is None
        )
    )
    body = write_graph(triples, fmt)
    return Response(body, 200, {"Vary": "Accept"}, media_type=fmt.content_type)
