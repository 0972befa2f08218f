"""SPARQL text that CCKG writes around a query: the prologue and a trailing VALUES clause."""

from __future__ import annotations

from collections.abc import Mapping

from cckg.rdf.terms import BoundTerm


def sparql_prologue(prefixes: Mapping[str, str], base_iri: str | None = None) -> str:
    """BASE (if given) and one PREFIX declaration per prefix, one per line."""
    lines = [f"BASE <{base_iri}>"] if base_iri else []
    lines += [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items()]
    return "".join(line + "\n" for line in lines)


def with_values(sparql: str, bindings: Mapping[str, BoundTerm]) -> str:
    """The query with a trailing VALUES clause binding `bindings` (one row).

    For variables of the projection this answers what binding them before evaluation
    does (which is why named-query parameters must be projected).
    """
    if not bindings:
        return sparql
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"{sparql.rstrip()}\nVALUES ({names}) {{ ({terms}) }}\n"
