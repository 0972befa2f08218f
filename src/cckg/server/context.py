"""What every router of the app shares: settings, the store, URLs and the query runner.

Contract for router modules (cckg.server.routes): each exposes a function
`router(ctx: AppContext) -> fastapi.APIRouter`, listed in `cckg.server.app.routers`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cckg.server.settings import Settings
from cckg.server.urls import UrlBuilder
from cckg.store.embedded import GraphStore
from cckg.store.workers import QueryRunner


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
