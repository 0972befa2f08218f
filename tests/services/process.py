"""What every service the tests start shares: a free port on 127.0.0.1, a child process
that lives for a `with` block, waiting until it answers over HTTP, and stopping it.

A `ChildService` subclass says how to start its process (`launch`), which URL answers
once it is ready (`probe_url`) and, should it exit early, what it left to say why
(`exit_detail`).
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen[bytes], grace: float) -> None:
    """Terminate `process` if it still runs; kill it if it has not exited after `grace`
    seconds. Closes the pipe of its error output, if it had one."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stderr is not None:
        process.stderr.close()


class ChildService(ABC):
    """A service in a child process for the duration of a `with` block."""

    #: What error messages call the service.
    name = "the service"
    #: Seconds between two probes while it starts.
    poll_interval = 0.1
    #: Seconds it gets to exit after being asked to, before it is killed.
    stop_grace = 10.0
    #: Whether an HTTP error status counts as answering (a server under test may answer
    #: its probe with one; what it answers is then the test's business).
    any_status_answers = False

    def __init__(self, startup: float) -> None:
        self.startup = startup
        self.process: subprocess.Popen[bytes] | None = None

    @abstractmethod
    def launch(self) -> subprocess.Popen[bytes]:
        """Start the service's process."""

    @property
    @abstractmethod
    def probe_url(self) -> str:
        """A URL that answers once the service is ready."""

    def exit_detail(self) -> str:
        """What the exited process left to say why (its error output or log); none here."""
        return ""

    def __enter__(self) -> Self:
        self.process = self.launch()
        self._wait()
        return self

    def _wait(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.startup
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                detail = self.exit_detail()
                raise RuntimeError(
                    f"{self.name} exited with status {self.process.returncode}"
                    + (f": {detail}" if detail else "")
                )
            try:
                with urllib.request.urlopen(self.probe_url, timeout=2):
                    return
            except urllib.error.HTTPError:
                if self.any_status_answers:
                    return
                time.sleep(self.poll_interval)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(self.poll_interval)
        self.__exit__(None, None, None)
        raise RuntimeError(f"{self.name} did not answer within {self.startup} s")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None:
            stop(self.process, self.stop_grace)
