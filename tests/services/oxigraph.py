"""An Oxigraph server (PyPI package `oxigraph`) in a child process on 127.0.0.1.

`OxigraphServer(directory)` runs `oxigraph serve --location DIR --bind 127.0.0.1:PORT`
on a free port, waits until /query answers, and stops the process on exit. Its
`store()` is a RemoteStore over the server's /query, /update and /store.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.services.process import ChildService, free_port

from cckg.store.remote import RemoteStore


def oxigraph_command() -> str:
    """The `oxigraph` executable installed with the test extra (next to this Python)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError(
            "the `oxigraph` server is not installed: run `make install` (test extra)"
        )
    return found


class OxigraphServer(ChildService):
    """`oxigraph serve` for the duration of a `with` block; `url` is its base URL."""

    name = "oxigraph"

    def __init__(
        self, directory: Path, startup: float = 30, options: tuple[str, ...] = (),
        timeout_s: float | None = None,
    ) -> None:
        """`options`: more `oxigraph serve` options, e.g. ("--union-default-graph",);
        `timeout_s`: the server's own query time limit (`--timeout-s`), if any."""
        super().__init__(startup)
        self.directory = directory
        #: More `oxigraph serve` options, e.g. ("--union-default-graph",).
        self.options = options
        self.timeout_s = timeout_s
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def probe_url(self) -> str:
        return f"{self.url}/query?query=ASK%7B%7D"

    def store(self) -> RemoteStore:
        """A RemoteStore over this server."""
        return RemoteStore.oxigraph(self.url)

    def launch(self) -> subprocess.Popen[bytes]:
        command = [oxigraph_command(), "serve", "--location", str(self.directory),
                   "--bind", f"127.0.0.1:{self.port}", *self.options]
        if self.timeout_s is not None:
            command += ["--timeout-s", f"{self.timeout_s:g}"]
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def exit_detail(self) -> str:
        """Its error output."""
        assert self.process is not None
        return self.process.stderr.read().decode() if self.process.stderr else ""
