"""Start a real SPARQL engine (Oxigraph server or Virtuoso) for tests and benchmarks, and
load it with `cckg publish`."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from tests.services.oxigraph import OxigraphServer
from tests.services.virtuoso import PASSWORD, USER, VirtuosoServer
from typer.testing import CliRunner

from cckg.cli import app
from cckg.server.settings import Settings

ENGINES = ["oxigraph", "virtuoso"]
#: Seconds a query may run through the replicas. Generous: a hub's description takes under
#: 1 s on Virtuoso and Oxigraph server on a quiet 2-core machine, but over 6 s once while
#: the rest of the suite kept both cores busy.
QUERY_TIMEOUT = 20.0
#: Seconds a query may run through the server the timeout tests use.
SHORT_TIMEOUT = 2.0
#: Oxigraph server's own limit: above every CCKG limit, so that CCKG's comes first; not
#: far above, as a query CCKG gave up on (the timeout tests' count) runs on until then.
ENGINE_TIMEOUT = QUERY_TIMEOUT + 5


@dataclass(frozen=True)
class Engine:
    """A running engine: its kind, SPARQL query URL and the credentials that write to it."""

    kind: str
    query_url: str
    user: str | None = None
    password: str | None = None

    @property
    def options(self) -> tuple[str, ...]:
        """The `--store*` options of `cckg publish` beside `--store` for this engine."""
        if self.user is None or self.password is None:
            return ()
        return ("--store-user", self.user, "--store-password", self.password)

    def settings(self, **changes: object) -> Settings:
        """Server settings that serve from this engine."""
        return Settings(store=self.query_url, store_user=self.user,
                        store_password=self.password, **changes)  # type: ignore[arg-type]


def start_engine(
    kind: str, directory: Path, stack: ExitStack, query_timeout: float = ENGINE_TIMEOUT
) -> Engine:
    """Start an engine of `kind` in `directory` until `stack` closes (Oxigraph server
    stops queries itself after `query_timeout` seconds)."""
    if kind == "oxigraph":
        server = stack.enter_context(OxigraphServer(directory, timeout_s=query_timeout))
        return Engine(kind, server.store().query_url)
    virtuoso = stack.enter_context(VirtuosoServer(directory))
    return Engine(kind, virtuoso.query_url, USER, PASSWORD)


def publish(engine: Engine, dist: Path) -> str:
    """Run `cckg publish` into the engine; return its output."""
    result = CliRunner().invoke(
        app, ["publish", "--store", engine.query_url, *engine.options, "--dist-dir", str(dist)]
    )
    assert result.exit_code == 0, result.output
    return result.output
