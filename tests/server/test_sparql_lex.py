"""The lexer sees top-level keywords and never those inside strings, IRIs or comments."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cckg.rdf import sparql_lex


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX ex: <http://ex/> SELECT * { ?s ?p ?o }", "SELECT"),
        ("# SELECT in a comment\nask {}", "ASK"),
        ("BASE <http://x/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://ex/a>", "DESCRIBE"),
        ("INSERT DATA { <a> <b> 'SELECT' }", None),
    ],
)
def test_query_form(query: str, form: str | None) -> None:
    assert sparql_lex.query_form(query) == form


def test_from_only_counts_outside_strings_and_groups() -> None:
    assert sparql_lex.has_from("SELECT * FROM <http://g> { ?s ?p ?o }")
    assert sparql_lex.has_from("SELECT * from named <http://g> { GRAPH ?g { ?s ?p ?o } }")
    assert not sparql_lex.has_from("SELECT * { ?s ?p 'FROM' } # FROM <x>")
    assert not sparql_lex.has_from("PREFIX from: <http://ex/> SELECT * { ?s from:x ?o }")


def test_remote_operations() -> None:
    assert sparql_lex.remote_operations("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }") == [
        "SERVICE"
    ]
    assert sparql_lex.remote_operations("select * { service silent ?x { ?s ?p ?o } }") == [
        "SERVICE"
    ]
    assert sparql_lex.remote_operations("LOAD <http://x/data.ttl>") == ["LOAD"]
    assert sparql_lex.remote_operations("SELECT ?service { ?service a 'SERVICE' }") == []
    assert sparql_lex.remote_operations("SELECT * { ?s <http://x/SERVICE> ?o }") == []


def test_using_and_with() -> None:
    assert sparql_lex.has_using_or_with("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert sparql_lex.has_using_or_with("DELETE { ?s ?p ?o } USING <g> WHERE { ?s ?p ?o }")
    assert not sparql_lex.has_using_or_with("INSERT DATA { <a> <b> 'WITH' }")


def test_add_using_goes_before_each_modify_where() -> None:
    update = (
        "DELETE WHERE { ?a ?b ?c } ;\n"
        "INSERT { GRAPH <http://out> { ?s a <http://T> } } WHERE { "
        "{ SELECT ?s WHERE { ?s ?p ?o } } } ;\n"
        "DELETE { ?s ?p 'x' } INSERT { ?s ?p 'y' } WHERE { ?s ?p 'x' }"
    )
    rewritten = sparql_lex.add_using(update, ["http://d"], ["http://n"])
    assert rewritten.count("USING <http://d> USING NAMED <http://n> WHERE") == 2
    assert rewritten.startswith("DELETE WHERE")
    ox.Store().update(rewritten)  # still valid SPARQL Update


def test_add_using_without_graphs_is_identity() -> None:
    assert sparql_lex.add_using("INSERT DATA { <a> <b> <c> }", [], []) == (
        "INSERT DATA { <a> <b> <c> }"
    )


@pytest.mark.parametrize(
    "text",
    [
        r"SELECT * WHERE { BIND(<http://x/\u0041#> AS ?z) SERVICE <http://127.0.0.1:9/> {} }",
        r"SELECT * WHERE { SERVIC\u0045 <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1:9/> LOAD:x",
        "SELECT * WHERE { FILTER(?a<?b#>'''\n) SERVICE <http://127.0.0.1:9/> {} #'''\n}",
        "SELECT * WHERE { FILTER(?a<?b+'>') SERVICE <http://127.0.0.1:9/> {} }",
        "SELECT * WHERE { ?s ?p ?o } \\ SERVICE",
    ],
    ids=["escaped-iri", "escaped-keyword", "service-pname", "load-pname", "hash-long-string",
         "quote-in-iri", "untokenisable"],
)
def test_remote_guard_fails_closed(text: str) -> None:
    """Each of these fooled (or could fool) a lexer that guesses; all are refused."""
    assert sparql_lex.remote_operations(text)
    with pytest.raises(ValueError, match=r"line \d+, column \d+"):
        sparql_lex.analyse(text)
