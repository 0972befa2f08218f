"""A remote SPARQL 1.1 engine as a `Store`: Protocol query and update, Graph Store Protocol.

Results are parsed back into pyoxigraph terms (SPARQL JSON results for SELECT and ASK,
N-Triples for CONSTRUCT and DESCRIBE), so callers see what the embedded store gives.
Prefixes and the base IRI are sent in the query's prologue; bindings as a trailing
VALUES clause (the named queries bind only projected variables, where both agree).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import httpx
import pyoxigraph as ox

from cckg.errors import CckgError
from cckg.rdf.sparql_text import sparql_prologue, with_values
from cckg.rdf.terms import BoundTerm, QueryResult
from cckg.store.answers import query_error, timeout_answer, write_answer
from cckg.store.base import (
    UNION,
    Outcome,
    QueryDataset,
    QueryJob,
    QueryTimeout,
)

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
FORM = "application/x-www-form-urlencoded"


#: How engines say that an update named a graph that must (not) exist.
_GRAPH_STATE = re.compile(r"does not exist|already exists")


class StoreUnavailable(OSError):
    """The remote engine could not be reached or failed (5xx)."""


class RemoteStore:
    """A SPARQL 1.1 engine reached over HTTP at its query, update and graph store URLs."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        union_parameter: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        """`union_parameter` names the request parameter that makes the engine's default
        graph the union of its graphs (Oxigraph: `union-default-graph`); without one,
        the engine's own default-graph setting decides."""
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.union_parameter = union_parameter
        self.timeout = timeout
        self._client = httpx.Client(timeout=timeout)
        self._lock = threading.Lock()
        self._writes = 0

    @classmethod
    def oxigraph(cls, base_url: str, *, timeout: float = 60.0) -> RemoteStore:
        """The store of an `oxigraph serve` at `base_url` (/query, /update, /store)."""
        base = base_url.rstrip("/")
        return cls(
            f"{base}/query", update_url=f"{base}/update", store_url=f"{base}/store",
            union_parameter="union-default-graph", timeout=timeout,
        )

    # -- reading -------------------------------------------------------------------

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
        """Run a query on the engine (see `Store.query`)."""
        text = sparql_prologue(prefixes or {}, base_iri) + with_values(sparql, bindings or {})
        form: dict[str, str | list[str]] = {"query": text}
        dataset = dataset.for_query(sparql)
        if dataset.default_graphs is not None:
            form["default-graph-uri"] = list(dataset.default_graphs)
        if dataset.named_graphs is not None:
            form["named-graph-uri"] = list(dataset.named_graphs)
        if dataset.union_default_graph and not dataset.names_graphs and self.union_parameter:
            form[self.union_parameter] = "true"
        response = self._send(
            "POST", self.query_url, data=form,
            headers={"Accept": f"{SPARQL_JSON}, {N_TRIPLES};q=0.9"}, timeout=timeout,
        )
        media = response.headers.get("content-type", "").split(";")[0].strip()
        try:
            if media == N_TRIPLES:
                return list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreUnavailable(
                f"the engine at {self.query_url} sent results that cannot be read ({media}): {exc}"
            ) from exc

    def answer(self, job: QueryJob, timeout: float) -> Outcome:
        """Run a client's query on the engine and write it in the client's format."""
        try:
            result = self.query(
                job.query, dataset=job.dataset, base_iri=job.base_iri, timeout=timeout
            )
        except QueryTimeout:
            return timeout_answer(timeout)
        except (SyntaxError, ValueError, OSError) as exc:
            return query_error(exc)
        return write_answer(result, job)

    def graph_counts(self) -> dict[str, int]:
        """Number of triples in each named graph, by graph name."""
        solutions = self.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            dataset=QueryDataset(union_default_graph=False),
        )
        assert isinstance(solutions, ox.QuerySolutions)
        return {row["g"].value: int(row["n"].value) for row in solutions}

    def default_graph_count(self) -> int:
        """Number of triples in the engine's own default graph."""
        solutions = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            dataset=QueryDataset(union_default_graph=False),
        )
        assert isinstance(solutions, ox.QuerySolutions)
        return sum(int(row["n"].value) for row in solutions)

    def triple_count(self) -> int:
        """Number of quads in the store (all graphs)."""
        return self.default_graph_count() + sum(self.graph_counts().values())

    def generation(self) -> str:
        """The writes made through this client and a digest of the engine's graph sizes.

        The engines offer no change counter, so a write by another client is seen when it
        changes the number of triples of a graph.
        """
        counts = sorted(self.graph_counts().items())
        digest = hashlib.sha256(repr((self.default_graph_count(), counts)).encode())
        return f"{self._writes}-{digest.hexdigest()[:16]}"

    # -- writing -------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update on the engine."""
        url = self._url(self.update_url, "update")
        self._send("POST", url, data={"update": sparql_prologue({}, base_iri) + sparql})
        self._changed()

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Replace one graph's content with a Graph Store Protocol PUT."""
        url = self._url(self.store_url, "graph store")
        params = {"graph": graph} if graph else {"default": ""}
        body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
        self._send("PUT", url, params=params, content=body,
                   headers={"Content-Type": N_TRIPLES})
        self._changed()

    def load_dataset_file(self, path: Path) -> int:
        """Replace the engine's whole content with an N-Quads file (PUT on the store URL)."""
        path = Path(path)
        if not path.is_file():
            raise CckgError(
                "dataset file not found", where=str(path), fix="run `cckg build` to create it"
            )
        url = self._url(self.store_url, "graph store")
        with path.open("rb") as body:
            self._send("PUT", url, content=body, headers={"Content-Type": N_QUADS})
        self._changed()
        return self.triple_count()

    # -- lifecycle -----------------------------------------------------------------

    def network_access(self) -> str | None:
        """The engine decides what its queries may fetch; CCKG cannot isolate it."""
        return f"queries run on the remote engine at {self.query_url}"

    def start(self, *, workers: int) -> None:
        """Allow up to `workers` requests to the engine at once."""
        limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
        old, self._client = self._client, httpx.Client(timeout=self.timeout, limits=limits)
        old.close()

    def close(self) -> None:
        """Close the connections to the engine."""
        self._client.close()

    # -- HTTP ----------------------------------------------------------------------

    def _url(self, url: str | None, what: str) -> str:
        if url is None:
            raise CckgError(
                f"this remote store has no {what} URL",
                where=self.query_url,
                fix=f"give the {what} URL of the engine when opening the store",
            )
        return url

    def _changed(self) -> None:
        with self._lock:
            self._writes += 1

    def _send(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str | list[str]] | None = None,
        params: Mapping[str, str] | None = None,
        content: bytes | Iterable[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        """One request; engine errors become the exceptions the embedded store raises."""
        try:
            response = self._client.request(
                method, url, data=data, params=params, content=content, headers=headers,
                timeout=timeout if timeout is not None else self.timeout,
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeout(f"{url} did not answer within the time limit") from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"cannot reach the SPARQL engine at {url}: {exc}") from exc
        if response.is_success:
            return response
        message = response.text.strip() or response.reason_phrase
        if response.status_code == 400:
            raise SyntaxError(message)
        if response.status_code in (404, 409) or _GRAPH_STATE.search(message):
            # a graph that must (not) exist does (not); Oxigraph answers this with 500
            raise RuntimeError(message)
        raise StoreUnavailable(
            f"the SPARQL engine at {url} answered {response.status_code}: {message}"
        )
