"""What every router of the app shares: settings, the store and URLs.

Contract for router modules (cckg.server.routes): each exposes a function
`router(ctx: AppContext) -> fastapi.APIRouter`, listed in `cckg.server.app.routers`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cckg.server.settings import Settings
from cckg.server.urls import UrlBuilder
from cckg.store.base import Store


@dataclass(frozen=True)
class AppContext:
    """The shared state of one app instance.

    `store.query(...)` serves small lookups (dereferencing, pages); `store.answer(...)`
    runs client SPARQL of the endpoint within the query timeout.
    """

    settings: Settings
    store: Store
    urls: UrlBuilder
