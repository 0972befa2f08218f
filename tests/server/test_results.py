"""Result formats: negotiation with q-values, the format parameter, and faithful writing."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cckg.rdf import results
from cckg.rdf.formats import RESULT_FORMATS, FormatError, choose_result_format


@pytest.mark.parametrize(
    ("kind", "accept", "expected"),
    [
        ("solutions", None, "json"),
        ("solutions", "*/*", "json"),
        ("solutions", "text/csv;q=0.5, application/sparql-results+xml", "xml"),
        ("solutions", "text/*", "xml"),  # text/xml; the earlier offer wins ties
        ("solutions", "text/tab-separated-values, text/csv", "csv"),
        ("solutions", "text/tab-separated-values, */*;q=0.1", "tsv"),
        ("solutions", "application/json", "json"),
        ("graph", "text/html,application/xhtml+xml,*/*;q=0.8", "turtle"),
        ("graph", "application/ld+json;q=0.9, application/rdf+xml;q=0.4", "jsonld"),
        ("graph", "application/n-triples", "ntriples"),
        ("boolean", "application/sparql-results+xml", "xml"),
    ],
)
def test_choose_by_accept(kind: str, accept: str | None, expected: str) -> None:
    assert choose_result_format(kind, accept, None).key == expected


def test_not_acceptable_lists_offers() -> None:
    with pytest.raises(FormatError) as err:
        choose_result_format("solutions", "image/png", None)
    assert err.value.status == 406
    assert "application/sparql-results+json" in str(err.value)


def test_malformed_accept_is_not_acceptable() -> None:
    with pytest.raises(FormatError) as err:
        choose_result_format("graph", "garbage;;q=x", None)
    assert err.value.status == 406


def test_format_parameter_wins_and_is_checked() -> None:
    assert choose_result_format("solutions", "text/csv", "json").key == "json"
    assert choose_result_format("graph", None, "ttl").key == "turtle"
    assert choose_result_format("graph", None, "application/rdf+xml").key == "rdfxml"
    with pytest.raises(FormatError) as err:
        choose_result_format("boolean", None, "csv")
    assert err.value.status == 400


def sample() -> tuple[list[str], list[ox.QuerySolution]]:
    store = ox.Store()
    store.update(
        'INSERT DATA { <http://ex/a> <http://ex/p> "北京"@zh, "2020"^^<http://www.w3.org/2001/'
        'XMLSchema#integer>, "tab\\there, \\"quoted\\"", _:b1 }'
    )
    solutions = store.query("SELECT ?s ?o ?unbound { ?s ?p ?o } ORDER BY ?o")
    return [v.value for v in solutions.variables], list(solutions)


@pytest.mark.parametrize(
    ("name", "oxformat"),
    [
        ("json", ox.QueryResultsFormat.JSON),
        ("xml", ox.QueryResultsFormat.XML),
        ("tsv", ox.QueryResultsFormat.TSV),
    ],
)
def test_solutions_round_trip(name: str, oxformat: ox.QueryResultsFormat) -> None:
    variables, rows = sample()
    fmt = next(f for f in RESULT_FORMATS["solutions"] if f.key == name)
    parsed = ox.parse_query_results(results.write_solutions(variables, rows, fmt), oxformat)
    assert [v.value for v in parsed.variables] == variables
    back = list(parsed)
    assert len(back) == len(rows)
    for original, copy in zip(rows, back, strict=True):
        for var in ("s", "o"):
            if isinstance(original[var], ox.BlankNode):
                assert isinstance(copy[var], ox.BlankNode)
            else:
                assert copy[var] == original[var]
        assert copy["unbound"] is None


def test_csv_is_rfc4180() -> None:
    variables, rows = sample()
    fmt = next(f for f in RESULT_FORMATS["solutions"] if f.key == "csv")
    text = results.write_solutions(variables, rows, fmt).decode()
    assert text.startswith("s,o,unbound\r\n")
    assert '"tab\there, ""quoted"""' in text
    assert "北京" in text
