"""Content negotiation for linked-data responses: formats, Accept (q-values), extensions.

One table of formats serves dereferencing, the ontology, VoID and the named queries, so
every route offers the same media types and file extensions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import mimeparse
from rdflib import Graph

from cckg.namespaces import PREFIXES


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


def serialize(graph: Graph, fmt: Format) -> bytes:
    """The graph in an RDF format, with the CCKG prefixes bound."""
    if fmt.rdflib_format is None:
        raise ValueError(f"{fmt.label} is not an RDF format")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    kwargs: dict[str, object] = {}
    if fmt is JSONLD:
        kwargs["context"] = dict(PREFIXES)
        kwargs["auto_compact"] = True
    return graph.serialize(format=fmt.rdflib_format, encoding="utf-8", **kwargs)


def content_type(fmt: Format) -> str:
    """The Content-Type header value for a format (UTF-8 for text formats)."""
    return f"{fmt.media_type}; charset=utf-8"
