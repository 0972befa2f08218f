"""The named-query registry: headers, parameters, and both ways of binding them."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node
from tests.competency.helpers import adhoc

from cckg.errors import BadParameter, UnknownQuery
from cckg.paths import PATHS
from cckg.rdf.named_queries import (
    BoundValue,
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
    assert [q.name for q in queries] == [f"cq{n:02d}" for n in range(1, 17)]
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
    """The N-Quads dump in an rdflib Dataset whose default graph is the union, every
    literal kept in the dump's lexical form (rdflib's normalisation is off while parsing,
    so it cannot turn a dump's "018" into the store's "18" and hide a difference)."""
    dataset = Dataset(default_union=True)
    rdflib.NORMALIZE_LITERALS = False
    try:
        dataset.parse(built_dist / "cckg.nq", format="nquads")
    finally:
        rdflib.NORMALIZE_LITERALS = True
    return dataset


#: A result value as (kind, exact lexical form, language, datatype); a simple literal has
#: no datatype, as in SPARQL JSON results.
Cell = tuple[str, str, str | None, str | None]


def _rdflib_cell(term: Node) -> Cell:
    """An rdflib result term as a Cell."""
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    assert isinstance(term, Literal), term
    if term.language:
        return ("literal", str(term), term.language, None)
    datatype = None if term.datatype in (None, XSD.string) else str(term.datatype)
    return ("literal", str(term), None, datatype)


def _ox_cell(term: object) -> Cell:
    """A pyoxigraph result term as a Cell."""
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    assert isinstance(term, ox.Literal), term
    if term.language:
        return ("literal", term.value, term.language, None)
    datatype = None if term.datatype.value == str(XSD.string) else term.datatype.value
    return ("literal", term.value, None, datatype)


def _rdflib_term(value: BoundValue) -> URIRef | Literal:
    if value.kind == "iri":
        return URIRef(value.value)
    if value.kind == "integer":
        return Literal(value.value, datatype=XSD.integer)
    return Literal(value.value)


def _sorted_rows(rows: list[dict[str, Cell]]) -> list[list[tuple[str, Cell]]]:
    return sorted((sorted(row.items()) for row in rows), key=repr)


#: Every named query with its defaults, and the other parameters the CQ tests use.
DIFFERENTIAL_CASES = [(q.name, {}) for q in list_queries()] + [
    ("cq07", {"jurisdiction": "630000"}),
    ("cq07", {"jurisdiction": "370000"}),
    ("cq07", {"jurisdiction": "110000"}),
    ("cq15", {"fact": "https://w3id.org/cckg/id/observation/pilots-with-peak-targets-2017"}),
    ("cq15", {"fact": "https://w3id.org/cckg/id/commitment/110000-peak-2020-at-160-mt"}),
]


@pytest.mark.parametrize(
    ("name", "params"), DIFFERENTIAL_CASES,
    ids=[f"{n}-{'-'.join(p.values()) or 'defaults'}" for n, p in DIFFERENTIAL_CASES],
)
def test_every_named_query_gives_the_same_rows_in_rdflib(
    name: str, params: dict[str, str], rdflib_dump: Dataset, built_graph: EmbeddedStore
) -> None:
    # A researcher may load the N-Quads dump into rdflib and run our queries there: each
    # row, with every value's exact lexical form, language and datatype, must be the same.
    query = load_query(name)
    bound = resolve_parameters(query, params)
    table = run_named(built_graph, query, bound)
    init = {k: _rdflib_term(v) for k, v in bound.items()}
    result = rdflib_dump.query(query.text, initBindings=init)
    variables = [str(v) for v in result.vars or []]
    in_rdflib = [
        {v: _rdflib_cell(row[v]) for v in variables if row[v] is not None}
        for row in result
    ]
    embedded = [{k: _ox_cell(v) for k, v in row.items()} for row in table.rows]
    assert table.variables == variables
    # Only CQ11 is empty on the report (test_cq11 plants a conflict to show it can answer).
    assert bool(embedded) == (name != "cq11"), f"{name}: {len(embedded)} rows"
    assert _sorted_rows(in_rdflib) == _sorted_rows(embedded)
    # Where the query orders its rows, both engines give the ORDER BY keys in one order.
    keys = [k for k in _order_keys(query.text) if k in variables]
    assert [[r.get(k) for k in keys] for r in in_rdflib] == [
        [r.get(k) for k in keys] for r in embedded
    ]


def _order_keys(text: str) -> list[str]:
    """The variables of a query's final ORDER BY clause, in order."""
    match = re.search(r"^ORDER BY (.+)$", text, re.MULTILINE)
    return re.findall(r"[?$](\w+)", match.group(1)) if match else []


def test_the_naive_overall_peak_query_of_the_docs_gives_cq01(built_graph, run_cq):
    """docs/modelling.md's one-pattern query for overall peak targets (cckg:OverallPeakTarget)
    finds exactly CQ01's nine provinces and years."""
    doc = (PATHS.root / "docs" / "modelling.md").read_text(encoding="utf-8")
    section = doc[doc.index("### Overall targets"):]
    query = re.search(r"```sparql\n(.*?)```", section, re.DOTALL).group(1)
    naive = {(r["province"].value, r["year"].value) for r in built_graph.query(query)}
    cq01 = run_cq("cq01")
    assert naive == set(zip(cq01.column("province"), cq01.column("year"), strict=True))
    assert len(naive) == 9
