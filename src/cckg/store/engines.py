"""What differs between SPARQL engines, in one place: the remote store reads it from here.

A remote store is named by its SPARQL query URL. An `Engine` says where that engine keeps
its update and Graph Store Protocol URLs relative to the query URL, how it is told to
read the union of all graphs, how a query is given a time limit the engine itself
enforces, which of its own graphs CCKG must not see, and how it authenticates writes.

- **oxigraph** (`oxigraph serve`): /query, /update, /store; the union default graph is the
  request parameter `union-default-graph`; the time limit is the server's `--timeout-s`
  (CCKG's client also drops the request). Writes are open unless a proxy guards them.
- **virtuoso** (Virtuoso Open Source 7): /sparql, /sparql-auth (updates), and
  /sparql-graph-crud-auth (Graph Store Protocol), both behind HTTP digest
  authentication. Its default graph already is the union of all graphs, so it has no
  default graph of its own; its system graphs (the RDF views schema, the LDP vocabulary,
  the endpoint's own service description http://HOST/sparql and the WebDAV graph
  http://HOST/DAV/, HOST being [URIQA] DefaultHost) are excluded from every query with
  `define input:default-graph-exclude` / `input:named-graph-exclude`. The `timeout`
  parameter (milliseconds) makes it stop a query; it then answers 200 with the header
  `X-SQL-State: S1TAT` and partial results or, when it was already writing the answer,
  500 with the partial answer followed by `Virtuoso S1TAT Error RC...: Returning
  incomplete results, query interrupted by result timeout`: CCKG treats both as a
  timeout. It answers
  an ASK as a one-row table (variable `__ASK_RETVAL`, 1 or 0), read back as a boolean.
  It writes xsd:boolean values as "1"/"0" in its results; they are read back as "true"
  and "false", the forms the data has. It stores geo:wktLiteral values as its own
  geometries and writes them back typed virtrdf:Geometry (its issues 456 and 803; the
  conversion cannot be turned off in 7.2): read back as geo:wktLiteral. Their numbers
  come back in shortest form ("28.64910" as "28.6491"): the same point, not the same
  text. It ignores `DROP`/`CLEAR` `ALL`/`NAMED`/`DEFAULT`
  (answering success), so those are sent as `DROP SILENT GRAPH <g>` for each of its
  graphs CCKG sees (DEFAULT: nothing, as it has no default graph of its own). It
  refuses a non-silent `DROP GRAPH` of a graph that was filled without `CREATE GRAPH`
  (a 400 with its message); `DROP SILENT GRAPH` works.
- **sparql11** (any other SPARQL 1.1 engine: Fuseki, GraphDB, QLever, ...): nothing is
  assumed; give the update and graph store URLs, and configure the engine so that its
  default graph is the union of its named graphs (docs/scaling.md says how).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from cckg.errors import CckgError

#: Graphs every Virtuoso 7 database has: its RDF views schema and the LDP vocabulary.
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
)


def _sibling(path: str) -> Callable[[str], str]:
    """A URL rule: replace the query URL's last path segment with `path`."""
    return lambda query_url: query_url.rstrip("/").rsplit("/", 1)[0] + "/" + path


