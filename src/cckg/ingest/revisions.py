"""Revisions: an accepted commitment that has the same committer, type, metric, places,
sectors and base year as one stated in an earlier document restates it (same year, timing
and value) or revises it (cckg:revisionChange says how). The earlier one is the latest
such commitment whose document was issued before this document; documents without a date
are not ordered and so never revised."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from cckg.rdf.namespaces import CCKG


@dataclass(frozen=True)
class Facts:
    """What decides whether two commitments state the same target."""

    iri: URIRef
    kind: URIRef
    committer: URIRef
    metric: URIRef | None
    places: frozenset[URIRef]
    sectors: frozenset[URIRef]
    base_year: int | None
    year: int | None
    timing: URIRef | None
    value: Decimal | None
    value_min: Decimal | None
    value_max: Decimal | None


@dataclass(frozen=True)
class Revision:
    """How a new commitment relates to an earlier one."""

    earlier: URIRef
    restates: bool
    changes: tuple[str, ...]  # slugs of id:scheme/revision-change


def issued_order(issued: str) -> tuple[int, int, int]:
    """A date of issue (YYYY, YYYY-MM, YYYY-MM-DD) as a sortable (year, month, day)."""
    parts = [int(p) for p in issued.split("-")[:3]] + [0, 0]
    return parts[0], parts[1], parts[2]


def _number(graph: Graph, node: URIRef, predicate: URIRef) -> Decimal | None:
    value = graph.value(node, predicate)
    return Decimal(str(value)) if isinstance(value, Literal) else None


def facts_of(graph: Graph, node: URIRef) -> Facts | None:
    """The facts of a commitment node in `graph` (None when it has no type or committer)."""
    kinds = [
        t
        for t in graph.objects(node, RDF.type)
        if isinstance(t, URIRef) and str(t).startswith(str(CCKG))
    ]
    committer = graph.value(node, CCKG.committedBy)
    if not kinds or not isinstance(committer, URIRef):
        return None
    year, base = graph.value(node, CCKG.targetYear), graph.value(node, CCKG.baseYear)
    metric, timing = graph.value(node, CCKG.metric), graph.value(node, CCKG.timing)
    return Facts(
        iri=node,
        kind=kinds[0],
        committer=committer,
        metric=metric if isinstance(metric, URIRef) else None,
        places=frozenset(p for p in graph.objects(node, CCKG.appliesTo) if isinstance(p, URIRef)),
        sectors=frozenset(
            s for s in graph.objects(node, CCKG.coversSector) if isinstance(s, URIRef)
        ),
        base_year=int(base) if isinstance(base, Literal) else None,
        year=int(year) if isinstance(year, Literal) else None,
        timing=timing if isinstance(timing, URIRef) else None,
        value=_number(graph, node, CCKG.value),
        value_min=_number(graph, node, CCKG.valueMin),
        value_max=_number(graph, node, CCKG.valueMax),
    )


def _document_order(graph: Graph, document: URIRef) -> tuple[int, int, int] | None:
    issued = graph.value(document, DCTERMS.issued)
    if isinstance(issued, Literal):
        return issued_order(str(issued))
    year = graph.value(document, CCKG.issuedYear)
    return (int(year), 0, 0) if isinstance(year, Literal) else None


def _same_target(a: Facts, b: Facts) -> bool:
    return (a.kind, a.committer, a.metric, a.places, a.sectors, a.base_year) == (
        b.kind,
        b.committer,
        b.metric,
        b.places,
        b.sectors,
        b.base_year,
    )


def _amount(f: Facts) -> Decimal | None:
    return (
        f.value if f.value is not None else f.value_max if f.value_max is not None else f.value_min
    )


def compare(new: Facts, old: Facts) -> Revision:
    """Whether `new` restates `old` or revises it, and how."""
    changes: list[str] = []
    if new.year is not None and old.year is not None and new.year != old.year:
        changes.append("earlier-year" if new.year < old.year else "later-year")
    elif new.timing != old.timing:
        changes.append("changed-timing")
    a, b = _amount(new), _amount(old)
    if a is not None and b is not None and a != b:
        changes.append("higher-value" if a > b else "lower-value")
    same = not changes and (new.value, new.value_min, new.value_max, new.year) == (
        old.value,
        old.value_min,
        old.value_max,
        old.year,
    )
    return Revision(old.iri, same, tuple(changes))


def find_revisions(graph: Graph, new: list[Facts], issued: str) -> dict[URIRef, Revision]:
    """For each new commitment, how it relates to the latest earlier commitment stating the
    same target in `graph` (the data without this document), if any."""
    mine = issued_order(issued)
    found: dict[URIRef, Revision] = {}
    for facts in new:
        best: tuple[tuple[int, int, int], str, Facts] | None = None
        for node in graph.subjects(CCKG.committedBy, facts.committer):
            if not isinstance(node, URIRef) or node == facts.iri:
                continue
            other = facts_of(graph, node)
            document = graph.value(node, CCKG.statedIn)
            if other is None or not isinstance(document, URIRef) or not _same_target(facts, other):
                continue
            order = _document_order(graph, document)
            if order is None or order >= mine:
                continue
            if best is None or (order, str(node)) > (best[0], best[1]):
                best = (order, str(node), other)
        if best is not None:
            found[facts.iri] = compare(facts, best[2])
    return found
