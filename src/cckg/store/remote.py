"""A remote SPARQL 1.1 engine as a `Store`: Protocol query and update, Graph Store Protocol.

Results are parsed back into pyoxigraph terms (SPARQL JSON results for SELECT and ASK,
N-Triples for CONSTRUCT and DESCRIBE), so callers see what the embedded store gives.
Prefixes and the base IRI are sent in the query's prologue; bindings as a VALUES
block (the named queries bind only projected variables, where both agree).
What differs between engines (URLs, union default graph, time limits, system graphs,
authentication) comes from its `Engine` profile (engines.py), nowhere else.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeAlias

import anyio
import httpx
import pyoxigraph as ox

from cckg.errors import CckgError
from cckg.rdf.sparql_lex import QueryShape, tokens
from cckg.rdf.sparql_text import sparql_prologue, with_values
from cckg.rdf.terms import BoundTerm, QueryResult
from cckg.store.answers import (
    TooLarge,
    query_error,
    timeout_answer,
    too_large_answer,
    write_answer,
)
from cckg.store.base import (
    UNION,
    Outcome,
    QueryDataset,
    QueryJob,
    QueryTimeout,
)
from cckg.store.engines import OXIGRAPH, SPARQL11, Engine

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
FORM = "application/x-www-form-urlencoded"


#: How many bytes of an engine's answer to an endpoint query are read per byte its result
#: may have (`--max-result-bytes`): SPARQL JSON takes 1.5 (IRIs) to about 9 (small typed
#: numbers) times the text of its terms, and rows past the row cap come too. A larger answer
#: is refused as too large where the embedded store would cut it at the row cap; what bounds
#: is the read: a cross product is not read on until the time limit.
ENGINE_BYTES_PER_RESULT_BYTE = 8

#: How engines say that an update named a graph that must (not) exist.
_GRAPH_STATE = re.compile(r"does not exist|already exists")


class StoreUnavailable(OSError):
    """The remote engine could not be reached or is overloaded (502, 503, 504)."""


class EngineError(ValueError):
    """The engine refused or failed a request it understood (its message is kept)."""


#: What can be the object of a triple.
ObjectTerm: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")

#: The `sd:Service` class: Virtuoso keeps its endpoint's description in a graph of its own.
_SD_SERVICE = "http://www.w3.org/ns/sparql-service-description#Service"


def true_false(term: ObjectTerm) -> ObjectTerm:
    """An xsd:boolean written 1 or 0 as true or false (other terms unchanged)."""
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=_BOOLEAN)
    return term


def true_false_json(body: bytes) -> bytes:
    """SPARQL JSON results with xsd:boolean values 1 and 0 written true and false."""
    if _BOOLEAN.value.encode() not in body:
        return body
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") == _BOOLEAN.value and term.get("value") in ("1", "0"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return json.dumps(data).encode()


def standard_datatype(term: ObjectTerm, aliases: Mapping[str, str]) -> ObjectTerm:
    """A literal typed with an engine's own datatype (`aliases`: its own -> standard) typed
    with the standard one instead (other terms unchanged)."""
    if isinstance(term, ox.Literal) and term.datatype.value in aliases:
        return ox.Literal(term.value, datatype=ox.NamedNode(aliases[term.datatype.value]))
    return term


def standard_datatypes_json(body: bytes, aliases: Mapping[str, str]) -> bytes:
    """SPARQL JSON results with the engine's own datatypes written as the standard ones."""
    if not any(own.encode() in body for own in aliases):
        return body
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") in aliases:
                term["datatype"] = aliases[term["datatype"]]
    return json.dumps(data).encode()


