"""`cckg release`: publish the ontology for reuse under <out>/ontology/<version>/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cckg.cli.errors import reports_errors

console = Console(highlight=False)


@reports_errors
def release(
    out: Annotated[Path, typer.Option(help="Folder to write the release into.")] = Path("dist"),
    freeze: Annotated[
        bool,
        typer.Option(help="Also record the released terms in ontology/released-terms.txt."),
    ] = True,
) -> None:
    """Write the ontology release (Turtle, RDF/XML, JSON-LD, .owl, JSON-LD context, HTML
    documentation, released-term list); refuse without a CHANGELOG.md section for the
    version or if a previously released term was deleted instead of deprecated."""
    from cckg.pipeline.release import freeze_released_terms, write_release

    written = write_release(out)
    if freeze:
        freeze_released_terms(written[0].parent)
    for path in written:
        console.print(f"{path}  {path.stat().st_size:,} bytes")
