"""Reading a SPARQL 1.1 Protocol request: which operation, its text, its dataset, its format.

Everything wrong with a request becomes a `ProtocolError` with the status the protocol
asks for (400, 413, 415) and a message that says what, where and how to fix it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import ClientDisconnect, Request

from cckg.errors import CckgError

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
USING_PARAMS = ("using-graph-uri", "using-named-graph-uri")

log = logging.getLogger(__name__)


class ProtocolError(CckgError):
    """A request the endpoint refuses; `status` is the HTTP status to answer with."""

    def __init__(
        self,
        status: int,
        what: str,
        *,
        fix: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(what, where="SPARQL endpoint", fix=fix)
        self.status = status
        self.headers = headers or {}


@dataclass(frozen=True)
class Operation:
    """A parsed request: a query, an update, or neither (a service description request)."""

    kind: str  # "query", "update" or "describe-service"
    text: str = ""
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    formats: tuple[str, ...] = ()  # every `format` parameter; results.choose reconciles them


def _media_type(request: Request) -> tuple[str, dict[str, str]]:
    header = request.headers.get("content-type", "")
    main, *params = header.split(";")
    parsed = {}
    for param in params:
        key, _, value = param.partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"').lower()
    return main.strip().lower(), parsed


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) anything over `limit` bytes before reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        # A client that hangs up (or sends a malformed chunked body) costs one log line.
        client = request.client.host if request.client else "?"
        log.warning(
            "client %s disconnected before sending the whole body (%d bytes read)", client, size
        )
        raise ProtocolError(
            400, "the request body ended early (the client disconnected)",
            fix="send the whole body, with a valid Content-Length or chunked encoding",
        ) from None
    return b"".join(chunks)


def _too_large(limit: int) -> ProtocolError:
    return ProtocolError(
        413,
        f"the request body is larger than {limit} bytes",
        fix="send a shorter query, or raise CCKG_MAX_REQUEST_BODY on the server",
    )


def _utf8(body: bytes, charset: str | None, what: str) -> str:
    if charset and charset.replace("-", "").replace("_", "") != "utf8":
        raise ProtocolError(
            400,
            f"the {what} is declared as charset={charset}; the SPARQL protocol requires UTF-8",
            fix="encode the body as UTF-8 and send charset=utf-8 (or no charset)",
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            400,
            f"the {what} is not valid UTF-8 (byte {exc.start})",
            fix="encode the body as UTF-8",
        ) from exc


def _pairs(text: str, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(
            400,
            f"the {where} is not valid URL-encoding: {exc}",
            fix="percent-encode the parameters as UTF-8 (application/x-www-form-urlencoded)",
        ) from exc


def _one(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise ProtocolError(
            400,
            f"the request has {len(values)} '{name}' parameters; exactly one is allowed",
            fix=f"send one {name} per request",
        )
    return values[0] if values else None


def _graphs(pairs: list[tuple[str, str]], name: str) -> tuple[str, ...] | None:
    values = tuple(v for k, v in pairs if k == name)
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise ProtocolError(
                400,
                f"{name}={value!r} is not an absolute IRI: {exc}",
                fix=f"give {name} as an absolute IRI such as https://w3id.org/cckg/graph/...",
            ) from exc
    return values or None


async def parse(request: Request, max_body: int) -> Operation:
    """The operation a GET, HEAD or POST request asks for."""
    url_pairs = _pairs(request.url.query, "query string")
    body_pairs: list[tuple[str, str]] = []
    if request.method in ("GET", "HEAD"):
        if _one(url_pairs, "update") is not None:
            raise ProtocolError(
                400,
                "SPARQL Update is not allowed with GET",
                fix="POST the update (application/sparql-update, or a form field 'update')",
            )
        text = _one(url_pairs, "query")
        kind = "query" if text is not None else "describe-service"
    else:
        media, params = _media_type(request)
        body = await read_body(request, max_body)
        if media == FORM:
            body_pairs = _pairs(_utf8(body, params.get("charset"), "form body"), "form body")
            query, update = _one(body_pairs, "query"), _one(body_pairs, "update")
            if query is not None and update is not None:
                raise ProtocolError(
                    400,
                    "the form has both 'query' and 'update'",
                    fix="send one operation per request",
                )
            if query is None and update is None:
                raise ProtocolError(
                    400,
                    "the form has neither a 'query' nor an 'update' field",
                    fix="send query=<SPARQL query> or update=<SPARQL update>",
                )
            kind, text = ("query", query) if query is not None else ("update", update)
        elif media in (QUERY, UPDATE):
            kind = "query" if media == QUERY else "update"
            text = _utf8(body, params.get("charset"), f"{media} body")
        else:
            shown = f"'{media}'" if media else "no Content-Type"
            raise ProtocolError(
                415,
                f"a POST with {shown} is not a SPARQL request",
                fix=f"send Content-Type {QUERY}, {UPDATE} or {FORM}",
            )
    pairs = url_pairs + body_pairs
    fmts = tuple(v for k, v in pairs if k == "format")
    if kind == "describe-service":
        return Operation(kind, formats=fmts)
    assert text is not None
    if not text.strip():
        raise ProtocolError(
            400, f"the {kind} is empty", fix=f"send a SPARQL 1.1 {kind} in the request"
        )
    names = DATASET_PARAMS if kind == "query" else USING_PARAMS
    return Operation(kind, text, _graphs(pairs, names[0]), _graphs(pairs, names[1]), fmts)
