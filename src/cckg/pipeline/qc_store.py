"""Run the QC queries on the project's sources in pyoxigraph: the same queries and rows as
cckg.pipeline.qc.run_query (rdflib), fast enough for the graph with the gazetteer (~53,000 triples,
where rdflib's scans of every triple take minutes per query)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph

from cckg.errors import SyntaxErrorInFile
from cckg.paths import PATHS
from cckg.pipeline.qc import QcQuery, Row, qc_queries
from cckg.rdf.namespaces import PREFIXES


def source_store(files: Iterable[Path] | None = None) -> pyoxigraph.Store:
    """An in-memory store with every source file (ontology and data) in the default graph."""
    store = pyoxigraph.Store()
    for path in files if files is not None else PATHS.source_files():
        try:
            store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE,
                            to_graph=pyoxigraph.DefaultGraph())
        except (OSError, SyntaxError) as exc:
            raise SyntaxErrorInFile(f"cannot load for QC: {exc}", where=str(path),
                                    fix="run `cckg validate` to find the error") from exc
    return store


def run_query_in_store(store: pyoxigraph.Store, qc: QcQuery) -> list[Row]:
    """The rows one QC query finds in `store` (each row is one problem)."""
    text = qc.path.read_text(encoding="utf-8")
    solutions = store.query(text, prefixes=PREFIXES)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise SyntaxErrorInFile("a QC query must be a SELECT query", where=str(qc.path),
                                fix="rewrite it as SELECT; each row is one problem")
    names = [v.value for v in solutions.variables]
    return [{name: term.value for name, term in zip(names, solution, strict=True)
             if term is not None} for solution in solutions]


def run_qc_in_store(store: pyoxigraph.Store, folder: Path | None = None,
                    ) -> dict[str, list[Row]]:
    """Every QC query of `folder` on `store`: query name -> its rows."""
    return {qc.name: run_query_in_store(store, qc) for qc in qc_queries(folder)}
