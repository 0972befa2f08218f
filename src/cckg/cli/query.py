"""`cckg queries` and `cckg query`: list and run the named SPARQL queries."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from cckg.cli.errors import reports_errors
from cckg.paths import PATHS
from cckg.pipeline.dist import NQUADS_DUMP
from cckg.rdf.formats import CSV, JSON
from cckg.rdf.named_queries import (
    check_places_exist,
    list_queries,
    load_query,
    parse_param_options,
    resolve_parameters,
)
from cckg.rdf.query_exec import describes, lexical, run_named
from cckg.rdf.terms import SolutionTerm, curie
from cckg.store.base import Store
from cckg.store.embedded import EmbeddedStore
from cckg.store.remote import RemoteStore


def console() -> Console:
    """A console for this command's output, sized to the terminal (or COLUMNS) as it is now,
    not as it was when the module was imported."""
    return Console(highlight=False)


class OutputFormat(StrEnum):
    """How `cckg query` prints results."""

    table = "table"
    csv = "csv"
    json = "json"


@reports_errors
def queries() -> None:
    """List the named queries with their questions and parameters."""
    table = Table(title="named queries (cckg query NAME)")
    table.add_column("name")
    table.add_column("question")
    table.add_column("parameters")
    for q in list_queries():
        params = ", ".join(
            f"{p.name} ({p.kind}{'' if p.required else ', default ' + str(p.default)})"
            for p in q.parameters
        )
        table.add_row(q.name, q.question or q.title, params)
    console().print(table)


@reports_errors
def query(
    name: Annotated[str, typer.Argument(help="A named query (see `cckg queries`) or a .rq file.")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter value, NAME=VALUE; repeatable."),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
    endpoint: Annotated[
        str | None,
        typer.Option(help="Run on this remote SPARQL 1.1 endpoint instead of the built graph."),
    ] = None,
    dist: Annotated[
        Path, typer.Option(help="The build folder to query (rebuilt first when stale).")
    ] = PATHS.dist,
    full_iris: Annotated[
        bool, typer.Option("--full-iris", help="Show full IRIs in tables, not prefixed names.")
    ] = False,
) -> None:
    """Run a named query (or a .rq file) on the built graph or a remote endpoint."""
    named = load_query(name)
    bound = resolve_parameters(named, parse_param_options(param or []))
    store: Store
    if endpoint:
        store = RemoteStore(endpoint)
    else:
        from cckg.pipeline.build import is_stale, run_build  # the build's checkers load slowly

        if is_stale(dist):
            with console().status("the build is stale; building first"):
                run_build(dist)
        store = EmbeddedStore.in_memory()
        store.load_dataset_file(dist / NQUADS_DUMP.name)
    try:
        check_places_exist(named, bound, lambda iri: describes(store, iri))
        result = run_named(store, named, bound)
    finally:
        store.close()
    if output is OutputFormat.json:
        typer.echo(json.dumps(json.loads(result.write(JSON)), ensure_ascii=False, indent=1))
    elif output is OutputFormat.csv:
        typer.echo(result.write(CSV).decode("utf-8"), nl=False)
    elif result.boolean is not None:
        console().print("yes" if result.boolean else "no")
    else:
        table = Table(title=f"{named.name}: {named.title}", caption=f"{len(result.rows)} rows")
        for variable in result.variables:
            table.add_column(variable, overflow="fold")
        for row in result.rows:
            table.add_row(*(cell_text(row.get(v), full_iris) for v in result.variables))
        console().print(table)


def cell_text(term: SolutionTerm | None, full_iris: bool = False) -> str:
    """A table cell: an IRI as a prefixed name (`id:place/620000`, `cckg:PeakTarget`) unless
    `full_iris`; anything else as its lexical form; nothing for an unbound variable."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode) and not full_iris:
        return curie(term.value)
    return lexical(term)
