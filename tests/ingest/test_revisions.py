"""cckg.ingest.revisions: restating or revising an earlier document's target."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from cckg.ingest.revisions import Facts, compare, find_revisions, issued_order
from cckg.rdf.namespaces import CCKG, ID

SHANGHAI = ID["place/310000"]
PEAK = CCKG.PeakTarget
TOTAL = ID["metric/total-co2"]


def facts(
    name: str, year: int | None, timing: str = "before", value: Decimal | None = None
) -> Facts:
    return Facts(
        ID[f"commitment/{name}"],
        PEAK,
        SHANGHAI,
        TOTAL,
        frozenset({SHANGHAI}),
        frozenset(),
        None,
        year,
        ID[f"timing/{timing}"],
        value,
        None,
        None,
    )


def test_same_year_timing_and_value_restates() -> None:
    revision = compare(facts("new", 2025), facts("old", 2025))
    assert (revision.restates, revision.changes) == (True, ())


def test_later_year_revises() -> None:
    assert compare(facts("new", 2030), facts("old", 2025)).changes == ("later-year",)
    assert compare(facts("new", 2020), facts("old", 2025)).changes == ("earlier-year",)


def test_timing_and_value_changes() -> None:
    assert compare(facts("new", 2030, "around"), facts("old", 2030)).changes == ("changed-timing",)
    lower = compare(facts("new", 2030, value=Decimal(200)), facts("old", 2030, value=Decimal(250)))
    assert (lower.restates, lower.changes) == (False, ("lower-value",))


def graph_with(*entries: tuple[str, str | None, int]) -> Graph:
    """Earlier Shanghai peak targets: (name, document date or None, year)."""
    graph = Graph()
    for name, issued, year in entries:
        node, doc = ID[f"commitment/{name}"], ID[f"document/{name}"]
        graph.add((node, RDF.type, PEAK))
        graph.add((node, CCKG.committedBy, SHANGHAI))
        graph.add((node, CCKG.appliesTo, SHANGHAI))
        graph.add((node, CCKG.metric, TOTAL))
        graph.add((node, CCKG.targetYear, Literal(year)))
        graph.add((node, CCKG.timing, ID["timing/before"]))
        graph.add((node, CCKG.statedIn, doc))
        if issued:
            graph.add((doc, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    return graph


def test_the_latest_earlier_document_is_the_one_revised() -> None:
    graph = graph_with(
        ("draft-2021", "2021-08-01", 2025),
        ("plan-2017", "2017-12-01", 2025),
        ("later-2023", "2023-01-01", 2030),
        ("undated", None, 2020),
    )
    new = facts("plan-2022", 2030)
    found = find_revisions(graph, [new], "2022-07-08")
    assert found[new.iri].earlier == URIRef(ID["commitment/draft-2021"])
    assert found[new.iri].changes == ("later-year",)


def test_no_earlier_document_no_revision() -> None:
    graph = graph_with(("later-2023", "2023-01-01", 2030), ("undated", None, 2020))
    assert find_revisions(graph, [facts("plan-2022", 2030)], "2022-07-08") == {}


def test_issue_dates_of_any_precision_order() -> None:
    assert issued_order("2021") < issued_order("2021-08") < issued_order("2021-08-02")
