"""What every router of the app shares: settings, the store, URLs and the query runner.

Contract for router modules in this package: a module exposing a function
`router(ctx: AppContext) -> fastapi.APIRouter` is mounted by `create_app` (see app.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from cckg.server.query_runner import QueryRunner
from cckg.server.settings import Settings
from cckg.server.store import GraphStore
from cckg.server.urls import UrlBuilder


@dataclass(frozen=True)
class AppContext:
    """The shared state of one app instance.

    `store.query(...)` runs in the server process (for small lookups: dereferencing, pages);
    `runner` runs user-supplied SPARQL in killable worker processes with the timeout.
    """

    settings: Settings
    store: GraphStore
    urls: UrlBuilder
    runner: QueryRunner
