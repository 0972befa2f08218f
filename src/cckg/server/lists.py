"""List views of a class: filter by facets, sort, page; the same view as HTML, CSV and JSON.

A list shows the instances of one CCKG class with the columns and facets of its family
(commitments, places, documents, ...). The view state (facet values, sort, page, size) is
all in the query string, so every state has a permalink. Every query is plain SPARQL 1.1
over the default graph (the union of the named graphs), run through `Select`, so a list
works over the embedded store and a remote endpoint alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from cckg.errors import CckgError
from cckg.rdf.namespaces import CCKG, PREFIXES

#: Runs one SELECT and returns its rows, variable name -> term (unbound ones left out).
Select = Callable[[str], list[dict[str, Any]]]

LABELS = "(rdfs:label|skos:prefLabel|dcterms:title)"
DEFAULT_SIZE = 50
MAX_SIZE = 1000
#: Most values a facet lists (the most frequent first).
FACET_VALUES = 40


@dataclass(frozen=True)
class Column:
    """A column: values reached from the item by a SPARQL property path.

    `where` restricts the value (SPARQL over ?v); `link` says the values are things (shown
    with their labels) rather than literals.
    """

    key: str
    en: str
    zh: str
    path: str
    link: bool = True
    where: str = ""

    def pattern(self, var: str) -> str:
        """The SPARQL pattern binding `?var` to this column's values of ?item."""
        restriction = self.where.replace("?v", f"?{var}") if self.where else ""
        return f"?item {self.path} ?{var} . {restriction}"


@dataclass(frozen=True)
class Family:
    """The columns and facets shared by the lists of a root class and its subclasses."""

    root: str
    columns: tuple[Column, ...]
    facets: tuple[str, ...]
    default_sort: str = "label"

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def _c(key: str, en: str, zh: str, path: str, link: bool = True, where: str = "") -> Column:
    return Column(key, en, zh, path, link, where)


def _types(root: str) -> Column:
    return _c("type", "Type", "类型", "rdf:type",
              where=f"FILTER(STRSTARTS(STR(?v), STR(cckg:)) && ?v != {root})")


def _province(via: str = "") -> Column:
    """The province a place lies in (or is): the place reached by the path `via`, or the
    item itself."""
    path = f"{via}/cckg:withinJurisdiction*" if via else "cckg:withinJurisdiction*"
    return _c("province", "Province", "省份", path, where="FILTER EXISTS { ?v a cckg:Province }")


QUOTE = _c("quote", "The report's words", "报告原文", "prov:wasDerivedFrom/cckg:quote", False)
DOCUMENT = _c("document", "Document", "文件", "cckg:statedIn")
#: The columns of a finding and of a recommendation: the things it mentions, its words.
MENTIONS = (_c("mentions", "Mentions", "涉及", "cckg:mentions"), QUOTE)
METRIC = _c("metric", "Metric", "指标", "cckg:metric")
#: A stated amount: its value and unit.
AMOUNT = (
    _c("value", "Value", "数值", "cckg:value", link=False),
    _c("unit", "Unit", "单位", "cckg:unit"),
)

