"""A worker reports the store's own errors across the pipe as Failures, and the server
raises each again as the exception the store raised (cckg.store.worker_main)."""

from __future__ import annotations

import pytest

from cckg.store.base import QueryTimeout, ResultTooLarge, StoreBusy
from cckg.store.worker_main import Failure


@pytest.mark.parametrize(
    ("error", "kind", "raised"),
    [
        (SyntaxError("expected WHERE"), "syntax", SyntaxError),
        (ValueError("not an IRI"), "value", ValueError),
        (RuntimeError("the store is closed"), "runtime", RuntimeError),
        (FileNotFoundError("no snapshot"), "os", OSError),  # a subclass: its base's kind
    ],
)
def test_a_store_error_comes_back_as_its_kind(
    error: Exception, kind: str, raised: type[Exception]
) -> None:
    failure = Failure.of(error)
    assert (failure.kind, failure.message) == (kind, str(error))
    again = failure.exception()
    assert (type(again), str(again)) == (raised, str(error))


@pytest.mark.parametrize(
    ("kind", "raised"),
    [("too-large", ResultTooLarge), ("busy", StoreBusy), ("timeout", QueryTimeout),
     ("died", MemoryError)],
)
def test_a_worker_limit_is_raised_as_its_exception(kind: str, raised: type[Exception]) -> None:
    assert type(Failure(kind, "stopped").exception()) is raised
