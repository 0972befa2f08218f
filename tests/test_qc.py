"""QC queries: every *-violation.rq returns zero rows on the real graph, and each of ours
finds exactly the planted problems of its fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from cckg.errors import SyntaxErrorInFile
from cckg.paths import PATHS
from cckg.pipeline.load import load_dataset, union_graph
from cckg.pipeline.qc import failures, load_qc_query, qc_queries, run_qc, run_query

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
}

ALL_QUERIES = sorted(p.name.removesuffix(".rq") for p in PATHS.qc_queries.glob("*-violation.rq"))


@pytest.fixture(scope="module")
def real_graph() -> Graph:
    return union_graph(load_dataset())


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


@pytest.mark.parametrize("name", ALL_QUERIES)
def test_query_returns_no_row_on_the_real_graph(name: str, real_graph: Graph) -> None:
    rows = run_query(real_graph, load_qc_query(PATHS.qc_queries / f"{name}.rq"))
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
