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
memory grew past a quarter of its cap asks to be retired after its reply, so memory is
given back. It imports only pyoxigraph and the light modules below, so it starts fast.
"""

from __future__ import annotations

import gc
import itertools
import resource
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from cckg.rdf import results
from cckg.rdf.results import ResultFormat
from cckg.store import sandbox

#: Bytes counted per term beyond its text (quotes, brackets, separators).
TERM_OVERHEAD = 8


@dataclass(frozen=True)
class QueryJob:
    """One query to run, with its dataset and the result format chosen for each kind."""

    query: str
    base_iri: str | None
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    union_default_graph: bool
    formats: dict[str, ResultFormat]
    max_rows: int
    max_bytes: int = 50_000_000
    snapshot: str = ""
    generation: int = -1


@dataclass(frozen=True)
class ReadJob:
    """A query of the server's own (pages, descriptions, named queries), over a snapshot."""

    query: str
    prefixes: dict[str, str] = field(default_factory=dict)
    substitutions: tuple[tuple[str, ox.NamedNode | ox.Literal], ...] = ()
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
class Outcome:
    """What a query produced: an HTTP status, a body and its media type."""

    status: int
    content_type: str
    body: bytes
    truncated: bool = False
    #: Seconds the client should wait before retrying (a Retry-After header), or 0.
    retry_after: int = 0

    @classmethod
    def error(cls, status: int, message: str) -> Outcome:
        return cls(status, "text/plain; charset=utf-8", message.encode("utf-8"))


@dataclass(frozen=True)
class ReadResult:
    """A ReadJob's answer: a boolean (ASK), rows (SELECT) or triples (CONSTRUCT)."""

    boolean: bool | None = None
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    triples: tuple[ox.Triple, ...] = ()


@dataclass(frozen=True)
class Failure:
    """A job the store refused: the exception's kind ('syntax', 'value', 'runtime',
    'os', 'too-large') and message."""

    kind: str
    message: str


@dataclass(frozen=True)
class Reply:
    """What the worker sends back for each job; `retire` asks the server to replace it."""

    value: Outcome | ReadResult | Failure | None
    retire: bool = False


class TooLarge(Exception):
    """A result went past the job's byte limit."""


def too_large_message(limit: int) -> str:
    return (
        f"The result is larger than the {limit:,}-byte limit (CCKG_MAX_RESULT_BYTES). "
        "How to fix: ask for fewer rows (LIMIT), fewer or shorter columns, or download "
        "the dumps."
    )


def _size(term: Any) -> int:
    if term is None:
        return 0
    if isinstance(term, ox.Triple):
        return _size(term.subject) + _size(term.predicate) + _size(term.object)
    text = term.value
    extra = len(term.language or "") if isinstance(term, ox.Literal) else 0
    return len(text) + extra + TERM_OVERHEAD


def bounded(items: Any, limit_items: int, limit_bytes: int, size: Any) -> list[Any]:
    """Up to `limit_items` items of an iterator, refusing (TooLarge) past `limit_bytes`."""
    taken, total = [], 0
    for item in itertools.islice(items, limit_items):
        total += size(item)
        if total > limit_bytes:
            raise TooLarge
        taken.append(item)
    return taken


def dataset_options(job: QueryJob) -> dict[str, object]:
    """pyoxigraph query arguments for the job's dataset (protocol graphs win over FROM)."""
    options: dict[str, object] = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif job.union_default_graph:
        options["use_default_graph_as_union"] = True
    return options


def _row_size(row: ox.QuerySolution, variables: list[ox.Variable]) -> int:
    return sum(_size(row[v]) for v in variables)


