"""`SELECT *` columns come in the query's own variable order, not alphabetically."""

from __future__ import annotations

import pyoxigraph as ox

from cckg.rdf.sparql_lex import QueryShape, analyse

QUERY = 'SELECT * WHERE { ?zone <http://ex/p> ?year . OPTIONAL { ?zone <http://ex/q> ?alpha } }'


def test_star_order_follows_first_mention():
    variables = [v.value for v in ox.Store().query(QUERY).variables]
    assert variables == ["alpha", "year", "zone"]  # pyoxigraph's order
    assert QueryShape.of(QUERY).columns(variables) == ["zone", "year", "alpha"]


def test_comments_strings_iris_and_explicit_projections_are_respected():
    query = 'PREFIX a: <http://x/?b>\n# ?c\nSELECT DISTINCT * { ?d ?e "?f" }'
    assert QueryShape.of(query).columns(["e", "d"]) == ["d", "e"]
    explicit = QueryShape.of("SELECT ?y ?x (?a * 2 AS ?b) { ?x ?a ?y }")
    assert explicit.star_variables is None
    assert explicit.columns(["y", "x", "b"]) == ["y", "x", "b"]


def test_a_star_inside_a_subquery_does_not_make_the_outer_projection_a_star():
    shape = analyse("SELECT ?b ?a { { SELECT * { ?a ?p ?b } } }").shape
    assert shape.star_variables is None
    assert shape.columns(["b", "a"]) == ["b", "a"]


def test_the_shape_carries_form_and_from():
    shape = analyse("PREFIX from: <http://ex/> ASK FROM <http://g> { ?s from:x ?o }").shape
    assert (shape.form, shape.has_from, shape.star_variables) == ("ASK", True, None)
