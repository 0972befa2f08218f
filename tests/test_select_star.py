"""`SELECT *` columns come in the query's own variable order, not alphabetically."""

from __future__ import annotations

import pyoxigraph as ox

from cckg.rdf.select_star import star_order

QUERY = 'SELECT * WHERE { ?zone <http://ex/p> ?year . OPTIONAL { ?zone <http://ex/q> ?alpha } }'


def test_star_order_follows_first_mention():
    variables = [v.value for v in ox.Store().query(QUERY).variables]
    assert variables == ["alpha", "year", "zone"]  # pyoxigraph's order
    assert star_order(QUERY, variables) == ["zone", "year", "alpha"]


def test_comments_strings_iris_and_explicit_projections_are_respected():
    query = 'PREFIX a: <http://x/?b>\n# ?c\nSELECT DISTINCT * { ?d ?e "?f" }'
    assert star_order(query, ["d", "e"]) == ["d", "e"]
    assert star_order("SELECT ?y ?x (?a * 2 AS ?b) { ?x ?a ?y }", ["y", "x", "b"]) == [
        "y", "x", "b"
    ]
