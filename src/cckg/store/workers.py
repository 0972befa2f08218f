"""The embedded store's pool of killable query worker processes, with a timeout.

Each worker (worker_main.py) opens the store's latest read-only snapshot. A query that
outlives the timeout gets its worker killed (so it stops using a core at once) and a
fresh worker is started in the background; the other workers keep answering meanwhile.
A request that finds no idle worker before its deadline is answered 503, never queued
forever. With an in-memory store (no snapshots) queries run in a server thread instead:
the timeout is still answered, but the query cannot be stopped (use this for tests only).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from cckg.store import worker_main
from cckg.store.answers import timeout_answer
from cckg.store.base import Outcome, QueryJob, QueryTimeout, StoreBusy

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("spawn")
STARTUP_TIMEOUT = 60.0


class Snapshots(Protocol):
    """What the runner needs of the embedded store: its snapshots and its pyoxigraph Store."""

    store: ox.Store
    directory: Path | None

    def snapshot(self, timeout: float = -1) -> tuple[int, Path]: ...

    def drop_snapshots(self, keep: set[int]) -> None: ...


@dataclass(eq=False)
class Worker:
    """One worker process and the parent's end of its pipe."""

    process: BaseProcess
    conn: Connection
    #: None if the worker's network access is blocked (seccomp), else why it is not.
    unsandboxed: str | None = None
    snapshot: str = ""
    generation: int = -1
    jobs: int = field(default=0)

    @classmethod
    def start(cls) -> Worker:
        """Start a worker and wait until it is ready to take jobs."""
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=worker_main.main, args=(child,), daemon=True)
        process.start()
        child.close()
        message = parent.recv() if parent.poll(STARTUP_TIMEOUT) else None
        if not (isinstance(message, tuple) and message[0] == "ready"):
            process.kill()
            raise RuntimeError("a query worker did not start")
        return cls(process, parent, unsandboxed=message[1])

    def call(self, job: QueryJob, timeout: float) -> Outcome:
        """Send a job and wait for its outcome, at most `timeout` seconds."""
        self.snapshot, self.generation = job.snapshot, job.generation
        self.conn.send(job)
        if not self.conn.poll(max(timeout, 0.0)):
            raise QueryTimeout
        outcome: Outcome = self.conn.recv()
        self.jobs += 1
        return outcome

    def kill(self) -> None:
        """Stop the process at once and release its pipe."""
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        """Ask the worker to exit, killing it if it does not."""
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.process.join(2)
        self.kill()


class QueryRunner:
    """Runs QueryJobs against the embedded store's snapshots, each with a timeout."""

    def __init__(self, store: Snapshots, *, workers: int) -> None:
        self.store = store
        self.size = workers
        self.inline = store.directory is None
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self.killed = 0
        #: Why query workers can reach the network (None: they cannot, seccomp is on).
        self.network_open: str | None = (
            "queries run in the server process (in-memory store)" if self.inline else None
        )
        self._warned = False

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> None:
        """Start the worker processes (idempotent; also done on first use)."""
        with self._lock:
            if self._started or self.inline:
                return
            self._started = True
            self._closed = False
        threads = [threading.Thread(target=self._add_worker) for _ in range(self.size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            self._started = False
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        while not self._idle.empty():
            self._idle.get_nowait()

    def _add_worker(self) -> None:
        try:
            worker = Worker.start()
        except Exception:
            log.exception("could not start a query worker")
            return
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
            if worker.unsandboxed is not None:
                self.network_open = worker.unsandboxed
                if not self._warned:
                    self._warned = True
                    log.warning(
                        "query workers are not network-isolated (%s): SERVICE and LOAD are "
                        "blocked by the lexical check only", worker.unsandboxed,
                    )
        self._idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.killed += 1
        threading.Thread(target=self._add_worker, daemon=True).start()

    # -- running -------------------------------------------------------------------

    def run_sync(self, job: QueryJob, timeout: float) -> Outcome:
        """Run a job: 200 with the result, 4xx for a bad query, 503 on timeout or overload.

        Waiting for a free worker and for a snapshot (an update may hold the store) is
        bounded by the timeout too, but is not counted against the query's own run time,
        so a healthy worker is never killed for time it spent waiting.
        """
        if self.inline:
            return self._run_inline(job, timeout)
        self.start()
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return Outcome.error(
                503,
                f"The server is busy: no query worker became free within {timeout:g} s. "
                "Try again shortly.",
            )
        try:
            generation, snapshot = self.store.snapshot(
                timeout=max(deadline - time.monotonic(), 0.0)
            )
        except StoreBusy:
            self._idle.put(worker)
            return Outcome.error(
                503,
                f"The store was busy applying an update for {timeout:g} s and has no "
                "earlier snapshot to read. Try again shortly.",
            )
        try:
            job = replace(job, snapshot=str(snapshot), generation=generation)
            outcome = worker.call(job, timeout)
        except QueryTimeout:
            self._replace(worker)
            return timeout_answer(timeout)
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return Outcome.error(503, "The query worker stopped unexpectedly. Try again.")
        self._idle.put(worker)
        self._drop_unused_snapshots()
        return outcome

    def _run_inline(self, job: QueryJob, timeout: float) -> Outcome:
        box: list[Outcome] = []
        thread = threading.Thread(
            target=lambda: box.append(worker_main.run_job(self.store.store, job)), daemon=True
        )
        thread.start()
        thread.join(timeout)
        return box[0] if box else timeout_answer(timeout)

    def _drop_unused_snapshots(self) -> None:
        with self._lock:
            in_use = {w.generation for w in self._all}
        self.store.drop_snapshots(in_use)

