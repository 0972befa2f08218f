"""`cckg ingest add|extract|accept|eval`: take in a policy document (docs/ingest.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from cckg.cli.errors import reports_errors
from cckg.paths import PATHS, ProjectPaths

console = Console(highlight=False)
app = typer.Typer(
    name="ingest",
    help="Take in a policy document: register it, extract candidate commitments into a "
    "review sheet, accept the reviewed rows, measure the extractor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def project() -> ProjectPaths:
    """The project tree the commands work on (CCKG_HOME, else this checkout)."""
    return PATHS


@app.command()
@reports_errors
def add(
    file: Annotated[
        Path,
        typer.Argument(help="The document's text (UTF-8; traditional characters are converted)."),
    ],
    title: Annotated[str, typer.Option(help="The document's Chinese title.")],
    issuer: Annotated[str, typer.Option(help="GB/T 2260 code of the issuing jurisdiction, or CN.")],
    issued: Annotated[str, typer.Option(help="Date of issue: YYYY-MM-DD, YYYY-MM or YYYY.")],
    type: Annotated[str, typer.Option("--type", help="Document type slug, e.g. work-plan.")],
    title_en: Annotated[
        str, typer.Option(help="English title (default: issuer, type, year).")
    ] = "",
    url: Annotated[str, typer.Option(help="Where the document is published.")] = "",
    key: Annotated[str, typer.Option(help="Document key (default: <issuer>-<type>-<year>).")] = "",
    replace: Annotated[
        bool, typer.Option(help="Register a new text under an existing key.")
    ] = False,
) -> None:
    """Register a policy document: its normalised text goes under data/source/documents/."""
    from cckg.ingest.register import default_key
    from cckg.ingest.workflow import add as add_document

    record = add_document(
        project(),
        file,
        title=title,
        title_en=title_en,
        issuer=issuer,
        issued=issued,
        doc_type=type,
        url=url,
        key=key or default_key(issuer, type, issued),
        replace=replace,
    )
    console.print(
        f"registered [bold]{record.key}[/]: {record.title_zh} "
        f"({record.issuer}, {record.issued}, {record.type})"
    )
    console.print(f"next: cckg ingest extract {record.key}")


@app.command()
@reports_errors
def extract(
    doc: Annotated[str, typer.Argument(help="The key of a registered document.")],
    out: Annotated[Path | None, typer.Option(help="Write the sheet here instead.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite a sheet that holds decisions.")] = False,
) -> None:
    """Write the review sheet (data/source/sheets/DOC.csv): one candidate per row."""
    from cckg.ingest.workflow import write_review_sheet

    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("extracting", total=None)
        path, count = write_review_sheet(
            project(),
            doc,
            out,
            force,
            lambda done, total: progress.update(task, completed=done, total=total),
        )
    console.print(f"{count} candidate(s) written to {path}")
    console.print(
        f"next: set the status column (accept, reject, edit), then cckg ingest accept {doc}"
    )


@app.command()
@reports_errors
def accept(
    doc: Annotated[str, typer.Argument(help="The key of a registered document.")],
    sheet: Annotated[Path | None, typer.Option(help="Read this sheet instead.")] = None,
) -> None:
    """Turn the sheet's accepted rows into data/ttl/sources/DOC.ttl (checked and validated)."""
    from cckg.ingest.accept import accept as accept_sheet

    with console.status("checking the sheet and validating with the SHACL shapes"):
        result = accept_sheet(project(), doc, sheet)
    console.print(
        f"{result.commitments} commitment(s) written to {result.path} "
        f"({result.skipped} rejected, {result.undecided} undecided)"
    )
    for node, revision in sorted(result.revisions.items()):
        how = "restates" if revision.restates else f"revises ({', '.join(revision.changes)})"
        console.print(f"  {node.rsplit('/', 1)[-1]} {how} {revision.earlier}")
    if result.undecided:
        console.print(
            f"[yellow]warning:[/] {result.undecided} row(s) have no status and were not accepted"
        )


def _percent(value: float) -> str:
    return f"{value:.2f}"


@app.command(name="eval")
@reports_errors
def evaluate_command() -> None:
    """Run the extractor on the report and score it against the curated graph."""
    from cckg.ingest.evaluate import FIELDS, evaluate
    from cckg.ingest.workflow import resolver

    paths = project()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("extracting from the report", total=None)
        result = evaluate(
            paths,
            resolver(paths),
            lambda done, total: progress.update(task, completed=done, total=total),
        )
    table = Table(
        title="Extractor on the report vs the curated graph (match: type, committer, places, year)"
    )
    for column in ("part", "gold", "found", "TP", "precision", "recall", "F1", *FIELDS):
        table.add_column(column, justify="left" if column == "part" else "right")
    rows = [
        *sorted(result.parts.items()),
        ("all", result.overall),
        ("targets with a year", result.with_year),
    ]
    for name, part in rows:
        table.add_row(
            name,
            str(part.true_positives + part.false_negatives),
            str(part.true_positives + part.false_positives),
            str(part.true_positives),
            _percent(part.precision),
            _percent(part.recall),
            _percent(part.f1),
            *(_percent(part.accuracy(f)) for f in FIELDS),
            end_section=name == sorted(result.parts)[-1],
        )
    Console(highlight=False, width=max(console.width, 150)).print(table)
    console.print(f"quotes verbatim: {result.quotes_verbatim} of {result.candidates} candidates")
    for item in result.missed:
        console.print(
            f"  missed: ({item.bucket}) {item.kind} {item.committer} "
            f"{sorted(item.places)} {item.year}: {item.label}",
            markup=False,
        )
    for item in result.spurious:
        console.print(
            f"  not curated: ({item.bucket}) {item.kind} {item.committer} "
            f"{sorted(item.places)} {item.year}: {item.label}",
            markup=False,
        )
    for name, found, gold in result.wrong_fields:
        console.print(
            f"  {name}: {getattr(found, name)} where the curated graph has "
            f"{getattr(gold, name)}: {gold.label}",
            markup=False,
        )
