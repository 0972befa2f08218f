"""The worker: a child process that runs SPARQL for the server, sandboxed and bounded.

pyoxigraph cannot cancel a running query or update, so they run here, in a process the
server can kill when the time limit passes or the client goes away. Before anything else
the worker blocks its own network access (sandbox.py), so no query or update can make
pyoxigraph fetch a SERVICE or LOAD IRI, and caps the memory it may allocate
(`sandbox.limit_memory`): past it, the process dies and the server answers 503.

It then reads jobs from a pipe and answers each with a `Reply`:

- `QueryJob`: a client's query over a read-only snapshot, written in the chosen format;
- `ReadJob`: a query of the server's own pages over a snapshot, as picklable terms;
- `UpdateJob`: an update applied to a copy of the store, opened read-write, flushed to
  disk and closed before the reply, so the server can adopt the copy.

Results larger than the job's byte limit are refused rather than sent. A worker whose
resident memory grew by more than a quarter of its cap over its lowest (after a job)
asks to be retired after its reply, so the memory is given back. It imports only
pyoxigraph and the light modules below, so it starts fast.
"""

from __future__ import annotations

import gc
import resource
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from cckg.rdf.terms import BoundTerm
from cckg.store import sandbox
from cckg.store.answers import TooLarge, query_error, too_large_message, write_answer
from cckg.store.base import (
    Outcome,
    QueryDataset,
    QueryJob,
    QueryTimeout,
    ResultTooLarge,
    StoreBusy,
)


@dataclass(frozen=True)
class ReadJob:
    """A query of the server's own (pages, descriptions, named queries), over a snapshot."""

    query: str
    base_iri: str | None
    dataset: QueryDataset
    prefixes: dict[str, str] = field(default_factory=dict)
    bindings: tuple[tuple[str, BoundTerm], ...] = ()
    max_bytes: int = 50_000_000
    snapshot: str = ""
    generation: int = -1


@dataclass(frozen=True)
class UpdateJob:
    """An update to apply to the store copy at `path` (opened read-write, then closed)."""

    update: str
    base_iri: str | None
    path: str


