"""Writes a query result for the endpoint: the client's format, the row cap, the errors.

Both stores use it: the embedded store's worker processes on pyoxigraph's own results,
the remote store on the results it parsed back from the engine.
"""

from __future__ import annotations

import itertools

import pyoxigraph as ox

from cckg.rdf import results
from cckg.rdf.terms import QueryResult
from cckg.store.base import Outcome, QueryJob


def write_answer(result: QueryResult, job: QueryJob) -> Outcome:
    """The result written in the job's format for its kind, cut at `job.max_rows`."""
    try:
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


def query_error(exc: Exception) -> Outcome:
    """The endpoint's answer to a query the store refused (SyntaxError, ValueError, OSError)."""
    if isinstance(exc, SyntaxError):
        return Outcome.error(
            400,
            f"The query is not valid SPARQL 1.1: {exc}\n"
            "How to fix: correct the query at that line:column (positions count from 1).",
        )
    if isinstance(exc, OSError):
        return Outcome.error(503, f"The store could not be read: {exc}. Try again shortly.")
    return Outcome.error(400, f"The query cannot be run: {exc}")


def timeout_answer(timeout: float) -> Outcome:
    """The endpoint's answer to a query stopped at its time limit."""
    return Outcome.error(
        503,
        f"The query was stopped after the {timeout:g} s time limit (CCKG_QUERY_TIMEOUT). "
        "How to fix: make it more selective (add LIMIT, bind more variables, avoid "
        "cross products) or run it on a copy of the data (see the dumps).",
    )
