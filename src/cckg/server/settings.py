"""Every server setting, declared once: its name, type, default and help.

Its `cckg serve` option and environment variable are named after it (`--query-timeout`,
`CCKG_QUERY_TIMEOUT`). The options, `Settings.from_env()` and the table in docs/server.md
are all derived from (or checked against) the fields below, so a setting cannot go
undocumented.
"""

from __future__ import annotations

import ipaddress
import os
import types
import typing
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from cckg.errors import BadParameter
from cckg.paths import PATHS
from cckg.store.connect import StoreAccess

DEFAULT_DATA_DIR: Path = PATHS.root / "var" / "store"
DEFAULT_DIST_DIR: Path = PATHS.dist
T = TypeVar("T")


def setting(default: T, help: str) -> T:
    """Declare a setting: its default and its help (the option and environment variable
    are named after the field: `--query-timeout`, `CCKG_QUERY_TIMEOUT`)."""
    return field(default=default, metadata={"help": help})


def env_var(f: Field[Any]) -> str:
    """The environment variable of a setting: CCKG_ and its name in capitals."""
    return f"CCKG_{f.name.upper()}"


def option_name(f: Field[Any]) -> str:
    """The `cckg serve` option of a setting: its name with dashes."""
    return "--" + f.name.replace("_", "-")


