"""Turning CckgError into a clear message and a non-zero exit, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from cckg.errors import CckgError

P = ParamSpec("P")
R = TypeVar("R")

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command: a CckgError prints as 'error: …' and exits with its exit_code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CckgError as exc:
            stderr.print(f"[bold red]error:[/] {exc.message}", markup=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper
