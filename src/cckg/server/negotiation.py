"""Content negotiation of pages and linked data: the extension or Accept picks a format,
alternates are linked, and a 406 lists what is on offer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox
from fastapi import Request, Response
from fastapi.responses import PlainTextResponse
from rdflib import Graph

from cckg.rdf.formats import Format, MalformedAccept, NotAcceptable, by_extension, negotiate
from cckg.rdf.results import NotWritable, write_rdflib_graph, write_sorted_graph
from cckg.server.urls import for_header


def alternates(local_url: str, offered: Sequence[Format]) -> list[dict[str, str]]:
    """One entry (key, label, media type, href) per format, at `local_url` + extension."""
    return [
        {"key": f.key, "label": f.label, "media_type": f.media_type,
         "href": f"{local_url}.{f.extension}"}
        for f in offered
    ]


def link(href: str, rel: str, **params: str) -> str:
    """One link of a Link header: `<href>; rel="rel"` and its parameters (e.g. type,
    title), the URL made ASCII (an IRI may hold Chinese characters; headers may not)."""
    extra = "".join(f'; {name}="{value}"' for name, value in params.items())
    return f'<{for_header(href)}>; rel="{rel}"{extra}'


def link_header(alts: list[dict[str, str]], served: Format | None, canonical: str) -> str:
    """A Link header: rel="alternate" to every other format, rel="canonical" to the IRI."""
    parts = [
        link(a["href"], "alternate", type=a["media_type"])
        for a in alts
        if served is None or a["key"] != served.key
    ]
    parts.append(link(canonical, "canonical"))
    return ", ".join(parts)


def split_extension(path: str, offered: Sequence[Format]) -> tuple[str, Format | None]:
    """'place/620000.ttl' -> ('place/620000', Turtle); no known extension -> (path, None)."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext:
        fmt = by_extension(ext, offered)
        if fmt is not None:
            return stem, fmt
    return path, None


def choose_format(request: Request, forced: Format | None, offered: Sequence[Format],
                  default: Format) -> Format:
    """The extension's format if one was given, else the Accept header's best."""
    if forced is not None:
        return forced
    return negotiate(request.headers.get("accept"), offered, default)


def not_acceptable(exc: NotAcceptable, link: str | None = None) -> PlainTextResponse:
    """406 listing the formats on offer (also for an Accept header that does not parse)."""
    what = (
        "does not parse" if isinstance(exc, MalformedAccept)
        else "matches none of the formats on offer"
    )
    body = (
        f"The Accept header {exc.accept!r} {what}.\n"
        f"Supported media types: {', '.join(exc.supported)}.\n"
        "How to fix: send one of them in Accept, or add its file extension to the URL "
        "(.html, .ttl, .jsonld, .nt, .rdf).\n"
    )
    headers = {"Vary": "Accept"}
    if link:
        headers["Link"] = link
    return PlainTextResponse(body, status_code=406, headers=headers)


def rdf_response(
    graph: Graph | Sequence[ox.Triple], fmt: Format, headers: dict[str, str],
    namespaces: Mapping[str, str] | None = None,
) -> Response:
    """The graph (rdflib, or pyoxigraph triples declaring the `namespaces` they use) in an
    RDF format; 406 with advice if that format cannot carry it."""
    try:
        if isinstance(graph, Graph):
            body = write_rdflib_graph(graph, fmt)
        else:
            body = write_sorted_graph(graph, fmt, namespaces or {})
    except NotWritable as exc:
        return PlainTextResponse(f"{exc}\n", status_code=exc.status, headers=headers)
    return Response(body, media_type=fmt.content_type, headers=headers)
