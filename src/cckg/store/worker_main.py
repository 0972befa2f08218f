"""The query worker: a child process that runs SPARQL queries over a read-only snapshot.

pyoxigraph cannot cancel a running query, so queries run here, in a process the server
can kill when the timeout passes. Before anything else the worker blocks its own network
access (sandbox.py), so no query can make pyoxigraph fetch a SERVICE IRI. It then reads
jobs from a pipe, (re)opens the snapshot a job names, runs the query, writes the result
in the chosen format and sends back an `Outcome`. It imports only pyoxigraph and the
light modules of cckg.rdf and cckg.store, so it starts fast.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from cckg.store import sandbox
from cckg.store.answers import query_error, write_answer
from cckg.store.base import Outcome, QueryDataset, QueryJob


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
    """Run one job against a store and write its result."""
    try:
        options = dataset_options(job.dataset.for_query(job.query))
        result = store.query(job.query, base_iri=job.base_iri, **options)
        return write_answer(result, job)
    except (SyntaxError, ValueError, OSError) as exc:
        return query_error(exc)


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
            outcome = run_job(store, job)
        except Exception as exc:  # a bug: report it rather than lose the worker
            outcome = Outcome.error(500, f"Internal error while running the query: {exc!r}")
        conn.send(outcome)
