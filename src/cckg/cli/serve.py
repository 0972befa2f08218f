"""`cckg serve`: build dist/ if needed, load it into the store, run the server.

The command's options are generated from `Settings` (one option per setting, with its
environment variable and help), so every setting is documented in `cckg serve --help`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import Field
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from cckg.cli.errors import reports_errors
from cckg.pipeline.dist import NQUADS_DUMP
from cckg.server.settings import (
    Settings,
    base_type,
    default_of,
    env_var,
    option_name,
    parse_value,
)
from cckg.store.base import Store
from cckg.store.connect import connect
from cckg.store.embedded import EmbeddedStore

console = Console(stderr=True, highlight=False)

#: Builds dist/ when stale and returns the N-Quads dump (cckg.pipeline.build, swappable in tests).
Builder = Callable[[Path], Path]


def build_if_stale(dist: Path) -> Path:
    """The N-Quads dump in `dist`, running the build first if it is missing or stale."""
    from cckg.pipeline.build import is_stale, run_build  # the build's checkers load slowly

    if is_stale(dist):
        console.print(f"[bold]building[/] {dist} (missing or older than the sources) …")
        return run_build(dist)
    return dist / NQUADS_DUMP.name


def prepare(settings: Settings, builder: Builder = build_if_stale) -> Store:
    """Open the store and (re)load the dump into it unless it already holds that dump.

    A remote store (--store) is only connected to: `cckg publish` loads it, so any number
    of servers can serve one engine without touching its data.
    """
    access = settings.store_access()
    if access is not None:
        remote = connect(access)
        console.print(f"serving from the {remote.engine.name} engine at {remote.query_url}")
        return remote
    dump = builder(settings.dist_dir)
    store = EmbeddedStore.open(settings.data_dir)
    if not store.is_loaded(dump):
        console.print(f"[bold]loading[/] {dump} into {settings.data_dir} …")
        count = store.load_dataset_file(dump)
        console.print(f"loaded {count:,} quads")
    return store


def run(settings: Settings, builder: Builder = build_if_stale) -> None:
    """Prepare the store and serve until interrupted."""
    import uvicorn

    from cckg.server.app import create_app

    app = create_app(settings, prepare(settings, builder))
    console.print(f"CCKG at http://{settings.host}:{settings.port}/ (SPARQL: /sparql)")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def _option_type(f: Field[Any]) -> Any:
    tp = base_type(f)
    return str if tp is tuple else tp


def _parameter(f: Field[Any]) -> inspect.Parameter:
    """The typer option of one setting."""
    default = default_of(f)
    if isinstance(default, tuple):
        default = ",".join(default)
    option = typer.Option(
        help=f.metadata["help"], envvar=env_var(f), show_envvar=True
    )
    kind = _option_type(f) | None if default is None else _option_type(f)
    annotation = Annotated[kind, option]  # type: ignore[valid-type]  # built per setting at run time
    return inspect.Parameter(
        f.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def settings_from_options(values: dict[str, Any]) -> Settings:
    """Settings from the option values typer parsed."""
    converted = {}
    for f in Settings.declared():
        value = values[f.name]
        if base_type(f) is tuple and isinstance(value, str):
            value = parse_value(f, value, where=option_name(f))
        converted[f.name] = value
    return Settings(**converted)


@reports_errors
def serve(**options: Any) -> None:
    """Serve CCKG: the SPARQL 1.1 endpoint, linked-data pages and dumps. Builds dist/ and
    loads it into the store first when they are out of date; with --store, serves from a
    remote SPARQL engine loaded by `cckg publish`."""
    run(settings_from_options(options))


_PARAMETERS = [_parameter(f) for f in Settings.declared()]
serve.__signature__ = inspect.Signature(_PARAMETERS, return_annotation=None)  # type: ignore[attr-defined]
serve.__annotations__ = {p.name: p.annotation for p in _PARAMETERS} | {"return": None}
