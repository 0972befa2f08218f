"""Quality control: run every queries/qc/*-violation.rq; each must return zero rows.

A QC query's header names it (`# title:`) and says what a row means (`# description:`,
which may continue on indented `#` lines). Each row the query returns is one problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import ResultRow

from cckg.errors import SyntaxErrorInFile
from cckg.paths import PATHS
from cckg.rdf.named_queries import HEADER_LINE
from cckg.rdf.namespaces import PREFIXES

#: One result row: variable name → the bound term as text (unbound variables left out).
Row = dict[str, str]

SUFFIX = "-violation.rq"
_MORE = re.compile(r"^#\s+(?P<value>\S.*)$")


@dataclass(frozen=True)
class QcQuery:
    """One QC query file, its header parsed and its SPARQL prepared."""

    name: str
    path: Path
    title: str
    description: str
    query: Query


def _header(path: Path, text: str) -> dict[str, str]:
    """The `# key: value` fields of the leading comment block (continuation lines joined)."""
    fields: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if match := HEADER_LINE.match(line):
            last = match["key"]
            fields[last] = match["value"].strip()
        elif (more := _MORE.match(line)) and last is not None:
            fields[last] = f"{fields[last]} {more['value'].strip()}"
    for key in ("title", "description"):
        if not fields.get(key):
            raise SyntaxErrorInFile(
                f"QC query has no '# {key}:' header line",
                where=str(path),
                fix=f"start the file with '# title: ...' and '# description: ...' comment "
                f"lines (the {key} is missing)",
            )
    return fields


def load_qc_query(path: Path) -> QcQuery:
    """Read and prepare one QC query; bad SPARQL or a missing header raises SyntaxErrorInFile."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SyntaxErrorInFile(
            f"cannot read QC query: {exc.strerror}", where=str(path), fix="check the file"
        ) from exc
    fields = _header(path, text)
    try:
        query = prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:  # pyparsing and rdflib raise several unrelated types
        raise SyntaxErrorInFile(
            f"not valid SPARQL: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}",
            where=str(path),
            fix="correct the query (check braces, '.' between patterns and PREFIX lines)",
        ) from exc
    name = path.name.removesuffix(".rq")
    return QcQuery(name, path, fields["title"], fields["description"], query)


def qc_queries(folder: Path | None = None) -> list[QcQuery]:
    """Every `*-violation.rq` of the QC folder, sorted by name."""
    return [load_qc_query(p) for p in sorted((folder or PATHS.qc_queries).glob("*" + SUFFIX))]


def run_query(graph: Graph, qc: QcQuery) -> list[Row]:
    """The rows one QC query finds in `graph` (each row is one problem)."""
    rows: list[Row] = []
    for result in graph.query(qc.query):
        assert isinstance(result, ResultRow), "QC queries are SELECT queries"
        rows.append({str(var): str(term) for var, term in result.asdict().items()})
    return rows


def run_qc(graph: Graph, folder: Path | None = None) -> dict[str, list[Row]]:
    """Run every QC query on `graph` (ontology + data): query name → its rows."""
    return {qc.name: run_query(graph, qc) for qc in qc_queries(folder)}


def failures(results: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """Only the queries that returned rows."""
    return {name: rows for name, rows in results.items() if rows}