FAMILIES: tuple[Family, ...] = (
    Family(
        "cckg:Commitment",
        (
            _c("committer", "Committed by", "承诺主体", "cckg:committedBy"),
            _province("cckg:committedBy"),
            _c("level", "Level", "层级", "cckg:committedBy/cckg:divisionType"),
            _c("applies", "Applies to", "适用于", "cckg:appliesTo"),
            _types("cckg:Commitment"),
            _c("year", "Year", "年份", "cckg:targetYear", link=False),
            _c("timing", "Timing", "时间限定", "cckg:timing"),
            _c("strength", "Strength", "力度", "cckg:strength"),
            METRIC,
            *AMOUNT,
            _c("sector", "Sector", "行业", "cckg:coversSector"),
            DOCUMENT,
            QUOTE,
        ),
        ("type", "province", "level", "year", "timing", "strength", "sector", "metric",
         "document"),
        default_sort="year",
    ),
    Family(
        "cckg:Place",
        (
            _c("code", "Code", "代码", "cckg:adminCode", link=False),
            _c("level", "Level", "层级", "cckg:divisionType"),
            _c("within", "Within", "上级", "cckg:withinJurisdiction"),
            _province(),
            _types("cckg:Place"),
            _c("batch", "Pilot batch", "试点批次", "cckg:inPilotBatch"),
            _c("alliance", "Alliance", "联盟", "cckg:memberOf"),
        ),
        ("level", "province", "type", "batch", "alliance"),
        default_sort="code",
    ),
    Family(
        "cckg:PolicyDocument",
        (
            _c("year", "Year", "年份", "cckg:issuedYear", link=False),
            _c("issued", "Issued", "发布日期", "dcterms:issued", link=False),
            _c("doctype", "Document type", "文件类型", "cckg:documentType"),
            _c("issuer", "Issued by", "发布机关", "cckg:issuedBy"),
        ),
        ("doctype", "issuer", "year"),
        default_sort="year",
    ),
    Family(
        "cckg:Measure",
        (
            _c("takenby", "Taken by", "采取主体", "cckg:takenBy"),
            _province("cckg:takenBy"),
            _c("domain", "Domain", "领域", "cckg:measureDomain"),
            _c("area", "Area", "区域", "cckg:measureArea"),
            DOCUMENT,
            QUOTE,
        ),
        ("domain", "province", "document"),
    ),
    Family(
        "cckg:Observation",
        (
            _c("area", "Area", "区域", "cckg:refArea"),
            METRIC,
            _c("year", "Year", "年份", "cckg:referenceYear", link=False),
            *AMOUNT,
            QUOTE,
        ),
        ("metric", "area", "year"),
    ),
    Family(
        "cckg:Membership",
        (
            _c("member", "Member", "成员", "cckg:member"),
            _c("group", "Group", "组织", "cckg:group"),
            _c("since", "Since", "加入年份", "cckg:memberSince", link=False),
        ),
        ("group", "since"),
    ),
    Family(
        "cckg:SourcePassage",
        (
            _c("quote", "Quote", "原文", "cckg:quote", link=False),
            _c("section", "Section", "章节", "cckg:section", link=False),
            _c("row", "Row", "行", "cckg:rowNumber", link=False),
            _c("category", "Report category", "报告类别", "cckg:reportCategory"),
            _c("source", "Passage of", "出处", "cckg:passageOf"),
        ),
        ("category", "source", "section"),
        default_sort="row",
    ),
    Family("cckg:Finding", MENTIONS, ("mentions",)),
    Family("cckg:Recommendation", MENTIONS, ("mentions",)),
)
#: The family of any class not under one of the roots above.
GENERIC = Family(
    "owl:Thing",
    (_types("owl:Thing"), _c("definition", "Definition", "定义", "skos:definition", False)),
    ("type",),
)


def expand(curie_text: str) -> str:
    """'cckg:Commitment' -> the full IRI."""
    prefix, _, local = curie_text.partition(":")
    return PREFIXES[prefix] + local


@dataclass(frozen=True)
class Cell:
    """One value of a cell: a thing (iri with en/zh labels) or a literal (text)."""

    text: str
    iri: str | None = None
    en: str | None = None
    zh: str | None = None


@dataclass
class Row:
    """One item of the list with its label and the values of every column."""

    iri: str
    en: str | None
    zh: str | None
    cells: dict[str, list[Cell]] = field(default_factory=dict)


@dataclass(frozen=True)
class FacetValue:
    """A value of a facet with how many items of the current view have it."""

    token: str
    cell: Cell
    count: int
    active: bool


@dataclass(frozen=True)
class ViewState:
    """What the query string asks for: filters (facet key -> tokens), sort, page, size."""

    filters: dict[str, list[str]]
    sort: str
    descending: bool
    page: int
    size: int
    default_sort: str = "label"

    def params(self, **change: Any) -> list[tuple[str, str]]:
        """The query parameters of this state with some changed (None drops one); values
        equal to the defaults are left out, so each state has one URL."""
        filters = change.pop("filters", self.filters)
        values: dict[str, Any] = {
            "sort": ("-" if self.descending else "") + self.sort,
            "page": self.page, "size": self.size,
        }
        values.update(change)
        defaults = {"sort": self.default_sort, "page": 1, "size": DEFAULT_SIZE}
        out = [(k, t) for k in sorted(filters) for t in filters[k]]
        for key in ("sort", "page", "size"):
            value = values[key]
            if value is not None and str(value) != str(defaults[key]):
                out.append((key, str(value)))
        return out


