"""The query worker: a child process that runs SPARQL queries over a read-only snapshot.

pyoxigraph cannot cancel a running query, so queries run here, in a process the server
can kill when the timeout passes. Before anything else the worker blocks its own network
access (sandbox.py), so no query can make pyoxigraph fetch a SERVICE IRI. It then reads
jobs from a pipe, (re)opens the snapshot a job names, runs the query, writes the result
in the chosen format and sends back an `Outcome`. It imports only pyoxigraph, results.py
and sandbox.py, so it starts fast.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from cckg.rdf import results
from cckg.rdf.results import ResultFormat
from cckg.store import sandbox


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
    snapshot: str = ""
    generation: int = -1


@dataclass(frozen=True)
class Outcome:
    """What a query produced: an HTTP status, a body and its media type."""

    status: int
    content_type: str
    body: bytes
    truncated: bool = False

    @classmethod
    def error(cls, status: int, message: str) -> Outcome:
        return cls(status, "text/plain; charset=utf-8", message.encode("utf-8"))


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


def execute(store: ox.Store, job: QueryJob) -> Outcome:
    """Run one job against a store and serialise its result."""
    try:
        result = store.query(job.query, base_iri=job.base_iri, **dataset_options(job))
        if isinstance(result, ox.QueryBoolean):
            fmt = job.formats["boolean"]
            return Outcome(200, fmt.content_type, results.write_boolean(result, fmt))
        if isinstance(result, ox.QuerySolutions):
            fmt = job.formats["solutions"]
            variables = [v.value for v in result.variables]
            rows = list(itertools.islice(result, job.max_rows + 1))
            truncated = len(rows) > job.max_rows
            body = results.write_solutions(variables, rows[: job.max_rows], fmt)
            return Outcome(200, fmt.content_type, body, truncated)
        fmt = job.formats["graph"]
        triples = list(itertools.islice(result, job.max_rows + 1))
        truncated = len(triples) > job.max_rows
        body = results.write_graph(triples[: job.max_rows], fmt)
        return Outcome(200, fmt.content_type, body, truncated)
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


def main(conn: Connection) -> None:
    """Block network access, then serve jobs from `conn` until it closes or gets None.

    The first message sent is ("ready", None) when the network is blocked, or
    ("ready", reason) when it could not be (the server then warns).
    """
    conn.send(("ready", sandbox.block_network()))
    store: ox.Store | None = None
    opened = ""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if job.snapshot != opened:
            store = None
            try:
                store = ox.Store.read_only(job.snapshot)
                opened = job.snapshot
            except OSError as exc:
                opened = ""
                conn.send(Outcome.error(503, f"The store snapshot could not be opened: {exc}"))
                continue
        assert store is not None
        try:
            outcome = execute(store, job)
        except Exception as exc:  # a bug: report it rather than lose the worker
            outcome = Outcome.error(500, f"Internal error while running the query: {exc!r}")
        conn.send(outcome)
