"""The `cckg` command line: build, validate, reason, list and run named queries, serve,
release. Each command lives in its own module; this one assembles them. A command imports
the pipeline when it runs (its SHACL and OWL libraries take seconds to load), so `cckg
--help` answers at once."""

from __future__ import annotations

import typer

from cckg.cli.graph import build, qc, reason_command, validate
from cckg.cli.ingest import app as ingest_app
from cckg.cli.publish import publish
from cckg.cli.query import queries, query
from cckg.cli.release import release
from cckg.cli.serve import serve

app = typer.Typer(
    name="cckg",
    help="CCKG, the Climate Commitments Knowledge Graph: build, check, query and serve it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(build)
app.command()(validate)
app.command(name="reason")(reason_command)
app.command()(qc)
app.command()(queries)
app.command()(query)
app.command()(serve)
app.command()(publish)
app.command()(release)
app.add_typer(ingest_app, name="ingest")

__all__ = ["app"]