@dataclass
class ListView:
    """A page of a list: its rows, the total, and each facet's values."""

    class_iri: str
    family: Family
    state: ViewState
    total: int
    rows: list[Row]
    facets: list[tuple[Column, list[FacetValue]]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.state.size))


class ListError(CckgError):
    """A list request that cannot be answered (unknown facet, bad value or page)."""


def family_of(select: Select, class_iri: str) -> Family:
    """The family of a class: the first root it is (a subclass of), else GENERIC."""
    for family in FAMILIES:
        rows = select(
            f"SELECT ?x WHERE {{ <{class_iri}> rdfs:subClassOf* ?x FILTER(?x = {family.root}) }}"
            " LIMIT 1"
        )
        if rows:
            return family
    return GENERIC


def is_class(select: Select, class_iri: str) -> bool:
    """Whether the store declares `class_iri` a class or has instances of it."""
    return bool(select(
        f"SELECT ?x WHERE {{ {{ <{class_iri}> a ?x VALUES ?x {{ owl:Class rdfs:Class }} }} "
        f"UNION {{ ?x a <{class_iri}> }} }} LIMIT 1"
    ))


def parse_state(family: Family, params: Sequence[tuple[str, str]]) -> ViewState:
    """The view state from the query parameters; an unknown parameter or value is an error."""
    filters: dict[str, list[str]] = {}
    sort, page, size = family.default_sort, 1, DEFAULT_SIZE
    descending = False
    for key, value in params:
        if key in family.facets:
            if value not in filters.setdefault(key, []):
                filters[key].append(value)
        elif key == "sort":
            descending = value.startswith("-")
            sort = value.lstrip("-")
            if sort != "label" and family.column(sort) is None:
                raise ListError(
                    f"cannot sort by {sort!r}", where="sort",
                    fix="sort by label or one of: " + ", ".join(c.key for c in family.columns),
                )
        elif key in ("page", "size"):
            number = positive_number(key, value)
            if key == "page":
                page = number
            else:
                size = min(number, MAX_SIZE)
        else:
            raise ListError(
                f"unknown parameter {key!r}", where=key,
                fix="filter with one of: " + ", ".join(family.facets)
                + "; or use sort, page, size",
            )
    return ViewState(filters, sort, descending, page, size, family.default_sort)


def positive_number(key: str, value: str) -> int:
    """A page or size parameter as a number; anything but a whole number from 1 is an error."""
    if not value.isdigit() or int(value) < 1:
        raise ListError(f"{key} must be a whole number from 1, not {value!r}", where=key,
                        fix=f"e.g. {key}=1")
    return int(value)


class Tokens:
    """Facet values in URLs: IRIs under base + 'id/' by their path ('strength/strives'),
    other IRIs as CURIEs where a CCKG prefix fits, else in full."""

    def __init__(self, base_iri: str) -> None:
        self.id_base = base_iri + "id/"

    def token(self, iri: str) -> str:
        if iri.startswith(self.id_base):
            return iri[len(self.id_base):]
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and prefix not in ("id",):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def iri(self, token: str, facet: str) -> str:
        prefix, colon, local = token.partition(":")
        if "://" in token:
            iri = token
        elif colon and prefix in PREFIXES:
            iri = PREFIXES[prefix] + local
        else:
            iri = self.id_base + token
        try:
            ox.NamedNode(iri)
        except (SyntaxError, ValueError) as exc:
            raise ListError(f"{token!r} is not a value of {facet}", where=facet,
                            fix="pick a value from the facet's list") from exc
        return iri


def _where(
    class_iri: str, family: Family, state: ViewState, tokens: Tokens, skip: str | None = None
) -> str:
    """The SPARQL patterns of the items in view: instances of the class that pass the active
    filters (all but `skip`: a facet counts its values as if it were not applied)."""
    return f"?item a <{class_iri}> .\n{_filters(family, state, tokens, skip)}"


