"""Run the server in a child process on 127.0.0.1 and a free port (tests, benchmarks).

`LiveServer(settings, dataset=...)` starts `python -m tests.services.launcher` with the
settings as CCKG_* environment variables, waits until /sparql answers, and stops the
process on exit. The child loads the given N-Quads file (no build) and runs uvicorn.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from tests.services.process import ChildService, free_port

from cckg.server.settings import Settings, env_var

REPO_ROOT = Path(__file__).resolve().parents[2]


def settings_env(settings: Settings) -> dict[str, str]:
    """The CCKG_* environment variables that reproduce `settings`."""
    env = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if value is None:
            continue
        if isinstance(value, tuple):
            value = ",".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        env[env_var(f)] = str(value)
    return env


class LiveServer(ChildService):
    """A server process for the duration of a `with` block; `url` is its base URL."""

    name = "the server"
    any_status_answers = True

    def __init__(self, settings: Settings, dataset: Path | None = None, startup: float = 60,
                 log: Path | None = None, uvicorn_options: tuple[str, ...] = ()):
        super().__init__(startup)
        self.settings = settings.with_(host="127.0.0.1", port=free_port())
        self.dataset = dataset
        #: Where the server's output (its log) goes; inherited when None.
        self.log = log
        #: e.g. ("--loop", "asyncio", "--http", "h11") to compare with uvloop and httptools.
        self.uvicorn_options = uvicorn_options

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}/"

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"

    @property
    def probe_url(self) -> str:
        return self.endpoint

    def launch(self) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CCKG_")}
        env |= settings_env(self.settings)
        if "CCKG_HOME" in os.environ:
            env["CCKG_HOME"] = os.environ["CCKG_HOME"]
        # The child imports this module as tests.services.launcher from the repository root.
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH")) if p
        )
        command = [sys.executable, "-m", "tests.services.launcher"]
        if self.dataset is not None:
            command += ["--dataset", str(self.dataset)]
        command += list(self.uvicorn_options)
        if self.log is None:
            return subprocess.Popen(command, env=env)
        with self.log.open("ab") as out:
            return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def main(argv: list[str] | None = None) -> None:
    """Child process: load the dataset (if given) and serve with settings from the env
    (with CCKG_STORE, from that remote engine, loading nothing)."""
    import uvicorn

    from cckg.server.app import create_app
    from cckg.store.base import Store
    from cckg.store.connect import connect
    from cckg.store.embedded import EmbeddedStore

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", type=Path, help="N-Quads file to load first")
    parser.add_argument("--loop", default="auto", help="uvicorn's event loop (auto: uvloop)")
    parser.add_argument("--http", default="auto", help="uvicorn's HTTP parser (auto: httptools)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    access = settings.store_access()
    store: Store
    if access is not None:
        store = connect(access)
    else:
        store = embedded = EmbeddedStore.open(settings.data_dir)
        if args.dataset is not None and not embedded.is_loaded(args.dataset):
            embedded.load_dataset_file(args.dataset)
    app = create_app(settings, store)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                loop=args.loop, http=args.http)


if __name__ == "__main__":
    main()
