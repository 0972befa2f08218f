"""Named SPARQL queries: one .rq file per research question, listed and run by name.

A query file starts with a header of `#` comment lines::

    # title: Provinces with an overall peak year
    # question: Which provinces state an overall peak year for their whole territory?
    # param: jurisdiction place The jurisdiction (IRI or GB/T 2260 code). default=620000

Parameters are variables of the query (`?jurisdiction`) that its SELECT clause projects
(and, in an aggregate query, groups by); a value given for one is bound before the query
runs (SEP-0007 substitution in the embedded store, a trailing VALUES clause on a remote
endpoint — both need the variable projected, so a query that does not is refused).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cckg.errors import BadParameter, UnknownQuery
from cckg.paths import PATHS
from cckg.rdf.namespaces import ID
from cckg.rdf.terms import XSD_INTEGER, BoundTerm

PARAM_TYPES = ("place", "iri", "integer", "string")
#: One `# key: value` header line of a .rq file (named queries and QC queries alike).
HEADER_LINE = re.compile(r"^#\s*(?P<key>[a-z]+)\s*:\s*(?P<value>.*)$")
_CODE = re.compile(r"^(CN|[0-9]{6})$")
_IRI = re.compile(r"^[a-z][a-z0-9+.-]*://[^\s<>\"{}|^`\\]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a named query."""

    name: str
    kind: str
    description: str
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its header parsed."""

    name: str
    path: Path
    title: str
    question: str
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise BadParameter(
            f"query {self.name!r} has no parameter {name!r}",
            fix=f"use one of its parameters: {known}",
        )


def _parse_param(spec: str, where: str) -> Parameter:
    parts = spec.split(maxsplit=2)
    if len(parts) < 3 or parts[1] not in PARAM_TYPES:
        raise BadParameter(
            f"malformed parameter declaration {spec!r}",
            where=where,
            fix=f"write '# param: NAME TYPE DESCRIPTION [default=VALUE]', TYPE one of "
            f"{', '.join(PARAM_TYPES)}",
        )
    name, kind, rest = parts
    default = None
    match = re.search(r"\bdefault=(\S+)\s*$", rest)
    if match:
        default = match.group(1)
        rest = rest[: match.start()].rstrip()
    return Parameter(name=name, kind=kind, description=rest, default=default)


def _check_projected(text: str, params: list[Parameter], where: str) -> None:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = re.search(r"\bSELECT\b(.*?)\bWHERE\b", body, re.IGNORECASE | re.DOTALL)
    projection = match.group(1) if match else ""
    for param in params:
        if not re.search(rf"[?$]{param.name}\b", projection) and "*" not in projection:
            raise BadParameter(
                f"parameter {param.name!r} is not in the SELECT clause",
                where=where,
                fix=f"project ?{param.name} (and group by it in an aggregate query)",
            )


def parse_query_file(path: Path) -> NamedQuery:
    """Read a .rq file and its header."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = HEADER_LINE.match(line)
        if not match:
            continue
        key, value = match.group("key"), match.group("value").strip()
        if key == "param":
            params.append(_parse_param(value, str(path)))
        else:
            header.setdefault(key, value)
    _check_projected(text, params, str(path))
    return NamedQuery(
        name=path.stem,
        path=path,
        title=header.get("title", path.stem),
        question=header.get("question", ""),
        text=text,
        parameters=tuple(params),
    )


def list_queries(folder: Path = PATHS.queries) -> list[NamedQuery]:
    """Every named query in the folder (not its qc/ subfolder), sorted by name."""
    return [parse_query_file(p) for p in sorted(folder.glob("*.rq"))]


