"""Pools of killable worker processes (worker_main.py), awaited without holding a thread.

Three pools, so one kind of work never waits behind another:

- `sparql`: client queries of the endpoint (`--query-workers` processes);
- `site`: the server's own reads for pages, descriptions and named queries (one process);
- `update`: SPARQL updates (one process; updates are applied one at a time).

A request waits for a free worker on the event loop (a future, no thread), at most
`--max-queued-queries` requests wait per pool; one more is refused at once (`Busy`,
answered 503 with Retry-After). A job that outlives its time limit, or whose request is
cancelled (the client went away), gets its worker killed, so it stops using a core at
once; a fresh worker starts in the background. A worker that dies (its memory cap, see
sandbox.limit_memory) is replaced the same way.

The pools start, and replace workers, on their own event loop in one thread of the
server (an anyio blocking portal). Async callers (the endpoint) run their jobs on their
own event loop, with no hop to that thread and back; sync callers (page routes running
in a thread) block on the pools' loop. With an in-memory store (no
snapshots) jobs run in a server thread instead: the time limit is still answered, but
the work cannot be stopped (use this for tests only).
"""

from __future__ import annotations

import array
import asyncio
import collections
import contextlib
import fcntl
import logging
import multiprocessing
import os
import socket
import struct
import termios
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Protocol, TypeVar

import anyio
import anyio.from_thread
import pyoxigraph as ox

from cckg.rdf.terms import QueryResult
from cckg.store import worker_main
from cckg.store.answers import timeout_answer
from cckg.store.base import Outcome, QueryJob, QueryTimeout, StoreBusy
from cckg.store.worker_main import Failure, ReadJob, ReadResult, Reply, UpdateJob

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("spawn")
STARTUP_TIMEOUT = 60.0
#: Seconds a client is told to wait before retrying when a pool's queue is full.
RETRY_AFTER = 2

T = TypeVar("T")


@dataclass(frozen=True)
class WorkerLimits:
    """What bounds each request the workers run (the server's settings)."""

    query_timeout: float = 30.0
    page_timeout: float = 10.0
    update_timeout: float = 60.0
    max_queued: int = 8
    memory_mb: int = 1024
    max_result_bytes: int = 50_000_000


class Snapshots(Protocol):
    """What the runner needs of the embedded store: snapshots, copies for updates and
    its pyoxigraph Store (for in-memory stores)."""

    store: ox.Store
    directory: Path | None

    def snapshot(self, timeout: float = -1) -> tuple[int, Path]: ...

    def taken_snapshot(self) -> tuple[int, Path] | None: ...

    def drop_snapshots(self, keep: set[int]) -> None: ...

    def copy_for_update(self) -> Path: ...

    def discard_copy(self, copy: Path) -> None: ...

    def adopt(self, copy: Path) -> None: ...


class Busy(Exception):
    """The pool's queue is full: the request is refused at once."""


class WaitTimeout(Exception):
    """No worker became free before the request's deadline."""


class RunTimeout(QueryTimeout):
    """The job ran past its time limit; its worker was killed."""