def _filters(family: Family, state: ViewState, tokens: Tokens, skip: str | None) -> str:
    """The SPARQL patterns of the active filters (all but `skip`)."""
    parts = []
    for key, values in sorted(state.filters.items()):
        column = family.column(key)
        if column is None or key == skip:
            continue
        var = f"f_{key}"
        if column.link:
            terms = " ".join(f"<{tokens.iri(v, key)}>" for v in values)
            parts.append(f"{column.pattern(var)} VALUES ?{var} {{ {terms} }}")
        else:
            texts = ", ".join(json.dumps(v, ensure_ascii=False) for v in values)
            parts.append(f"{column.pattern(var)} FILTER(STR(?{var}) IN ({texts}))")
    return "\n".join(parts)


def _label_patterns(var: str) -> str:
    return (
        f'OPTIONAL {{ ?{var} {LABELS} ?{var}_en FILTER(LANGMATCHES(LANG(?{var}_en), "en")) }}\n'
        f'OPTIONAL {{ ?{var} {LABELS} ?{var}_zh FILTER(LANGMATCHES(LANG(?{var}_zh), "zh")) }}'
    )


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


def list_view(
    select: Select, class_iri: str, family: Family, state: ViewState, tokens: Tokens,
    with_facets: bool = True,
) -> ListView:
    """The rows of one page of the list, the total and (optionally) the facet counts."""
    where = _where(class_iri, family, state, tokens)
    total_rows = select(f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {where} }}")
    total = int(total_rows[0]["n"].value) if total_rows else 0
    if state.page > 1 and (state.page - 1) * state.size >= total:
        raise ListError(f"page {state.page} is past the last page", where="page",
                        fix=f"this view has {max(1, -(-total // state.size))} page(s)")
    order = _order(family, state)
    page_rows = select(
        f"""SELECT ?item (MIN(?k) AS ?key) WHERE {{ {where}
          {order} }}
        GROUP BY ?item ORDER BY {'DESC' if state.descending else 'ASC'}(?key) ?item
        LIMIT {state.size} OFFSET {(state.page - 1) * state.size}"""
    )
    items = [r["item"].value for r in page_rows]
    rows = _rows(select, family, items)
    facets = [
        (col, _facet_values(select, class_iri, family, state, tokens, col))
        for key in family.facets if with_facets and (col := family.column(key)) is not None
    ]
    return ListView(class_iri, family, state, total, rows, facets)


def _order(family: Family, state: ViewState) -> str:
    if state.sort == "label":
        return (
            f'OPTIONAL {{ ?item {LABELS} ?l_en FILTER(LANGMATCHES(LANG(?l_en), "en")) }}\n'
            f"OPTIONAL {{ ?item {LABELS} ?l_any }}\n"
            "BIND(COALESCE(?l_en, ?l_any, STR(?item)) AS ?k)"
        )
    column = family.column(state.sort)
    assert column is not None  # parse_state checked it
    return (
        f"OPTIONAL {{ {column.pattern('sv')}\n"
        f'  OPTIONAL {{ ?sv {LABELS} ?svl FILTER(LANGMATCHES(LANG(?svl), "en")) }}\n'
        "  BIND(COALESCE(?svl, ?sv) AS ?k) }"
    )


def _rows(select: Select, family: Family, items: list[str]) -> list[Row]:
    """The items' labels and cells: one query for the values of every column, one for the
    labels of the items and of the things among the values (two small joins are much
    faster than labelling inside the union)."""
    if not items:
        return []
    branches = " UNION ".join(
        f'{{ {c.pattern("val")} BIND("{c.key}" AS ?col) }}' for c in family.columns
    )
    found = select(
        f"SELECT DISTINCT ?item ?col ?val WHERE {{ VALUES ?item {{ {_iris(items)} }}\n"
        f"{branches} }}"
    )
    things = sorted({r["val"].value for r in found if isinstance(r["val"], ox.NamedNode)})
    labels = labels_of(select, [*items, *things])
    rows = {i: Row(i, *labels.get(i, (None, None)), {c.key: [] for c in family.columns})
            for i in items}
    for r in sorted(found, key=lambda r: str(r["val"].value)):
        val = r["val"]
        en, zh = labels.get(val.value, (None, None)) if isinstance(val, ox.NamedNode) else (
            None, None)
        rows[r["item"].value].cells[r["col"].value].append(cell_of(val, en, zh))
    return [rows[i] for i in items]


