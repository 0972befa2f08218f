"""The endpoint tokenises a query once: the worker runs and writes it from the job's shape."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from cckg.rdf import sparql_lex
from cckg.rdf.formats import RESULT_FORMATS, choose_result_format
from cckg.store.base import QueryJob
from cckg.store.worker_main import run_job

EX = "http://example.org/"
#: "From" inside an IRI: the text's cheap FROM test passes, so only the shape says "no FROM".
QUERY = f"SELECT * WHERE {{ ?zone <{EX}derivedFrom> ?year }}"


def job(text: str, shape: sparql_lex.QueryShape | None) -> QueryJob:
    formats = {kind: choices[0] for kind, choices in RESULT_FORMATS.items()}
    formats["solutions"] = choose_result_format("solutions", "application/sparql-results+json", ())
    return QueryJob(query=text, base_iri=None, default_graphs=None, named_graphs=None,
                    union_default_graph=True, formats=formats, max_rows=10, shape=shape)


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(f"{EX}z"), ox.NamedNode(f"{EX}derivedFrom"),
                      ox.Literal("2030"), ox.NamedNode(f"{EX}graph")))
    return store


def test_a_job_with_its_shape_is_not_tokenised_again(store, monkeypatch):
    shape = sparql_lex.analyse(QUERY).shape

    def tokenised_again(text: str) -> None:
        raise AssertionError(f"the worker tokenised {text!r} again")

    monkeypatch.setattr(sparql_lex, "scan", tokenised_again)
    outcome = run_job(store, job(QUERY, shape))
    assert outcome.status == 200
    answer = json.loads(outcome.body)
    assert answer["head"]["vars"] == ["zone", "year"]  # first mention, not alphabetical
    assert answer["results"]["bindings"] == [{
        "zone": {"type": "uri", "value": f"{EX}z"},
        "year": {"type": "literal", "value": "2030"},
    }]


def test_a_job_without_a_shape_still_reads_its_own_text(store):
    with_from = f"SELECT ?zone FROM <{EX}nothing> WHERE {{ ?zone ?p ?year }}"
    assert json.loads(run_job(store, job(with_from, None)).body)["results"]["bindings"] == []
    rows = json.loads(run_job(store, job(QUERY, None)).body)
    assert rows["head"]["vars"] == ["zone", "year"]