class WorkerDied(Exception):
    """The worker stopped while running the job (its memory cap, or a crash)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"worker exit code {exitcode}")
        self.exitcode = exitcode


#: multiprocessing's frame header: the message's length (-1 for one over 2 GiB).
_FRAME_HEADER = struct.Struct("!i")


def whole_message_waiting(sock: socket.socket) -> bool:
    """Whether a whole multiprocessing message is already in the socket's buffer, so
    `Connection.recv` cannot block (it would for a large reply the worker is still
    writing, or when the worker died)."""
    try:
        header = sock.recv(_FRAME_HEADER.size, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except OSError:
        return False
    if len(header) < _FRAME_HEADER.size:
        return False
    size: int = _FRAME_HEADER.unpack(header)[0]
    waiting = array.array("i", [0])
    fcntl.ioctl(sock.fileno(), termios.FIONREAD, waiting)
    return 0 <= size <= waiting[0] - _FRAME_HEADER.size


@dataclass(eq=False)
class Worker:
    """One worker process and the parent's end of its pipe (a socket pair), with a
    second handle on that socket to look at what is waiting without reading it."""

    process: BaseProcess
    conn: Connection
    peek: socket.socket
    #: None if the worker's network access is blocked (seccomp), else why it is not.
    unsandboxed: str | None = None
    generation: int = -1

    @classmethod
    def start(cls, memory_mb: int = 0) -> Worker:
        """Start a worker and wait until it is ready to take jobs (blocking)."""
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(
            target=worker_main.main, args=(child, memory_mb), daemon=True
        )
        process.start()
        child.close()
        message = parent.recv() if parent.poll(STARTUP_TIMEOUT) else None
        if not (isinstance(message, tuple) and message[0] == "ready"):
            process.kill()
            raise RuntimeError("a worker process did not start")
        peek = socket.socket(fileno=os.dup(parent.fileno()))
        return cls(process, parent, peek, unsandboxed=message[1])

    def call(self, job: Any, timeout: float) -> Any:
        """Send a job and wait (blocking) for its reply's value, at most `timeout` s."""
        self.conn.send(job)
        if not self.conn.poll(max(timeout, 0.0)):
            raise RunTimeout
        reply: Reply = self.conn.recv()
        return reply.value

    async def run(self, job: Any, timeout: float) -> Reply:
        """Send a job and await its reply on the event loop, at most `timeout` seconds."""
        self.conn.send(job)
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = self.conn.fileno()

        def readable() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, readable)
        try:
            with anyio.fail_after(max(timeout, 0.0)):
                await ready
        except TimeoutError:
            raise RunTimeout from None
        finally:
            loop.remove_reader(fd)
            # uvloop (libuv) makes a watched fd non-blocking; the pipe's reads and writes
            # must block, or a reply larger than the socket buffer fails half-read. (The
            # pipe may have been closed meanwhile by the pools' shutdown: leave it then.)
            if not self.conn.closed:
                with contextlib.suppress(OSError):
                    os.set_blocking(fd, True)
        try:
            reply: Reply
            if whole_message_waiting(self.peek):
                reply = self.conn.recv()  # in the buffer already: no thread needed
            else:
                reply = await anyio.to_thread.run_sync(self.conn.recv)
        except (EOFError, OSError):
            self.process.join(1)
            raise WorkerDied(self.process.exitcode) from None
        return reply

    def kill(self) -> None:
        """Stop the process at once and release its pipe."""
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(Exception):
            self.peek.close()

    def stop(self) -> None:
        """Ask the worker to exit, killing it if it does not."""
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.process.join(2)
        self.kill()


