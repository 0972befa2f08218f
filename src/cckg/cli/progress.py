"""Progress with rich for the CLI's long steps: a spinner and the elapsed time per step.

Each step stays on screen when done (`✓ validate  0:00:21`), so the user sees what ran
and how long it took; on a terminal the spinner and clock move while it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text


class _CountedBar(ProgressColumn):
    """A bar shown only for a step that counts items (total > 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.bar = BarColumn()

    def render(self, task: Task) -> RenderableType:
        if not task.total or task.total <= 1:
            return Text("")
        return self.bar.render(task)


class _Count(ProgressColumn):
    """`done/total`, shown only for a step that counts items (total > 1)."""

    def render(self, task: Task) -> RenderableType:
        if not task.total or task.total <= 1:
            return Text("")
        return Text(f"{int(task.completed)}/{int(task.total)}")


def _progress(console: Console, *bar: ProgressColumn) -> Progress:
    return Progress(
        SpinnerColumn(finished_text="[green]✓[/]"),
        TextColumn("{task.description}"),
        *bar,
        TimeElapsedColumn(),
        console=console,
    )


@contextmanager
def progress_step(console: Console, description: str) -> Iterator[None]:
    """Show one step with a spinner and its elapsed time while the block runs."""
    with _progress(console) as progress:
        task = progress.add_task(description, total=1)
        yield
        progress.update(task, completed=1)


class StepProgress:
    """Steps of a pipeline, one line each: `on_step(name)` ends the previous step and starts
    the next; `finish()` ends the last one."""

    def __init__(self, console: Console):
        self.progress = _progress(console, _CountedBar(), _Count())
        self.current: TaskID | None = None

    def __enter__(self) -> StepProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.finish()
        self.progress.stop()

    def on_step(self, name: str) -> None:
        self.finish()
        self.current = self.progress.add_task(name, total=1)

    def on_count(self, done: int, total: int) -> None:
        """Show the current step's bar: `done` of `total` items."""
        if self.current is not None:
            self.progress.update(self.current, completed=done, total=max(total, 1))

    def finish(self) -> None:
        if self.current is not None:
            total = self.progress.tasks[self.current].total or 1
            self.progress.update(self.current, completed=total)
            self.progress.stop_task(self.current)
            self.current = None


@contextmanager
def counted(console: Console, description: str, total: int) -> Iterator[Progress]:
    """A bar over `total` items (advance its one task), with the elapsed time."""
    with _progress(console, BarColumn(), MofNCompleteColumn()) as progress:
        progress.add_task(description, total=total)
        yield progress
