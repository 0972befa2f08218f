"""`cckg build`, `cckg validate`, `cckg reason`: the graph's build steps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cckg.cli.errors import reports_errors
from cckg.cli.progress import StepProgress, counted, progress_step
from cckg.errors import CheckFailed, SyntaxErrorInFile, ValidationFailed
from cckg.paths import PATHS
from cckg.pipeline.dist import BUILD_REPORT
from cckg.pipeline.load import file_name

console = Console(highlight=False)


@reports_errors
def build(
    out: Annotated[Path, typer.Option(help="Folder to write the dumps and report into.")] = (
        PATHS.dist
    ),
) -> None:
    """Load, validate, reason and write dist/: Turtle, N-Triples, N-Quads, JSON-LD and
    RDF/XML dumps, the ontology, and build-report.json."""
    from cckg.pipeline.build import run_build

    with StepProgress(console) as steps:
        run_build(out, on_step=steps.on_step, on_count=steps.on_count)
    report = json.loads((out / BUILD_REPORT.name).read_text(encoding="utf-8"))
    table = Table(title=f"CCKG {report['version']} built into {out}")
    table.add_column("file")
    table.add_column("bytes", justify="right")
    for name, size in report["files"].items():
        table.add_row(name, f"{size:,}")
    console.print(table)
    seconds = ", ".join(f"{k} {v:.1f}s" for k, v in report["seconds"].items())
    console.print(
        f"{report['triples_total']:,} triples from {len(report['triples_per_file'])} files, "
        f"{report['inferred_triples']:,} inferred; {seconds}"
    )
    for warning in report["warnings"]:
        console.print(f"[yellow]warning:[/] {warning}")


@reports_errors
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Data files to check (default: all of data/ttl/).", show_default=False),
    ] = None,
) -> None:
    """Check the data against the SHACL shapes; list each violation with file, node, path
    and message. Given FILES, they are validated together with the rest of the data (a
    file's references to places, documents and passages elsewhere resolve) and only
    results about nodes described in those files are listed. Exits 1 on any violation."""
    from cckg.pipeline.load import load_dataset
    from cckg.pipeline.source_validation import validate_sources

    chosen = [f.resolve() for f in files or []]
    for path in chosen:
        if not path.is_file():
            raise SyntaxErrorInFile("file not found", where=str(path), fix="check the path")
    with progress_step(console, "validating with SHACL"):
        dataset = load_dataset(_with_rest_of_data(chosen))
        result = validate_sources(dataset)
    if chosen:
        result = result.restricted_to({file_name(path) for path in chosen})
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning.one_line()}")
    if not result.conforms:
        raise ValidationFailed(
            f"{len(result.violations)} SHACL violation(s):\n{result.format_report()}",
            fix="correct each file and node named above",
        )
    console.print(f"[green]conforms[/]: {len(result.warnings)} warning(s)")


def _with_rest_of_data(chosen: list[Path]) -> list[Path]:
    """Every source file, with the chosen files added (a chosen source file counts once)."""
    sources = [p.resolve() for p in PATHS.source_files()]
    return sources + [p for p in chosen if p not in sources]


@reports_errors
def reason_command() -> None:
    """Check with HermiT that ontology and data are consistent OWL 2 DL and show what it
    infers. Exits 1 if they are inconsistent or a class is unsatisfiable."""
    from cckg.pipeline.gazetteer_checks import reasoning_graph
    from cckg.pipeline.load import load_dataset
    from cckg.pipeline.reason import reason

    with progress_step(console, "reasoning with HermiT"):
        result = reason(reasoning_graph(load_dataset()))
    table = Table(title="defined classes, members after reasoning")
    table.add_column("class")
    table.add_column("members", justify="right")
    for cls, count in result.defined_class_members.items():
        table.add_row(cls.rsplit("#", 1)[-1], str(count))
    console.print(table)
    console.print(
        f"[green]consistent[/]: {result.individuals} individuals, "
        f"{len(result.inferred)} inferred type triples, {result.seconds:.1f}s"
    )


@reports_errors
def qc() -> None:
    """Run every quality-control query (queries/qc/*-violation.rq) on ontology and data;
    each must return no rows. Exits 1 and lists the problems if one does."""
    from cckg.pipeline.qc import qc_queries
    from cckg.pipeline.qc_store import run_query_in_store, source_store

    with progress_step(console, "loading ontology and data"):
        store = source_store()
    table = Table(title="quality-control queries")
    table.add_column("query")
    table.add_column("rows", justify="right")
    problems = []
    checks = qc_queries()
    with counted(console, "quality-control queries", len(checks)) as bar:
        for check in checks:
            found = run_query_in_store(store, check)
            table.add_row(check.name, str(len(found)))
            problems += [f"{check.name}: {check.title}: {row}" for row in found]
            bar.advance(bar.task_ids[0])
    console.print(table)
    if problems:
        raise CheckFailed(
            f"{len(problems)} quality-control problem(s):\n" + "\n".join(problems[:50]),
            fix="each query's header says what a row means; correct the data or ontology",
        )
    console.print("[green]no quality-control problems[/]")