@dataclass(frozen=True)
class Settings:
    """How one CCKG server runs. Build with `Settings.from_env()` or keyword arguments."""

    host: str = setting("127.0.0.1", "Interface to bind.")
    port: int = setting(8000, "TCP port to listen on.")
    data_dir: Path = setting(
        DEFAULT_DATA_DIR,
        "Directory of the persisted triple store (created if missing).",
    )
    dist_dir: Path = setting(
        DEFAULT_DIST_DIR,
        "Build output directory; its cckg.nq dump is loaded into the store.",
    )
    base_iri: str = setting(
        "https://w3id.org/cckg/",
        "Public base IRI of the data; IRIs under it are served at this server's URLs.",
    )
    public_url: str | None = setting(
        None,
        "Public URL of this server (e.g. behind a proxy); default: from each request.",
    )
    query_timeout: float = setting(
        30.0,
        "Seconds a query may run before its worker is stopped (answered 503).",
    )
    query_workers: int = setting(2, "Query worker processes (each runs one query at a time).")
    max_queued_queries: int = setting(
        8,
        "Most SPARQL requests waiting for a busy query worker; more are answered 503 "
        "with Retry-After at once.",
    )
    page_timeout: float = setting(
        10.0,
        "Seconds a page, description or named query may read the store (answered 503).",
    )
    worker_memory: int = setting(
        1024,
        "Megabytes of memory each query or update worker may allocate (more: the "
        "request is stopped, answered 503).",
    )
    max_result_bytes: int = setting(
        50_000_000,
        "Largest query result or description sent, in bytes (larger: 503 that says so).",
    )
    answer_cache_bytes: int = setting(
        200_000_000,
        "Bytes of answers (query results, pages, descriptions) kept until the data "
        "changes; 0 turns the cache off.",
    )
    cache_max_age: int = setting(
        60,
        "Seconds a client or CDN may reuse an answer without asking again "
        "(Cache-Control max-age); after that it revalidates with its ETag.",
    )
    update_token: str | None = setting(
        None,
        "SPARQL Update is refused unless set; then requests need "
        "'Authorization: Bearer <token>'.",
    )
    update_timeout: float = setting(
        60.0,
        "Seconds an update may run before its worker is stopped (nothing is applied; 503).",
    )
    max_request_body: int = setting(
        1_000_000,
        "Largest request body accepted, in bytes (larger: 413).",
    )
    max_result_rows: int = setting(
        100_000,
        "Most rows or triples one query returns (more are cut; header "
        "X-CCKG-Truncated says so).",
    )
    max_inbound: int = setting(
        500,
        "Most things linking to a resource that its description includes (the first by "
        "IRI); the rest are listed at /inbound/<path>.",
    )
    union_default_graph: bool = setting(
        True,
        "Queries without FROM or default-graph-uri see the union of all graphs as "
        "their default graph.",
    )
    cors_origins: tuple[str, ...] = setting(
        ("*",),
        "Comma-separated origins allowed by CORS ('*' for any; empty for none).",
    )
    allowed_hosts: tuple[str, ...] = setting(
        ("localhost", "127.0.0.1", "::1"),
        "Comma-separated Host names answered when --public-url is not set (others: 400, "
        "so no link echoes a forged Host); with --public-url every link uses it instead.",
    )
    store: str | None = setting(
        None,
        "SPARQL query URL of a remote engine to serve from (loaded with `cckg "
        "publish`); default: the embedded store in --data-dir.",
    )
    store_engine: str = setting(
        "auto",
        "Kind of remote engine: auto (from its Server header), oxigraph, virtuoso "
        "or sparql11.",
    )
    store_update: str | None = setting(
        None,
        "SPARQL Update URL of the remote engine; default: from its kind.",
    )
    graph_store: str | None = setting(
        None,
        "Graph Store Protocol URL of the remote engine; default: from its kind.",
    )
    store_user: str | None = setting(None, "User name for writing to the remote engine.")
    store_password: str | None = setting(None, "Password of --store-user.")
    store_token: str | None = setting(
        None,
        "Bearer token for the remote engine (instead of a user).",
    )

    def __post_init__(self) -> None:
        problems = []
        if not 0 < self.port < 65536:
            problems.append(f"port {self.port} is not in 1..65535")
        if min(self.query_timeout, self.update_timeout, self.page_timeout) <= 0:
            problems.append("query_timeout, update_timeout and page_timeout must be positive")
        if self.max_queued_queries < 0 or self.worker_memory < 64:
            problems.append("max_queued_queries must be >= 0 and worker_memory >= 64 (MB)")
        if self.answer_cache_bytes < 0 or self.cache_max_age < 0:
            problems.append("answer_cache_bytes and cache_max_age must not be negative")
        if self.max_result_bytes < 1:
            problems.append("max_result_bytes must be at least 1")
        if self.public_url is None and not is_loopback(self.host):
            problems.append(
                f"host {self.host!r} is not a loopback address, so --public-url is needed "
                "(links would otherwise be built from each request's Host header)"
            )
        if self.query_workers < 1:
            problems.append("query_workers must be at least 1")
        if self.max_request_body < 1 or self.max_result_rows < 1:
            problems.append("max_request_body and max_result_rows must be at least 1")
        if self.max_inbound < 1:
            problems.append("max_inbound must be at least 1")
        if not self.base_iri.endswith(("/", "#")):
            problems.append(f"base_iri {self.base_iri!r} must end with '/' or '#'")
        if problems:
            raise BadParameter(
                "; ".join(problems), where="server settings", fix="correct the option or env var"
            )

    @classmethod
    def declared(cls) -> tuple[Field[Any], ...]:
        """The declared settings, in order."""
        return fields(cls)

    @classmethod
    def from_env(
        cls, environ: typing.Mapping[str, str] | None = None, **overrides: Any
    ) -> Settings:
        """Settings from environment variables (CCKG_*), then keyword overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in cls.declared():
            name = env_var(f)
            if name in env:
                values[f.name] = parse_value(f, env[name], where=f"environment variable {name}")
        values.update(overrides)
        return cls(**values)

    def store_access(self) -> StoreAccess | None:
        """Where the remote store is and how to log in; None for the embedded store."""
        if not self.store:
            return None
        return StoreAccess(
            self.store, engine=self.store_engine, update_url=self.store_update,
            graph_store_url=self.graph_store, user=self.store_user,
            password=self.store_password, token=self.store_token,
            timeout=self.query_timeout,
        )

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **changes)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) is this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_type(f: Field[Any]) -> type:
    """The type of a setting without `| None` (str, int, float, bool, Path or tuple)."""
    tp = typing.get_type_hints(Settings)[f.name]
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    origin = typing.get_origin(tp)
    return typing.cast(type, origin if origin is not None else tp)


def default_of(f: Field[Any]) -> Any:
    """The default value of a setting."""
    return None if f.default is MISSING else f.default


def parse_value(f: Field[Any], text: str, *, where: str) -> Any:
    """Convert the text of an environment variable or option to the setting's type."""
    tp = base_type(f)
    try:
        if tp is bool:
            lowered = text.strip().lower()
            if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                raise ValueError(text)
            return lowered in {"1", "true", "yes", "on"}
        if tp is tuple:
            return tuple(part.strip() for part in text.split(",") if part.strip())
        if tp is Path:
            return Path(text).expanduser()
        return tp(text)
    except ValueError as exc:
        raise BadParameter(
            f"{text!r} is not a valid {tp.__name__} for setting {f.name}",
            where=where,
            fix=f"give a {tp.__name__} ({f.metadata['help']})",
        ) from exc