class RemoteStore:
    """A SPARQL 1.1 engine reached over HTTP at its query, update and graph store URLs."""

    #: The generation counts the engine's graphs now and then (an HTTP request).
    generation_waits = True

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        engine: Engine = SPARQL11,
        auth: httpx.Auth | None = None,
        timeout: float = 60.0,
        recount_after: float = 2.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`engine` says how this engine differs from plain SPARQL 1.1 (engines.py);
        `auth` is sent with every request (the engines ask for it on writes);
        `recount_after` is how many seconds `generation()` keeps the engine's graph sizes
        before it counts them again; `transport` replaces the HTTP transport (httpx's
        MockTransport or WSGITransport, say)."""
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.engine = engine
        self.auth = auth
        self.timeout = timeout
        self._transport = transport
        self._client = httpx.Client(timeout=timeout, auth=auth, transport=transport)
        self._lock = threading.Lock()
        self._writes = 0
        self._hidden: tuple[str, ...] | None = None
        self.recount_after = recount_after
        self._sizes: tuple[float, str] | None = None  # (when counted, digest)

    @classmethod
    def oxigraph(cls, base_url: str, *, timeout: float = 60.0) -> RemoteStore:
        """The store of an `oxigraph serve` at `base_url` (/query, /update, /store)."""
        base = base_url.rstrip("/")
        return cls(
            f"{base}/query", update_url=f"{base}/update", store_url=f"{base}/store",
            engine=OXIGRAPH, timeout=timeout,
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
        read_limit: int | None = None,
    ) -> QueryResult:
        """Run a query on the engine (see `Store.query`); an answer of more than
        `read_limit` bytes (if given) is not read on (TooLarge)."""
        text = sparql_prologue(prefixes or {}, base_iri) + with_values(sparql, bindings or {})
        shape = QueryShape.of(sparql)
        graph_result = shape.form in ("CONSTRUCT", "DESCRIBE")
        response = self._query_request(
            text, dataset.with_from(shape.has_from), graph_result, timeout, read_limit)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        try:
            if media in (N_TRIPLES, "text/plain"):
                triples = ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)
                return [ox.Triple(t.subject, t.predicate, self._standard(t.object))
                        for t in triples]
            if media == SPARQL_JSON:
                body = response.content
                if self.engine.numeric_booleans:
                    body = true_false_json(body)
                if self.engine.datatype_aliases:
                    body = standard_datatypes_json(body, dict(self.engine.datatype_aliases))
                result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                return self._ask_answer(result) if shape.form == "ASK" else result
        except (SyntaxError, ValueError) as exc:
            raise EngineError(
                f"the engine at {self.query_url} sent results that cannot be read ({media}): "
                f"{exc}"
            ) from exc
        raise EngineError(
            f"the engine at {self.query_url} answered {media or 'no media type'}, "
            f"not {N_TRIPLES if graph_result else SPARQL_JSON}"
        )

    def _standard(self, term: ObjectTerm) -> ObjectTerm:
        """A term as the data has it, not in the engine's own forms (booleans, datatypes)."""
        if self.engine.numeric_booleans:
            term = true_false(term)
        return standard_datatype(term, dict(self.engine.datatype_aliases))

    def _ask_answer(self, result: ox.QuerySolutions | ox.QueryBoolean) -> QueryResult:
        """An ASK's answer as a boolean, also from an engine that answers with a table."""
        variable = self.engine.ask_variable
        if isinstance(result, ox.QueryBoolean) or variable is None:
            return result
        if [v.value for v in result.variables] != [variable]:
            raise EngineError(f"the engine answered an ASK query with a table: {result.variables}")
        value = any(row[variable] is not None and row[variable].value not in ("0", "false")
                    for row in result)
        boolean = b'{"head":{},"boolean":%s}' % (b"true" if value else b"false")
        return ox.parse_query_results(boolean, format=ox.QueryResultsFormat.JSON)

    def _query_request(
        self, text: str, dataset: QueryDataset, graph_result: bool, timeout: float | None,
        read_limit: int | None = None,
    ) -> httpx.Response:
        """POST a query with its dataset, the engine's options and the result type asked
        for by its form (Virtuoso answers CONSTRUCT as JSON rows when JSON is acceptable)."""
        engine = self.engine
        form: dict[str, str | list[str]] = {"query": engine.hiding(self.hidden_graphs()) + text}
        if dataset.default_graphs is not None:
            form["default-graph-uri"] = list(dataset.default_graphs)
        if dataset.named_graphs is not None:
            form["named-graph-uri"] = list(dataset.named_graphs)
        if dataset.union_default_graph and not dataset.names_graphs and engine.union_parameter:
            form[engine.union_parameter] = "true"
        limit = timeout if timeout is not None else self.timeout
        if engine.timeout_parameter:
            form[engine.timeout_parameter] = str(round(limit / engine.timeout_unit))
        accept = N_TRIPLES if graph_result else SPARQL_JSON
        response = self._send(
            "POST", self.query_url, data=form, headers={"Accept": accept},
            # the engine stops first where it can; the client drops the request a bit later
            timeout=limit + 1 if engine.timeout_parameter else limit,
            whole_within=limit + 1 if engine.timeout_parameter else limit,
            read_limit=read_limit,
        )
        return response

    def hidden_graphs(self) -> tuple[str, ...]:
        """The engine's own graphs, hidden from every query (looked up once)."""
        if self._hidden is None:
            hidden = self.engine.system_graphs
            if self.engine.hides_service_description:
                response = self._send(
                    "POST", self.query_url,
                    data={"query": self.engine.hiding(hidden) + "SELECT DISTINCT ?g WHERE "
                          f"{{ GRAPH ?g {{ ?g a <{_SD_SERVICE}> }} }}"},
                    headers={"Accept": SPARQL_JSON},
                )
                found = ox.parse_query_results(
                    response.content, format=ox.QueryResultsFormat.JSON
                )
                assert isinstance(found, ox.QuerySolutions)
                for row in found:  # http://HOST/sparql, and the WebDAV graph http://HOST/DAV/
                    service = row["g"].value
                    hidden += (service, service.rsplit("/", 1)[0] + "/DAV/")
            self._hidden = hidden
        return self._hidden

    def answer(self, job: QueryJob, timeout: float) -> Outcome:
        """Run a client's query on the engine and write it in the client's format.

        The query is parsed here first (pyoxigraph, on an empty store), so the engine
        only ever receives standard SPARQL 1.1: no engine pragmas or extensions.
        """
        try:
            ox.Store().query(job.query, base_iri=job.base_iri)
        except SyntaxError as exc:
            return query_error(exc, job.query)
        try:
            result = self.query(
                job.query, dataset=job.dataset, base_iri=job.base_iri, timeout=timeout,
                read_limit=ENGINE_BYTES_PER_RESULT_BYTE * job.max_bytes,
            )
        except QueryTimeout:
            return timeout_answer(timeout)
        except TooLarge:
            return too_large_answer(job.max_bytes)
        except (SyntaxError, ValueError, OSError) as exc:
            return query_error(exc, job.query)
        return write_answer(result, job)

    async def answer_async(self, job: QueryJob, timeout: float) -> Outcome:
        """`answer` in a thread: the engine's HTTP call is what is waited for."""
        return await anyio.to_thread.run_sync(self.answer, job, timeout)

    def graph_counts(self) -> dict[str, int]:
        """Number of triples in each named graph, by graph name."""
        solutions = self.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            dataset=QueryDataset(union_default_graph=False),
        )
        assert isinstance(solutions, ox.QuerySolutions)
        return {row["g"].value: int(row["n"].value) for row in solutions}

    def default_graph_count(self) -> int:
        """Number of triples in the engine's own default graph (none if it has none)."""
        if not self.engine.own_default_graph:
            return 0
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
        changes the number of triples of a graph, within `recount_after` seconds: counting
        every graph is a scan of the engine, too dear for every request a cache answers.
        A write through this client is seen at once.
        """
        now = time.monotonic()
        with self._lock:
            sizes = self._sizes
        if sizes is None or now - sizes[0] >= self.recount_after:
            counts = sorted(self.graph_counts().items())
            digest = hashlib.sha256(repr((self.default_graph_count(), counts)).encode())
            sizes = (now, digest.hexdigest()[:16])
            with self._lock:
                self._sizes = sizes
        return f"{self._writes}-{sizes[1]}"

    # -- writing -------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update on the engine."""
        url = self._url(self.update_url, "update")
        if self.engine.expands_graph_sets:
            sparql = self._graph_by_graph(sparql)
        if sparql.strip():
            self._send("POST", url, data={"update": sparql_prologue({}, base_iri) + sparql})
        self._changed()

    async def update_async(self, sparql: str, *, base_iri: str | None = None) -> None:
        """`update` in a thread: the engine's HTTP call is what is waited for."""
        await anyio.to_thread.run_sync(lambda: self.update(sparql, base_iri=base_iri))

    def _graph_by_graph(self, update: str) -> str:
        """The update with each DROP/CLEAR of ALL, NAMED or DEFAULT written as one
        `DROP SILENT GRAPH` per named graph (DEFAULT: none), for engines that ignore them."""
        found = tokens(update)
        pieces: list[str] = []
        done = 0
        graphs: list[str] | None = None
        for i, token in enumerate(found):
            if token.depth or token.keyword not in ("DROP", "CLEAR"):
                continue
            j = i + 1 + (i + 1 < len(found) and found[i + 1].keyword == "SILENT")
            if j >= len(found) or found[j].keyword not in ("ALL", "NAMED", "DEFAULT"):
                continue
            if graphs is None:
                graphs = sorted(self.graph_counts())
            targets = [] if found[j].keyword == "DEFAULT" else graphs
            end = found[j].start + len(found[j].text)
            start = token.start
            if not targets:  # nothing to do: drop the operation and one separator
                after = found[j + 1] if j + 1 < len(found) else None
                before = found[i - 1] if i else None
                if after is not None and after.text == ";":
                    end = after.start + 1
                elif before is not None and before.text == ";":
                    start = before.start
            pieces.append(update[done:start])
            pieces.append(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in targets))
            done = end
        return "".join(pieces) + update[done:]

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
        old, self._client = self._client, httpx.Client(
            timeout=self.timeout, limits=limits, auth=self.auth, transport=self._transport
        )
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
        whole_within: float | None = None,
        read_limit: int | None = None,
    ) -> httpx.Response:
        """One request; engine errors become the exceptions the embedded store raises.
        `timeout` bounds each wait (connecting, each read); `whole_within` bounds the whole
        answer, however steadily an engine streams it (a query's time limit), and
        `read_limit` its size in bytes (TooLarge)."""
        request = self._client.build_request(
            method, url, data=data, params=params, content=content, headers=headers,
            timeout=timeout if timeout is not None else self.timeout,
        )
        deadline = time.monotonic() + whole_within if whole_within is not None else None
        try:
            streamed = self._client.send(request, stream=True)
            try:
                response = read_within(streamed, deadline, read_limit)
            finally:
                streamed.close()
        except httpx.TimeoutException as exc:
            raise QueryTimeout(f"{url} did not answer within the time limit") from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"cannot reach the SPARQL engine at {url}: {exc}") from exc
        if self.engine.stopped(response):
            raise QueryTimeout(f"{url} stopped the query at its time limit")
        if response.is_success:
            return response
        message = response.text.strip() or response.reason_phrase
        if response.status_code == 400:
            raise SyntaxError(message)
        if response.status_code in (401, 403):
            raise CckgError(
                f"the SPARQL engine refused the login ({response.status_code}): "
                f"{message[:300]}",
                where=url,
                fix="give a user and password (or token) the engine accepts for writing "
                "(--store-user/--store-password or --store-token)",
            )
        if response.status_code in (404, 409) or _GRAPH_STATE.search(message):
            # a graph that must (not) exist does (not); Oxigraph answers this with 500
            raise RuntimeError(message)
        if response.status_code in (502, 503, 504):
            raise StoreUnavailable(
                f"the SPARQL engine at {url} answered {response.status_code}: {message}"
            )
        raise EngineError(f"the SPARQL engine answered {response.status_code}: {message}")


def read_within(
    response: httpx.Response, deadline: float | None, max_bytes: int | None = None
) -> httpx.Response:
    """The streamed `response` read whole, or QueryTimeout once `time.monotonic()` passes
    `deadline` (if given) before its end, or TooLarge once more than `max_bytes` (if given,
    counted after decompression) have come. The deadline is checked as each part comes:
    a stall is bounded by the client's read timeout."""
    if deadline is None and max_bytes is None:
        response.read()
        return response
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeout("the answer was still coming at the time limit")
        if max_bytes is not None and size > max_bytes:
            raise TooLarge(f"the answer passed {max_bytes:,} bytes")
    headers = [(k, v) for k, v in response.headers.multi_items()
               if k not in ("content-encoding", "content-length")]  # the body is decoded
    whole = httpx.Response(response.status_code, headers=headers, content=b"".join(chunks),
                           request=response.request)
    whole.read()
    return whole