def _iris(iris: list[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def labels_of(select: Select, iris: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """The first (smallest) en and zh label of each IRI."""
    out: dict[str, tuple[str | None, str | None]] = {}
    if not iris:
        return out
    for r in select(
        f"SELECT ?x (MIN(?x_en) AS ?en) (MIN(?x_zh) AS ?zh) WHERE {{ "
        f"VALUES ?x {{ {_iris(iris)} }}\n{_label_patterns('x')} }} GROUP BY ?x"
    ):
        out[r["x"].value] = (_text(r.get("en")), _text(r.get("zh")))
    return out


def cell_of(term: Any, en: str | None, zh: str | None) -> Cell:
    """A term as a cell: a thing with its labels, or a literal (or blank node) as text."""
    if isinstance(term, ox.NamedNode):
        shown = " · ".join(t for t in (en, zh) if t) or term.value
        return Cell(shown, term.value, en, zh)
    return Cell(str(term.value))


def _cell(term: Any, en: Any, zh: Any) -> Cell:
    return cell_of(term, _text(en), _text(zh))


def _facet_values(
    select: Select, class_iri: str, family: Family, state: ViewState, tokens: Tokens,
    column: Column,
) -> list[FacetValue]:
    where = _where(class_iri, family, state, tokens, skip=column.key)
    rows = select(
        f"""SELECT ?v (COUNT(DISTINCT ?item) AS ?n) (MIN(?v_en) AS ?en)
          (MIN(?v_zh) AS ?zh) WHERE {{ {where}
          {column.pattern('v')}
          {_label_patterns('v')} }}
        GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT {FACET_VALUES}"""
    )
    active = set(state.filters.get(column.key, []))
    out = []
    for r in rows:
        cell = _cell(r["v"], r.get("en"), r.get("zh"))
        token = tokens.token(cell.iri) if cell.iri else cell.text
        out.append(FacetValue(token, cell, int(r["n"].value), token in active))
    return out


def flat_rows(view: ListView) -> tuple[list[str], list[list[str]]]:
    """The view as a table of strings (CSV): IRI and labels, then each column; things give
    their label and IRI in two columns, several values are joined with ' | '."""
    header = ["iri", "label_en", "label_zh"]
    for c in view.family.columns:
        header.extend([c.key, f"{c.key}_iri"] if c.link else [c.key])
    table = []
    for row in view.rows:
        line = [row.iri, row.en or "", row.zh or ""]
        for c in view.family.columns:
            cells = row.cells.get(c.key, [])
            line.append(" | ".join(x.text for x in cells))
            if c.link:
                line.append(" | ".join(x.iri or "" for x in cells))
        table.append(line)
    return header, table


def json_view(view: ListView, links: Mapping[str, str | None]) -> dict[str, Any]:
    """The view as JSON: state, total, rows (things as {iri, en, zh}), facets, links."""

    def cell(c: Cell, link: bool) -> Any:
        return {"iri": c.iri, "en": c.en, "zh": c.zh} if link else c.text

    return {
        "class": view.class_iri,
        "total": view.total,
        "page": view.state.page,
        "size": view.state.size,
        "sort": ("-" if view.state.descending else "") + view.state.sort,
        "filters": view.state.filters,
        "links": dict(links),
        "columns": [{"key": c.key, "en": c.en, "zh": c.zh, "link": c.link}
                    for c in view.family.columns],
        "rows": [
            {"iri": r.iri, "label": {"en": r.en, "zh": r.zh},
             **{c.key: [cell(x, c.link) for x in r.cells.get(c.key, [])]
                for c in view.family.columns}}
            for r in view.rows
        ],
        "facets": {
            col.key: [{"value": v.token, "label": v.cell.text, "count": v.count}
                      for v in values]
            for col, values in view.facets
        },
    }


_CLASS_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")


def class_iri_of(name: str) -> str | None:
    """The IRI of a CCKG class from its local name ('PeakTarget'), or None if the name is
    not a plain local name."""
    return str(CCKG) + name if _CLASS_NAME.match(name) else None