@dataclass(frozen=True)
class Engine:
    """How CCKG talks to one kind of SPARQL engine (see the module docstring)."""

    name: str
    #: The query URL's last path segment on this engine (checked when a URL is given).
    query_path: str | None = None
    #: Update and graph store URLs from the query URL; None: the user must give them.
    update_url: Callable[[str], str] | None = None
    graph_store_url: Callable[[str], str] | None = None
    #: Request parameter making the default graph the union of all graphs (value "true").
    union_parameter: str | None = None
    #: Whether the engine has a default graph apart from the union of its named graphs.
    own_default_graph: bool = True
    #: Request parameter giving the engine a time limit, and its unit in seconds.
    timeout_parameter: str | None = None
    timeout_unit: float = 1.0
    #: A response header (lower case) and value saying the engine stopped at its limit.
    stopped_header: tuple[str, str] | None = None
    #: A pattern in the text of a failed answer saying the engine stopped at its limit.
    stopped_text: re.Pattern[str] | None = None
    #: What starts the copy of the query an engine adds to its error texts (not searched).
    query_echo: str | None = None
    #: Graphs of the engine itself, hidden from every query and count.
    system_graphs: tuple[str, ...] = ()
    #: Whether system graphs are found by their service description (`sd:Service`).
    hides_service_description: bool = False
    #: The variable of the one-row table this engine answers an ASK with, if it does.
    ask_variable: str | None = None
    #: Whether the engine writes xsd:boolean values as 1 and 0 (read back as true, false).
    numeric_booleans: bool = False
    #: Datatypes the engine writes in place of standard ones: (its own, the standard one).
    datatype_aliases: tuple[tuple[str, str], ...] = ()
    #: Whether DROP/CLEAR ALL, NAMED and DEFAULT must be sent as one operation per graph.
    expands_graph_sets: bool = False
    #: HTTP authentication scheme for a user and password: "basic" or "digest".
    auth_scheme: str = "basic"

    def stopped(self, response: httpx.Response) -> bool:
        """Whether an answer says the engine stopped the query at its time limit: the
        stopped header on a partial answer, or the stopped text in a failed one."""
        header = self.stopped_header
        if header is not None and response.headers.get(header[0], "").startswith(header[1]):
            return True
        if not response.is_error or self.stopped_text is None:
            return False
        said = response.text
        if self.query_echo is not None:
            said = said.split(self.query_echo, 1)[0]  # a query may hold the pattern's text
        return bool(self.stopped_text.search(said))

    def hiding(self, graphs: tuple[str, ...]) -> str:
        """The query prologue that hides `graphs` (Virtuoso pragmas; empty elsewhere)."""
        if self.name != "virtuoso":
            return ""
        return "".join(
            f"define input:default-graph-exclude <{g}>\n"
            f"define input:named-graph-exclude <{g}>\n"
            for g in graphs
        )


OXIGRAPH = Engine(
    name="oxigraph",
    query_path="query",
    update_url=_sibling("update"),
    graph_store_url=_sibling("store"),
    union_parameter="union-default-graph",
)

VIRTUOSO = Engine(
    name="virtuoso",
    query_path="sparql",
    update_url=_sibling("sparql-auth"),
    graph_store_url=_sibling("sparql-graph-crud-auth"),
    own_default_graph=False,
    timeout_parameter="timeout",
    timeout_unit=0.001,
    stopped_header=("x-sql-state", "S1TAT"),
    stopped_text=re.compile(r"Virtuoso S1TAT Error"),
    query_echo="\nSPARQL query:",
    system_graphs=VIRTUOSO_SYSTEM_GRAPHS,
    hides_service_description=True,
    ask_variable="__ASK_RETVAL",
    expands_graph_sets=True,
    numeric_booleans=True,
    datatype_aliases=(("http://www.openlinksw.com/schemas/virtrdf#Geometry",
                       "http://www.opengis.net/ont/geosparql#wktLiteral"),),
    auth_scheme="digest",
)

SPARQL11 = Engine(name="sparql11")

ENGINES: dict[str, Engine] = {e.name: e for e in (OXIGRAPH, VIRTUOSO, SPARQL11)}

#: The `Server` response header of each engine, for `--store-engine auto`.
_SERVER_HEADERS = {"oxigraph": OXIGRAPH, "virtuoso": VIRTUOSO}


def engine_named(name: str) -> Engine:
    """The engine profile called `name` (oxigraph, virtuoso, sparql11)."""
    try:
        return ENGINES[name.lower()]
    except KeyError:
        raise CckgError(
            f"unknown SPARQL engine {name!r}",
            where="--store-engine",
            fix=f"use one of: auto, {', '.join(ENGINES)}",
        ) from None


def engine_from_server_header(server: str) -> Engine:
    """The profile of the engine whose `Server` header is `server` (else sparql11)."""
    product = re.split(r"[/\s]", server.strip(), maxsplit=1)[0].lower()
    return _SERVER_HEADERS.get(product, SPARQL11)
