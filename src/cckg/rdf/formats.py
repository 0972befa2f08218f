"""Content negotiation for linked-data responses: formats, Accept (q-values), extensions.

One table of formats serves dereferencing, the ontology, VoID and the named queries, so
every route offers the same media types and file extensions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import mimeparse
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cckg.rdf.namespaces import PREFIXES


@dataclass(frozen=True)
class Format:
    """One representation a route can answer with."""

    key: str
    media_type: str
    extension: str
    label: str
    rdflib_format: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def is_rdf(self) -> bool:
        return self.rdflib_format is not None


HTML = Format("html", "text/html", "html", "HTML", aliases=("application/xhtml+xml",))
TURTLE = Format(
    "turtle", "text/turtle", "ttl", "Turtle", "turtle", aliases=("application/x-turtle",)
)
JSONLD = Format("jsonld", "application/ld+json", "jsonld", "JSON-LD", "json-ld")
NTRIPLES = Format("ntriples", "application/n-triples", "nt", "N-Triples", "nt")
RDFXML = Format("rdfxml", "application/rdf+xml", "rdf", "RDF/XML", "xml")
CSV = Format("csv", "text/csv", "csv", "CSV")
JSON = Format(
    "json", "application/sparql-results+json", "json", "SPARQL JSON",
    aliases=("application/json",),
)

RDF_FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML)
LINKED_DATA_FORMATS: tuple[Format, ...] = (HTML, *RDF_FORMATS)
TABLE_FORMATS: tuple[Format, ...] = (HTML, CSV, JSON)


class NotAcceptable(Exception):
    """No offered format matches the Accept header (answer 406)."""

    def __init__(self, accept: str, offered: Sequence[Format]):
        self.accept = accept
        self.offered = tuple(offered)
        super().__init__(f"cannot answer Accept: {accept}")

    @property
    def supported(self) -> list[str]:
        return [f.media_type for f in self.offered]


class MalformedAccept(NotAcceptable):
    """An Accept header that does not parse as media ranges."""


def by_extension(extension: str, offered: Sequence[Format]) -> Format | None:
    """The offered format whose file extension is `extension` (without the dot)."""
    return next((f for f in offered if f.extension == extension), None)


def negotiate(accept: str | None, offered: Sequence[Format], default: Format) -> Format:
    """The best offered format for an Accept header; `default` wins ties and `*/*`.

    Raises NotAcceptable when nothing offered is acceptable.
    """
    if not accept or not accept.strip():
        return default
    # Media types and their parameter names are case-insensitive (RFC 9110, 8.3.1).
    accept = accept.lower()
    # mimeparse resolves ties in favour of the last candidate: put the default last.
    ordered = [f for f in offered if f != default] + [default]
    candidates: list[str] = []
    owner: dict[str, Format] = {}
    for fmt in ordered:
        for media in (*fmt.aliases, fmt.media_type):
            candidates.append(media)
            owner[media] = fmt
    try:
        best = mimeparse.best_match(candidates, accept)
    except (mimeparse.MimeTypeParseException, ValueError, IndexError) as exc:
        raise MalformedAccept(accept, offered) from exc
    if not best:
        raise NotAcceptable(accept, offered)
    return owner[best]


#: A Turtle prefix name this module declares for a kind of thing under id/.
_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

#: pyoxigraph's writer for each RDF format; it keeps every literal's lexical form.
_OX_FORMATS = {
    TURTLE.key: ox.RdfFormat.TURTLE,
    JSONLD.key: ox.RdfFormat.JSON_LD,
    NTRIPLES.key: ox.RdfFormat.N_TRIPLES,
    RDFXML.key: ox.RdfFormat.RDF_XML,
}


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term, a literal keeping its lexical form."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def serialize(graph: Graph, fmt: Format) -> bytes:
    """The graph in an RDF format, triples sorted, prefixes declared where the format has them.

    pyoxigraph writes the triples, so "3"^^xsd:decimal stays "3" (rdflib's Turtle writer
    would print 3.0, and its JSON-LD writer turns "01"^^xsd:integer into 1).
    """
    if fmt.rdflib_format is None or fmt.key not in _OX_FORMATS:
        raise ValueError(f"{fmt.label} is not an RDF format")
    ordered = sorted(graph, key=lambda t: (isinstance(t[0], BNode), *map(str, t)))
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in ordered]
    return ox.serialize(triples, format=_OX_FORMATS[fmt.key], prefixes=prefixes_for(graph))


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


def content_type(fmt: Format) -> str:
    """The Content-Type header value for a format (UTF-8 for text formats)."""
    return f"{fmt.media_type}; charset=utf-8"
