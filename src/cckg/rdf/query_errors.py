"""Readable SPARQL syntax errors: what is wrong and where, in one line, with a fix.

pyoxigraph reports a syntax error as its parser's expectation set ("error at 1:32:
expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' …") — several lines of grammar
that name keywords this server refuses (SERVICE) or that are rarely the fix (LATERAL).
`explain` turns it into one line: the position in the user's text, what stands there, the
undeclared prefix (with the PREFIX line for a known one), or the tokens that could follow.
This module must stay light: query workers import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cckg.rdf.namespaces import PREFIXES

_POSITION = re.compile(r"^error at (\d+):(\d+)(?:-\d+:\d+)?:\s*(.*)$", re.DOTALL)
#: A prefixed name ending at the error position (its prefix is group 1, possibly empty).
_PNAME_BEFORE = re.compile(r"(?<![\w.:%\\-])([^\W\d_][\w.-]*)?:[\w.:%\\-]*$")
#: Expectations that are grammar internals or keywords this server never accepts.
_HIDDEN = {"SERVICE", "LATERAL", "[_]"}
_MAX_EXPECTED = 8
_EXCERPT = 24


@dataclass(frozen=True)
class QuerySyntaxProblem:
    """A syntax error located in the query text: line and column count from 1."""

    line: int | None
    column: int | None
    what: str
    fix: str

    @property
    def where(self) -> str:
        return f"line {self.line}, column {self.column}" if self.line else "in the query"

    def one_line(self) -> str:
        return f"{self.where}: {self.what}"


def _expected(detail: str) -> list[str]:
    """The alternatives of an 'expected one of …' message, grammar classes left out."""
    body = re.sub(r"^expected (one of )?", "", detail.strip())
    items = re.findall(r"\[[^\]]*\]|\"(?:[^\"\\]|\\.)*\"|[^,\s][^,]*", body)
    shown = []
    for item in (i.strip() for i in items):
        if item in _HIDDEN or item.startswith("[") or item.startswith("'"):
            continue
        if item.startswith('"'):
            item = "'" + item[1:-1].replace('\\"', '"').replace("\\\\", "\\") + "'"
        shown.append(item)
    return shown


def _offset(text: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column in `text` (clamped to the text)."""
    lines = text.split("\n")
    if line > len(lines):
        return len(text)
    start = sum(len(part) + 1 for part in lines[: line - 1])
    return min(start + max(column - 1, 0), start + len(lines[line - 1]))


def _excerpt(text: str, offset: int) -> str:
    """The text of the error's line just before the error position, shortened."""
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset].strip()
    if not before:
        return ""
    return before if len(before) <= _EXCERPT else "…" + before[-_EXCERPT:]


def _prefix_problem(text: str, offset: int, line: int, column: int) -> QuerySyntaxProblem:
    match = _PNAME_BEFORE.search(text[:offset].rstrip())
    prefix = (match.group(1) or "") if match else None
    if prefix is None:
        return QuerySyntaxProblem(
            line, column, "a prefixed name uses a prefix the query does not declare",
            "declare each prefix with a PREFIX line at the top of the query",
        )
    known = PREFIXES.get(prefix)
    fix = (
        f"add this line at the top of the query: PREFIX {prefix}: <{known}>"
        if known
        else f"declare it at the top of the query: PREFIX {prefix}: <namespace IRI>"
    )
    return QuerySyntaxProblem(line, column, f"the prefix '{prefix}:' is not declared", fix)


def explain(text: str, message: str) -> QuerySyntaxProblem:
    """A one-line explanation of pyoxigraph's syntax error `message` about query `text`."""
    match = _POSITION.match(message.strip())
    if not match:
        first = message.strip().splitlines()[0] if message.strip() else "syntax error"
        return QuerySyntaxProblem(None, None, first, "correct the query's SPARQL syntax")
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3)
    offset = _offset(text, line, column)
    if not text[text.rfind("\n", 0, offset) + 1 : offset].strip() and text[:offset].strip():
        # pyoxigraph points past the whitespace after the last token: point at that token
        offset = len(text[:offset].rstrip())
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    if "Prefix not found" in detail:
        return _prefix_problem(text, offset, line, column)
    sentences = [i for i in _expected(detail) if " " in i and i[0].isupper()]
    if sentences:  # a semantic check of the parser, e.g. an unbound variable in SELECT
        return QuerySyntaxProblem(line, column, sentences[0], "correct the query there")
    near = _excerpt(text, offset)
    what = f"syntax error near '{near}'" if near else "syntax error"
    tokens = [i for i in _expected(detail) if " " not in i]
    if tokens:
        more = ", …" if len(tokens) > _MAX_EXPECTED else ""
        what += f"; expected one of {', '.join(tokens[:_MAX_EXPECTED])}{more}"
    fix = "correct the query there (lines and columns count from 1 in the text you sent)"
    if "'\"'" in tokens:
        fix = "close the string with its quote character"
    return QuerySyntaxProblem(line, column, what, fix)
