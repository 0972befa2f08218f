"""SPARQL syntax errors in one line: position in the user's text, the undeclared prefix
with its PREFIX line, never SERVICE or LATERAL, never the parser's grammar classes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cckg.rdf.query_errors import explain


def problem_of(query: str):
    with pytest.raises(SyntaxError) as err:
        ox.Store().query(query)
    return explain(query, str(err.value))


def test_undeclared_known_prefix_names_it_and_offers_its_prefix_line():
    problem = problem_of("SELECT ?x WHERE { ?x a cckg:Foo }")
    assert problem.one_line() == "line 1, column 32: the prefix 'cckg:' is not declared"
    assert problem.fix.endswith("PREFIX cckg: <https://w3id.org/cckg/ontology#>")


def test_undeclared_prefix_on_a_later_line_of_the_users_text():
    problem = problem_of(
        "PREFIX cckg: <https://w3id.org/cckg/ontology#>\n"
        "SELECT ?x WHERE {\n  ?x a cckg:Province ; skos:prefLabel ?l }"
    )
    assert (problem.line, problem.what) == (3, "the prefix 'skos:' is not declared")
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in problem.fix


def test_unknown_prefix_is_named_without_inventing_a_namespace():
    problem = problem_of("ASK { ?x ?p foo:bar }")
    assert problem.what == "the prefix 'foo:' is not declared"
    assert "PREFIX foo: <namespace IRI>" in problem.fix


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?x WHERE { ?x ?y }",
        "SELECT ?x WHERE { ?x ?y ?z . FILTER( }",
        "SELECT ?x WHERE {\n  ?x ?y ?z\n  FILTER(?x = ) }",
        'SELECT ?x WHERE { ?x ?y "abc }',
    ],
)
def test_malformed_patterns_get_one_line_without_service_lateral_or_grammar(query: str):
    problem = problem_of(query)
    line = problem.one_line()
    assert "\n" not in line and "\n" not in problem.fix
    assert "SERVICE" not in line and "LATERAL" not in line
    assert "[_]" not in line and "..=" not in line and "u{" not in line
    assert line.startswith(f"line {query.count(chr(10)) + 1}, column ")
    assert "syntax error near '" in line


def test_unterminated_string_advice():
    assert problem_of('SELECT ?x WHERE { ?x ?y "abc }').fix == (
        "close the string with its quote character"
    )


def test_message_without_a_position_keeps_its_first_line():
    problem = explain("x", "something odd\nsecond line")
    assert (problem.line, problem.one_line()) == (None, "in the query: something odd")
