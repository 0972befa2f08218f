"""A small SPARQL lexer: enough to see a request's top-level keywords without parsing it.

The protocol needs a few facts before pyoxigraph runs anything: the query form (to pick a
result format), whether the request names its own dataset (FROM, USING, WITH), whether it
reaches out (SERVICE, LOAD), and where to put the protocol's USING clauses in an update.
Strings, IRIs, comments, variables and prefixed names are skipped whole, so a keyword
inside them never counts. Full syntax checking stays with pyoxigraph's parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w.:%\-]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Token:
    """One significant token: its kind, text, offset and bracket depth."""

    kind: str
    text: str
    start: int
    depth: int

    @property
    def keyword(self) -> str | None:
        """The upper-cased text of a bare word (SPARQL keywords are case-insensitive)."""
        return self.text.upper() if self.kind == "word" else None


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (no whitespace or comments)."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in {"ws", "comment"}:
            continue
        if kind == "close":
            depth = max(depth - 1, 0)
        yield Token(kind, match.group(), match.start(), depth)
        if kind == "open":
            depth += 1


def keywords(text: str, *, top_level: bool = False) -> list[str]:
    """The keywords of a text, in order (only those outside any bracket if `top_level`)."""
    return [
        t.keyword for t in tokens(text) if t.keyword and (not top_level or t.depth == 0)
    ]


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query, or None if it has none."""
    return next((k for k in keywords(text, top_level=True) if k in QUERY_FORMS), None)


def has_from(text: str) -> bool:
    """Whether a query names its own dataset (FROM or FROM NAMED)."""
    return "FROM" in keywords(text, top_level=True)


def has_using_or_with(text: str) -> bool:
    """Whether an update names its own dataset (USING, USING NAMED or WITH)."""
    return any(k in {"USING", "WITH"} for k in keywords(text, top_level=True))


def remote_operations(text: str) -> list[str]:
    """The keywords that would fetch a remote IRI (SERVICE anywhere, LOAD in an update)."""
    found = []
    for keyword in keywords(text):
        if keyword in {"SERVICE", "LOAD"} and keyword not in found:
            found.append(keyword)
    return found


def add_using(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """The update with USING / USING NAMED clauses before every top-level Modify WHERE.

    This is how the protocol's using-graph-uri and using-named-graph-uri parameters set
    the dataset of each DELETE/INSERT ... WHERE operation (SPARQL 1.1 Protocol 2.2.3).
    DELETE WHERE and the DATA forms take no USING and are left as they are.
    """
    clause = "".join(f"USING <{g}> " for g in default_graphs) + "".join(
        f"USING NAMED <{g}> " for g in named_graphs
    )
    if not clause:
        return update
    cuts: list[int] = []
    previous: Token | None = None
    for token in tokens(update):
        after_delete = previous is not None and previous.keyword == "DELETE"
        if token.depth == 0 and token.keyword == "WHERE" and not after_delete:
            cuts.append(token.start)
        previous = token
    pieces, last = [], 0
    for cut in cuts:
        pieces += [update[last:cut], clause]
        last = cut
    pieces.append(update[last:])
    return "".join(pieces)
