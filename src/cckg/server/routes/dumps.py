"""/dumps/: the build's files (whole-graph dumps, ontology, build report) from the dist dir.

Only the files cckg.pipeline.dist declares as served (never an arbitrary path). Each
answer carries an ETag and honours If-None-Match (304); files larger than GZIP_MIN_BYTES
are sent gzipped to clients that accept it (compressed once per file version, then kept
in memory).
"""

from __future__ import annotations

import gzip
import threading

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from cckg.pipeline.dist import PresentFile, present_file, present_files
from cckg.server.context import AppContext
from cckg.server.rendering import render

GZIP_MIN_BYTES = 256 * 1024


class GzipCache:
    """Gzipped bodies of served files, one per file version (name, size, mtime)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bodies: dict[str, tuple[str, bytes]] = {}

    def get(self, dump: PresentFile) -> bytes:
        with self._lock:
            cached = self._bodies.get(dump.name)
            if cached is not None and cached[0] == dump.version:
                return cached[1]
        body = gzip.compress(dump.path.read_bytes(), compresslevel=6, mtime=0)
        with self._lock:
            self._bodies[dump.name] = (dump.version, body)
        return body


def accepts_gzip(request: Request) -> bool:
    """Whether Accept-Encoding allows gzip (named or '*', with q > 0)."""
    for part in request.headers.get("accept-encoding", "").split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        if coding.lower() not in {"gzip", "*"}:
            continue
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        return quality > 0
    return False


def etag_matches(request: Request, etag: str) -> bool:
    """Whether If-None-Match names `etag` (weak comparison) or is '*'."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def router(ctx: AppContext) -> APIRouter:
    """GET/HEAD /dumps/ (the list) and /dumps/NAME (a file)."""
    api = APIRouter()
    cache = GzipCache()

    @api.api_route("/dumps", methods=["GET", "HEAD"])
    @api.api_route("/dumps/", methods=["GET", "HEAD"])
    def index(request: Request) -> Response:
        urls = ctx.urls.for_request(request)
        files = present_files(ctx.settings.dist_dir)
        return render(request, ctx, "dumps.html", files=files,
                      hrefs={f.name: urls.dump(f.name) for f in files})

    @api.api_route("/dumps/{name}", methods=["GET", "HEAD"])
    def serve(name: str, request: Request) -> Response:
        dump = present_file(ctx.settings.dist_dir, name)
        if dump is None:
            known = ", ".join(f.name for f in present_files(ctx.settings.dist_dir)) or "none yet"
            return PlainTextResponse(
                f"No dump named {name!r}.\nAvailable: {known}.\n"
                "How to fix: pick one of the files listed at /dumps/ "
                "(run `cckg build` if the list is empty).\n",
                status_code=404,
            )
        compress = dump.size >= GZIP_MIN_BYTES and accepts_gzip(request)
        etag = f'"{dump.version}-gzip"' if compress else f'"{dump.version}"'
        headers = {"ETag": etag, "Vary": "Accept-Encoding", "Cache-Control": "no-cache"}
        if etag_matches(request, etag):
            return Response(status_code=304, headers=headers)
        charset = "" if dump.media_type == "application/json" else "; charset=utf-8"
        if compress:
            headers["Content-Encoding"] = "gzip"
            body = cache.get(dump)
        else:
            body = dump.path.read_bytes()
        return Response(body, media_type=dump.media_type + charset, headers=headers)

    return api
