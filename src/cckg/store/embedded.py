"""The embedded store: a persisted pyoxigraph Store in the data directory (a `Store`).

In-process queries (`query`) serve pages and descriptions; client queries of the
endpoint (`answer`) run in killable worker processes (workers.py) over snapshots.

Layout of the data directory:

    oxigraph/        the read-write store (only the server process opens it)
    snapshots/<n>/   read-only copies (RocksDB backups, hard links) that query workers
                     open; a new one is taken after every write
    build-stamp      the stamp of the N-Quads dump last loaded (see `load_dataset_file`)
"""

from __future__ import annotations

import hashlib
import shutil
import threading
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

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
from cckg.store.worker_main import dataset_options
from cckg.store.workers import QueryRunner

STAMP_FILE = "build-stamp"


def file_stamp(path: Path) -> str:
    """A stamp that changes whenever the file's content changes (its SHA-256)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class EmbeddedStore:
    """A pyoxigraph Store plus the snapshots and worker processes of endpoint queries."""

    def __init__(self, store: ox.Store, directory: Path | None) -> None:
        self.store = store
        self.directory = directory
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
        """Open (or create) the store persisted in `directory`."""
        directory = Path(directory)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            store = ox.Store(str(directory / "oxigraph"))
        except OSError as exc:
            raise CckgError(
                f"cannot open the triple store: {exc}",
                where=str(directory),
                fix="check the directory is writable and that no other `cckg serve` uses it "
                "(set CCKG_DATA_DIR to another directory)",
            ) from exc
        graph_store = cls(store, directory)
        shutil.rmtree(directory / "snapshots", ignore_errors=True)
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
        """Run a query in this process (see `Store.query`).

        pyoxigraph cannot stop a running query: past `timeout` the caller gets
        QueryTimeout while the query finishes in a background thread. Client queries go
        through `answer`, whose workers are killed instead.
        """
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
        """Run a client's query in a worker process over the latest snapshot."""
        if self.runner is None:
            self.runner = QueryRunner(self, workers=1)
        return self.runner.run_sync(job, timeout)

    def start(self, *, workers: int) -> None:
        """Start `workers` query worker processes (none for an in-memory store)."""
        self.close()
        self.runner = QueryRunner(self, workers=workers)
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
        return len(self.store)

    def graph_counts(self) -> dict[str, int]:
        """Number of triples in each named graph, by graph IRI (blank-node graphs by id)."""
        counts: dict[str, int] = {}
        solutions = self.store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        assert isinstance(solutions, ox.QuerySolutions)
        for solution in solutions:
            counts[solution["g"].value] = int(solution["n"].value)
        return counts

    def default_graph_count(self) -> int:
        """Number of triples in the store's own default graph."""
        return len(list(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())))

    # -- writing -------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update (transactional) and take a new snapshot for the workers."""
        with self._lock:
            self.store.update(sparql, base_iri=base_iri)
            self._changed()

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Replace one graph's content (None: the default graph) in one step."""
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
        with self._lock:
            self.store.clear_graph(name)
            if isinstance(name, ox.NamedNode):
                self.store.add_graph(name)  # an empty PUT still creates the graph
            self.store.extend(quads)
            self._changed()

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
            if self._snapshot is None:
                target = self.directory / "snapshots" / str(self._generation)
                shutil.rmtree(target, ignore_errors=True)
                target.parent.mkdir(parents=True, exist_ok=True)
                self.store.flush()
                self.store.backup(str(target))
                self._snapshot = target
                self._latest = (self._generation, target)
            return self._generation, self._snapshot
        finally:
            self._lock.release()

    def drop_snapshots(self, keep: set[int]) -> None:
        """Delete snapshot directories whose generation is not in `keep` (nor current)."""
        if self.directory is None:
            return
        root = self.directory / "snapshots"
        if not root.is_dir():
            return
        keep = keep | {self._generation}
        if self._latest is not None:
            keep.add(self._latest[0])
        for child in root.iterdir():
            if child.name.isdigit() and int(child.name) not in keep:
                shutil.rmtree(child, ignore_errors=True)
