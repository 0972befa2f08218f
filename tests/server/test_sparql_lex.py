"""The lexer sees top-level keywords and never those inside strings, IRIs or comments."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cckg.rdf import sparql_lex


def lenient(text: str) -> sparql_lex.Analysis:
    """The analysis of a text without the endpoint's safety refusal."""
    return sparql_lex.Analysis(text, tuple(sparql_lex.tokens(text)))


def remote_keywords(text: str) -> list[str]:
    """What the safety check refuses a text for: SERVICE and/or LOAD, or nothing."""
    try:
        sparql_lex.analyse(text)
    except sparql_lex.RemoteError as exc:
        return exc.keywords
    return []


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
    assert lenient(query).form == form


def test_from_only_counts_outside_strings_and_groups() -> None:
    assert lenient("SELECT * FROM <http://g> { ?s ?p ?o }").has_from
    assert lenient("SELECT * from named <http://g> { GRAPH ?g { ?s ?p ?o } }").has_from
    assert not lenient("SELECT * { ?s ?p 'FROM' } # FROM <x>").has_from
    assert not lenient("PREFIX from: <http://ex/> SELECT * { ?s from:x ?o }").has_from


def test_remote_operations() -> None:
    assert remote_keywords("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }") == [
        "SERVICE"
    ]
    assert remote_keywords("select * { service silent ?x { ?s ?p ?o } }") == [
        "SERVICE"
    ]
    assert remote_keywords("LOAD <http://x/data.ttl>") == ["LOAD"]
    assert remote_keywords("SELECT ?service { ?service a 'SERVICE' }") == []
    assert remote_keywords("SELECT * { ?s <http://x/SERVICE> ?o }") == []


def test_using_and_with() -> None:
    assert lenient("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").has_using_or_with
    assert lenient("DELETE { ?s ?p ?o } USING <g> WHERE { ?s ?p ?o }").has_using_or_with
    assert not lenient("INSERT DATA { <a> <b> 'WITH' }").has_using_or_with


def test_add_using_goes_before_each_modify_where() -> None:
    update = (
        "DELETE WHERE { ?a ?b ?c } ;\n"
        "INSERT { GRAPH <http://out> { ?s a <http://T> } } WHERE { "
        "{ SELECT ?s WHERE { ?s ?p ?o } } } ;\n"
        "DELETE { ?s ?p 'x' } INSERT { ?s ?p 'y' } WHERE { ?s ?p 'x' }"
    )
    rewritten = sparql_lex.analyse(update).add_using(["http://d"], ["http://n"])
    assert rewritten.count("USING <http://d> USING NAMED <http://n> WHERE") == 2
    assert rewritten.startswith("DELETE WHERE")
    ox.Store().update(rewritten)  # still valid SPARQL Update


def test_add_using_without_graphs_is_identity() -> None:
    assert sparql_lex.analyse("INSERT DATA { <a> <b> <c> }").add_using([], []) == (
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
    with pytest.raises((sparql_lex.RemoteError, sparql_lex.LexError),
                       match=r"line \d+, column \d+"):
        sparql_lex.analyse(text)
