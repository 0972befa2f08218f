"""The links to one resource as a paged list: each thing linking in, the predicate it links
by, and both their labels; one view as HTML, CSV and JSON.

A description includes at most `max_inbound` things linking in; this list has all of them.
Its rows are ordered by the text of the thing linking in, then of the predicate, and a
capped description shows the things of the list's first rows (`first_linking`). Every
query is plain SPARQL 1.1 run through `Select`, so the list works over the embedded store
and a remote endpoint alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from cckg.server.lists import (
    DEFAULT_SIZE,
    MAX_SIZE,
    Cell,
    ListError,
    Select,
    cell_of,
    labels_of,
    positive_number,
)


@dataclass(frozen=True)
class InboundLink:
    """One link in: the thing linking and the predicate it links by."""

    subject: Cell
    predicate: Cell


@dataclass(frozen=True)
class InboundPage:
    """One page of the links to `resource`: `total` links in all, (thing, predicate) pairs,
    from `things` things (the count a capped description gives)."""

    resource: Cell
    page: int
    size: int
    total: int
    things: int
    links: list[InboundLink]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def parse_paging(params: Sequence[tuple[str, str]]) -> tuple[int, int]:
    """(page, size) from the query parameters; an unknown parameter or a bad number is an
    error."""
    page, size = 1, DEFAULT_SIZE
    for key, value in params:
        if key == "page":
            page = positive_number(key, value)
        elif key == "size":
            size = min(positive_number(key, value), MAX_SIZE)
        else:
            raise ListError(f"unknown parameter {key!r}", where=key,
                            fix="page through the links with page and size only")
    return page, size


def paging_params(page: int, size: int) -> list[tuple[str, str]]:
    """The query parameters of a page (defaults left out, so each page has one URL)."""
    values = {"page": (page, 1), "size": (size, DEFAULT_SIZE)}
    return [(k, str(v)) for k, (v, default) in values.items() if v != default]


def is_described(select: Select, iri: str) -> bool:
    """Whether the store has triples about `iri` (what /id/ needs to describe it)."""
    return bool(select(f"SELECT ?p WHERE {{ <{iri}> ?p ?o }} LIMIT 1"))


def links_in(select: Select, iri: str) -> list[tuple[Any, Any]]:
    """Every link to `iri` (the thing linking in, the predicate; rdf:type aside), ordered by
    the text of the thing, then of the predicate. Sorted here, not by ORDER BY: pyoxigraph
    reads each IRI's text from disk at every comparison (250 ms for 3,000 links, 1 ms here),
    and the order is the same whatever the engine."""
    rows = select(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(?p != rdf:type) }}")
    return sorted(((r["s"], r["p"]) for r in rows), key=lambda sp: (sp[0].value, sp[1].value))


def count_linking(select: Select, iri: str) -> int:
    """How many distinct things link to `iri` (by any predicate but rdf:type): one count,
    without fetching the links."""
    rows = select(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p <{iri}> FILTER(?p != rdf:type) }}"
    )
    return int(rows[0]["n"].value) if rows else 0


def first_linking(select: Select, iri: str, limit: int) -> list[str]:
    """The IRIs of the first `limit` things linking to `iri`, in the list's order (a blank
    node linking in cannot be named in a query: it is in the list only)."""
    things = dict.fromkeys(s.value for s, _ in links_in(select, iri)
                           if isinstance(s, ox.NamedNode))
    return list(things)[:limit]


def inbound_page(select: Select, iri: str, page: int, size: int) -> InboundPage:
    """Page `page` (from 1) of the links to `iri`, `size` links a page; a page past the last
    is an error (page 1 of no links is an empty page)."""
    every = links_in(select, iri)
    total = len(every)
    if page > 1 and (page - 1) * size >= total:
        raise ListError(f"page {page} is past the last page", where="page",
                        fix=f"these links fill {max(1, -(-total // size))} page(s)")
    shown = every[(page - 1) * size: page * size]
    named = {t.value for pair in shown for t in pair if isinstance(t, ox.NamedNode)}
    labels = labels_of(select, sorted({iri, *named}))

    def cell(term: Any) -> Cell:
        en, zh = labels.get(term.value, (None, None)) if isinstance(term, ox.NamedNode) else (
            None, None)
        return cell_of(term, en, zh)

    links = [InboundLink(cell(s), cell(p)) for s, p in shown]
    things = len({s for s, _ in every})
    return InboundPage(cell(ox.NamedNode(iri)), page, size, total, things, links)


def flat_rows(view: InboundPage) -> tuple[list[str], list[list[str]]]:
    """The page as a table of strings (CSV): each link's thing and predicate, with labels."""
    header = ["subject", "subject_label_en", "subject_label_zh",
              "predicate", "predicate_label_en", "predicate_label_zh"]

    def columns(c: Cell) -> list[str]:
        return [c.iri or c.text, c.en or "", c.zh or ""]

    return header, [[*columns(x.subject), *columns(x.predicate)] for x in view.links]


def json_page(view: InboundPage, links: Mapping[str, str | None]) -> dict[str, Any]:
    """The page as JSON: the resource, the counts (links, things linking), the links to
    other pages and formats, the rows (things as {iri, en, zh}; a blank node as {text})."""

    def thing(c: Cell) -> dict[str, str | None]:
        return {"iri": c.iri, "en": c.en, "zh": c.zh} if c.iri else {"text": c.text}

    return {
        "resource": thing(view.resource),
        "total": view.total,
        "things": view.things,
        "page": view.page,
        "size": view.size,
        "pages": view.pages,
        "links": dict(links),
        "rows": [{"subject": thing(x.subject), "predicate": thing(x.predicate)}
                 for x in view.links],
    }
