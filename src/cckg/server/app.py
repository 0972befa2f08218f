"""Builds the FastAPI app: the SPARQL endpoint plus the routers listed in `routers`.

Each module of cckg.server.routes defines `router(ctx: AppContext) -> APIRouter`; `routers`
lists them all, so this file says every route the app has. Errors a client caused are
answered with their status and a plain text message (what, where, how to fix), never a
traceback.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import PlainTextResponse, Response
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from cckg import __version__
from cckg.errors import CckgError
from cckg.server.answer_cache import Answers
from cckg.server.context import AppContext
from cckg.server.guards import HostGuard, redact_access_log
from cckg.server.protocol_request import ProtocolError
from cckg.server.rendering import printable, render
from cckg.server.routes import (
    charts,
    dumps,
    inbound,
    linked_data,
    lists,
    named_queries,
    ontology,
    pages,
    sparql,
    void,
)
from cckg.server.settings import Settings
from cckg.server.urls import UrlBuilder
from cckg.store.base import QueryTimeout, ResultTooLarge, Store, StoreBusy
from cckg.store.embedded import EmbeddedStore
from cckg.store.remote import EngineError, StoreUnavailable
from cckg.store.workers import WorkerLimits


def routers(ctx: AppContext) -> list[APIRouter]:
    """Every router of the app, in the order they are mounted (the first match wins)."""
    return [
        sparql.router(ctx),
        dumps.router(ctx),
        linked_data.router(ctx),
        inbound.router(ctx),
        lists.router(ctx),
        charts.router(ctx),
        named_queries.router(ctx),
        ontology.router(ctx),
        pages.router(ctx),
        void.router(ctx),
    ]


def worker_limits(settings: Settings) -> WorkerLimits:
    """The limits the embedded store's workers apply, from the server's settings."""
    return WorkerLimits(
        query_timeout=settings.query_timeout, page_timeout=settings.page_timeout,
        update_timeout=settings.update_timeout, max_queued=settings.max_queued_queries,
        memory_mb=settings.worker_memory, max_result_bytes=settings.max_result_bytes,
    )


def store_failure(
    status: int, what: str, fix: str, headers: Mapping[str, str] | None = None
) -> PlainTextResponse:
    """The plain text answer when the store could not serve a request: what, how to fix."""
    return PlainTextResponse(
        f"{status} {what}\nHow to fix: {fix}\n", status_code=status, headers=headers
    )


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The CCKG app over `store` (default: the embedded store in settings.data_dir)."""
    store = store if store is not None else EmbeddedStore.open(settings.data_dir)
    if isinstance(store, EmbeddedStore):
        store.limits = worker_limits(settings)
    answers = Answers(settings.answer_cache_bytes, settings.cache_max_age, store.generation)
    ctx = AppContext(settings, store, UrlBuilder.from_settings(settings), answers)

    redact_access_log()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        redact_access_log()
        await anyio.to_thread.run_sync(lambda: store.start(workers=settings.query_workers))
        try:
            yield
        finally:
            store.close()

    # No docs UI: FastAPI's Swagger UI and ReDoc load from a CDN. /openapi.json stays (plain JSON).
    app = FastAPI(
        title="CCKG", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.ctx = ctx
    if settings.public_url is None:
        app.add_middleware(HostGuard, allowed=settings.allowed_hosts)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Authorization", "Content-Type"],
            expose_headers=["X-CCKG-Truncated"],
            max_age=3600,
        )

    @app.exception_handler(CckgError)
    async def client_error(request: Request, exc: CckgError) -> PlainTextResponse:
        status = exc.status if isinstance(exc, ProtocolError) else 400
        headers = exc.headers if isinstance(exc, ProtocolError) else None
        return PlainTextResponse(exc.message + "\n", status_code=status, headers=headers)

    @app.exception_handler(QueryTimeout)
    @app.exception_handler(StoreBusy)
    @app.exception_handler(MemoryError)
    @app.exception_handler(ResultTooLarge)
    async def store_limit(request: Request, exc: Exception) -> PlainTextResponse:
        # A page, description or named query stopped by a worker limit: 503, never a 500.
        return store_failure(
            503, f"The store could not answer {printable(request.url.path)}: {exc}.",
            "try again shortly; for large results use /sparql with LIMIT, or the dumps.",
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> PlainTextResponse:
        return store_failure(
            503, f"The store cannot be reached: {exc}",
            "try again shortly; if it persists, the server's operator must check the SPARQL "
            "engine.",
        )

    @app.exception_handler(EngineError)
    async def engine_error(request: Request, exc: EngineError) -> PlainTextResponse:
        return store_failure(
            502, f"The SPARQL engine behind this server failed: {exc}",
            "try again; if it persists, the server's operator must check the engine's log.",
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_response(ctx, request, exc.status_code, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'/'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
        return error_response(ctx, request, 400, None, detail=problems)

    for api in routers(ctx):
        app.include_router(api)
    app.openapi = lambda: openapi_schema(app)  # type: ignore[method-assign]
    return app


def openapi_schema(app: FastAPI) -> dict[str, Any]:
    """/openapi.json with one operation per path and method and unique operation IDs.

    FastAPI gives a GET+HEAD route a single operation ID for both methods (a "Duplicate
    Operation ID" warning per route); HEAD answers like GET, so its operations are left
    out and each remaining ID ends in its own method.
    """
    if app.openapi_schema is None:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Duplicate Operation ID")
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        for operations in schema.get("paths", {}).values():
            operations.pop("head", None)
            for method, operation in operations.items():
                stem = str(operation.get("operationId", "")).rsplit("_", 1)[0]
                operation["operationId"] = f"{stem}_{method}"
        app.openapi_schema = schema
    return app.openapi_schema


_GENERIC = {
    404: ("Not found", "nothing is served at {path}",
          "see the home page for what this server offers: /id/… for resources, /sparql, "
          "/queries, /ontology, /dataset, /dumps/"),
    405: ("Method not allowed", "{path} does not accept {method}",
          "use GET (or POST for /sparql)"),
    400: ("Bad request", "the request to {path} is malformed: {detail}",
          "correct the parameters named above"),
}


def error_response(
    ctx: AppContext, request: Request, status: int, headers: Mapping[str, str] | None,
    detail: str = "",
) -> Response:
    """A helpful error for a path or method no route handles: HTML for browsers, else text.

    Control characters from the request (a NUL or newline in the path) are shown escaped.
    """
    title, what, fix = _GENERIC.get(
        status, ("Error", "the request to {path} failed", "check the request")
    )
    message = printable(
        what.format(path=request.url.path, method=request.method, detail=detail)
    )
    if "text/html" in request.headers.get("accept", ""):
        page = render(request, ctx, "error.html", status=status, title=title,
                      message=message, fix=fix)
        page.headers.update(headers or {})
        return page
    return PlainTextResponse(
        f"{status} {title}: {message}\nHow to fix: {fix}\n", status_code=status,
        headers=dict(headers or {}),
    )
