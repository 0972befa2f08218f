"""Every format CCKG reads or writes, in one table, and how a request picks one.

A `Format` has its media type, file extension, label, rdflib parser/writer name and W3C
format IRI. Linked-data pages, named queries, the SPARQL endpoint, the dumps and the
release all take their formats from here, so they offer the same media types and
extensions. Negotiation honours q-values; `negotiate` serves pages (the default wins
ties), `choose_result_format` the SPARQL endpoint (the earlier offer wins ties, and the
`format` parameter beats Accept).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import mimeparse

#: W3C's IRIs of formats (http://www.w3.org/ns/formats/), named in service descriptions.
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """One representation: media type, extension, label and how libraries name it."""

    key: str
    media_type: str
    extension: str
    label: str
    #: rdflib's name of the format (None: not an RDF format).
    rdflib_format: str | None = None
    #: Other media types that ask for this format in an Accept header.
    aliases: tuple[str, ...] = ()
    #: The local name of its W3C format IRI (None: W3C names none).
    w3c: str | None = None

    @property
    def is_rdf(self) -> bool:
        return self.rdflib_format is not None

    @property
    def content_type(self) -> str:
        """The Content-Type header value (UTF-8: every format here is text)."""
        return f"{self.media_type}; charset=utf-8"


HTML = Format("html", "text/html", "html", "HTML", aliases=("application/xhtml+xml",))
TURTLE = Format(
    "turtle", "text/turtle", "ttl", "Turtle", "turtle", aliases=("application/x-turtle",),
    w3c="Turtle",
)
JSONLD = Format("jsonld", "application/ld+json", "jsonld", "JSON-LD", "json-ld", w3c="JSON-LD")
NTRIPLES = Format("ntriples", "application/n-triples", "nt", "N-Triples", "nt", w3c="N-Triples")
NQUADS = Format("nquads", "application/n-quads", "nq", "N-Quads", "nquads", w3c="N-Quads")
RDFXML = Format("rdfxml", "application/rdf+xml", "rdf", "RDF/XML", "xml", w3c="RDF_XML")
JSON = Format(
    "json", "application/sparql-results+json", "json", "SPARQL JSON",
    aliases=("application/json",), w3c="SPARQL_Results_JSON",
)
XML = Format(
    "xml", "application/sparql-results+xml", "srx", "SPARQL XML",
    aliases=("application/xml", "text/xml"), w3c="SPARQL_Results_XML",
)
CSV = Format("csv", "text/csv", "csv", "CSV", w3c="SPARQL_Results_CSV")
TSV = Format("tsv", "text/tab-separated-values", "tsv", "TSV", w3c="SPARQL_Results_TSV")
JSON_DOCUMENT = Format("json-document", "application/json", "json", "JSON")

#: The RDF formats a linked-data resource is offered in (and the release is written in).
RDF_FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML)
LINKED_DATA_FORMATS: tuple[Format, ...] = (HTML, *RDF_FORMATS)
#: A named query's answer: a page, or its table as a file.
TABLE_FORMATS: tuple[Format, ...] = (HTML, CSV, JSON)

#: The endpoint's formats per kind of result; the first is the default (*/* or no Accept).
#: For graphs it also takes the generic media types SPARQL clients send.
RESULT_FORMATS: dict[str, tuple[Format, ...]] = {
    "solutions": (JSON, XML, CSV, TSV),
    "boolean": (JSON, XML),
    "graph": (
        TURTLE,
        replace(NTRIPLES, aliases=("text/plain",)),
        replace(JSONLD, aliases=("application/json",)),
        replace(RDFXML, aliases=("application/xml", "text/xml")),
    ),
}

#: Short names the endpoint's `format` parameter accepts, per kind, besides the keys.
RESULT_FORMAT_NAMES: dict[str, dict[str, str]] = {
    "solutions": {"srj": "json", "srx": "xml"},
    "boolean": {"srj": "json", "srx": "xml"},
    "graph": {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld",
              "json": "jsonld", "rdf": "rdfxml", "xml": "rdfxml"},
}

#: The kind of result each query form gives.
KIND_OF_FORM = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


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


class FormatError(ValueError):
    """No offered result format fits: `status` is 406 (Accept) or 400 (`format`)."""

    def __init__(self, message: str, status: int, offered: Sequence[Format]):
        super().__init__(message)
        self.status = status
        self.offered = tuple(offered)


def by_extension(extension: str, offered: Sequence[Format]) -> Format | None:
    """The offered format whose file extension is `extension` (without the dot)."""
    return next((f for f in offered if f.extension == extension), None)


def _best(accept: str, ordered: Sequence[Format]) -> Format | None:
    """The Accept header's best match among `ordered`; the last one wins ties (mimeparse).

    Raises ValueError (or a mimeparse error) when the header does not parse.
    """
    owner: dict[str, Format] = {}
    for fmt in ordered:
        for media in (*fmt.aliases, fmt.media_type):
            owner.pop(media, None)
            owner[media] = fmt
    best = mimeparse.best_match(list(owner), accept)
    return owner[best] if best else None


def negotiate(accept: str | None, offered: Sequence[Format], default: Format) -> Format:
    """The best offered format for an Accept header; `default` wins ties and `*/*`.

    Raises NotAcceptable when nothing offered is acceptable.
    """
    if not accept or not accept.strip():
        return default
    # Media types and their parameter names are case-insensitive (RFC 9110, 8.3.1).
    accept = accept.lower()
    try:
        best = _best(accept, [f for f in offered if f != default] + [default])
    except (mimeparse.MimeTypeParseException, ValueError, IndexError) as exc:
        raise MalformedAccept(accept, offered) from exc
    if best is None:
        raise NotAcceptable(accept, offered)
    return best


def choose_result_format(kind: str, accept: str | None, format_param: str | None) -> Format:
    """The endpoint's format for a kind of result: the `format` parameter if given, else
    the best for Accept (the earlier offer wins ties)."""
    offered = RESULT_FORMATS[kind]
    if format_param:
        wanted = format_param.strip().lower()
        name = RESULT_FORMAT_NAMES[kind].get(wanted, wanted)
        for fmt in offered:
            if name in (fmt.key, fmt.media_type, *fmt.aliases):
                return fmt
        names = ", ".join(f.key for f in offered)
        raise FormatError(
            f"format={format_param!r} is not offered for this query; use one of: {names}",
            400,
            offered,
        )
    if not accept or not accept.strip():
        return offered[0]
    try:
        best = _best(accept, list(reversed(offered)))
    except (mimeparse.MimeTypeParseException, ValueError, IndexError):
        best = None
    if best is None:
        listed = ", ".join(f.media_type for f in offered)
        raise FormatError(
            f"cannot answer Accept: {accept}; this query's results are offered as: {listed}",
            406,
            offered,
        )
    return best