def execute(store: ox.Store, job: QueryJob) -> Outcome:
    """Run one client query against a store and serialise its result."""
    try:
        result = store.query(job.query, base_iri=job.base_iri, **dataset_options(job))
        if isinstance(result, ox.QueryBoolean):
            fmt = job.formats["boolean"]
            return Outcome(200, fmt.content_type, results.write_boolean(result, fmt))
        if isinstance(result, ox.QuerySolutions):
            fmt = job.formats["solutions"]
            variables = list(result.variables)
            rows = bounded(result, job.max_rows + 1, job.max_bytes,
                           lambda r: _row_size(r, variables))
            truncated = len(rows) > job.max_rows
            body = results.write_solutions([v.value for v in variables], rows[: job.max_rows],
                                           fmt)
        else:
            fmt = job.formats["graph"]
            triples = bounded(result, job.max_rows + 1, job.max_bytes, _size)
            truncated = len(triples) > job.max_rows
            body = results.write_graph(triples[: job.max_rows], fmt)
        if len(body) > job.max_bytes:
            raise TooLarge
        return Outcome(200, fmt.content_type, body, truncated)
    except TooLarge:
        return Outcome.error(503, too_large_message(job.max_bytes))
    except results.NotWritable as exc:
        return Outcome.error(exc.status, f"The result cannot be written in this format: {exc}")
    except SyntaxError as exc:
        return Outcome.error(
            400,
            f"The query is not valid SPARQL 1.1: {exc}\n"
            "How to fix: correct the query at that line:column (positions count from 1).",
        )
    except ValueError as exc:
        return Outcome.error(400, f"The query cannot be run: {exc}")
    except OSError as exc:
        return Outcome.error(503, f"The store could not be read: {exc}. Try again shortly.")


def read(store: ox.Store, job: ReadJob) -> ReadResult | Failure:
    """Run one of the server's own queries over the union of the store's graphs."""
    try:
        result = store.query(
            job.query, prefixes=job.prefixes or None, use_default_graph_as_union=True,
            substitutions={ox.Variable(k): v for k, v in job.substitutions} or None,
        )
        if isinstance(result, ox.QueryBoolean):
            return ReadResult(boolean=bool(result))
        unlimited = 1 << 62
        if isinstance(result, ox.QuerySolutions):
            variables = list(result.variables)
            rows = bounded(result, unlimited, job.max_bytes, lambda r: _row_size(r, variables))
            return ReadResult(
                variables=tuple(v.value for v in variables),
                rows=tuple(tuple(row[v] for v in variables) for row in rows),
            )
        return ReadResult(triples=tuple(bounded(result, unlimited, job.max_bytes, _size)))
    except TooLarge:
        return Failure("too-large", too_large_message(job.max_bytes))
    except SyntaxError as exc:
        return Failure("syntax", str(exc))
    except ValueError as exc:
        return Failure("value", str(exc))
    except RuntimeError as exc:
        return Failure("runtime", str(exc))
    except OSError as exc:
        return Failure("os", str(exc))


def apply_update(job: UpdateJob) -> Failure | None:
    """Apply an update to the store copy at job.path, flush it to disk and close it."""
    try:
        store = ox.Store(job.path)
    except OSError as exc:
        return Failure("os", f"the store copy could not be opened: {exc}")
    try:
        store.update(job.update, base_iri=job.base_iri)
        store.flush()  # memtables to SST files, synced: nothing left only in the WAL
    except SyntaxError as exc:
        return Failure("syntax", str(exc))
    except ValueError as exc:
        return Failure("value", str(exc))
    except RuntimeError as exc:
        return Failure("runtime", str(exc))
    except OSError as exc:
        return Failure("os", str(exc))
    finally:
        del store
        gc.collect()  # drops the last reference: RocksDB closes and releases its lock
    return None


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
    retire_at = memory_mb * 2**20 // 4 if memory_mb else 0
    store: ox.Store | None = None
    opened = ""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        value: Outcome | ReadResult | Failure | None
        if isinstance(job, UpdateJob):
            value = apply_update(job)
        else:
            if job.snapshot != opened:
                store = None
                try:
                    store = ox.Store.read_only(job.snapshot)
                    opened = job.snapshot
                except OSError as exc:
                    opened = ""
                    message = f"The store snapshot could not be opened: {exc}"
                    conn.send(Reply(Outcome.error(503, message) if isinstance(job, QueryJob)
                                    else Failure("os", message)))
                    continue
            assert store is not None
            try:
                value = execute(store, job) if isinstance(job, QueryJob) else read(store, job)
            except Exception as exc:  # a bug: report it rather than lose the worker
                value = Outcome.error(500, f"Internal error while running the query: {exc!r}")
        conn.send(Reply(value, retire=bool(retire_at) and resident_bytes() > retire_at))
