"""QC queries: every *-violation.rq returns zero rows on the real graph, and each of ours
finds exactly the planted problems of its fixture."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph

from cckg.errors import SyntaxErrorInFile
from cckg.paths import PATHS
from cckg.pipeline.qc import failures, load_qc_query, qc_queries, run_qc, run_query
from cckg.pipeline.qc_store import run_query_in_store, source_store

FIXTURES = Path(__file__).parent / "fixtures" / "qc"
C = "https://w3id.org/cckg/ontology#"
ID = "https://w3id.org/cckg/id/"

#: query name → the projected values of every row it must return on its fixture.
EXPECTED: dict[str, set[tuple[str, ...]]] = {
    "undeclared-term-violation": {
        (C + "targetYaer", "predicate"),
        (C + "Provnce", "class"),
        (C + "Strong", "object"),
    },
    "missing-label-violation": {
        (C + "Foo", "zh"),
        (ID + "place/2", "en"),
        (ID + "place/3", "en"),
        (ID + "place/3", "zh"),
    },
    "missing-definition-violation": {(C + "Bar",)},
    "unsourced-fact-violation": {
        (ID + "commitment/unsourced", C + "Commitment"),
        (ID + "measure/unquoted", C + "Measure"),
        (ID + "observation/untyped-source", C + "Observation"),
    },
    "membership-shortcut-violation": {
        (ID + "place/120000", ID + "alliance/a",
         "membership without its cckg:memberOf shortcut"),
        (ID + "place/130000", ID + "pilot-batch/b1",
         "membership without its cckg:inPilotBatch shortcut"),
        (ID + "place/140000", ID + "alliance/a",
         "cckg:memberOf shortcut without a cckg:Membership"),
        (ID + "place/140000", ID + "pilot-batch/b1",
         "cckg:inPilotBatch shortcut without a cckg:Membership"),
    },
    "dangling-reference-violation": {
        (ID + "commitment/a", C + "appliesTo", ID + "place/999999"),
    },
    "place-code-level-violation": {
        (ID + "place/350000x", "350000", "a prefecture's code ends in 00, not 0000"),
        (ID + "place/35010", "35010", "not six digits"),
        (ID + "place/350200", "350200", "a county's code does not end in 00"),
        (ID + "place/350103", "350104", "the code is not the key of the IRI"),
        (ID + "place/350105", "350105", "no level class"),
    },
    "place-parent-level-violation": {
        (ID + "place/360000", ID + "place/350000", "the parent is not one level up"),
        (ID + "place/350200", ID + "place/350100", "the parent is not one level up"),
        (ID + "place/350103", ID + "place/CN", "the parent is not one level up"),
        (ID + "place/350104", "", "no parent"),
        (ID + "place/350105", ID + "place/350100", "two parents"),
    },
    "place-name-violation": {
        (ID + "place/350106", "", "no Chinese rdfs:label"),
        (ID + "place/350102", "鼓楼", "a declared short name of two places"),
        (ID + "place/320106", "鼓楼", "a declared short name of two places"),
        (ID + "place/350103", "台江区", "a full name of two places under one parent"),
        (ID + "place/350104", "台江区", "a full name of two places under one parent"),
    },
    "shared-code-violation": {
        (ID + "place/350102", ID + "place/350102b", "350102"),
        (ID + "place/350102b", ID + "place/350102", "350102"),
        (ID + "place/350104a", ID + "place/350104b", "350104"),
        (ID + "place/350104b", ID + "place/350104a", "350104"),
    },
    "place-point-violation": {
        (ID + "place/350102", "no point in China"),
        (ID + "place/350103", "no point in China"),
        (ID + "place/350104", "no point in China"),
        (ID + "place/350105", "more than one geometry"),
    },
}

ALL_QUERIES = sorted(p.name.removesuffix(".rq") for p in PATHS.qc_queries.glob("*-violation.rq"))


@pytest.fixture(scope="module")
def real_store() -> pyoxigraph.Store:
    """Ontology and data in pyoxigraph: rdflib takes minutes per query on the gazetteer."""
    return source_store()


def test_our_queries_exist_with_fixtures_and_headers() -> None:
    names = {q.name: q for q in qc_queries()}
    for name in EXPECTED:
        assert name in names, f"queries/qc/{name}.rq is missing"
        assert (FIXTURES / f"{name}.ttl").is_file()
        assert names[name].title and names[name].description
    assert set(ALL_QUERIES) == set(names)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_finds_the_planted_problems(name: str) -> None:
    graph = Graph().parse(FIXTURES / f"{name}.ttl", format="turtle")
    query = load_qc_query(PATHS.qc_queries / f"{name}.rq")
    variables = [str(v) for v in query.query.algebra["PV"]]
    rows = {tuple(row[v] for v in variables) for row in run_query(graph, query)}
    assert rows == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pyoxigraph_finds_the_rows_rdflib_finds(name: str) -> None:
    query = load_qc_query(PATHS.qc_queries / f"{name}.rq")
    graph = Graph().parse(FIXTURES / f"{name}.ttl", format="turtle")
    store = source_store([FIXTURES / f"{name}.ttl"])
    key = sorted
    assert key(map(sorted, (r.items() for r in run_query_in_store(store, query)))) == key(
        map(sorted, (r.items() for r in run_query(graph, query))))


@pytest.mark.parametrize("name", ALL_QUERIES)
def test_query_returns_no_row_on_the_real_graph(name: str, real_store: pyoxigraph.Store) -> None:
    rows = run_query_in_store(real_store, load_qc_query(PATHS.qc_queries / f"{name}.rq"))
    assert rows == [], f"{name}: {len(rows)} row(s), first: {rows[:5]}"


def test_run_qc_runs_every_violation_query(tmp_path: Path) -> None:
    for name in ("missing-definition-violation", "dangling-reference-violation"):
        (tmp_path / f"{name}.rq").write_text(
            (PATHS.qc_queries / f"{name}.rq").read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "not-a-check.rq").write_text("SELECT * WHERE { ?s ?p ?o }")
    graph = Graph().parse(FIXTURES / "missing-definition-violation.ttl", format="turtle")
    results = run_qc(graph, tmp_path)
    assert set(results) == {"missing-definition-violation", "dangling-reference-violation"}
    assert failures(results) == {"missing-definition-violation": [{"term": C + "Bar"}]}


def test_query_without_header_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "headless-violation.rq"
    path.write_text("# title: no description\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(SyntaxErrorInFile) as err:
        load_qc_query(path)
    assert "description" in err.value.message and str(path) in err.value.message


def test_broken_sparql_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken-violation.rq"
    path.write_text("# title: t\n# description: d\nSELECT * WHERE { ?s ?p \n")
    with pytest.raises(SyntaxErrorInFile) as err:
        load_qc_query(path)
    assert "not valid SPARQL" in err.value.message and "How to fix" in err.value.message
