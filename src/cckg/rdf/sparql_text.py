"""SPARQL text that CCKG writes around a query: the prologue and a VALUES block."""

from __future__ import annotations

from collections.abc import Mapping

from cckg.rdf.sparql_lex import tokens
from cckg.rdf.terms import BoundTerm


def sparql_prologue(prefixes: Mapping[str, str], base_iri: str | None = None) -> str:
    """BASE (if given) and one PREFIX declaration per prefix, one per line."""
    lines = [f"BASE <{base_iri}>"] if base_iri else []
    lines += [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items()]
    return "".join(line + "\n" for line in lines)


def with_values(sparql: str, bindings: Mapping[str, BoundTerm]) -> str:
    """The query with a VALUES block binding `bindings` (one row) at the start of its WHERE
    group, so the values join the pattern before any grouping (as pre-bound variables do;
    named-query parameters must still be projected, so that every engine agrees).

    A VALUES block after the query would do the same in SPARQL 1.1, but Virtuoso does not
    join a trailing VALUES with an aggregating query. A text whose WHERE group cannot be
    found keeps the trailing form.
    """
    if not bindings:
        return sparql
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    block = f" VALUES ({names}) {{ ({terms}) }} "
    top = [t for t in tokens(sparql) if t.depth == 0]
    keywords = [t.keyword for t in top]
    opening = None
    if "CONSTRUCT" in keywords:  # the WHERE group follows the template (none: short form)
        at = keywords.index("CONSTRUCT")
        if "WHERE" in keywords[at + 2:]:
            opening = next(t for t in top[keywords.index("WHERE", at + 2):] if t.text == "{")
    else:
        opening = next((t for t in top if t.text == "{"), None)
    if opening is None:
        return f"{sparql.rstrip()}\nVALUES ({names}) {{ ({terms}) }}\n"
    cut = opening.start + 1
    return sparql[:cut] + block + sparql[cut:]
