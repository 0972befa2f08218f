"""Answers kept for a read-mostly graph: a byte-bounded cache, strong ETags, 304s.

A published graph changes only when it is rebuilt or updated, and every such change gives
the store a new generation (`Store.generation`). An answer is therefore fully determined
by the generation and the request (normalised query text, dataset, format, limits, the
server's address for the links it writes), and both the cache key and the strong ETag are
built from exactly those. A new generation makes every earlier key unreachable, so nothing
is ever served stale; the entries of old generations are evicted first.

Only complete 200 answers are kept: a query refused by the safety checks, stopped by its
time limit or by a worker limit is never an entry, and the checks run before the cache is
asked. `max_bytes` bounds the bodies kept (least recently used go first); 0 turns the
cache off (ETags and 304s still work, as they need no stored body).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from cckg.rdf.sparql_lex import Analysis

#: An answer's key: the store's generation, then what the request asked for.
Key = tuple[Hashable, ...]

#: Headers of an answer kept with its body (the rest are per-request).
KEPT_HEADERS = (
    "vary", "link", "content-location", "content-disposition", "x-cckg-truncated",
)


@dataclass(frozen=True)
class Entry:
    """One kept answer: its body, media type and the headers that travel with it."""

    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...]

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class AnswerCache:
    """Least-recently-used answers, at most `max_bytes` of them (0: keep none)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @property
    def size(self) -> int:
        """Bytes held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Entry | None:
        if not self.enabled:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, entry: Entry) -> None:
        """Keep an answer (not one larger than a quarter of the whole cache)."""
        if not self.enabled or entry.size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size


def normalised(analysis: Analysis) -> str:
    """A request text with comments dropped and each run of whitespace made one space.

    Tokens are kept exactly (strings and IRIs included), and so is whether two tokens were
    apart or adjacent: two texts with the same normalisation are the same SPARQL.
    """
    parts: list[str] = []
    end = 0
    for token in analysis.tokens:
        if token.start > end and parts:
            parts.append(" ")
        parts.append(token.text)
        end = token.start + len(token.text)
    return "".join(parts)


def etag(key: Hashable) -> str:
    """A strong ETag for an answer's key (generation + request)."""
    return '"' + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32] + '"'


def matches(request: Request, tag: str) -> bool:
    """Whether the request's If-None-Match names `tag` (or is `*`)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    sent = {t.strip().removeprefix("W/") for t in header.split(",")}
    return tag in sent or "*" in sent


class Answers:
    """The cache of one app, and how its routes use it: `respond(...)`."""

    def __init__(self, max_bytes: int, max_age: int, generation: Callable[[], str]) -> None:
        self.cache = AnswerCache(max_bytes)
        self.max_age = max_age
        self.generation = generation

    def key(self, *request_parts: Hashable) -> Key:
        """The key of an answer: the store's generation now, then the request's parts.

        Taken before the answer is computed, so an answer computed while a write commits
        is kept under the older generation, which no later request asks for.
        """
        return (self.generation(), *request_parts)

    def validators(self, key: Hashable) -> dict[str, str]:
        return {"ETag": etag(key), "Cache-Control": f"public, max-age={self.max_age}"}

    def lookup(self, request: Request, key: Hashable) -> Response | None:
        """304 if the client has this answer, the kept answer if there is one, else None."""
        tag = etag(key)
        if matches(request, tag):
            kept = self.cache.get(key)
            headers = {"ETag": tag, "Cache-Control": f"public, max-age={self.max_age}"}
            if kept is not None:
                headers.update((k, v) for k, v in kept.headers if k == "vary")
            return Response(status_code=304, headers=headers)
        entry = self.cache.get(key)
        if entry is None:
            return None
        response = Response(entry.body, media_type=entry.media_type, headers=dict(entry.headers))
        response.headers.update(self.validators(key))
        return response

    def store(self, key: Hashable, response: Response) -> Response:
        """Keep a complete 200 answer and give it its validators; other answers pass."""
        if response.status_code != 200:
            return response
        self.cache.put(key, Entry(
            bytes(response.body), response.media_type or response.headers.get(
                "content-type", "application/octet-stream"),
            tuple((k, v) for k, v in response.headers.items() if k in KEPT_HEADERS),
        ))
        response.headers.update(self.validators(key))
        return response
