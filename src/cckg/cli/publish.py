"""`cckg publish --store URL`: load the build into a remote SPARQL engine (Graph Store
Protocol, one PUT per named graph) and check the engine's triple counts afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cckg.cli.errors import reports_errors
from cckg.pipeline.dist import NQUADS_DUMP
from cckg.pipeline.remote_publish import graphs_of_dump, publish_graphs
from cckg.server.settings import DEFAULT_DIST_DIR
from cckg.store.connect import StoreAccess, connect

console = Console(stderr=True, highlight=False)


def _option(help: str, env: str) -> Any:
    return typer.Option(help=help, envvar=env, show_envvar=True)


@reports_errors
def publish(
    store: Annotated[str, _option(
        "SPARQL query URL of the engine (Oxigraph: …/query, Virtuoso: …/sparql).",
        "CCKG_STORE")],
    graph_store: Annotated[str | None, _option(
        "Graph Store Protocol URL; default: from the engine's kind.", "CCKG_GRAPH_STORE")] = None,
    store_update: Annotated[str | None, _option(
        "SPARQL Update URL; default: from the engine's kind.", "CCKG_STORE_UPDATE")] = None,
    store_engine: Annotated[str, _option(
        "Kind of engine: auto (from its Server header), oxigraph, virtuoso or sparql11.",
        "CCKG_STORE_ENGINE")] = "auto",
    store_user: Annotated[str | None, _option(
        "User allowed to write (Virtuoso: dba or a user with SPARQL_UPDATE).",
        "CCKG_STORE_USER")] = None,
    store_password: Annotated[str | None, _option(
        "Password of --store-user.", "CCKG_STORE_PASSWORD")] = None,
    store_token: Annotated[str | None, _option(
        "Bearer token (instead of a user and password).", "CCKG_STORE_TOKEN")] = None,
    dist_dir: Annotated[Path, _option(
        "Build output directory whose cckg.nq is published.", "CCKG_DIST_DIR")
    ] = DEFAULT_DIST_DIR,
) -> None:
    """Load the build into a remote SPARQL engine: each named graph of dist/cckg.nq is
    replaced with a Graph Store Protocol PUT, then the engine's triple count of every
    graph is checked against the build's."""
    access = StoreAccess(
        store, engine=store_engine, update_url=store_update, graph_store_url=graph_store,
        user=store_user, password=store_password, token=store_token,
    )
    remote = connect(access)
    dump = dist_dir / NQUADS_DUMP.name
    graphs = graphs_of_dump(dump)
    total = sum(len(triples) for triples in graphs.values())
    console.print(f"publishing {dump} to the {remote.engine.name} engine at {remote.store_url}")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("triples"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("loading graphs", total=total)

        def loaded(name: str | None, count: int) -> None:
            progress.update(task, advance=count, description=name or "default graph")

        report = publish_graphs(graphs, remote, on_graph=loaded)
    remote.close()
    table = Table("graph", "triples", title="published and checked")
    for name, count in sorted(report.counts.items(), key=lambda item: item[0] or ""):
        table.add_row(name or "(default graph)", f"{count:,}")
    console.print(table)
    console.print(f"{report.triples:,} triples in {len(report.counts)} graphs; the engine's "
                  "counts match the build's")
    if report.extra_graphs:
        console.print(
            f"[yellow]note:[/] the engine also has {len(report.extra_graphs)} graphs this "
            "build does not (they stay, and the union default graph includes them): "
            + ", ".join(report.extra_graphs[:10])
            + ("…" if len(report.extra_graphs) > 10 else "")
            + ". Remove one with `DROP GRAPH <iri>` on the engine."
        )
