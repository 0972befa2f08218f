"""Small helpers for reading competency-question results."""

from __future__ import annotations

from pathlib import Path

from cckg.rdf.named_queries import NamedQuery
from cckg.rdf.namespaces import ID
from cckg.rdf.query_exec import ResultTable


def place(code: str) -> str:
    """The IRI of a place by its GB/T 2260 code."""
    return str(ID[f"place/{code}"])


def code_of(iri: str) -> str:
    """The GB/T 2260 code at the end of a place IRI."""
    return iri.rsplit("/", 1)[-1]


def rows(result: ResultTable, *columns: str) -> list[tuple[str | None, ...]]:
    """The chosen columns of every row, as tuples of lexical values."""
    return [tuple(r[c].value if c in r else None for c in columns) for r in result.rows]


def adhoc(text: str) -> NamedQuery:
    """A query written in a test, run like a named one."""
    return NamedQuery(name="adhoc", path=Path("adhoc.rq"), title="", question="", text=text)
