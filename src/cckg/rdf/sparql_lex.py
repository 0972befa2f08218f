"""A small, strict SPARQL lexer: enough to see a request's keywords without parsing it.

The protocol needs a few facts before pyoxigraph runs anything: the query form (to pick a
result format), whether the request names its own dataset (FROM, USING, WITH), whether it
reaches out (SERVICE, LOAD), how deeply it nests, and where to put the protocol's USING
clauses in an update. Strings, IRIs, comments, variables and prefixed names are skipped
whole, so a keyword inside them never counts. Full syntax checking stays with pyoxigraph.

The lexer fails closed: a character it cannot place in a SPARQL token, an unterminated
string, or a spot where pyoxigraph might read the text differently raises `LexError`,
and the endpoint refuses the request (400) rather than guess. It runs in linear time:
every regular expression is anchored at the current position and never rescans text
an earlier attempt has already ruled out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

#: Deepest nesting of {}, () and [] accepted (deeper texts overflow the parser's stack).
MAX_DEPTH = 200
#: Most UNION, OPTIONAL, MINUS, FILTER, BIND and GRAPH keywords in one text's patterns,
#: and most operators and separators there: long flat chains nest in the parser too.
MAX_GROUPS = 1000
MAX_CHAIN = 4000
REMOTE_KEYWORDS = ("SERVICE", "LOAD")
#: SPARQL 1.2 draft keywords pyoxigraph accepts and this endpoint does not offer.
DRAFT_KEYWORDS = ("LATERAL",)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_CHAIN_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH"})
_CHAIN_PUNCT = frozenset(".,;|&+-*/!^=<>")

_NAME_CHARS = r"\w\u00b7\u0300-\u036f\u203f-\u2040"
_WS = re.compile(r"[ \t\r\n]+")
_COMMENT = re.compile(r"#[^\n\r]*")
_LONG_STRING = {
    "'''": re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*+'''", re.DOTALL),
    '"""': re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*+"""', re.DOTALL),
}
_SHORT_STRING = {
    "'": re.compile(r"'(?:[^'\\\n\r]|\\.)*+'"),
    '"': re.compile(r'"(?:[^"\\\n\r]|\\.)*+"'),
}
_IRI = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>")
_VAR = re.compile(rf"[?$][{_NAME_CHARS}]++")
#: A run of name characters and dots: the prefix of a prefixed name when ':' follows.
_NAME_RUN = re.compile(rf"[^\W\d][{_NAME_CHARS}\-]*+(?:\.++[{_NAME_CHARS}\-]++)*+")
_WORD = re.compile(r"[^\W\d]\w*+")
_LOCAL = re.compile(
    rf"(?:[{_NAME_CHARS}:\-]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%]"
    rf"|\.(?=[{_NAME_CHARS}:\-%\\]))*+"
)
_NUMBER = re.compile(r"(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)(?:[eE][+-]?[0-9]++)?")
_LANGTAG = re.compile(r"@[A-Za-z][A-Za-z0-9\-]*+")
_PUNCT = frozenset("{}()[],;.*/+-!=<>&|^?~")
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class LexError(ValueError):
    """The text cannot be tokenised safely; `offset` is where, `fix` says what to do."""

    def __init__(self, what: str, text: str, offset: int, fix: str) -> None:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        super().__init__(f"{what} at line {line}, column {column}")
        self.what = what
        self.offset = offset
        self.line = line
        self.column = column
        self.fix = fix


@dataclass(frozen=True, slots=True)
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


def _operand_end(token: Token | None) -> bool:
    """Whether `<` after this token could be the less-than operator rather than an IRI."""
    if token is None:
        return False
    if token.kind in {"var", "iri", "pname", "string", "number", "langtag"}:
        return True
    return token.text in {")", ">"} or token.keyword in {"TRUE", "FALSE"}


def _string_end(text: str, pos: int) -> int:
    quote = text[pos]
    if text.startswith(quote * 3, pos):
        match = _LONG_STRING[quote * 3].match(text, pos)
    else:
        match = _SHORT_STRING[quote].match(text, pos)
    if match is None:
        raise LexError(
            "a string is not terminated", text, pos,
            "close the string with the same quote it opens with (long strings with three)",
        )
    return match.end()


def tokenize(text: str) -> list[Token]:
    """All the significant tokens of a text (see `scan`)."""
    return list(scan(text))


