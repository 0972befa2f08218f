"""Virtuoso Open Source (Debian package `virtuoso-opensource`) in a child process.

`VirtuosoServer(directory)` writes its own virtuoso.ini into `directory` (database, log
and both ports there and on 127.0.0.1: SQL and HTTP on free ports), starts `virtuoso-t
-f`, waits until /sparql answers, and stops the process on exit. In the foreground
Virtuoso writes its messages to standard output, not to its log file: they are kept in
`directory/virtuoso.out` (where a crash or a failed start can be read). A new database
has the administrator `dba` with password `dba`; its `store()` is a RemoteStore with
those credentials (digest authentication on /sparql-auth and /sparql-graph-crud-auth).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.services.process import ChildService, free_port

from cckg.store.connect import StoreAccess, connect
from cckg.store.remote import RemoteStore

#: Where Debian's package installs the server's HTTP root (the /sparql pages need it).
VSP_ROOT = Path("/var/lib/virtuoso-opensource-7/vsp")
USER = PASSWORD = "dba"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 16
MaxClientConnections = 16
[URIQA]
DefaultHost = 127.0.0.1:{http_port}
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
"""


def virtuoso_command() -> str:
    """The `virtuoso-t` executable (installed by `make test` from Debian)."""
    found = shutil.which("virtuoso-t")
    if found is None:
        raise RuntimeError(
            "Virtuoso is not installed: run `make test` (it installs Debian's "
            "virtuoso-opensource) or `apt-get install virtuoso-opensource`"
        )
    return found


class VirtuosoServer(ChildService):
    """`virtuoso-t` for the duration of a `with` block; `query_url` is its /sparql."""

    name = "virtuoso"
    poll_interval = 0.2
    stop_grace = 30.0

    def __init__(self, directory: Path, startup: float = 120, buffers: int = 20000) -> None:
        super().__init__(startup)
        self.directory = directory
        self.sql_port = free_port()
        self.http_port = free_port()
        self.buffers = buffers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def probe_url(self) -> str:
        return f"{self.query_url}?query=ASK%7B%7D"

    def access(self) -> StoreAccess:
        """How to reach and log in to this server."""
        return StoreAccess(self.query_url, engine="virtuoso", user=USER, password=PASSWORD)

    def store(self) -> RemoteStore:
        """A RemoteStore over this server, logged in as dba."""
        return connect(self.access())

    def launch(self) -> subprocess.Popen[bytes]:
        self.directory.mkdir(parents=True, exist_ok=True)
        ini = self.directory / "virtuoso.ini"
        ini.write_text(INI.format(
            dir=self.directory, sql_port=self.sql_port, http_port=self.http_port,
            vsp=VSP_ROOT, buffers=self.buffers, dirty=self.buffers * 3 // 4,
        ))
        with (self.directory / "virtuoso.out").open("wb") as output:  # the child keeps it
            return subprocess.Popen(
                [virtuoso_command(), "-f", "+configfile", str(ini)],
                cwd=self.directory, stdout=output, stderr=subprocess.STDOUT,
            )

    def exit_detail(self) -> str:
        """The end of its output."""
        log = self.directory / "virtuoso.out"
        return log.read_text(errors="replace")[-2000:] if log.is_file() else ""
