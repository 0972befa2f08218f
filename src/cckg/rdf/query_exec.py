"""Run a named query with its bound parameters on any store: the one way the CLI, the
server's /queries pages and the tests run them.

The store may be embedded or remote (anything with `query`, as cckg.store.Store has);
the answer is a `ResultTable` of pyoxigraph terms, written in any table format by the one
writer of that format (cckg.rdf.results).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox

from cckg.errors import CckgError
from cckg.rdf import query_errors
from cckg.rdf.formats import Format
from cckg.rdf.named_queries import BoundValue, NamedQuery
from cckg.rdf.namespaces import PREFIXES
from cckg.rdf.results import Bindings, write_boolean, write_solutions
from cckg.rdf.sparql_lex import QueryShape
from cckg.rdf.terms import BoundTerm, QueryResult, SolutionTerm

#: The columns of a CONSTRUCT or DESCRIBE answer as a table.
TRIPLE_COLUMNS = ["subject", "predicate", "object"]


class Queryable(Protocol):
    """What running a named query needs of a store (cckg.store.Store has it)."""

    def query(
        self,
        sparql: str,
        *,
        prefixes: Mapping[str, str] | None = None,
        bindings: Mapping[str, BoundTerm] | None = None,
    ) -> QueryResult: ...


class NamedQueryFailed(CckgError):
    """The store could not run a named query (a fault of the query file, or of the store)."""


@dataclass(frozen=True)
class ResultTable:
    """SELECT rows (or an ASK answer, or CONSTRUCT triples as rows) with their variables
    in projection order; a row holds the bound variables only."""

    variables: list[str]
    rows: list[Bindings]
    boolean: bool | None = None
    #: 'solutions', 'boolean' or 'graph' (triples as subject/predicate/object rows).
    kind: str = "solutions"

    def column(self, name: str) -> list[str | None]:
        """The lexical values of one variable (a triple term as N-Triples), None where it
        is unbound."""
        return [lexical(row[name]) if name in row else None for row in self.rows]

    def write(self, fmt: Format) -> bytes:
        """The table in a results format (SPARQL JSON, XML, CSV or TSV)."""
        if self.boolean is not None:
            return write_boolean(self.boolean, fmt)
        return write_solutions(self.variables, self.rows, fmt)


def select_rows(store: Queryable, sparql: str) -> list[dict[str, Any]]:
    """The rows of a small SELECT over the union of the store's graphs (CCKG prefixes
    declared), each a dict of its bound variables."""
    solutions = store.query(sparql, prefixes=PREFIXES)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("select_rows takes a SELECT query")
    names = [v.value for v in solutions.variables]
    return [{n: term for n in names if (term := s[n]) is not None} for s in solutions]


def lexical(term: SolutionTerm) -> str:
    """A bound value's lexical form (a triple term in N-Triples)."""
    return str(term) if isinstance(term, ox.Triple) else term.value


def run_named(
    store: Queryable, query: NamedQuery, bound: Mapping[str, BoundValue]
) -> ResultTable:
    """Run `query` on `store` over the union of its graphs, its parameters bound.

    The text is sent as written: no PREFIX lines are added (the SPARQL endpoint adds none
    either), so a query behaves the same locally, remotely and at /sparql, and syntax
    errors are reported at their line and column in the query file.
    """
    where = str(query.path)
    try:
        result = store.query(query.text, bindings={k: v.term() for k, v in bound.items()})
    except SyntaxError as exc:
        raise _syntax_error(query, str(exc)) from exc
    except (RuntimeError, ValueError) as exc:
        raise NamedQueryFailed(
            f"the query cannot run: {exc}", where=where, fix="check the query and its parameters",
        ) from exc
    except OSError as exc:
        raise NamedQueryFailed(
            f"the store did not answer the query: {exc}", where=where,
            fix="check the endpoint URL, that the server runs and is a SPARQL 1.1 query "
            "endpoint, and the network",
        ) from exc
    if isinstance(result, ox.QueryBoolean):
        return ResultTable([], [], boolean=bool(result), kind="boolean")
    if isinstance(result, ox.QuerySolutions):
        variables = QueryShape.of(query.text).columns([v.value for v in result.variables])
        rows = [
            Bindings({n: term for n in variables if (term := solution[n]) is not None})
            for solution in result
        ]
        return ResultTable(variables, rows)
    rows = [Bindings(subject=t.subject, predicate=t.predicate, object=t.object) for t in result]
    return ResultTable(TRIPLE_COLUMNS, rows, kind="graph")


def _syntax_error(query: NamedQuery, message: str) -> NamedQueryFailed:
    """A parse error of the embedded store (explained in one line), or a remote endpoint's
    400 reply (shown as the endpoint's text, with its own advice if it gives one)."""
    if message.startswith("error at"):
        problem = query_errors.explain(query.text, message)
        return NamedQueryFailed(
            f"the query is not valid SPARQL 1.1: {problem.what}",
            where=f"{query.path}, {problem.where}",
            fix=problem.fix,
        )
    what, _, fix = message.partition("How to fix:")
    return NamedQueryFailed(
        f"the endpoint refused the query: {' '.join(what.split())}",
        where=str(query.path),
        fix=" ".join(fix.split()) or "correct the query (positions are in the file as written)",
    )


def describes(store: Queryable, iri: str) -> bool:
    """Whether the store has any triple about `iri` (as subject); `iri` must be a valid
    IRI (named-query parameters are checked with the store's IRI parser first)."""
    return bool(store.query(f"ASK {{ <{iri}> ?p ?o }}"))