#: What a query name may be (a file stem in queries/): checked before any file is touched.
QUERY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; False for a path the OS cannot even look up (too long)."""
    try:
        return path.is_file()
    except OSError:
        return False


def shortened(text: str, limit: int = 120) -> str:
    """`text` as an error message shows it: whole up to `limit` characters, else its start
    and its end around "…" (a path keeps its file name; a hostile name stays short)."""
    if len(text) <= limit:
        return text
    tail = limit * 2 // 3
    return f"{text[:limit - tail - 1]}…{text[-tail:]}"


def load_query(name_or_file: str, folder: Path = PATHS.queries) -> NamedQuery:
    """A named query by name (`cq01`) or a path to a .rq file.

    A name is checked against QUERY_NAME before the file system is asked, so a name
    that is too long or holds path characters is simply unknown.
    """
    candidate = Path(name_or_file)
    if candidate.suffix == ".rq":
        if _is_file(candidate):
            return parse_query_file(candidate)
        raise UnknownQuery(
            "file not found",
            where=shortened(name_or_file),
            fix="check the path of the .rq file (relative to the current folder), or give "
            "a named query such as cq01 (`cckg queries` lists them)",
        )
    if QUERY_NAME.match(name_or_file) and _is_file(path := folder / f"{name_or_file}.rq"):
        return parse_query_file(path)
    known = ", ".join(q.name for q in list_queries(folder)) or "(none)"
    shown = shortened(name_or_file)
    raise UnknownQuery(
        f"no named query {shown!r}",
        fix=f"use one of: {known} (or give the path of a .rq file)",
    )


def cli_spelling(name: str, value: str) -> str:
    """How a user gives a parameter on the command line."""
    return f"--param {name}={value}"


def web_spelling(name: str, value: str) -> str:
    """How a user gives a parameter in a /queries/NAME address."""
    return f"?{name}={value} in the address"


#: Writes "how to give parameter NAME the value VALUE" for the user's interface.
Spelling = Callable[[str, str], str]


@dataclass(frozen=True)
class BoundValue:
    """A parameter value as an RDF term: an IRI or a typed/plain literal."""

    kind: str  # "iri" | "integer" | "string"
    value: str

    def term(self) -> BoundTerm:
        """The value as the RDF term a store binds."""
        if self.kind == "iri":
            return ox.NamedNode(self.value)
        if self.kind == "integer":
            return ox.Literal(self.value, datatype=ox.NamedNode(XSD_INTEGER))
        return ox.Literal(self.value)


def bind_value(param: Parameter, raw: str, spell: Spelling = cli_spelling) -> BoundValue:
    """Check and convert one parameter value given by a user."""
    raw = raw.strip()
    if param.kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", raw):
            raise BadParameter(
                f"parameter {param.name!r} must be an integer, got {raw!r}",
                fix=f"give a whole number, e.g. {spell(param.name, '2030')}",
            )
        return BoundValue("integer", raw)
    if param.kind == "string":
        return BoundValue("string", raw)
    if param.kind == "place" and _CODE.match(raw):
        return BoundValue("iri", str(ID[f"place/{raw}"]))
    if _IRI.match(raw) and _is_valid_iri(raw):
        return BoundValue("iri", raw)
    hint = "a GB/T 2260 code such as 620000, or " if param.kind == "place" else ""
    example = "620000" if param.kind == "place" else "https://w3id.org/cckg/id/place/620000"
    raise BadParameter(
        f"parameter {param.name!r} must be {hint}a valid absolute IRI (no spaces, control "
        f"characters or broken %-escapes), got {raw!r}",
        fix="e.g. " + spell(param.name, example),
    )


def _is_valid_iri(raw: str) -> bool:
    """Whether `raw` is an IRI an RDF store accepts (code points, percent-encoding)."""
    try:
        ox.NamedNode(raw)
    except ValueError:
        return False
    return True


def resolve_parameters(
    query: NamedQuery, given: dict[str, str], spell: Spelling = cli_spelling
) -> dict[str, BoundValue]:
    """Bind the given values (and defaults) to the query's parameters; reject unknown ones.
    Advice in errors spells parameters as the user's interface takes them (`spell`)."""
    for name in given:
        query.parameter(name)  # raises for an unknown parameter
    bound: dict[str, BoundValue] = {}
    for param in query.parameters:
        raw = given.get(param.name, param.default)
        if raw is None:
            raise BadParameter(
                f"query {query.name!r} needs parameter {param.name!r} ({param.description})",
                fix="add " + spell(param.name, "VALUE"),
            )
        bound[param.name] = bind_value(param, raw, spell)
    return bound


def check_places_exist(
    query: NamedQuery,
    bound: dict[str, BoundValue],
    described: Callable[[str], bool],
    spell: Spelling = cli_spelling,
) -> None:
    """Refuse a place parameter naming no place in the graph (`described(iri)` says whether
    the graph has triples about it), so an unknown code is not silently "0 rows"."""
    for param in query.parameters:
        value = bound.get(param.name)
        if param.kind != "place" or value is None or value.kind != "iri":
            continue
        if not described(value.value):
            code = value.value.removeprefix(str(ID["place/"]))
            shown = code if code != value.value else f"<{value.value}>"
            raise BadParameter(
                f"parameter {param.name!r}: no place {shown} is in the graph (unknown code)",
                fix="give the GB/T 2260 code of a place in the graph, e.g. "
                + spell(param.name, "620000")
                + " (Gansu)",
            )


def parse_param_options(options: list[str]) -> dict[str, str]:
    """Turn CLI `k=v` strings into a dict, rejecting malformed ones."""
    values: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip():
            raise BadParameter(
                f"malformed parameter {option!r}", fix="write --param NAME=VALUE"
            )
        values[name.strip()] = value
    return values
