"""The Store contract: the embedded store and a remote Oxigraph server answer alike."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from cckg.rdf.formats import RESULT_FORMATS
from cckg.store.base import QueryDataset, QueryJob, QueryTimeout, Store

EX = "http://example.org/"
PLACES = f"{EX}graph/places"
TARGETS = f"{EX}graph/targets"
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
QUADS = f"""\
<{EX}beijing> <{EX}name> "北京"@zh <{PLACES}> .
<{EX}beijing> <{EX}name> "Beijing"@en <{PLACES}> .
<{EX}yunnan> <{EX}name> "Yunnan"@en <{PLACES}> .
<{EX}beijing-peak> <{EX}committedBy> <{EX}beijing> <{TARGETS}> .
<{EX}beijing-peak> <{EX}year> "2020"^^<{INTEGER}> <{TARGETS}> .
<{EX}yunnan-peak> <{EX}committedBy> <{EX}yunnan> <{TARGETS}> .
<{EX}yunnan-peak> <{EX}year> "2025"^^<{INTEGER}> <{TARGETS}> .
"""
PREFIXES = {"ex": EX}
YEARS = "SELECT ?t ?y WHERE { ?t ex:year ?y } ORDER BY ?y"


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Store:
    dump = tmp_path / "dump.nq"
    dump.write_text(QUADS, encoding="utf-8")
    assert store.load_dataset_file(dump) == 7
    return store


def rows(result: object, *names: str) -> list[tuple[str | None, ...]]:
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(None if s[n] is None else s[n].value for n in names) for s in result]


def test_counts(loaded: Store) -> None:
    assert loaded.graph_counts() == {PLACES: 3, TARGETS: 4}
    assert loaded.default_graph_count() == 0
    assert loaded.triple_count() == 7


def test_default_graph_is_the_union_unless_the_query_has_from(loaded: Store) -> None:
    assert rows(loaded.query(YEARS, prefixes=PREFIXES), "y") == [("2020",), ("2025",)]
    from_places = f"SELECT ?t ?y FROM <{PLACES}> WHERE {{ ?t ex:year ?y }}"
    assert rows(loaded.query(from_places, prefixes=PREFIXES), "y") == []
    own_default = QueryDataset(union_default_graph=False)
    assert rows(loaded.query(YEARS, prefixes=PREFIXES, dataset=own_default), "y") == []


def test_protocol_graphs_win_over_from(loaded: Store) -> None:
    query = f"SELECT ?y FROM <{PLACES}> WHERE {{ ?t ex:year ?y }}"
    dataset = QueryDataset(default_graphs=(TARGETS,))
    assert rows(loaded.query(query, prefixes=PREFIXES, dataset=dataset), "y") == [
        ("2020",), ("2025",)]
    named = QueryDataset(default_graphs=(), named_graphs=(PLACES,))
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert rows(loaded.query(graphs, dataset=named), "g") == [(PLACES,)]


def test_terms_come_back_as_pyoxigraph_terms(loaded: Store) -> None:
    result = loaded.query(
        "SELECT ?t ?y ?name WHERE { ?t ex:year ?y ; ex:committedBy/ex:name ?name "
        "FILTER(lang(?name) = 'zh') }", prefixes=PREFIXES,
    )
    assert isinstance(result, ox.QuerySolutions)
    [row] = list(result)
    assert row["t"] == ox.NamedNode(f"{EX}beijing-peak")
    assert row["y"] == ox.Literal("2020", datatype=ox.NamedNode(INTEGER))
    assert row["name"] == ox.Literal("北京", language="zh")


def test_bindings_bind_projected_variables(loaded: Store) -> None:
    query = "SELECT ?place ?t WHERE { ?t ex:committedBy ?place }"
    bound = loaded.query(query, prefixes=PREFIXES,
                         bindings={"place": ox.NamedNode(f"{EX}yunnan")})
    assert rows(bound, "t") == [(f"{EX}yunnan-peak",)]


def test_ask_construct_and_base(loaded: Store) -> None:
    ask = loaded.query("ASK { ?t ex:year 2025 }", prefixes=PREFIXES)
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)
    triples = loaded.query("CONSTRUCT { ?t <label> ?y } WHERE { ?t ex:year ?y }",
                           prefixes=PREFIXES, base_iri=EX)
    assert not isinstance(triples, ox.QuerySolutions | ox.QueryBoolean)
    assert {(t.subject.value, t.predicate.value, t.object.value) for t in triples} == {
        (f"{EX}beijing-peak", f"{EX}label", "2020"), (f"{EX}yunnan-peak", f"{EX}label", "2025")}


def test_bad_query_is_a_syntax_error(loaded: Store) -> None:
    with pytest.raises(SyntaxError):
        loaded.query("SELECT WHERE {")


def test_update_changes_data_and_generation(loaded: Store) -> None:
    before = loaded.generation()
    assert loaded.generation() == before  # reading changes nothing
    loaded.update(f"INSERT DATA {{ GRAPH <{TARGETS}> {{ <{EX}x> <{EX}year> 2030 }} }}")
    assert loaded.graph_counts()[TARGETS] == 5
    assert loaded.generation() != before


def test_replace_graph_replaces_only_that_graph(loaded: Store) -> None:
    before = loaded.generation()
    loaded.replace_graph(PLACES, [
        ox.Triple(ox.NamedNode(f"{EX}fuzhou"), ox.NamedNode(f"{EX}name"), ox.Literal("Fuzhou"))
    ])
    assert loaded.graph_counts() == {PLACES: 1, TARGETS: 4}
    assert loaded.generation() != before
    loaded.replace_graph(None, [
        ox.Triple(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.NamedNode(f"{EX}o"))
    ])
    assert loaded.default_graph_count() == 1


def test_a_missing_graph_is_an_update_error(loaded: Store) -> None:
    with pytest.raises(RuntimeError, match="does not exist"):
        loaded.update(f"DROP GRAPH <{EX}no-such-graph>")


def job(query: str, max_rows: int = 10) -> QueryJob:
    return QueryJob(
        query=query, base_iri=None, default_graphs=None, named_graphs=None,
        union_default_graph=True, formats={k: v[0] for k, v in RESULT_FORMATS.items()},
        max_rows=max_rows,
    )


def test_answer_writes_the_format_and_caps_rows(loaded: Store) -> None:
    outcome = loaded.answer(job(f"SELECT ?y WHERE {{ ?t <{EX}year> ?y }} ORDER BY ?y", 1), 30)
    assert outcome.status == 200 and outcome.truncated
    assert outcome.content_type.startswith("application/sparql-results+json")
    bindings = json.loads(outcome.body)["results"]["bindings"]
    assert bindings == [{"y": {"type": "literal", "value": "2020", "datatype": INTEGER}}]


def test_answer_refuses_a_bad_query_with_400(loaded: Store) -> None:
    outcome = loaded.answer(job("SELECT WHERE {"), 30)
    assert outcome.status == 400
    assert b"not valid SPARQL" in outcome.body


def test_a_query_past_its_timeout_raises_query_timeout(loaded: Store) -> None:
    # 7 triples to the 7th power: hundreds of thousands of rows, far beyond 1 ms.
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(7))
    with pytest.raises(QueryTimeout):
        loaded.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {patterns} }}", timeout=0.001)
