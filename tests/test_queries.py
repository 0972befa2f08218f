"""The named-query registry: headers, parameters, and both ways of binding them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from tests.competency.helpers import adhoc

from cckg.errors import BadParameter, UnknownQuery
from cckg.rdf.named_queries import (
    list_queries,
    load_query,
    parse_query_file,
    resolve_parameters,
)
from cckg.rdf.namespaces import PREFIXES
from cckg.rdf.query_exec import run_named
from cckg.rdf.sparql_text import with_values
from cckg.store.embedded import EmbeddedStore


def test_one_query_per_competency_question_with_a_header():
    queries = list_queries()
    assert [q.name for q in queries] == [f"cq{n:02d}" for n in range(1, 16)]
    for query in queries:
        assert query.title and query.title != query.name, query.name
        assert query.question.endswith("?") or query.question.endswith("."), query.name


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_named_query_parses_in_rdflib_too(query):
    # Researchers run the queries with rdflib on the dumps; rdflib's parser must accept them.
    prepareQuery(query.text, initNs=PREFIXES)


def test_unknown_query_names_the_known_ones():
    with pytest.raises(UnknownQuery) as err:
        load_query("cq00")
    assert "cq01" in err.value.message and "cq15" in err.value.message


def test_place_parameter_takes_a_code_or_an_iri():
    query = load_query("cq07")
    by_code = resolve_parameters(query, {"jurisdiction": "620000"})
    by_iri = resolve_parameters(
        query, {"jurisdiction": "https://w3id.org/cckg/id/place/620000"}
    )
    assert by_code == by_iri
    assert resolve_parameters(query, {})["jurisdiction"].value.endswith("/place/620000")


@pytest.mark.parametrize(
    "value",
    ["甘肃", "62000", "place/620000", "<x>", "http://x/%zz", "http://x/\x00", "http://x/\ue000"],
)
def test_malformed_place_values_are_refused(value):
    with pytest.raises(BadParameter):
        resolve_parameters(load_query("cq07"), {"jurisdiction": value})


def test_a_parameter_that_is_not_projected_is_refused(tmp_path: Path):
    path = tmp_path / "bad.rq"
    path.write_text(
        "# title: t\n# param: place place a place\nSELECT ?x WHERE { ?x ?p ?place }\n",
        encoding="utf-8",
    )
    with pytest.raises(BadParameter) as err:
        parse_query_file(path)
    assert "not in the SELECT clause" in err.value.message


def test_trailing_values_gives_the_same_rows_as_substitution(built_graph: EmbeddedStore):
    # The remote path binds parameters with a trailing VALUES clause; on the same graph it
    # must answer exactly what the embedded store's substitution answers.
    query = load_query("cq07")
    bound = resolve_parameters(query, {"jurisdiction": "370000"})
    substituted = run_named(built_graph, query, bound)
    values = with_values(query.text, {k: v.term() for k, v in bound.items()})
    remote_style = run_named(built_graph, adhoc(values), {})
    assert substituted.rows and substituted.rows == remote_style.rows


@pytest.fixture(scope="module")
def rdflib_dump(built_dist: Path) -> Dataset:
    """The N-Quads dump in an rdflib Dataset whose default graph is the union."""
    dataset = Dataset(default_union=True)
    dataset.parse(built_dist / "cckg.nq", format="nquads")
    return dataset


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_named_query_gives_the_same_rows_in_rdflib(query, rdflib_dump, built_graph):
    # A researcher may load the N-Quads dump into rdflib and run our queries there.
    bound = resolve_parameters(query, {})
    init = {k: URIRef(v.value) if v.kind == "iri" else Literal(v.value) for k, v in bound.items()}
    in_rdflib = len(list(rdflib_dump.query(query.text, initBindings=init)))
    assert in_rdflib == len(run_named(built_graph, query, bound).rows)
