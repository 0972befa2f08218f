"""An Oxigraph server (PyPI package `oxigraph`) in a child process on 127.0.0.1.

`OxigraphServer(directory)` runs `oxigraph serve --location DIR --bind 127.0.0.1:PORT`
on a free port, waits until /query answers, and stops the process on exit. Its
`store()` is a RemoteStore over the server's /query, /update and /store.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from tests.services.launcher import free_port

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


class OxigraphServer:
    """`oxigraph serve` for the duration of a `with` block; `url` is its base URL."""

    def __init__(
        self, directory: Path, startup: float = 30, options: tuple[str, ...] = (),
        timeout_s: float | None = None,
    ) -> None:
        """`options`: more `oxigraph serve` options, e.g. ("--union-default-graph",);
        `timeout_s`: the server's own query time limit (`--timeout-s`), if any."""
        self.directory = directory
        #: More `oxigraph serve` options, e.g. ("--union-default-graph",).
        self.options = options
        self.timeout_s = timeout_s
        self.port = free_port()
        self.startup = startup
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def store(self) -> RemoteStore:
        """A RemoteStore over this server."""
        return RemoteStore.oxigraph(self.url)

    def __enter__(self) -> OxigraphServer:
        command = [oxigraph_command(), "serve", "--location", str(self.directory),
                   "--bind", f"127.0.0.1:{self.port}", *self.options]
        if self.timeout_s is not None:
            command += ["--timeout-s", f"{self.timeout_s:g}"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self._wait()
        return self

    def _wait(self) -> None:
        assert self.process is not None
        probe = f"{self.url}/query?query=ASK%7B%7D"
        deadline = time.monotonic() + self.startup
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                errors = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"oxigraph exited with {self.process.returncode}: {errors}")
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"oxigraph did not answer within {self.startup} s")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