class WorkerPool:
    """`size` worker processes; requests wait for one on their event loop, `max_queued`
    at most.

    The pool lives on one event loop (its home: workers are started and replaced there),
    and jobs may be run from any event loop, e.g. the server's own: a freed worker is
    handed to a waiter on the waiter's loop. The pool's lists are guarded by a lock.
    """

    def __init__(self, name: str, size: int, *, max_queued: int, memory_mb: int) -> None:
        self.name = name
        self.size = size
        self.max_queued = max_queued
        self.memory_mb = memory_mb
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._waiters: collections.deque[asyncio.Future[Worker]] = collections.deque()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self.killed = 0
        #: Why workers can reach the network (None: they cannot, seccomp is on).
        self.network_open: str | None = None

    async def start(self) -> None:
        """Start the workers (in threads: a start takes a moment) and wait for them; the
        running loop becomes the pool's home."""
        self._loop = asyncio.get_running_loop()
        self._closed = False
        async with anyio.create_task_group() as group:
            for _ in range(self.size - len(self._all)):
                group.start_soon(self._add_worker)

    def close(self) -> None:
        """Stop every worker; requests still waiting get WaitTimeout."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            waiters = list(self._waiters)
            self._waiters.clear()
        for worker in workers:
            worker.stop()
        for waiter in waiters:
            _on_loop_of(waiter, _refuse, waiter)

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    @property
    def generations(self) -> set[int]:
        """The snapshot generations the live workers last read."""
        with self._lock:
            return {w.generation for w in self._all}

    @property
    def queued(self) -> int:
        """Requests waiting for a worker now."""
        with self._lock:
            return sum(not w.done() for w in self._waiters)

    async def _add_worker(self) -> None:
        try:
            worker = await anyio.to_thread.run_sync(Worker.start, self.memory_mb)
        except Exception:
            log.exception("could not start a %s worker", self.name)
            return
        if self._closed:
            worker.stop()
            return
        with self._lock:
            self._all.add(worker)
        if worker.unsandboxed is not None and self.network_open is None:
            self.network_open = worker.unsandboxed
            log.warning(
                "%s workers are not network-isolated (%s): SERVICE and LOAD are blocked "
                "by the lexical check only", self.name, worker.unsandboxed,
            )
        self._release(worker)

    def _replace(self, worker: Worker) -> None:
        """Kill a worker and start another on the pool's home loop."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.killed += 1
        home = self._loop
        if self._closed or home is None or home.is_closed():
            return
        if _running_loop() is home:
            home.create_task(self._add_worker())
        else:
            asyncio.run_coroutine_threadsafe(self._add_worker(), home)

    def _release(self, worker: Worker) -> None:
        """Hand a free worker to the first request still waiting, else keep it idle."""
        while True:
            with self._lock:
                if not self._waiters:
                    self._idle.append(worker)
                    return
                waiter = self._waiters.popleft()
            if _on_loop_of(waiter, self._hand, waiter, worker):
                return

    def _hand(self, waiter: asyncio.Future[Worker], worker: Worker) -> None:
        """On the waiter's loop: give it the worker, or pass it on if it stopped waiting."""
        if waiter.done():
            self._release(worker)
        else:
            waiter.set_result(worker)

    async def _acquire(self, timeout: float) -> Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            if sum(not w.done() for w in self._waiters) >= self.max_queued:
                raise Busy
            waiter: asyncio.Future[Worker] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
        try:
            with anyio.fail_after(max(timeout, 0.0)):
                return await waiter
        except TimeoutError:
            raise WaitTimeout from None
        except BaseException:
            # cancelled (the client went away) after a worker was handed over: give it back
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())
            raise
        finally:
            if not waiter.done():
                waiter.cancel()

    async def run(
        self, job: Any, timeout: float,
        prepare: Callable[[Any, float], Awaitable[Any]] | None = None,
    ) -> Any:
        """Run a job on a free worker; return its reply's value.

        Waiting for a worker is bounded by `timeout` and not counted against the job's own
        run time. `await prepare(job, remaining)` may fill in the job first, e.g. with the
        snapshot to read. Raises Busy, WaitTimeout, RunTimeout or WorkerDied; on
        cancellation (the client went away) the worker is killed.
        """
        if self._loop is None:
            await self.start()
        worker = await self._acquire(timeout)
        if prepare is not None:
            try:
                job = await prepare(job, timeout)
            except BaseException:  # the worker got no job: it is still good
                self._release(worker)
                raise
        try:
            worker.generation = getattr(job, "generation", -1)
            reply = await worker.run(job, timeout)
        except (RunTimeout, WorkerDied, EOFError, OSError):
            self._replace(worker)
            raise
        except BaseException:  # cancelled: the job's result is not wanted any more
            self._replace(worker)
            raise
        if reply.retire:
            self._replace(worker)
        else:
            self._release(worker)
        return reply.value


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _on_loop_of(future: asyncio.Future[Any], call: Callable[..., None], *args: Any) -> bool:
    """Run `call(*args)` on the loop `future` belongs to (now if that loop runs here);
    False if that loop is closed (nobody waits on it any more)."""
    loop = future.get_loop()
    if _running_loop() is loop:
        call(*args)
        return True
    try:
        loop.call_soon_threadsafe(call, *args)
    except RuntimeError:  # the loop is closed
        return False
    return True


def _refuse(waiter: asyncio.Future[Worker]) -> None:
    if not waiter.done():
        waiter.set_exception(WaitTimeout())


