"""Long CLI steps show progress with rich: one line per step with its elapsed time."""

from __future__ import annotations

import re

from rich.console import Console

from cckg.cli.progress import StepProgress, counted, progress_step


def recording() -> Console:
    return Console(record=True, width=100, force_terminal=False)


def test_each_pipeline_step_gets_a_finished_line_with_its_time():
    console = recording()
    with StepProgress(console) as steps:
        for name in ("load", "validate", "reason", "publish"):
            steps.on_step(name)
    text = console.export_text()
    for name in ("load", "validate", "reason", "publish"):
        assert re.search(rf"✓ {name}\s+0:00:0\d", text), text


def test_a_single_step_and_a_counted_bar():
    console = recording()
    with progress_step(console, "reasoning with HermiT"):
        pass
    with counted(console, "quality-control queries", 3) as bar:
        for _ in range(3):
            bar.advance(bar.task_ids[0])
    text = console.export_text()
    assert re.search(r"✓ reasoning with HermiT\s+0:00:0\d", text)
    assert re.search(r"quality-control queries .* 3/3 0:00:0\d", text)


def test_release_shows_its_step(tmp_path):
    from typer.testing import CliRunner

    from cckg.cli import app

    result = CliRunner().invoke(app, ["release", "--out", str(tmp_path), "--no-freeze"])
    assert result.exit_code == 0, result.stderr
    assert re.search(r"✓ writing the ontology release\s+\d:\d\d:\d\d", result.stdout)
    assert (tmp_path / "ontology").is_dir()
