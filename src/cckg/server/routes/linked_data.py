"""Dereferencing: every IRI under id/ answers HTML to browsers and RDF to RDF clients.

The format comes from the extension (.html, .ttl, .jsonld, .nt, .rdf) or else from the
Accept header (q-values). Every answer says `Vary: Accept` and links each other format
(rel="alternate") and the public IRI (rel="canonical"). An unknown IRI is a 404 that helps;
an Accept nothing matches is a 406 that lists what is on offer.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from cckg.rdf.formats import HTML, LINKED_DATA_FORMATS, NotAcceptable
from cckg.rdf.query_exec import select_rows
from cckg.server.context import AppContext
from cckg.server.describe import (
    NAMESPACES,
    Description,
    description_graph,
    description_triples,
)
from cckg.server.negotiation import (
    alternates,
    choose_format,
    link,
    link_header,
    not_acceptable,
    rdf_response,
    split_extension,
)
from cckg.server.rendering import link_from_row, printable, render
from cckg.server.urls import Urls, for_header
from cckg.server.views import Value, resource_view

#: Characters an IRI path may hold (RFC 3987 minus what SPARQL forbids in <...>).
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~:@!$&'()*+,;=/%\-\u00a0-\U0010ffff]+$")
SUGGESTIONS = 8
#: Longest local name (or label query) compared with the labels for suggestions.
MAX_KEY = 100
#: How much of each label the comparison reads.
MAX_LABEL = 200
#: The least similarity (difflib ratio) a suggestion needs.
MIN_RATIO = 0.5
#: The link relation from a capped description to the list of all links in (Hydra).
COLLECTION = "http://www.w3.org/ns/hydra/core#collection"


def is_describable(resource_path: str, iri: str) -> bool:
    """Whether `iri` (for /id/`resource_path`) is an IRI a SPARQL query can name."""
    if not resource_path or _SAFE_PATH.match(resource_path) is None:
        return False
    try:
        ox.NamedNode(iri)
    except (SyntaxError, ValueError):
        return False
    return True


def suggestions(ctx: AppContext, urls: Urls, iri: str) -> list[Value]:
    """Things whose IRI or label is close to an unknown IRI (same kind first).

    The work is bounded: a local name longer than MAX_KEY gets no suggestions, labels are
    cut to MAX_LABEL characters, and difflib's cheap upper bounds rule most labels out
    before the full ratio is computed.
    """
    id_base = urls.iri_for_path("id/")
    rest = iri[len(id_base):] if iri.startswith(id_base) else iri
    kind, _, key = rest.partition("/")
    key = (key or kind).lower()
    if not key or len(key) > MAX_KEY or len(kind) > MAX_KEY:
        return []

    def candidates(prefix: str) -> list[dict[str, Any]]:
        return select_rows(
            ctx.store,
            f"""SELECT ?s (SAMPLE(?en) AS ?len) (SAMPLE(?zh) AS ?lzh) WHERE {{
              ?s rdfs:label ?l FILTER(isIRI(?s) && STRSTARTS(STR(?s), {json.dumps(prefix)}))
              OPTIONAL {{ ?s rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
              OPTIONAL {{ ?s rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }}
            }} GROUP BY ?s""",
        )

    rows = (candidates(f"{id_base}{kind}/") if kind and key != kind.lower() else []) or \
        candidates(id_base)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(key)  # difflib caches what it learns about the second sequence

    def similarity(text: str) -> float:
        matcher.set_seq1(text[:MAX_LABEL])
        if matcher.real_quick_ratio() < MIN_RATIO or matcher.quick_ratio() < MIN_RATIO:
            return 0.0
        return matcher.ratio()

    def score(row: dict[str, Any]) -> float:
        own_key = row["s"].value.rsplit("/", 1)[-1].lower()
        labels = [row[k].value.lower() for k in ("len", "lzh") if k in row]
        return max(similarity(text) for text in [own_key, *labels])

    ranked = sorted(((score(r), r["s"].value, r) for r in rows), key=lambda t: (-t[0], t[1]))
    return [link_from_row(urls, r) for s, _, r in ranked[:SUGGESTIONS] if s >= MIN_RATIO]


def not_found(
    request: Request, ctx: AppContext, urls: Urls, iri: str, as_html: bool, describable: bool
) -> Response:
    """404: a page with similar things and a search box for browsers (`as_html`), plain
    text otherwise.

    An IRI this server cannot describe (not an IRI, or with characters no SPARQL query can
    name) gets the same help without suggestions. Control characters are shown escaped.
    """
    headers = {"Vary": "Accept"}
    shown = printable(iri)
    if as_html:
        query = printable(iri.rstrip("/").rsplit("/", 1)[-1][:MAX_KEY])
        page = render(
            request, ctx, "not_found.html", status=404, iri=shown, query=query,
            describable=describable,
            suggestions=suggestions(ctx, urls, iri) if describable else [],
        )
        page.headers.update(headers)
        return page
    what = "the graph has nothing about" if describable else "this server describes no IRI like"
    body = (
        f"Not found: {what} <{shown}>.\n"
        f"Search labels at {urls.page('search')}?q=..., browse {urls.page('')}, "
        f"or query {urls.endpoint()}.\n"
    )
    return PlainTextResponse(body, status_code=404, headers=headers)


def add_cut_headers(headers: dict[str, str], found: Description, all_links: str) -> None:
    """What a description that left things linking in out adds to its headers: a Link to
    the list of all links in (rel hydra:collection, "collections somehow related to this
    resource", titled with the counts) and X-CCKG-Truncated, as a cut query result has."""
    counts = f"{found.shown} of {found.total} things linking here"
    headers["Link"] += ", " + link(all_links, COLLECTION, title=counts)
    headers["X-CCKG-Truncated"] = (
        f"inbound links cut: {counts} are described; all at {for_header(all_links)}")


def router(ctx: AppContext) -> APIRouter:
    """GET/HEAD /id/{path}: the description of one thing, in the format asked for."""
    api = APIRouter()

    @api.api_route("/id/{path:path}", methods=["GET", "HEAD"])
    def dereference(path: str, request: Request) -> Response:
        urls = ctx.urls.for_request(request)
        resource_path, forced = split_extension(path, LINKED_DATA_FORMATS)
        iri = urls.iri_for_path(f"id/{resource_path}")
        local = urls.page(f"id/{resource_path}")
        alts = alternates(local, LINKED_DATA_FORMATS)
        try:
            fmt = choose_format(request, forced, LINKED_DATA_FORMATS, HTML)
        except NotAcceptable as exc:
            return not_acceptable(exc, link_header(alts, None, iri))
        key = ctx.answers.key("id", path, fmt.key, urls.local_base)
        kept = ctx.answers.lookup(request, key)
        if kept is not None:
            return kept
        valid = is_describable(resource_path, iri)
        found = description_triples(iri, ctx.store, ctx.settings.max_inbound) if valid else None
        if found is None:
            return not_found(request, ctx, urls, iri, fmt is HTML, valid)
        headers = {
            "Vary": "Accept",
            "Link": link_header(alts, fmt, iri),
            "Content-Location": for_header(f"{local}.{fmt.extension}"),
        }
        all_links = urls.inbound(resource_path)
        if found.is_cut:
            add_cut_headers(headers, found, all_links)
        if fmt is HTML:
            page = render(
                request, ctx, "resource.html",
                view=resource_view(iri, description_graph(found.triples), urls),
                alternates=alts, cut=found if found.is_cut else None, all_links=all_links,
            )
            page.headers.update(headers)
            return ctx.answers.store(key, page)
        return ctx.answers.store(key, rdf_response(found.triples, fmt, headers, NAMESPACES))

    return api