class QueryRunner:
    """The embedded store's three pools, on an event loop of their own, with each
    request's limits."""

    def __init__(self, store: Snapshots, *, workers: int, limits: WorkerLimits) -> None:
        self.store = store
        self.limits = limits
        self.inline = store.directory is None
        size = limits.max_queued, limits.memory_mb
        self.sparql = WorkerPool("query", workers, max_queued=size[0], memory_mb=size[1])
        self.site = WorkerPool("page", 1, max_queued=size[0], memory_mb=size[1])
        self.updates = WorkerPool("update", 1, max_queued=size[0], memory_mb=size[1])
        self._portal_cm: contextlib.AbstractContextManager[anyio.from_thread.BlockingPortal]
        self._portal: anyio.from_thread.BlockingPortal | None = None
        #: The generations read when snapshots were last dropped (and the current one).
        self._reading: tuple[frozenset[int], int | None] | None = None
        self._dropping = threading.Lock()

    @property
    def pools(self) -> tuple[WorkerPool, ...]:
        return (self.sparql, self.site, self.updates)

    @property
    def network_open(self) -> str | None:
        """Why workers can reach the network (None: they cannot)."""
        if self.inline:
            return "queries run in the server process (in-memory store)"
        return self.sparql.network_open or self.site.network_open or self.updates.network_open

    @property
    def killed(self) -> int:
        """Workers killed so far (time limits, disconnects, memory)."""
        return sum(pool.killed for pool in self.pools)

    @property
    def pids(self) -> list[int]:
        """Process ids of every live worker."""
        return [pid for pool in self.pools for pid in pool.pids]

    def start(self) -> None:
        """Start the pools' event loop and their workers (none for an in-memory store)."""
        if self.inline or self._portal is not None:
            return
        self._portal_cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        self._portal.call(self._start_pools)

    async def _start_pools(self) -> None:
        async with anyio.create_task_group() as group:
            for pool in self.pools:
                group.start_soon(pool.start)

    def close(self) -> None:
        """Stop every worker and the pools' event loop."""
        if self._portal is None:
            return
        with contextlib.suppress(Exception):
            self._portal.call(self._close_pools)
        self._portal = None
        self._portal_cm.__exit__(None, None, None)

    async def _close_pools(self) -> None:
        for pool in self.pools:
            pool.close()

    def _call(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run an async function on the pools' loop and wait for it (blocking)."""
        if self._portal is None:
            self.start()
        assert self._portal is not None
        return self._portal.call(function, *args)

    # -- snapshots -----------------------------------------------------------------

    async def _with_snapshot(self, job: T, timeout: float) -> T:
        """The job with the snapshot to read: the one already taken at once, else in a
        thread (a snapshot is being taken, or a write holds the store)."""
        taken = self.store.taken_snapshot()
        if taken is None:
            taken = await anyio.to_thread.run_sync(self.store.snapshot, timeout)
        generation, snapshot = taken
        return replace(job, snapshot=str(snapshot), generation=generation)  # type: ignore[type-var]

    async def _drop_unused_snapshots(self) -> None:
        """Delete the snapshots no worker reads any more, once per change of what is read,
        in a thread (deleting a directory is no work for an event loop), one at a time."""
        in_use: set[int] = set()
        for pool in self.pools:
            in_use |= pool.generations
        taken = self.store.taken_snapshot()
        reading = (frozenset(in_use), taken[0] if taken else None)
        if reading == self._reading:
            return
        self._reading = reading
        await anyio.to_thread.run_sync(self._drop_snapshots, in_use)

    def _drop_snapshots(self, in_use: set[int]) -> None:
        with self._dropping:
            self.store.drop_snapshots(in_use)

    # -- client queries ------------------------------------------------------------

    def answer(self, job: QueryJob, timeout: float) -> Outcome:
        """A client's query, blocking: see `_answer`."""
        if self.inline:
            return _inline(lambda: worker_main.run_job(self.store.store, job), timeout,
                           timeout_answer(timeout))
        outcome: Outcome = self._call(self._answer, job, timeout)
        return outcome

    async def answer_async(self, job: QueryJob, timeout: float) -> Outcome:
        """A client's query, awaited without holding a thread. Cancelling the await (the
        client went away) takes the job out of the queue or kills its worker."""
        if self.inline:
            return await anyio.to_thread.run_sync(self.answer, job, timeout)
        outcome: Outcome = await self._await(self._answer, job, timeout)
        return outcome

    async def _await(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run an async function of the pools on the caller's own event loop, once the
        pools have started (no hop to the pools' loop and back); cancelling the await
        cancels it."""
        if self._portal is None:
            await anyio.to_thread.run_sync(self.start)
        return await function(*args)

    async def _answer(self, job: QueryJob, timeout: float) -> Outcome:
        """200 with the result, 4xx for a bad query, 503 on overload, time limit, memory
        cap or result size."""
        try:
            value: Outcome = await self.sparql.run(job, timeout, self._with_snapshot)
        except Busy:
            return _busy_outcome(self.sparql.max_queued)
        except WaitTimeout:
            return Outcome.error(
                503, f"The server is busy: no query worker became free within "
                f"{timeout:g} s. Try again shortly.")
        except StoreBusy:
            return Outcome.error(503, "The store was busy applying a write. Try again shortly.")
        except RunTimeout:
            return timeout_answer(timeout)
        except (WorkerDied, EOFError, OSError):
            return _died_outcome(self.sparql.memory_mb)
        await self._drop_unused_snapshots()
        return value

    # -- the server's own reads ------------------------------------------------------

    def read(self, job: ReadJob, timeout: float) -> QueryResult:
        """One of the server's own queries (pages) on the page worker, within `timeout`.

        Raises QueryTimeout past it, StoreBusy when the page worker's queue is full,
        MemoryError when the worker died at its memory cap, ValueError for a result
        over the byte limit, SyntaxError / RuntimeError / OSError as pyoxigraph does.
        """
        value: ReadResult | Failure = self._call(self._read, job, timeout)
        if isinstance(value, Failure):
            raise value.exception()
        return value.result()

    async def _read(self, job: ReadJob, timeout: float) -> Any:
        try:
            value = await self.site.run(job, timeout, self._with_snapshot)
        except Busy:
            return Failure("busy", "the server is busy reading for other pages")
        except (WaitTimeout, StoreBusy):
            return Failure("busy", f"no page worker became free within {timeout:g} s "
                           "(CCKG_PAGE_TIMEOUT)")
        except RunTimeout:
            return Failure("timeout", f"the store did not answer within {timeout:g} s "
                           "(CCKG_PAGE_TIMEOUT)")
        except (WorkerDied, EOFError, OSError):
            return Failure("died", "the read needed more memory than a worker may use "
                           "(CCKG_WORKER_MEMORY)")
        await self._drop_unused_snapshots()
        return value

    # -- updates -------------------------------------------------------------------

    def update(self, text: str, base_iri: str | None) -> Failure | None:
        """Apply an update (blocking): see `_update`. Not for in-memory stores."""
        failure: Failure | None = self._call(self._update, text, base_iri)
        return failure

    async def update_async(self, text: str, base_iri: str | None) -> Failure | None:
        """Apply an update, awaited without holding a thread: see `_update`."""
        failure: Failure | None = await self._await(self._update, text, base_iri)
        return failure

    async def _update(self, text: str, base_iri: str | None) -> Failure | None:
        """Apply an update in the sandboxed update worker, then make it the store's state.

        The worker applies it to a copy of the store (hard links) and flushes it; only
        then does the store adopt the copy (`adopt`), durably, and take the snapshot
        queries read next. Until then queries read the last committed state; an update
        that fails or is stopped leaves the store as it was.
        """
        copy: Path | None = None
        limit = self.limits.update_timeout

        async def prepare(job: UpdateJob, timeout: float) -> UpdateJob:
            nonlocal copy
            copy = await anyio.to_thread.run_sync(self.store.copy_for_update)
            return replace(job, path=str(copy))

        failure: Failure | None
        try:
            failure = await self.updates.run(UpdateJob(text, base_iri, ""), limit, prepare)
        except Busy:
            failure = Failure("busy", "other updates are waiting")
        except WaitTimeout:
            failure = Failure("busy", f"the update waited {limit:g} s for another")
        except RunTimeout:
            failure = Failure("timeout", f"the update was stopped after {limit:g} s "
                              "(CCKG_UPDATE_TIMEOUT); nothing was applied")
        except (WorkerDied, EOFError, OSError):
            failure = Failure("died", f"the update needed more than {self.updates.memory_mb} "
                              "MB (CCKG_WORKER_MEMORY) and was stopped; nothing was applied")
        except BaseException:
            if copy is not None:
                self.store.discard_copy(copy)
            raise
        if failure is not None:
            if copy is not None:
                await anyio.to_thread.run_sync(self.store.discard_copy, copy)
            return failure
        assert copy is not None
        await anyio.to_thread.run_sync(self.store.adopt, copy)
        await self._drop_unused_snapshots()
        return None


def _inline(call: Callable[[], T], timeout: float, late: T) -> T:
    """Run `call` in a thread; `late` if it has not finished within `timeout` seconds."""
    box: list[T] = []
    thread = threading.Thread(target=lambda: box.append(call()), daemon=True)
    thread.start()
    thread.join(timeout)
    return box[0] if box else late


def _busy_outcome(max_queued: int) -> Outcome:
    return Outcome(
        503, "text/plain; charset=utf-8",
        f"The server is busy: {max_queued} queries are already waiting for a worker "
        f"(CCKG_MAX_QUEUED_QUERIES). Try again in {RETRY_AFTER} s.".encode(),
        retry_after=RETRY_AFTER,
    )


def _died_outcome(memory_mb: int) -> Outcome:
    return Outcome.error(
        503,
        f"The query was stopped: it needed more than the {memory_mb} MB a query may use "
        "(CCKG_WORKER_MEMORY). How to fix: make it more selective, or use shorter values "
        "(no long CONCAT chains); or run it on a copy of the data (see the dumps).",
    )