@dataclass(frozen=True)
class ReadResult:
    """A ReadJob's answer, serialised by pyoxigraph: 'results' (SELECT or ASK, SPARQL
    JSON) or 'graph' (CONSTRUCT or DESCRIBE, N-Triples); `result()` parses it back."""

    kind: str
    data: bytes

    def result(self) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        if self.kind == "graph":
            return [ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(self.data, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(self.data, format=ox.QueryResultsFormat.JSON)


#: The store's own errors, by the kind a Failure names them (the first that fits wins).
STORE_ERRORS: dict[str, type[Exception]] = {
    "syntax": SyntaxError, "value": ValueError, "runtime": RuntimeError, "os": OSError,
}
#: The worker's limits, by the kind a Failure names them.
LIMITS: dict[str, type[Exception]] = {
    "too-large": ResultTooLarge, "busy": StoreBusy, "timeout": QueryTimeout,
    "died": MemoryError,
}
_STORE_ERROR_TYPES = tuple(STORE_ERRORS.values())


@dataclass(frozen=True)
class Failure:
    """Work the store refused or a worker stopped: its kind (a key of STORE_ERRORS or
    LIMITS) and message."""

    kind: str
    message: str

    @classmethod
    def of(cls, error: Exception) -> Failure:
        """The failure that reports one of the store's own errors across the pipe."""
        kind = next(k for k, t in STORE_ERRORS.items() if isinstance(error, t))
        return cls(kind, str(error))

    def exception(self) -> Exception:
        """The exception a Store method raises for this failure (see `Store.update`)."""
        return (STORE_ERRORS | LIMITS).get(self.kind, OSError)(self.message)


#: What a job gets back: a client query's Outcome, a page read's ReadResult, an update's
#: None, or a Failure.
Answer = Outcome | ReadResult | Failure | None


@dataclass(frozen=True)
class Reply:
    """What the worker sends back for each job; `retire` asks the server to replace it."""

    value: Answer
    retire: bool = False


def dataset_options(dataset: QueryDataset) -> dict[str, Any]:
    """pyoxigraph query arguments for a dataset (protocol graphs win over FROM)."""
    options: dict[str, Any] = {}
    if dataset.names_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs or ()]
        if dataset.named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
    elif dataset.union_default_graph:
        options["use_default_graph_as_union"] = True
    return options


def run_job(store: ox.Store, job: QueryJob) -> Outcome:
    """Run one client query against a store and write its result."""
    try:
        options = dataset_options(job.dataset)
        result = store.query(job.query, base_iri=job.base_iri, **options)
        return write_answer(result, job)
    except (SyntaxError, ValueError, OSError) as exc:
        return query_error(exc, job.query)


def read(store: ox.Store, job: ReadJob) -> ReadResult | Failure:
    """Run one of the server's own queries and serialise its result for the pipe."""
    try:
        options = dataset_options(job.dataset)
        if job.prefixes:
            options["prefixes"] = job.prefixes
        if job.bindings:
            options["substitutions"] = {ox.Variable(k): v for k, v in job.bindings}
        result = store.query(job.query, base_iri=job.base_iri, **options)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            kind, data = "results", result.serialize(format=ox.QueryResultsFormat.JSON)
        else:
            kind, data = "graph", result.serialize(format=ox.RdfFormat.N_TRIPLES)
        assert data is not None  # serialize() returns the bytes when given no output
        answer = ReadResult(kind, data)
        if len(answer.data) > job.max_bytes:
            raise TooLarge
        return answer
    except TooLarge:
        return Failure("too-large", too_large_message(job.max_bytes))
    except _STORE_ERROR_TYPES as exc:
        return Failure.of(exc)


def apply_update(job: UpdateJob) -> Failure | None:
    """Apply an update to the store copy at job.path, flush it to disk and close it."""
    try:
        store = ox.Store(job.path)
    except OSError as exc:
        return Failure("os", f"the store copy could not be opened: {exc}")
    try:
        store.update(job.update, base_iri=job.base_iri)
        store.flush()  # memtables to SST files, synced: nothing left only in the WAL
    except _STORE_ERROR_TYPES as exc:
        return Failure.of(exc)
    finally:
        del store
        gc.collect()  # drops the last reference: RocksDB closes and releases its lock
    return None


class Snapshot:
    """The read-only store of the snapshot the last job read, kept open for the next."""

    def __init__(self) -> None:
        self.path = ""
        self.store: ox.Store | None = None

    def open(self, path: str) -> ox.Store:
        """The store of the snapshot at `path` (OSError if it cannot be opened)."""
        if path != self.path or self.store is None:
            self.path, self.store = "", None
            self.store = ox.Store.read_only(path)
            self.path = path
        return self.store


def answer(job: QueryJob | ReadJob | UpdateJob, snapshot: Snapshot) -> Answer:
    """What the worker replies to one job: a client's query gets an Outcome (a 503 when the
    snapshot cannot be opened, a 500 for a bug), a page's read a ReadResult or Failure, an
    update None or a Failure."""
    if isinstance(job, UpdateJob):
        return apply_update(job)
    try:
        store = snapshot.open(job.snapshot)
    except OSError as exc:
        message = f"The store snapshot could not be opened: {exc}"
        return Outcome.error(503, message) if isinstance(job, QueryJob) else Failure("os", message)
    try:
        return run_job(store, job) if isinstance(job, QueryJob) else read(store, job)
    except Exception as exc:  # a bug: report it rather than lose the worker
        return Outcome.error(500, f"Internal error while running the query: {exc!r}")


def resident_bytes() -> int:
    """This process's resident memory now (from /proc; 0 where that is unavailable)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def main(conn: Connection, memory_mb: int = 0) -> None:
    """Block network access, cap memory, then serve jobs from `conn` until it closes or
    gets None.

    The first message sent is ("ready", None) when the network is blocked, or
    ("ready", reason) when it could not be (the server then warns).
    """
    conn.send(("ready", sandbox.block_network()))
    if memory_mb:
        sandbox.limit_memory(memory_mb * 2**20)
    #: Growth of resident memory over its lowest after a job that retires the worker.
    retire_after_growth = memory_mb * 2**20 // 4 if memory_mb else 0
    lowest = 0
    snapshot = Snapshot()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        value = answer(job, snapshot)
        resident = resident_bytes()
        lowest = min(lowest, resident) if lowest else resident
        grown = resident - lowest > retire_after_growth
        conn.send(Reply(value, retire=bool(retire_after_growth) and grown))
