"""Open a remote store from what a user gives: the query URL, the engine, credentials.

`connect` recognises the engine (`auto`: from the `Server` header of its answer to
`ASK {}`), derives its update and graph store URLs from its profile, and checks that the
URL answers SPARQL, so that a wrong URL, a refused login or an unreachable engine is one
clear error before any work starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from cckg.errors import CckgError
from cckg.store.engines import engine_from_server_header, engine_named
from cckg.store.remote import SPARQL_JSON, RemoteStore


@dataclass(frozen=True)
class StoreAccess:
    """Where a remote store is and how to log in (the `--store*` options)."""

    query_url: str
    engine: str = "auto"
    update_url: str | None = None
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = None
    token: str | None = None
    timeout: float = 600.0

    def auth(self, scheme: str = "basic") -> httpx.Auth | None:
        """The HTTP authentication to send: the token, else the user in `scheme`
        ("basic" or "digest")."""
        if self.token:
            return _Bearer(self.token)
        if self.user is None:
            return None
        password = self.password or ""
        if scheme == "digest":
            return httpx.DigestAuth(self.user, password)
        return httpx.BasicAuth(self.user, password)


class _Bearer(httpx.Auth):
    """`Authorization: Bearer <token>` on every request."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


def _fail(access: StoreAccess, what: str, fix: str) -> CckgError:
    return CckgError(what, where=access.query_url, fix=fix)


def _ask(url: str, auth: httpx.Auth | None) -> httpx.Response:
    return httpx.post(url, data={"query": "ASK {}"}, headers={"Accept": SPARQL_JSON},
                      auth=auth, timeout=30)


def reach(access: StoreAccess) -> httpx.Response:
    """The engine's answer to `ASK {}` (any status but a refusal), to learn what it is."""
    url = access.query_url
    if not url.startswith(("http://", "https://")):
        raise _fail(access, "the store URL is not an http(s) URL",
                    "give the engine's SPARQL query URL, e.g. http://127.0.0.1:7878/query")
    try:
        response = _ask(url, access.auth() if access.token else None)
        challenge = response.headers.get("www-authenticate", "").lower()
        if response.status_code == 401 and access.user is not None:
            # log in with the scheme the engine asks for
            scheme = "digest" if challenge.startswith("digest") else "basic"
            response = _ask(url, access.auth(scheme))
    except httpx.HTTPError as exc:
        raise _fail(access, f"cannot reach the SPARQL engine: {exc}",
                    "check that the engine runs and listens at this host and port") from exc
    if response.status_code in (401, 403):
        raise _fail(access, f"the engine refused to answer a query ({response.status_code})",
                    "give credentials that may query (--store-user/--store-password or "
                    "--store-token)")
    return response


def _not_sparql(access: StoreAccess, response: httpx.Response, problem: str) -> CckgError:
    media = response.headers.get("content-type", "").split(";")[0].strip()
    return _fail(
        access,
        f"this URL does not answer SPARQL: `ASK {{}}` gave {response.status_code} "
        f"{media or 'without a media type'} ({problem}): {response.text[:200]!r}",
        "give the engine's SPARQL query URL (Oxigraph: /query, Virtuoso: /sparql, "
        "Fuseki: /DATASET/query, GraphDB: /repositories/REPO); see docs/scaling.md",
    )


def connect(access: StoreAccess) -> RemoteStore:
    """A RemoteStore over the engine `access` names, checked to answer SPARQL."""
    response = reach(access)
    if access.engine == "auto":
        engine = engine_from_server_header(response.headers.get("server", ""))
    else:
        engine = engine_named(access.engine)
    url = access.query_url
    update = access.update_url or (engine.update_url(url) if engine.update_url else None)
    graph_store = access.graph_store_url or (
        engine.graph_store_url(url) if engine.graph_store_url else None
    )
    last_segment = url.rstrip("/").rsplit("/", 1)[-1]
    if engine.query_path and not access.update_url and last_segment != engine.query_path:
        raise _fail(
            access,
            f"a {engine.name} query URL ends with /{engine.query_path}",
            f"give the query URL (…/{engine.query_path}) or the update and graph "
            "store URLs too",
        )
    store = RemoteStore(
        url, update_url=update, store_url=graph_store, engine=engine,
        auth=access.auth(engine.auth_scheme), timeout=access.timeout,
    )
    try:
        answer = store.query("ASK {}")
    except (SyntaxError, ValueError, OSError) as exc:
        store.close()
        raise _not_sparql(access, response, str(exc)) from exc
    if not isinstance(answer, ox.QueryBoolean):
        store.close()
        raise _not_sparql(access, response, "not a boolean")
    return store