def scan(text: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (no whitespace or comments).

    Raises LexError for anything that is not a SPARQL token, an unterminated string,
    nesting deeper than MAX_DEPTH, or an IRI after an operand that holds `'` (or `#`
    with a long string later on its line): pyoxigraph may read that `<` as less-than and
    the rest as a string or a comment, and so see keywords this lexer does not.
    """
    previous: Token | None = None
    depth, pos, size = 0, 0, len(text)
    colonless_until = -1  # name runs starting before here have no ':' after them
    hash_pending = False  # an ambiguous IRI with '#' was seen on the current line
    if text.startswith("\ufeff"):
        pos = 1
    while pos < size:
        char = text[pos]
        kind, end = "", pos + 1
        if char in " \t\r\n":
            end = _match_end(_WS, text, pos)
            if hash_pending and ("\n" in text[pos:end] or "\r" in text[pos:end]):
                hash_pending = False
            pos = end
            continue
        if char == "#":
            pos = _match_end(_COMMENT, text, pos)
            continue
        if char in "'\"":
            kind, end = "string", _string_end(text, pos)
            if hash_pending and end - pos >= 6 and text[pos] * 3 == text[pos : pos + 3]:
                raise LexError(
                    "a long string follows an IRI holding '#' after an operand", text, pos,
                    "put a space after '<' if it means less-than, or start the long string "
                    "on the next line",
                )
        elif char == "<" and (iri := _IRI.match(text, pos)) is not None:
            kind, end = "iri", iri.end()
            if _operand_end(previous):
                if "'" in iri.group():
                    raise LexError(
                        "an IRI after an operand contains \"'\" (it could be read as "
                        "less-than followed by a string)", text, pos,
                        "write ' in IRIs as %27, or put a space after '<' for less-than",
                    )
                hash_pending = hash_pending or "#" in iri.group()
        elif char in "?$" and (var := _VAR.match(text, pos)) is not None:
            kind, end = "var", var.end()
        elif char == ":":
            kind, end = "pname", _match_end(_LOCAL, text, pos + 1)
        elif pos >= colonless_until and (run := _NAME_RUN.match(text, pos)) is not None:
            if run.end() < size and text[run.end()] == ":":
                kind, end = "pname", _match_end(_LOCAL, text, run.end() + 1)
            else:
                colonless_until = run.end()
                kind, end = "word", _match_end(_WORD, text, pos)
        elif pos < colonless_until and (word := _WORD.match(text, pos)) is not None:
            kind, end = "word", word.end()
        elif (number := _NUMBER.match(text, pos)) is not None:
            kind, end = "number", number.end()
        elif char == "@" and (tag := _LANGTAG.match(text, pos)) is not None:
            kind, end = "langtag", tag.end()
        elif char in _PUNCT:
            kind = "open" if char in _OPEN else "close" if char in _CLOSE else "punct"
        else:
            shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            raise LexError(
                f"the character {shown} is not part of any SPARQL token", text, pos,
                "remove it, or put it inside a string or an IRI (escape it there if needed)",
            )
        if kind == "close":
            depth = max(depth - 1, 0)
        previous = Token(kind, text[pos:end], pos, depth)
        yield previous
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise LexError(
                    f"the text is nested too deeply (limit {MAX_DEPTH} levels of {{}}, () "
                    "and [])", text, pos,
                    "flatten the query: join patterns in one group instead of nesting them",
                )
        pos = end


def _match_end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    match = pattern.match(text, pos)
    assert match is not None  # every pattern passed here can match the empty string
    return match.end()


def decode_escapes(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with its \\u and \\U codepoint escapes decoded, and the offset pairs
    (decoded, original).

    SPARQL decodes these escapes before parsing, anywhere in the text.
    """
    pieces: list[str] = []
    marks: list[tuple[int, int]] = []
    last, shift = 0, 0
    for match in _ESCAPE.finditer(text):
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise LexError(
                f"the escape {match.group()} is not a Unicode character", text, match.start(),
                "use the escape of a valid code point (surrogates are not allowed)",
            )
        pieces += [text[last : match.start()], chr(code)]
        last = match.end()
        shift += len(match.group()) - 1
        marks.append((match.start() - shift + len(match.group()), match.end()))
    pieces.append(text[last:])
    return "".join(pieces), marks


@dataclass(frozen=True)
class Analysis:
    """What the endpoint needs to know about one request text, from one tokenisation."""

    text: str
    tokens: tuple[Token, ...]

    def keywords(self, *, top_level: bool = False) -> list[str]:
        """The keywords of the text, in order (only outside any bracket if `top_level`)."""
        return [
            t.keyword for t in self.tokens if t.keyword and (not top_level or t.depth == 0)
        ]

    @property
    def form(self) -> str | None:
        """SELECT, ASK, CONSTRUCT or DESCRIBE, or None."""
        return next((k for k in self.keywords(top_level=True) if k in QUERY_FORMS), None)

    @property
    def has_from(self) -> bool:
        """Whether a query names its own dataset (FROM or FROM NAMED)."""
        return "FROM" in self.keywords(top_level=True)

    @property
    def star_variables(self) -> tuple[str, ...] | None:
        """For `SELECT *`: the variables in the order the text first mentions them (else
        None: the projection gives the order)."""
        after_select = False
        for token in self.tokens:
            if token.depth:
                continue
            if not after_select:
                after_select = token.keyword == "SELECT"
            elif token.keyword not in {"DISTINCT", "REDUCED"}:
                if token.text != "*":
                    return None
                names = (t.text[1:] for t in self.tokens if t.kind == "var")
                return tuple(dict.fromkeys(names))
        return None

    @property
    def shape(self) -> QueryShape:
        """What running and writing this query needs to know of its text."""
        return QueryShape(self.form, self.has_from, self.star_variables)

    @property
    def has_using_or_with(self) -> bool:
        """Whether an update names its own dataset (USING, USING NAMED or WITH)."""
        return any(k in {"USING", "WITH"} for k in self.keywords(top_level=True))

    def add_using(self, default_graphs: list[str], named_graphs: list[str]) -> str:
        """The update with USING / USING NAMED clauses before every top-level Modify WHERE.

        This is how the protocol's using-graph-uri and using-named-graph-uri parameters set
        the dataset of each DELETE/INSERT ... WHERE operation (SPARQL 1.1 Protocol 2.2.3).
        DELETE WHERE and the DATA forms take no USING and are left as they are.
        """
        clause = "".join(f"USING <{g}> " for g in default_graphs) + "".join(
            f"USING NAMED <{g}> " for g in named_graphs
        )
        if not clause:
            return self.text
        cuts: list[int] = []
        previous: Token | None = None
        for token in self.tokens:
            after_delete = previous is not None and previous.keyword == "DELETE"
            if token.depth == 0 and token.keyword == "WHERE" and not after_delete:
                cuts.append(token.start)
            previous = token
        pieces, last = [], 0
        for cut in cuts:
            pieces += [self.text[last:cut], clause]
            last = cut
        pieces.append(self.text[last:])
        return "".join(pieces)


@dataclass(frozen=True)
class QueryShape:
    """What running and writing a query needs from its text, from one tokenisation: its
    form, whether it names its own dataset (FROM), and for `SELECT *` its variables in
    the order of first mention. The endpoint finds it once, when it checks the query, and
    hands it to the store with the job."""

    form: str | None
    has_from: bool
    star_variables: tuple[str, ...] | None

    @classmethod
    def of(cls, text: str) -> QueryShape:
        """The shape of a text read leniently (one that cannot be tokenised: no form,
        no FROM, columns as the store gives them)."""
        return Analysis(text, tuple(tokens(text))).shape

    def columns(self, variables: Sequence[str]) -> list[str]:
        """A result's variables in column order.

        pyoxigraph lists the variables of `SELECT *` alphabetically; SPARQL leaves their
        order to the engine, but readers expect the order they wrote (`?place ?year
        ?quote`, not `?place ?quote ?year`), so `SELECT *` columns follow first mention.
        Any other projection already gives the order.
        """
        if self.star_variables is None:
            return list(variables)
        rank = {name: i for i, name in enumerate(self.star_variables)}
        return sorted(variables, key=lambda name: rank.get(name, len(rank)))


def _remote_in(tokens: list[Token]) -> list[tuple[str, int]]:
    """(keyword, offset) of SERVICE/LOAD/LATERAL anywhere in a bare word or a prefix.

    pyoxigraph's grammar needs no word boundary after a keyword: it reads `LOADSILENT<x>`
    as LOAD SILENT <x>, `SERVICEsilent<x>` as SERVICE SILENT <x> and `LOADex:u` as LOAD
    ex:u. This lexer reads each of those as one word (or one prefixed name), so a word
    that merely contains one of these keywords is refused: no SPARQL keyword or function
    name contains them, so only glued text (and prefixes such as `loader:`) is caught.
    """
    found = []
    for token in tokens:
        if token.kind == "word":
            name = token.text.upper()
        elif token.kind == "pname":
            name = token.text.partition(":")[0].upper()  # `SERVICE:x` is SERVICE + `:x`
        else:
            continue
        for keyword in (*REMOTE_KEYWORDS, *DRAFT_KEYWORDS):
            if keyword in name:
                found.append((keyword, token.start + name.index(keyword)))
    return found


def _chains(text: str, tokens: Iterable[Token]) -> Iterator[Token]:
    """Refuse long flat chains in graph patterns and expressions (they nest in the parser).

    DATA blocks, INSERT/DELETE templates and VALUES blocks are flat lists and not counted.
    """
    groups = operators = 0
    skip_at: int | None = None  # depth of the block being skipped
    arm = False  # the next '{' opens a block to skip
    for token in tokens:
        yield token
        if skip_at is not None:
            if token.kind == "close" and token.depth == skip_at:
                skip_at = None
            continue
        word = token.keyword
        if word in {"DATA", "VALUES"} or (
            word in {"INSERT", "DELETE"} and token.depth == 0
        ):
            arm = True
        elif word == "WHERE":
            arm = False
        elif token.text == "{" and arm:
            skip_at, arm = token.depth, False
        elif word in _CHAIN_KEYWORDS:
            groups += 1
            if groups > MAX_GROUPS:
                raise LexError(
                    f"the text has more than {MAX_GROUPS} UNION, OPTIONAL, MINUS, FILTER, "
                    "BIND and GRAPH keywords", text, token.start,
                    "split it into several requests; use VALUES instead of long UNIONs",
                )
        elif token.kind == "punct" and token.text in _CHAIN_PUNCT:
            operators += 1
            if operators > MAX_CHAIN:
                raise LexError(
                    f"the text has more than {MAX_CHAIN} operators and separators "
                    "(. , ; || && + - * / | ! = < >) in its patterns", text, token.start,
                    "split it into several requests; use VALUES or IN (...) instead of long "
                    "|| chains",
                )


class RemoteError(ValueError):
    """The text would fetch remote data (SERVICE or LOAD) or uses LATERAL (SPARQL 1.2)."""

    def __init__(self, keywords: list[str], line: int, column: int) -> None:
        remote = [k for k in keywords if k in REMOTE_KEYWORDS]
        where = f"(first at line {line}, column {column}; a keyword counts even when "
        where += "glued to the next word, as the SPARQL parser reads it)"
        if remote:
            what = f"{' and '.join(remote)} would fetch remote data, which this endpoint never does"
            self.fix = (
                "load the data you need into a store of your own and federate from there; "
                "put a space or newline after each keyword"
            )
        else:
            what = "LATERAL is SPARQL 1.2 draft syntax and this endpoint speaks SPARQL 1.1"
            self.fix = (
                "write the query in SPARQL 1.1, without LATERAL (a sub-select joins the same "
                "way when it needs no variable bound outside it)"
            )
        super().__init__(f"{what} {where}")
        self.keywords = keywords


def analyse(text: str) -> Analysis:
    """Tokenise a request text once and check it is safe to hand to pyoxigraph.

    Raises LexError (cannot be tokenised safely, too deep, too long chains) or RemoteError
    (SERVICE, LOAD or LATERAL outside strings and IRIs, also glued to other words and after
    decoding \\u escapes).
    """
    tokens = list(_chains(text, scan(text)))
    remote = _remote_in(tokens)
    if "\\u" in text or "\\U" in text:
        decoded, marks = decode_escapes(text)
        try:
            decoded_tokens = tokenize(decoded)
        except LexError as exc:
            offset = _original_offset(marks, exc.offset)
            raise LexError(
                f"after decoding \\u escapes (SPARQL decodes them before parsing), {exc.what}",
                text, offset,
                "write quotes, '<', '>' and '#' themselves, not as \\u escapes",
            ) from exc
        remote += [(k, _original_offset(marks, o)) for k, o in _remote_in(decoded_tokens)]
    if remote:
        names = [k for k in (*REMOTE_KEYWORDS, *DRAFT_KEYWORDS) if any(r[0] == k for r in remote)]
        first = min(o for _, o in remote)
        line = text.count("\n", 0, first) + 1
        raise RemoteError(names, line, first - (text.rfind("\n", 0, first) + 1) + 1)
    return Analysis(text, tuple(tokens))


def _original_offset(marks: list[tuple[int, int]], offset: int) -> int:
    """Map an offset in decoded text back to the original text."""
    index = bisect.bisect_right([d for d, _ in marks], offset) - 1
    if index < 0:
        return offset
    decoded, original = marks[index]
    return original + (offset - decoded)


# -- lenient reading (no safety refusal), for the store's dataset rule -----------------


def tokens(text: str) -> list[Token]:
    """The significant tokens of a text, or [] if it cannot be tokenised safely."""
    try:
        return tokenize(text)
    except LexError:
        return []
