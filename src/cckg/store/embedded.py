"""The embedded store: a persisted pyoxigraph Store in the data directory (a `Store`).

Once `start` has run, everything a request asks of the store runs in killable,
network-isolated, memory-capped worker processes (workers.py) with a time limit: client
queries (`answer`), the server's own queries for pages (`query`) and updates (`update`).
Before that (the CLI, the build, loading at startup) and for in-memory stores, queries
and updates run in this process.

Layout of the data directory:

    oxigraph/        the read-write store as first created (only the server opens it)
    stores/<id>/     the store after updates: each update is applied by the update worker
                     to a copy (a RocksDB backup, hard links), which then replaces the store
    current          the name of the live store directory (`oxigraph` if absent), written
                     atomically and fsynced before an update is acknowledged
    snapshots/<n>/   read-only copies (RocksDB backups, hard links) that query workers
                     open; a new one is taken as each write commits
    build-stamp      the stamp of the N-Quads dump last loaded (see `load_dataset_file`)
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import threading
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

import anyio
import pyoxigraph as ox

from cckg.errors import CckgError
from cckg.rdf.terms import BoundTerm, QueryResult
from cckg.store.base import (
    UNION,
    Outcome,
    QueryDataset,
    QueryJob,
    QueryTimeout,
    StoreBusy,
)
from cckg.store.worker_main import ReadJob, dataset_options
from cckg.store.workers import QueryRunner, WorkerLimits

STAMP_FILE = "build-stamp"
#: The store's own default graph and named graphs, not their union.
OWN_GRAPHS = QueryDataset(union_default_graph=False)
CURRENT_FILE = "current"
FIRST_STORE = "oxigraph"


def file_stamp(path: Path) -> str:
    """A stamp that changes whenever the file's content changes (its SHA-256)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class EmbeddedStore:
    """A pyoxigraph Store plus the snapshots and worker processes of endpoint queries."""

    #: The generation is a counter in memory.
    generation_waits = False

    def __init__(
        self, store: ox.Store, directory: Path | None, live: Path | None = None
    ) -> None:
        self.store = store
        self.directory = directory
        #: The directory of the read-write store now live (None in memory).
        self.live = live
        #: Store directories replaced by updates, deleted at the next adoption.
        self._retired: list[Path] = []
        #: Time limits, memory cap, queue length and result size of the workers.
        self.limits = WorkerLimits()
        self._lock = threading.Lock()
        #: Tells this opening of the store from others in generation tokens.
        self._instance = uuid.uuid4().hex[:12]
        self._generation = 0
        self._snapshot: Path | None = None
        #: The latest snapshot taken (generation, directory), current or not.
        self._latest: tuple[int, Path] | None = None
        #: The worker pool of endpoint queries, from `start` (or the first `answer`) to `close`.
        self.runner: QueryRunner | None = None

    @classmethod
    def open(cls, directory: Path) -> EmbeddedStore:
        """Open (or create) the store persisted in `directory`.

        The live store is the one `current` names; copies an interrupted update left
        behind, and old snapshots, are deleted.
        """
        directory = Path(directory)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            live = directory / _read_current(directory)
            store = ox.Store(str(live))
        except OSError as exc:
            raise CckgError(
                f"cannot open the triple store: {exc}",
                where=str(directory),
                fix="check the directory is writable and that no other `cckg serve` uses it "
                "(set CCKG_DATA_DIR to another directory)",
            ) from exc
        graph_store = cls(store, directory, live)
        shutil.rmtree(directory / "snapshots", ignore_errors=True)
        stores = directory / "stores"
        if stores.is_dir():
            for child in stores.iterdir():
                if child != live:
                    shutil.rmtree(child, ignore_errors=True)
        if live != directory / FIRST_STORE:  # replaced by an update: `current` says so
            shutil.rmtree(directory / FIRST_STORE, ignore_errors=True)
        return graph_store

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A store kept in memory (no snapshots, so no worker processes can read it)."""
        return cls(ox.Store(), None)

    # -- reading -------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        dataset: QueryDataset = UNION,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        bindings: Mapping[str, BoundTerm] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a query (see `Store.query`): in the page worker once `start` has run.

        There a query past `timeout` (default: the page timeout) has its worker killed
        and raises QueryTimeout, and a result over the byte limit raises ValueError.
        Before `start`, and for an in-memory store, it runs in this process: pyoxigraph
        cannot stop it there, so past `timeout` the caller gets QueryTimeout while the
        query finishes in a background thread.
        """
        if self._in_workers():
            assert self.runner is not None
            job = ReadJob(
                sparql, base_iri, dataset.for_query(sparql), dict(prefixes or {}),
                tuple((bindings or {}).items()), self.limits.max_result_bytes,
            )
            return self.runner.read(job, self.limits.page_timeout if timeout is None
                                    else timeout)
        options = dataset_options(dataset.for_query(sparql))
        if prefixes:
            options["prefixes"] = dict(prefixes)
        if bindings:
            options["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}

        def run() -> QueryResult:
            result: QueryResult = self.store.query(sparql, base_iri=base_iri, **options)
            return result

        if timeout is None:
            return run()
        box: list[QueryResult | BaseException] = []

        def target() -> None:
            try:
                box.append(run())
            except BaseException as exc:  # handed to the caller below
                box.append(exc)

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(timeout)
        if not box:
            raise QueryTimeout(f"the query ran longer than {timeout:g} s")
        if isinstance(box[0], BaseException):
            raise box[0]
        return box[0]

    def answer(self, job: QueryJob, timeout: float) -> Outcome:
        """Run a client's query in a worker process over the latest snapshot (blocking)."""
        return self._runner().answer(job, timeout)

    async def answer_async(self, job: QueryJob, timeout: float) -> Outcome:
        """`answer` awaited on the event loop: no thread waits for the worker, and
        cancelling the await (the client went away) stops the query."""
        return await self._runner().answer_async(job, timeout)

    def _runner(self) -> QueryRunner:
        if self.runner is None:
            self.start(workers=1)
        assert self.runner is not None
        return self.runner

    def start(self, *, workers: int) -> None:
        """Start `workers` query worker processes, one page worker and one update worker
        (none for an in-memory store)."""
        self.close()
        self.runner = QueryRunner(self, workers=workers, limits=self.limits)
        self.runner.start()

    def close(self) -> None:
        """Stop the worker processes."""
        if self.runner is not None:
            self.runner.close()
            self.runner = None

    def network_access(self) -> str | None:
        """None when query workers cannot open network sockets, else why they can."""
        if self.runner is None and self.directory is None:
            return "queries run in the server process (in-memory store)"
        if self.runner is None:
            return None
        return self.runner.network_open

    def generation(self) -> str:
        """This opening of the store and its count of writes."""
        return f"{self._instance}-{self._generation}"

    def __len__(self) -> int:
        return len(self.store)

    def triple_count(self) -> int:
        """Number of quads in the store (all graphs)."""
        if not self._in_workers():
            return len(self.store)
        return self._count("{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }")

    def graph_counts(self) -> dict[str, int]:
        """Number of triples in each named graph, by graph IRI (blank-node graphs by id)."""
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        solutions = (self.query(query, dataset=OWN_GRAPHS) if self._in_workers()
                     else self.store.query(query))
        assert isinstance(solutions, ox.QuerySolutions)
        return {s["g"].value: int(s["n"].value) for s in solutions}

    def default_graph_count(self) -> int:
        """Number of triples in the store's own default graph."""
        if not self._in_workers():
            return len(list(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
        return self._count("?s ?p ?o")

    def _in_workers(self) -> bool:
        """Whether reads go to the page worker (the store is started and on disk)."""
        return self.runner is not None and not self.runner.inline

    def _count(self, pattern: str) -> int:
        solutions = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}",
                               dataset=OWN_GRAPHS)
        assert isinstance(solutions, ox.QuerySolutions)
        return sum(int(s["n"].value) for s in solutions)

    # -- writing -------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update as one transaction; when it returns it is on disk.

        Once `start` has run, the sandboxed update worker applies it to a copy of the
        store within the update time limit and memory cap, and the copy is adopted
        (`adopt`); otherwise it runs in this process. Raises SyntaxError / ValueError
        (a bad update), RuntimeError (a graph that must (not) exist), StoreBusy (other
        updates waiting), QueryTimeout (stopped at the time limit), MemoryError (stopped
        at the memory cap) or OSError; a stopped update leaves the store as it was.
        """
        if self._in_workers():
            assert self.runner is not None
            failure = self.runner.update(sparql, base_iri)
            if failure is not None:
                raise failure.exception()
            return
        with self._lock:
            self.store.update(sparql, base_iri=base_iri)
            self._committed()

    async def update_async(self, sparql: str, *, base_iri: str | None = None) -> None:
        """`update` awaited without holding a thread while it waits for the update worker."""
        if not self._in_workers():
            await anyio.to_thread.run_sync(lambda: self.update(sparql, base_iri=base_iri))
            return
        assert self.runner is not None
        failure = await self.runner.update_async(sparql, base_iri)
        if failure is not None:
            raise failure.exception()

    def copy_for_update(self) -> Path:
        """A copy of the live store (a RocksDB backup: hard links) for the update worker."""
        assert self.directory is not None, "an in-memory store has no copies"
        target = self.directory / "stores" / uuid.uuid4().hex[:16]
        target.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self.store.backup(str(target))
        return target

    def discard_copy(self, copy: Path) -> None:
        """Delete a copy whose update failed or was stopped (the store is unchanged)."""
        shutil.rmtree(copy, ignore_errors=True)

    def adopt(self, copy: Path) -> None:
        """Make an updated, flushed and closed copy the live store, durably.

        The copy is opened, `current` is rewritten to name it (write, fsync, rename,
        fsync the directory), and a snapshot is taken for the queries that come next.
        When this returns the update survives a crash of the server process.
        """
        assert self.directory is not None, "an in-memory store has no copies"
        with self._lock:
            new_store = ox.Store(str(copy))
            _write_current(self.directory, copy.relative_to(self.directory))
            old, self.store = self.store, new_store
            del old
            gc.collect()  # the old store closes once nothing refers to it
            for retired in self._retired:
                shutil.rmtree(retired, ignore_errors=True)
            self._retired = [self.live] if self.live is not None else []
            self.live = copy
            self._committed()

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Replace one graph's content (None: the default graph) in one step."""
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
        with self._lock:
            self.store.clear_graph(name)
            if isinstance(name, ox.NamedNode):
                self.store.add_graph(name)  # an empty PUT still creates the graph
            self.store.extend(quads)
            self._committed()

    def load_dataset_file(self, path: Path) -> int:
        """Bulk load an N-Quads file (replacing the store's content); return the quad count.

        The file's stamp is recorded so `is_loaded(path)` can tell whether a reload is needed.
        """
        path = Path(path)
        if not path.is_file():
            raise CckgError(
                "dataset file not found", where=str(path), fix="run `cckg build` to create it"
            )
        with self._lock:
            self.store.clear()
            try:
                self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            except SyntaxError as exc:
                raise CckgError(
                    f"not valid N-Quads: {exc}",
                    where=str(path),
                    fix="rebuild the dump with `cckg build`",
                ) from exc
            self.store.flush()
            self._write_stamp(file_stamp(path))
            self._changed()
        return len(self.store)

    def is_loaded(self, path: Path) -> bool:
        """Whether the store holds exactly the content of the N-Quads file at `path`."""
        return self.build_stamp() == file_stamp(Path(path))

    def build_stamp(self) -> str | None:
        """The stamp of the dump last loaded, or None."""
        if self.directory is None:
            return None
        stamp = self.directory / STAMP_FILE
        return stamp.read_text().strip() if stamp.is_file() else None

    def _write_stamp(self, stamp: str) -> None:
        if self.directory is not None:
            (self.directory / STAMP_FILE).write_text(stamp + "\n")

    # -- snapshots for read-only worker processes ------------------------------------

    def _changed(self) -> None:
        self._generation += 1
        self._snapshot = None

    def _committed(self) -> None:
        """After a write under the lock: a new generation, flushed to disk, with its
        snapshot taken now, so no query waits for the lock to find one."""
        self._changed()
        self.store.flush()
        if self.directory is not None:
            self._take_snapshot()

    def _take_snapshot(self) -> Path:
        assert self.directory is not None
        target = self.directory / "snapshots" / str(self._generation)
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.store.flush()
        self.store.backup(str(target))
        self._snapshot = target
        self._latest = (self._generation, target)
        return target

    def snapshot(self, timeout: float = -1) -> tuple[int, Path]:
        """The current read-only snapshot (generation, directory), taking it if needed.

        While a write holds the store, the snapshot of the data before that write is
        returned at once (a query reads what was committed). Otherwise (that snapshot is
        not taken yet) this waits up to `timeout` seconds (-1: as long as it takes) and
        then raises StoreBusy.
        """
        if self.directory is None:
            raise CckgError(
                "an in-memory store has no snapshots",
                fix="open the store from a directory (EmbeddedStore.open)",
            )
        if not self._lock.acquire(blocking=False):
            latest = self._latest
            if latest is not None and latest[0] == self._generation:
                return latest  # a write is under way: its changes are not visible yet
            if not self._lock.acquire(timeout=timeout):
                raise StoreBusy
        try:
            snapshot = self._snapshot if self._snapshot is not None else self._take_snapshot()
            return self._generation, snapshot
        finally:
            self._lock.release()

    def taken_snapshot(self) -> tuple[int, Path] | None:
        """The current snapshot if it is already taken (no wait, no I/O), else None:
        then `snapshot` takes it or waits for the write under way."""
        latest = self._latest
        if latest is not None and latest[0] == self._generation:
            return latest
        return None

    def drop_snapshots(self, keep: set[int]) -> None:
        """Delete snapshot directories whose generation is not in `keep` (nor current)."""
        if self.directory is None:
            return
        root = self.directory / "snapshots"
        if not root.is_dir():
            return
        # The previous generation is kept one change longer: a query that took its
        # snapshot just before a write committed may not have opened it yet.
        keep = keep | {self._generation, self._generation - 1}
        if self._latest is not None:
            keep.add(self._latest[0])
        for child in root.iterdir():
            if child.name.isdigit() and int(child.name) not in keep:
                shutil.rmtree(child, ignore_errors=True)


def _read_current(directory: Path) -> str:
    """The live store's directory name, relative to the data directory."""
    current = directory / CURRENT_FILE
    if current.is_file():
        name = current.read_text(encoding="utf-8").strip()
        if name and ".." not in Path(name).parts and (directory / name).is_dir():
            return name
    return FIRST_STORE


def _write_current(directory: Path, live: Path) -> None:
    """Name the live store durably: a new file is fsynced, renamed over, and the
    directory fsynced, so after a crash `current` names either the old or the new store."""
    temporary = directory / f"{CURRENT_FILE}.tmp"
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(f"{live.as_posix()}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, directory / CURRENT_FILE)
    with contextlib.suppress(OSError):  # not every OS can open a directory to fsync it
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
