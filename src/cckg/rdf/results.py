"""SPARQL result formats: which the endpoint offers, how to choose one, how to write one.

SELECT results are written here (JSON, XML, CSV, TSV) because the endpoint caps the rows
it returns and pyoxigraph only serialises a whole result iterator; booleans and graphs
are written by pyoxigraph. This module must stay light: query workers import it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import mimeparse
import pyoxigraph as ox

from cckg.rdf.namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation of one kind of result ('solutions', 'boolean' or 'graph')."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


#: Offered formats per result kind; the first is the default (for */* or no Accept).
FORMATS: dict[str, tuple[ResultFormat, ...]] = {
    "solutions": (
        ResultFormat("json", "application/sparql-results+json", ("application/json",)),
        ResultFormat("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
        ResultFormat("csv", "text/csv"),
        ResultFormat("tsv", "text/tab-separated-values"),
    ),
    "boolean": (
        ResultFormat("json", "application/sparql-results+json", ("application/json",)),
        ResultFormat("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    ),
    "graph": (
        ResultFormat("turtle", "text/turtle", ("application/x-turtle",)),
        ResultFormat("ntriples", "application/n-triples", ("text/plain",)),
        ResultFormat("jsonld", "application/ld+json", ("application/json",)),
        ResultFormat("rdfxml", "application/rdf+xml", ("application/xml", "text/xml")),
    ),
}

#: Short names accepted by the `format` parameter, per kind, besides each format's own name.
FORMAT_NAMES: dict[str, dict[str, str]] = {
    "solutions": {"srj": "json", "srx": "xml"},
    "boolean": {"srj": "json", "srx": "xml"},
    "graph": {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld",
              "json": "jsonld", "rdf": "rdfxml", "xml": "rdfxml"},
}

KIND_OF_FORM = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}

_RDF_FORMAT = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_BOOLEAN_FORMAT = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}


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


class FormatError(ValueError):
    """No offered format fits the request: `status` is 406 (Accept) or 400 (`format`)."""

    def __init__(self, message: str, status: int, offered: Sequence[ResultFormat]):
        super().__init__(message)
        self.status = status
        self.offered = tuple(offered)


def choose(kind: str, accept: str | None, format_param: str | None) -> ResultFormat:
    """The format for a result kind: the `format` parameter if given, else by Accept."""
    offered = FORMATS[kind]
    if format_param:
        wanted = format_param.strip().lower()
        name = FORMAT_NAMES[kind].get(wanted, wanted)
        for fmt in offered:
            if name in (fmt.name, fmt.media_type, *fmt.aliases):
                return fmt
        names = ", ".join(f.name for f in offered)
        raise FormatError(
            f"format={format_param!r} is not offered for this query; use one of: {names}",
            400,
            offered,
        )
    if not accept or not accept.strip():
        return offered[0]
    # mimeparse resolves ties in favour of the last candidate: put the default last.
    owner: dict[str, ResultFormat] = {}
    for fmt in reversed(offered):
        for media in (*fmt.aliases, fmt.media_type):
            owner.pop(media, None)
            owner[media] = fmt
    try:
        best = mimeparse.best_match(list(owner), accept)
    except (mimeparse.MimeTypeParseException, ValueError, IndexError):
        best = ""
    if not best:
        listed = ", ".join(f.media_type for f in offered)
        raise FormatError(
            f"cannot answer Accept: {accept}; this query's results are offered as: {listed}",
            406,
            offered,
        )
    return owner[best]


# -- writing -------------------------------------------------------------------------


def write_boolean(result: ox.QueryBoolean, fmt: ResultFormat) -> bytes:
    """An ASK result in JSON or XML."""
    return result.serialize(format=_BOOLEAN_FORMAT[fmt.name])


def write_graph(triples: Iterable[ox.Triple], fmt: ResultFormat) -> bytes:
    """CONSTRUCT or DESCRIBE triples in an RDF format (with the CCKG prefixes).

    Raises NotWritable for triple terms in JSON-LD and for XML-illegal characters in RDF/XML.
    """
    rdf_format = _RDF_FORMAT[fmt.name]
    triples = list(triples)
    if fmt.name == "jsonld" and any(_has_triple_term(t) for t in triples):
        raise NotWritable(
            "the result has triple terms (RDF 1.2), which JSON-LD cannot carry. "
            "How to fix: ask for Turtle or N-Triples (Accept: text/turtle or format=turtle)."
        )
    if fmt.name == "rdfxml":
        for triple in triples:
            for value in _term_values(triple):
                _xml_safe(value, "Turtle, N-Triples or JSON-LD")
    prefixes = PREFIXES if fmt.name in {"turtle", "rdfxml"} else None
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)


def write_solutions(
    variables: Sequence[str], rows: Sequence[ox.QuerySolution], fmt: ResultFormat
) -> bytes:
    """SELECT rows in one of the four SPARQL results formats."""
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt.name]
    return writer(variables, rows)


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


def _json(variables: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
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


def _xml(variables: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
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


def _csv(variables: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row[v]) for v in variables])
    return buffer.getvalue().encode("utf-8")


def _tsv(variables: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        cells = []
        for var in variables:
            term = row[var]
            text = "" if term is None else str(term)
            cells.append(text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")
