"""The Store interface: what everything above the store (pages, descriptions, named
queries, the endpoint, the CLI) may ask of it, whether it is embedded or remote.

Query results use pyoxigraph's term model in both implementations: a SELECT gives
`ox.QuerySolutions`, an ASK `ox.QueryBoolean`, a CONSTRUCT or DESCRIBE an iterable of
`ox.Triple`. The endpoint's own path (`answer`) returns the result already written in the
client's format, capped at the job's row limit, because only the store knows how to stop
a query that outlives its time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from cckg.rdf.formats import Format
from cckg.rdf.sparql_lex import QueryShape
from cckg.rdf.terms import BoundTerm, QueryResult


class StoreBusy(Exception):
    """A write held the store past the caller's deadline and no earlier snapshot exists."""


class ResultTooLarge(Exception):
    """A result went past the byte limit (CCKG_MAX_RESULT_BYTES)."""


class QueryTimeout(Exception):
    """The query ran longer than the time it was given."""


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a query runs over (SPARQL 1.1 Protocol `default-graph-uri` and
    `named-graph-uri`).

    Graphs named here win over FROM in the query. Without them, a query that has no FROM
    reads the union of all graphs as its default graph when `union_default_graph` is set,
    else the store's own default graph.
    """

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True

    @property
    def names_graphs(self) -> bool:
        """Whether the request names its graphs (so FROM in the query is ignored)."""
        return self.default_graphs is not None or self.named_graphs is not None

    def for_query(self, sparql: str) -> QueryDataset:
        """This dataset for one query text (see `with_from`)."""
        # a cheap test first: most texts have no "from" at all
        return self.with_from("from" in sparql.lower() and QueryShape.of(sparql).has_from)

    def with_from(self, query_has_from: bool) -> QueryDataset:
        """This dataset for a query with or without FROM: with FROM, it reads no union."""
        if self.union_default_graph and not self.names_graphs and query_has_from:
            return QueryDataset(union_default_graph=False)
        return self


#: The union of all graphs as default graph (unless the query has FROM).
UNION = QueryDataset()


@dataclass(frozen=True)
class QueryJob:
    """One client query for the endpoint, with its dataset and the result format chosen
    for each kind of result ('solutions', 'boolean', 'graph')."""

    query: str
    base_iri: str | None
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    union_default_graph: bool
    formats: dict[str, Format]
    max_rows: int
    #: Largest result body sent, in bytes (larger: 503 that says so).
    max_bytes: int = 50_000_000
    #: Filled in by the embedded store: the snapshot directory a worker reads, its generation.
    snapshot: str = ""
    generation: int = -1

    #: The query's shape as the endpoint's check found it (None: found from the text here).
    shape: QueryShape | None = None

    @property
    def query_shape(self) -> QueryShape:
        """The query's form, FROM and `SELECT *` order, without a second tokenisation when
        the endpoint gave them."""
        return self.shape if self.shape is not None else QueryShape.of(self.query)

    @property
    def dataset(self) -> QueryDataset:
        """The dataset the query reads (a query with FROM reads no union)."""
        given = QueryDataset(self.default_graphs, self.named_graphs, self.union_default_graph)
        return given.with_from(self.query_shape.has_from)


@dataclass(frozen=True)
class Outcome:
    """What a client query produced: an HTTP status, a body and its media type."""

    status: int
    content_type: str
    body: bytes
    truncated: bool = False
    #: Seconds the client should wait before retrying (a Retry-After header), or 0.
    retry_after: int = 0

    @classmethod
    def error(cls, status: int, message: str) -> Outcome:
        return cls(status, "text/plain; charset=utf-8", message.encode("utf-8"))


class Store(Protocol):
    """A SPARQL 1.1 store: embedded (`EmbeddedStore`) or remote (`RemoteStore`)."""

    #: Whether `generation()` may wait on I/O (then event-loop code asks it from a thread).
    generation_waits: bool

    def generation(self) -> str:
        """A token that changes whenever committed data changes (caches key on it)."""
        ...

    def query(
        self,
        sparql: str,
        *,
        dataset: QueryDataset = UNION,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        bindings: Mapping[str, BoundTerm] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a query and return its result as pyoxigraph terms.

        `prefixes` are declared for the query as if in its prologue; `bindings` bind
        variables of the projection to values before evaluation; after `timeout` seconds
        the call raises QueryTimeout. A query that is not valid SPARQL raises SyntaxError.
        """
        ...

    def answer(self, job: QueryJob, timeout: float) -> Outcome:
        """Run a client's query for the endpoint: the result written in the job's format
        and capped at its row limit, or an error status with a message."""
        ...

    async def answer_async(self, job: QueryJob, timeout: float) -> Outcome:
        """`answer` awaited without holding a thread; cancelling the await stops the query
        where the store can (the embedded store kills its worker)."""
        ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update as one transaction."""
        ...

    async def update_async(self, sparql: str, *, base_iri: str | None = None) -> None:
        """`update` awaited without holding a thread while the store works (same errors)."""
        ...

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Replace one graph's content (Graph Store Protocol PUT); None is the default graph."""
        ...

    def load_dataset_file(self, path: Path) -> int:
        """Replace the store's whole content with an N-Quads file; return the quad count."""
        ...

    def graph_counts(self) -> dict[str, int]:
        """Number of triples in each named graph, by graph name."""
        ...

    def default_graph_count(self) -> int:
        """Number of triples in the store's own default graph."""
        ...

    def triple_count(self) -> int:
        """Number of quads in the store (all graphs)."""
        ...

    def network_access(self) -> str | None:
        """None if queries cannot reach the network beyond the store, else why they can."""
        ...

    def start(self, *, workers: int) -> None:
        """Get ready to answer up to `workers` endpoint queries at once."""
        ...

    def close(self) -> None:
        """Release what `start` took (worker processes, connections)."""
        ...
