"""Run a SPARQL query on the built graph (embedded pyoxigraph) or on a remote endpoint.

Both give a `ResultTable`, so the CLI formats local and remote results the same way.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import XSD

from cckg.errors import CckgError
from cckg.rdf.named_queries import BoundValue, NamedQuery, with_trailing_values
from cckg.rdf.namespaces import PREFIXES


@dataclass(frozen=True)
class Cell:
    """One bound value: its lexical form, its kind (uri, literal, bnode), language, datatype."""

    value: str
    kind: str
    lang: str | None = None
    datatype: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out


@dataclass(frozen=True)
class ResultTable:
    """SELECT rows (or an ASK answer) with their variables in projection order."""

    variables: list[str]
    rows: list[dict[str, Cell]]
    boolean: bool | None = None

    def column(self, name: str) -> list[str | None]:
        return [row[name].value if name in row else None for row in self.rows]

    def to_sparql_json(self) -> str:
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean})
        body = {
            "head": {"vars": self.variables},
            "results": {
                "bindings": [{k: c.to_json() for k, c in row.items()} for row in self.rows]
            },
        }
        return json.dumps(body, ensure_ascii=False, indent=1)

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if self.boolean is not None:
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
            return buffer.getvalue()
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow([row[v].value if v in row else "" for v in self.variables])
        return buffer.getvalue()


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(term.value, "uri")
    if isinstance(term, ox.BlankNode):
        return Cell(term.value, "bnode")
    if term.language:
        return Cell(term.value, "literal", lang=term.language)
    datatype = term.datatype.value
    # RDF 1.1: a simple literal is an xsd:string; SPARQL JSON results leave that implicit.
    return Cell(term.value, "literal", datatype=None if datatype == str(XSD.string) else datatype)


def _ox_term(value: BoundValue) -> ox.NamedNode | ox.Literal:
    if value.kind == "iri":
        return ox.NamedNode(value.value)
    if value.kind == "integer":
        return ox.Literal(value.value, datatype=ox.NamedNode(str(XSD.integer)))
    return ox.Literal(value.value)


class LocalGraph:
    """The built N-Quads dump in an in-memory pyoxigraph store; the default graph is the
    union of all named graphs, as on the server."""

    def __init__(self, nquads: Path):
        self.store = ox.Store()
        try:
            self.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as exc:
            raise CckgError(
                f"cannot read the built graph: {exc}",
                where=str(nquads),
                fix="run `cckg build` again",
            ) from exc

    def run(self, query: NamedQuery, bound: dict[str, BoundValue]) -> ResultTable:
        substitutions = {ox.Variable(k): _ox_term(v) for k, v in bound.items()}
        try:
            result = self.store.query(
                query.text,
                prefixes=PREFIXES,
                use_default_graph_as_union=True,
                substitutions=substitutions,
            )
        except SyntaxError as exc:
            raise CckgError(
                f"the query does not parse: {exc}",
                where=str(query.path),
                fix="correct the SPARQL syntax at the position given",
            ) from exc
        except (RuntimeError, ValueError) as exc:
            raise CckgError(
                f"the query cannot run: {exc}", where=str(query.path),
                fix="check the query and its parameters",
            ) from exc
        if isinstance(result, ox.QueryBoolean):
            return ResultTable([], [], boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                row = {}
                for name in variables:
                    term = solution[name]
                    if term is not None:
                        row[name] = _cell(term)
                rows.append(row)
            return ResultTable(variables, rows)
        triples = list(result)
        rows = [
            {"subject": _cell(t.subject), "predicate": _cell(t.predicate),
             "object": _cell(t.object)}
            for t in triples
        ]
        return ResultTable(["subject", "predicate", "object"], rows)


def run_remote(endpoint: str, query: NamedQuery, bound: dict[str, BoundValue]) -> ResultTable:
    """Run a named query on a remote SPARQL 1.1 endpoint through SPARQLWrapper."""
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    prologue = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items())
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(prologue + with_trailing_values(query.text, bound))
    wrapper.setReturnFormat(JSON)
    wrapper.setMethod("POST")
    try:
        data = wrapper.queryAndConvert()
    except (SPARQLWrapperException, OSError) as exc:
        raise CckgError(
            f"the endpoint did not answer the query: {exc}",
            where=endpoint,
            fix="check the endpoint URL and that it is a SPARQL 1.1 query endpoint",
        ) from exc
    if not isinstance(data, dict):
        raise CckgError("the endpoint did not return SPARQL JSON results", where=endpoint)
    if "boolean" in data:
        return ResultTable([], [], boolean=bool(data["boolean"]))
    variables = list(data["head"].get("vars", []))
    rows = []
    for binding in data["results"]["bindings"]:
        rows.append({
            k: Cell(
                v["value"],
                "bnode" if v["type"] == "bnode" else v["type"] if v["type"] == "uri" else "literal",
                lang=v.get("xml:lang"),
                datatype=v.get("datatype"),
            )
            for k, v in binding.items()
        })
    return ResultTable(variables, rows)
