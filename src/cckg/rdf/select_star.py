"""`SELECT *` columns in the query's own variable order.

pyoxigraph lists the variables of `SELECT *` alphabetically; SPARQL leaves their order to
the engine, but readers expect the order they wrote (`?place ?year ?quote`, not `?place
?quote ?year`). `star_order` reorders them by first appearance in the query text, skipping
comments, strings and IRIs. This module must stay light: query workers import it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TOKENS = re.compile(
    r"""(?P<skip>\#[^\n]*|'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>)"""
    r"|[?$](?P<var>[\w\u00b7\u0300-\u036f\u203f-\u2040]+)"
    r"|(?P<word>[A-Za-z]+|\*)",
)
_MODIFIERS = {"DISTINCT", "REDUCED"}


def star_order(query: str, variables: Sequence[str]) -> list[str]:
    """The result variables in the order the query first mentions them, for `SELECT *`;
    unchanged for any other query (its projection already gives the order)."""
    first: dict[str, int] = {}
    state = "before-select"  # then "after-select", then "star" or "listed"
    for match in _TOKENS.finditer(query):
        var, word = match.group("var"), match.group("word")
        if var is not None:
            first.setdefault(var, match.start())
        if state == "after-select" and (word or "").upper() not in _MODIFIERS:
            state = "star" if word == "*" else "listed"
        elif state == "before-select" and (word or "").upper() == "SELECT":
            state = "after-select"
    if state != "star":
        return list(variables)
    return sorted(variables, key=lambda v: first.get(v, len(query)))
