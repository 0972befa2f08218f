"""Builds the FastAPI app: the SPARQL endpoint plus every router module of this package.

A module `cckg.server.<name>` that defines `router(ctx: AppContext) -> APIRouter` is
mounted automatically (in name order), so the linked-data and page routes need no
registration here. Errors a client caused are answered with their status and a plain
text message (what, where, how to fix), never a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

import cckg.server
from cckg import __version__
from cckg.errors import CckgError
from cckg.server import sparql_protocol
from cckg.server.context import AppContext
from cckg.server.protocol_request import ProtocolError
from cckg.server.query_runner import QueryRunner
from cckg.server.settings import Settings
from cckg.server.store import GraphStore
from cckg.server.urls import UrlBuilder

#: Modules of this package that are not router modules (or are mounted explicitly).
CORE_MODULES = frozenset({
    "app", "context", "settings", "store", "urls", "sparql_protocol", "sparql_lex",
    "protocol_request", "query_runner", "query_worker", "results", "service_description",
    "launcher",
})


def router_modules() -> list[str]:
    """Names of the package's modules that may define `router(ctx)`, sorted."""
    names = [m.name for m in pkgutil.iter_modules(cckg.server.__path__)]
    return sorted(n for n in names if not n.startswith("_") and n not in CORE_MODULES)


def extra_routers(ctx: AppContext) -> list[APIRouter]:
    """The routers of the other modules of this package (those defining `router`)."""
    routers = []
    for name in router_modules():
        module = importlib.import_module(f"cckg.server.{name}")
        factory: Callable[[AppContext], APIRouter] | None = getattr(module, "router", None)
        if callable(factory):
            routers.append(factory(ctx))
    return routers


def create_app(settings: Settings, store: GraphStore | None = None) -> FastAPI:
    """The CCKG app over `store` (default: the persisted store in settings.data_dir)."""
    store = store if store is not None else GraphStore.open(settings.data_dir)
    store.union_default_graph = settings.union_default_graph
    runner = QueryRunner(store, workers=settings.query_workers, timeout=settings.query_timeout)
    ctx = AppContext(settings, store, UrlBuilder.from_settings(settings), runner)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner.start()
        try:
            yield
        finally:
            runner.close()

    # No docs UI: FastAPI's Swagger UI and ReDoc load from a CDN. /openapi.json stays (plain JSON).
    app = FastAPI(
        title="CCKG", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.ctx = ctx
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

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_response(ctx, request, exc.status_code, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'/'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
        return error_response(ctx, request, 400, None, detail=problems)

    app.include_router(sparql_protocol.router(ctx))
    for extra in extra_routers(ctx):
        app.include_router(extra)
    return app


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
    ctx: AppContext, request: Request, status: int, headers: dict[str, str] | None,
    detail: str = "",
) -> Response:
    """A helpful error for a path or method no route handles: HTML for browsers, else text.

    Control characters from the request (a NUL or newline in the path) are shown escaped.
    """
    from cckg.server.pages import printable, render

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
        f"{status} {title}: {message}\nHow to fix: {fix}\n", status_code=status, headers=headers
    )
