"""Writes a query result for the endpoint: the client's format, the row cap, the errors.

Both stores use it: the embedded store's worker processes on pyoxigraph's own results,
the remote store on the results it parsed back from the engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from cckg.rdf import query_errors, results
from cckg.rdf.terms import QueryResult
from cckg.store.base import Outcome, QueryJob

#: Bytes counted per term beyond its text (quotes, brackets, separators).
TERM_OVERHEAD = 8


class TooLarge(Exception):
    """A result went past the job's byte limit."""


def too_large_answer(limit: int) -> Outcome:
    """The endpoint's answer to a result larger than the byte limit."""
    return Outcome.error(503, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return (
        f"The result is larger than the {limit:,}-byte limit (CCKG_MAX_RESULT_BYTES). "
        "How to fix: ask for fewer rows (LIMIT), fewer or shorter columns, or download "
        "the dumps."
    )


def term_size(term: Any) -> int:
    """About how many bytes a term (or a triple) takes in a result."""
    if term is None:
        return 0
    if isinstance(term, ox.Triple | ox.Quad):  # a remote CONSTRUCT is parsed as quads
        return term_size(term.subject) + term_size(term.predicate) + term_size(term.object)
    extra = len(term.language or "") if isinstance(term, ox.Literal) else 0
    return len(term.value) + extra + TERM_OVERHEAD


def bounded(items: Iterable[Any], limit_items: int, limit_bytes: int,
            size: Callable[[Any], int]) -> list[Any]:
    """Up to `limit_items` items, refusing (TooLarge) once they pass `limit_bytes`."""
    taken, total = [], 0
    for item in itertools.islice(items, limit_items):
        total += size(item)
        if total > limit_bytes:
            raise TooLarge
        taken.append(item)
    return taken


def write_answer(result: QueryResult, job: QueryJob) -> Outcome:
    """The result written in the job's format for its kind, cut at `job.max_rows`, and
    refused (503) when it passes `job.max_bytes`."""
    try:
        if isinstance(result, ox.QueryBoolean):
            fmt = job.formats["boolean"]
            return Outcome(200, fmt.content_type, results.write_boolean(result, fmt))
        if isinstance(result, ox.QuerySolutions):
            fmt = job.formats["solutions"]
            variables = job.query_shape.columns([v.value for v in result.variables])
            rows = bounded(result, job.max_rows + 1, job.max_bytes,
                           lambda row: sum(term_size(row[v]) for v in variables))
            truncated = len(rows) > job.max_rows
            body = results.write_solutions(variables, rows[: job.max_rows], fmt)
        else:
            fmt = job.formats["graph"]
            triples = bounded(result, job.max_rows + 1, job.max_bytes, term_size)
            truncated = len(triples) > job.max_rows
            body = results.write_graph(triples[: job.max_rows], fmt)
        if len(body) > job.max_bytes:
            raise TooLarge
        return Outcome(200, fmt.content_type, body, truncated)
    except TooLarge:
        return too_large_answer(job.max_bytes)
    except results.NotWritable as exc:
        return Outcome.error(exc.status, f"The result cannot be written in this format: {exc}")


def query_error(exc: Exception, query: str) -> Outcome:
    """The endpoint's answer to a query the store refused (SyntaxError, ValueError, OSError);
    a syntax error is told in one line, at its position in `query` (query_errors.py)."""
    if isinstance(exc, SyntaxError):
        problem = query_errors.explain(query, str(exc))
        return Outcome.error(
            400,
            f"The query is not valid SPARQL 1.1: {problem.one_line()}\n"
            f"How to fix: {problem.fix}",
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
