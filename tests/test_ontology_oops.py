"""OOPS!-style pitfall queries (queries/qc/oops-*-violation.rq): zero rows on the real
ontology (and on ontology plus data), and the expected rows on a broken fixture each."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph

from cckg.paths import PATHS
from cckg.pipeline.load import parse_file
from cckg.pipeline.qc import load_qc_query
from cckg.pipeline.qc_store import run_query_in_store, source_store
from cckg.rdf.namespaces import CCKG

FIXTURES = Path(__file__).parent / "fixtures" / "oops"
STEEL = "https://w3id.org/cckg/id/sector/steel"

#: pitfall -> (query file stem, the first column's values the broken fixture must yield)
PITFALLS: dict[str, tuple[str, set[str]]] = {
    "p04": ("oops-p04-unconnected-term-violation", {str(CCKG.Orphan)}),
    "p08": (
        "oops-p08-missing-annotation-violation",
        {str(CCKG.Commitment), str(CCKG.targetYear), STEEL},
    ),
    "p10": (
        "oops-p10-missing-disjointness-violation",
        {str(CCKG.Commitment), str(CCKG.IntensityTarget)},
    ),
    "p11": (
        "oops-p11-missing-domain-or-range-violation",
        {str(CCKG.targetYear), str(CCKG.committedBy)},
    ),
    "p13": (
        "oops-p13-missing-inverse-violation",
        {str(CCKG.appliesTo), str(CCKG.committedBy), str(CCKG.batchOf), str(CCKG.memberOf)},
    ),
    "p19": ("oops-p19-multiple-domains-or-ranges-violation", {str(CCKG.value)}),
    "p22": (
        "oops-p22-mixed-naming-violation",
        {str(CCKG.peakTarget), str(CCKG.target_year), str(CCKG.CommittedBy)},
    ),
    "p34": ("oops-p34-untyped-class-violation", {str(CCKG.Commitment)}),
    "p35": (
        "oops-p35-untyped-property-violation",
        {str(CCKG.targetYear), str(CCKG.makesCommitment)},
    ),
    "p41": ("oops-p41-no-license-violation", {"https://w3id.org/cckg/ontology"}),
}


def query_text(stem: str) -> str:
    return (PATHS.qc_queries / f"{stem}.rq").read_text(encoding="utf-8")


def first_column(graph: Graph, stem: str) -> list[str]:
    return [str(row[0]) for row in graph.query(query_text(stem))]


def test_every_oops_query_is_listed_here() -> None:
    on_disk = {p.stem for p in PATHS.qc_queries.glob("oops-*-violation.rq")}
    assert on_disk == {stem for stem, _ in PITFALLS.values()}


@pytest.mark.parametrize("pitfall", sorted(PITFALLS))
def test_query_has_title_and_description_header(pitfall: str) -> None:
    header = query_text(PITFALLS[pitfall][0])
    assert re.search(r"^# title: OOPS! P\d\d - \S", header, re.MULTILINE)
    assert re.search(r"^# description: \S", header, re.MULTILINE)


@pytest.fixture(scope="module")
def ontology_store() -> pyoxigraph.Store:
    """ontology/*.ttl alone in pyoxigraph, as `cckg qc` runs the queries (rdflib took over a
    minute on P10's sibling pairs). Ontology plus data: tests/test_qc.py runs every
    *-violation.rq, these included, on the whole graph."""
    return source_store(sorted(PATHS.ontology.glob("*.ttl")))


@pytest.mark.parametrize("pitfall", sorted(PITFALLS))
def test_real_ontology_has_no_pitfall(pitfall: str, ontology_store: pyoxigraph.Store) -> None:
    query = load_qc_query(PATHS.qc_queries / f"{PITFALLS[pitfall][0]}.rq")
    assert run_query_in_store(ontology_store, query) == []


@pytest.mark.parametrize("pitfall", sorted(PITFALLS))
def test_query_bites_on_broken_fixture(pitfall: str) -> None:
    stem, expected = PITFALLS[pitfall]
    broken = parse_file(FIXTURES / f"{pitfall}.ttl")
    assert set(first_column(broken, stem)) == expected
