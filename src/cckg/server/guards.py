"""Guards against hostile clients that sit outside any route: the Host header and the log.

- `HostGuard`: without a public URL the server builds its links (pages, Link and
  Content-Location headers, the service description) from the request's Host header, so
  a request whose Host is not in the allow-list is refused (400) before any route runs.
- `redact_access_log`: an `access_token` sent in a query string is never written to the
  access log (uvicorn logs the whole request line).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from starlette._utils import parse_host_header
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

_TOKEN = re.compile(r"((?:^|[?&;])access_token=)[^&;#\s]*", re.IGNORECASE)


class HostGuard:
    """Answers 400 to HTTP requests whose Host header is not one of `allowed` (no port)."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(h.strip("[]").lower() for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            raw = headers.get(b"host", b"").decode("latin-1")
            parsed = parse_host_header(raw) if raw else None
            host = parsed.host.strip("[]").lower() if parsed is not None else ""
            if host not in self.allowed:
                shown = raw.encode("unicode_escape").decode("ascii")[:100]
                response = PlainTextResponse(
                    f"The Host header {shown!r} is not one this server answers to.\n"
                    f"How to fix: reach it as one of {', '.join(sorted(self.allowed))}; "
                    "its operator can add names with CCKG_ALLOWED_HOSTS or set "
                    "CCKG_PUBLIC_URL.\n",
                    status_code=400,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def redact(text: str) -> str:
    """`text` with the value of every access_token parameter replaced by `***`."""
    return _TOKEN.sub(r"\1***", text)


class RedactTokens(logging.Filter):
    """Rewrites a log record's arguments so no access_token value is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact(a) if isinstance(a, str) and "access_token" in a.lower() else a
                for a in record.args
            )
        if isinstance(record.msg, str) and "access_token" in record.msg.lower():
            record.msg = redact(record.msg)
        return True


def redact_access_log() -> None:
    """Install RedactTokens on uvicorn's access and error loggers (once)."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
