"""The one writer of each result format: solutions (SPARQL JSON, XML, CSV, TSV), booleans
and graphs (Turtle, N-Triples, JSON-LD, RDF/XML).

Solutions are written here because the endpoint caps the rows it returns and pyoxigraph
only serialises a whole result iterator; graphs are written by pyoxigraph, which keeps
every literal's lexical form. This module must stay light: query workers import it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from cckg.rdf.formats import CSV, JSON, JSONLD, NTRIPLES, RDFXML, TSV, TURTLE, XML, Format
from cckg.rdf.namespaces import PREFIXES
from cckg.rdf.terms import XSD_STRING, SolutionTerm, to_ox_triple

RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


_RDF_FORMAT = {
    TURTLE.key: ox.RdfFormat.TURTLE,
    NTRIPLES.key: ox.RdfFormat.N_TRIPLES,
    JSONLD.key: ox.RdfFormat.JSON_LD,
    RDFXML.key: ox.RdfFormat.RDF_XML,
}
#: A Turtle prefix name declared for a kind of thing under id/ (place:, commitment:).
_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class Row(Protocol):
    """One solution: a variable's value, or None where it is unbound."""

    def __getitem__(self, name: str, /) -> object: ...


class Bindings(dict[str, SolutionTerm]):
    """A solution as a dict of the bound variables; an unbound one reads as None."""

    def __missing__(self, name: str) -> None:
        return None


#: Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class NotWritable(ValueError):
    """A result that the chosen format cannot represent (answered 406 with advice)."""

    status = 406


def _xml_safe(value: str, suggestion: str) -> str:
    match = _NOT_XML.search(value)
    if match:
        raise NotWritable(
            f"a result value contains the character U+{ord(match.group()):04X}, which XML "
            f"1.0 cannot carry. How to fix: ask for {suggestion} (Accept header or format=)."
        )
    return value


def _has_triple_term(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.Triple) or isinstance(triple.object, ox.Triple)


def _term_values(triple: ox.Triple) -> Iterable[str]:
    for term in (triple.subject, triple.predicate, triple.object):
        if isinstance(term, ox.Triple):
            yield from _term_values(term)
        elif isinstance(term, ox.Literal):
            yield term.value
            yield term.language or ""
        else:
            yield term.value


# -- writing -------------------------------------------------------------------------


def write_boolean(answer: bool | ox.QueryBoolean, fmt: Format) -> bytes:
    """An ASK answer in SPARQL JSON or XML, or as a one-cell CSV table."""
    value = "true" if bool(answer) else "false"
    if fmt.key == JSON.key:
        return f'{{"head":{{}},"boolean":{value}}}'.encode()
    if fmt.key == XML.key:
        return (f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head></head>'
                f"<boolean>{value}</boolean></sparql>").encode()
    if fmt.key == CSV.key:
        return f"boolean\r\n{value}\r\n".encode()
    raise ValueError(f"{fmt.label} cannot carry a boolean answer")


def write_graph(
    triples: Iterable[ox.Triple], fmt: Format, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Triples in an RDF format, declaring `prefixes` (default: CCKG's, in Turtle and
    RDF/XML).

    Raises NotWritable for triple terms in JSON-LD and for XML-illegal characters in RDF/XML.
    """
    rdf_format = _RDF_FORMAT[fmt.key]
    triples = list(triples)
    if fmt.key == JSONLD.key and any(_has_triple_term(t) for t in triples):
        raise NotWritable(
            "the result has triple terms (RDF 1.2), which JSON-LD cannot carry. "
            "How to fix: ask for Turtle or N-Triples (Accept: text/turtle or format=turtle)."
        )
    if fmt.key == RDFXML.key:
        for triple in triples:
            for value in _term_values(triple):
                _xml_safe(value, "Turtle, N-Triples or JSON-LD")
    if prefixes is None and fmt.key in {TURTLE.key, RDFXML.key}:
        prefixes = PREFIXES
    body = ox.serialize(
        triples, format=rdf_format, prefixes=dict(prefixes) if prefixes is not None else None
    )
    assert body is not None  # no output file given: the bytes are returned
    return body


def write_rdflib_graph(graph: Graph, fmt: Format) -> bytes:
    """An rdflib graph in an RDF format, triples sorted, with the prefixes its IRIs use.

    pyoxigraph writes the triples, so "3"^^xsd:decimal stays "3" (rdflib's Turtle writer
    would print 3.0, and its JSON-LD writer turns "01"^^xsd:integer into 1).
    """
    if fmt.key not in _RDF_FORMAT:
        raise ValueError(f"{fmt.label} is not an RDF format")
    ordered = sorted(graph, key=lambda t: (isinstance(t[0], BNode), *map(str, t)))
    triples = [to_ox_triple(s, p, o) for s, p, o in ordered]
    return write_graph(triples, fmt, prefixes_for(graph))


def prefixes_for(graph: Graph) -> dict[str, str]:
    """The prefixes the graph's IRIs use: CCKG's, the graph's own bindings (e.g. sd:) and
    one per kind of thing under id/ (place:, commitment:), so names need no escaped '/'."""
    iris = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    iris |= {str(t.datatype) for t in graph.objects() if isinstance(t, Literal) and t.datatype}
    candidates = {str(p): str(ns) for p, ns in graph.namespaces() if p}
    candidates.update(PREFIXES)
    id_base = PREFIXES["id"]
    for iri in iris:
        kind, slash, _ = iri.removeprefix(id_base).partition("/")
        if iri.startswith(id_base) and slash and _PREFIX_NAME.match(kind) and kind not in PREFIXES:
            candidates[kind] = f"{id_base}{kind}/"
    namespaces = sorted(candidates.items())
    return {p: ns for p, ns in namespaces if any(i.startswith(ns) for i in iris)}


def write_solutions(variables: Sequence[str], rows: Sequence[Row], fmt: Format) -> bytes:
    """SELECT rows in one of the four SPARQL results formats."""
    writers = {JSON.key: _json, XML.key: _xml, CSV.key: _csv, TSV.key: _tsv}
    return writers[fmt.key](variables, rows)


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        }}
    raise TypeError(f"not an RDF term: {term!r}")


def _json(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    bindings = []
    for row in rows:
        binding = {}
        for var in variables:
            term = row[var]
            if term is not None:
                binding[var] = _json_term(term)
        bindings.append(binding)
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        _xml_safe(term.value, "JSON, CSV or TSV")
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def _xml(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    out = [f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for var in variables:
            term = row[var]
            if term is not None:
                out.append(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _csv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row[v]) for v in variables])
    return buffer.getvalue().encode("utf-8")


def _tsv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        cells = []
        for var in variables:
            term = row[var]
            text = "" if term is None else str(term)
            cells.append(text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")
