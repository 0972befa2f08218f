"""What the map, timeline and comparison pages show, gathered with SPARQL over the store.

Every function takes a `Select` (one SELECT -> rows), so the pages work over the embedded
store and a remote endpoint alike. The results are plain dataclasses: the templates draw
the tables (the charts' text alternative) from them, and the same data goes to the
charts as JSON.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from cckg.rdf.namespaces import CCKG
from cckg.server.lists import Select

OVERALL = "<https://w3id.org/cckg/id/report-category/overall-peak-year>"
#: Commitment kinds from strongest to weakest: a province without an overall peak year is
#: coloured by the first kind it has.
KINDS: tuple[tuple[str, str, str], ...] = (
    ("cckg:PeakTarget", "peak target", "达峰目标"),
    ("cckg:EmissionCapTarget", "emission cap", "排放总量控制目标"),
    ("cckg:IntensityTarget", "intensity target", "强度目标"),
    ("cckg:ReductionTarget", "reduction target", "减排目标"),
    ("cckg:TargetSettingCommitment", "commitment to set targets", "制定目标的承诺"),
    ("cckg:SupportCommitment", "support for others' peaking", "支持达峰"),
    ("cckg:ResearchCommitment", "research on peaking", "达峰研究"),
)
NO_COMMITMENT = ("none", "no commitment in the graph", "图谱中无承诺")
#: Colours of the strengths (timeline) and of the kinds (map), colour-blind safe (Okabe-Ito).
STRENGTH_COLOURS = {
    "sets": "#0072B2", "strives": "#E69F00", "supports": "#009E73", "encourages": "#CC79A7",
    "researches": "#56B4E9", "requires": "#D55E00",
}
#: Kinds in oranges and purples (ColorBrewer PuOr), apart from the years' greens.
KIND_COLOURS = ("#b35806", "#e08214", "#fdb863", "#fee0b6", "#8073ac", "#b2abd2", "#d8daeb")
NONE_COLOUR = "#ffffff"
#: Sequential greens for overall peak years, earliest darkest (ColorBrewer Greens).
YEAR_COLOURS = ("#00441b", "#006d2c", "#238b45", "#41ab5d", "#74c476", "#a1d99b", "#c7e9c0")


def year_colours(years: list[int]) -> dict[int, str]:
    """A colour per year, earliest darkest, spread evenly over YEAR_COLOURS."""
    if len(years) <= 1:
        return {y: YEAR_COLOURS[0] for y in years}
    last = len(YEAR_COLOURS) - 1
    step = min(last / (len(years) - 1), 2.0)
    return {y: YEAR_COLOURS[round(i * step)] for i, y in enumerate(years)}
LEVELS = (("cckg:Nation", "Nation", "国家"), ("cckg:Province", "Province", "省级"),
          ("cckg:Prefecture", "Prefecture", "地级"), ("cckg:County", "County", "县级"))


@dataclass
class Province:
    """A province on the map: its overall peak year or strongest commitment kind."""

    code: str
    iri: str
    en: str
    zh: str
    year: int | None = None
    kind: str = NO_COMMITMENT[0]
    category: str = ""
    colour: str = NONE_COLOUR
    commitment: str | None = None


@dataclass
class CityPoint:
    """A city with a peak target: its years and where it is (None: no point known)."""

    code: str
    iri: str
    en: str
    zh: str
    province: str
    years: list[int] = field(default_factory=list)
    point: list[float] | None = None


@dataclass(frozen=True)
class Category:
    """A legend entry: what a colour means."""

    key: str
    en: str
    zh: str
    colour: str
    count: int


@dataclass
class MapData:
    provinces: list[Province]
    cities: list[CityPoint]
    legend: list[Category]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _v(row: dict[str, Any], key: str) -> str:
    term = row.get(key)
    return "" if term is None else str(term.value)


def map_data(select: Select) -> MapData:
    """Every province with its colour category, and every city with a peak target."""
    provinces = {
        _v(r, "code"): Province(_v(r, "code"), _v(r, "p"), _v(r, "en"), _v(r, "zh"))
        for r in select(
            """SELECT ?p ?code (MIN(?l_en) AS ?en) (MIN(?l_zh) AS ?zh) WHERE {
              ?p a cckg:Province ; cckg:adminCode ?code .
              OPTIONAL { ?p rdfs:label ?l_en FILTER(LANGMATCHES(LANG(?l_en), "en")) }
              OPTIONAL { ?p skos:altLabel ?l_zh FILTER(LANGMATCHES(LANG(?l_zh), "zh")) }
            } GROUP BY ?p ?code ORDER BY ?code"""
        )
    }
    overall = select(
        f"""SELECT ?code (MIN(?year) AS ?y) (MIN(?c) AS ?commitment) WHERE {{
          ?c a cckg:PeakTarget ; cckg:committedBy ?p ; cckg:appliesTo ?p ;
             cckg:targetYear ?year ; prov:wasDerivedFrom/cckg:reportCategory {OVERALL} .
          FILTER NOT EXISTS {{ ?c cckg:coversSector ?s }}
          ?p a cckg:Province ; cckg:adminCode ?code }} GROUP BY ?code"""
    )
    for r in overall:
        province = provinces.get(_v(r, "code"))
        if province is not None:
            province.year = int(_v(r, "y"))
            province.commitment = _v(r, "commitment")
    kinds = select(
        """SELECT DISTINCT ?code ?kind WHERE {
          ?c cckg:committedBy ?p ; a ?kind . ?p a cckg:Province ; cckg:adminCode ?code }"""
    )
    has: dict[str, set[str]] = {}
    for r in kinds:
        has.setdefault(_v(r, "code"), set()).add(_curie(_v(r, "kind")))
    years = sorted({p.year for p in provinces.values() if p.year is not None})
    year_colour = year_colours(years)
    kind_colour = {k[0]: KIND_COLOURS[i] for i, k in enumerate(KINDS)}
    for p in provinces.values():
        if p.year is not None:
            p.kind, p.category, p.colour = "overall", f"year-{p.year}", year_colour[p.year]
            continue
        kind = next((k[0] for k in KINDS if k[0] in has.get(p.code, set())), NO_COMMITMENT[0])
        p.kind, p.category = kind, f"kind-{kind.removeprefix('cckg:')}"
        p.colour = kind_colour.get(kind, NONE_COLOUR)
    counts = Counter(p.category for p in provinces.values())
    legend = [Category(f"year-{y}", f"overall peak year {y}", f"{y}年整体达峰",
                       year_colour[y], counts[f"year-{y}"]) for y in years]
    legend += [Category(f"kind-{k.removeprefix('cckg:')}", f"no overall year; strongest: {en}",
                        f"无整体达峰年；最强承诺：{zh}", kind_colour[k], counts[f"kind-{k[5:]}"])
               for k, en, zh in KINDS if counts[f"kind-{k[5:]}"]]
    if counts[f"kind-{NO_COMMITMENT[0]}"]:
        legend.append(Category(f"kind-{NO_COMMITMENT[0]}", NO_COMMITMENT[1], NO_COMMITMENT[2],
                               NONE_COLOUR, counts[f"kind-{NO_COMMITMENT[0]}"]))
    return MapData(list(provinces.values()), city_points(select), legend)


def city_points(select: Select) -> list[CityPoint]:
    """Every city (any level below province) that a peak target applies to, with years and
    the point the gazetteer gives it (geo:hasGeometry/geo:asWKT)."""
    rows = select(
        """SELECT ?p ?code ?prov (MIN(?l_en) AS ?en) (MIN(?l_zh) AS ?zh) ?year
                  (SAMPLE(?w) AS ?wkt) WHERE {
          ?c a cckg:PeakTarget ; cckg:appliesTo ?p .
          OPTIONAL { ?c cckg:targetYear ?year }
          ?p a cckg:City ; cckg:adminCode ?code .
          FILTER NOT EXISTS { ?p a cckg:Province }
          OPTIONAL { ?p cckg:withinJurisdiction+ ?province . ?province a cckg:Province ;
                     cckg:adminCode ?prov }
          OPTIONAL { ?p rdfs:label ?l_en FILTER(LANGMATCHES(LANG(?l_en), "en")) }
          OPTIONAL { ?p rdfs:label ?l_zh FILTER(LANGMATCHES(LANG(?l_zh), "zh")) }
          OPTIONAL { ?p <http://www.opengis.net/ont/geosparql#hasGeometry>/
                               <http://www.opengis.net/ont/geosparql#asWKT> ?w }
        } GROUP BY ?p ?code ?prov ?year ORDER BY ?code"""
    )
    cities: dict[str, CityPoint] = {}
    for r in rows:
        code = _v(r, "code")
        city = cities.setdefault(code, CityPoint(code, _v(r, "p"), _v(r, "en"), _v(r, "zh"),
                                                 _v(r, "prov")))
        if r.get("year") is not None and int(_v(r, "year")) not in city.years:
            city.years.append(int(_v(r, "year")))
        if city.point is None and r.get("wkt") is not None:
            city.point = wkt_point(_v(r, "wkt"))
    for city in cities.values():
        city.years.sort()
    return list(cities.values())


_POINT = re.compile(r"^\s*POINT\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$", re.IGNORECASE)


def wkt_point(wkt: str) -> list[float] | None:
    """[lon, lat] of a WKT `POINT(lon lat)` (the gazetteer's form); None for other shapes."""
    match = _POINT.match(wkt)
    return [float(match[1]), float(match[2])] if match else None


@dataclass
class Mark:
    """One commitment on the timeline."""

    iri: str
    en: str
    zh: str
    row: str
    row_en: str
    row_zh: str
    level: str
    year: int | None
    strength: str
    strength_en: str
    strength_zh: str
    timing: str
    quote: str
    applies: str


@dataclass
class Timeline:
    marks: list[Mark]
    rows: list[dict[str, str]]
    years: list[str]
    strengths: list[Category]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def timeline(select: Select, place: str | None = None) -> Timeline:
    """Every peak target by committer, grouped by the committer's level (Nation first);
    or, for `place`, every commitment the place states or that applies to it."""
    scope = (
        f"?c a cckg:Commitment . {{ ?c cckg:appliesTo <{place}> }} UNION "
        f"{{ ?c cckg:committedBy <{place}> }}"
        if place else "?c a cckg:PeakTarget ."
    )
    rows = select(
        f"""SELECT ?c ?by ?year ?st ?quote (MIN(?c_en) AS ?en) (MIN(?c_zh) AS ?zh)
          (MIN(?by_en) AS ?ben) (MIN(?by_zh) AS ?bzh) (MIN(?lvl) AS ?level)
          (MIN(?st_en) AS ?sen) (MIN(?st_zh) AS ?szh) (MIN(?t_en) AS ?tim)
          (GROUP_CONCAT(DISTINCT ?ap; separator=", ") AS ?applies) WHERE {{
          # GROUP_CONCAT's order differs between engines: the names are sorted after
          {scope}
          ?c cckg:committedBy ?by .
          OPTIONAL {{ ?c cckg:targetYear ?year }}
          OPTIONAL {{ ?c cckg:strength ?st .
                     OPTIONAL {{ ?st rdfs:label ?st_en FILTER(LANGMATCHES(LANG(?st_en), "en")) }}
                     OPTIONAL {{ ?st rdfs:label ?st_zh FILTER(LANGMATCHES(LANG(?st_zh), "zh")) }} }}
          OPTIONAL {{ ?c cckg:timing/rdfs:label ?t_en FILTER(LANGMATCHES(LANG(?t_en), "en")) }}
          OPTIONAL {{ ?c prov:wasDerivedFrom/cckg:quote ?quote }}
          OPTIONAL {{ ?c cckg:appliesTo/rdfs:label ?ap FILTER(LANGMATCHES(LANG(?ap), "zh")) }}
          OPTIONAL {{ ?by a ?lvl VALUES ?lvl {{ cckg:Nation cckg:Province cckg:Prefecture
                                              cckg:County }} }}
          OPTIONAL {{ ?c rdfs:label ?c_en FILTER(LANGMATCHES(LANG(?c_en), "en")) }}
          OPTIONAL {{ ?c rdfs:label ?c_zh FILTER(LANGMATCHES(LANG(?c_zh), "zh")) }}
          OPTIONAL {{ ?by rdfs:label ?by_en FILTER(LANGMATCHES(LANG(?by_en), "en")) }}
          OPTIONAL {{ ?by rdfs:label ?by_zh FILTER(LANGMATCHES(LANG(?by_zh), "zh")) }}
        }} GROUP BY ?c ?by ?year ?st ?quote"""
    )
    marks: dict[str, Mark] = {}
    for r in sorted(rows, key=lambda r: (_v(r, "c"), _v(r, "year"), _v(r, "quote"))):
        iri = _v(r, "c")
        if iri in marks:  # a second quote or year: the first is shown
            continue
        strength = _v(r, "st").rsplit("/", 1)[-1]
        marks[iri] = Mark(
            iri, _v(r, "en"), _v(r, "zh"), _v(r, "by"), _v(r, "ben"), _v(r, "bzh"),
            _curie(_v(r, "level")), int(_v(r, "year")) if r.get("year") else None,
            strength, _v(r, "sen"), _v(r, "szh"), _v(r, "tim"), _v(r, "quote"),
            ", ".join(sorted(set(_v(r, "applies").split(", ")) - {""})),
        )
    order = {lvl: i for i, (lvl, _, _) in enumerate(LEVELS)}
    ordered = sorted(marks.values(), key=lambda m: (order.get(m.level, 9), m.row_en,
                                                    m.year or 9999, m.iri))
    row_list: list[dict[str, str]] = []
    for m in ordered:
        if not row_list or row_list[-1]["iri"] != m.row:
            level = next((lv for lv in LEVELS if lv[0] == m.level), ("", "", ""))
            row_list.append({"iri": m.row, "en": m.row_en, "zh": m.row_zh,
                             "level_en": level[1], "level_zh": level[2]})
    years = [str(y) for y in sorted({m.year for m in ordered if m.year is not None})]
    if any(m.year is None for m in ordered):
        years.append("no year")
    used = Counter(m.strength for m in ordered)
    strengths = [Category(s, next(m.strength_en for m in ordered if m.strength == s),
                          next(m.strength_zh for m in ordered if m.strength == s),
                          STRENGTH_COLOURS.get(s, "#777777"), n)
                 for s, n in sorted(used.items(), key=lambda kv: -kv[1])]
    return Timeline(ordered, row_list, years, strengths)


@dataclass
class Side:
    """One jurisdiction's column of the comparison."""

    iri: str
    en: str
    zh: str
    facts: dict[str, str]
    by_kind: dict[str, list[dict[str, str]]]


def jurisdictions(select: Select) -> list[dict[str, str]]:
    """Every jurisdiction that commits or is committed for, provinces first, by code."""
    rows = select(
        """SELECT ?p ?code (MIN(?l_en) AS ?en) (MIN(?l_zh) AS ?zh) WHERE {
          { ?c cckg:committedBy ?p } UNION { ?c cckg:appliesTo ?p }
          ?p a cckg:Jurisdiction . OPTIONAL { ?p cckg:adminCode ?code }
          OPTIONAL { ?p rdfs:label ?l_en FILTER(LANGMATCHES(LANG(?l_en), "en")) }
          OPTIONAL { ?p rdfs:label ?l_zh FILTER(LANGMATCHES(LANG(?l_zh), "zh")) }
        } GROUP BY ?p ?code ORDER BY ?code"""
    )
    return [{"iri": _v(r, "p"), "code": _v(r, "code"), "en": _v(r, "en"), "zh": _v(r, "zh")}
            for r in rows]


def compare(select: Select, places: list[str]) -> list[Side]:
    """Each place's commitments (committed by it or applying to it), by kind."""
    sides = []
    for place in places:
        head = select(
            f"""SELECT (MIN(?l_en) AS ?en) (MIN(?l_zh) AS ?zh) (MIN(?b) AS ?batch)
              (MIN(?al) AS ?alliance) WHERE {{
              OPTIONAL {{ <{place}> rdfs:label ?l_en FILTER(LANGMATCHES(LANG(?l_en), "en")) }}
              OPTIONAL {{ <{place}> rdfs:label ?l_zh FILTER(LANGMATCHES(LANG(?l_zh), "zh")) }}
              OPTIONAL {{ <{place}> cckg:inPilotBatch/rdfs:label ?b
                         FILTER(LANGMATCHES(LANG(?b), "en")) }}
              OPTIONAL {{ <{place}> cckg:memberOf/rdfs:label ?al
                         FILTER(LANGMATCHES(LANG(?al), "en")) }} }}"""
        )[0]
        found = select(
            f"""SELECT ?c ?kind ?year ?st ?q (MIN(?c_en) AS ?en) (MIN(?c_zh) AS ?zh)
              WHERE {{
              {{ ?c cckg:committedBy <{place}> }} UNION {{ ?c cckg:appliesTo <{place}> }}
              ?c a ?kind FILTER(STRSTARTS(STR(?kind), STR(cckg:)))
              OPTIONAL {{ ?c cckg:targetYear ?year }}
              OPTIONAL {{ ?c cckg:strength/rdfs:label ?st FILTER(LANGMATCHES(LANG(?st), "en")) }}
              OPTIONAL {{ ?c prov:wasDerivedFrom/cckg:quote ?q }}
              OPTIONAL {{ ?c rdfs:label ?c_en FILTER(LANGMATCHES(LANG(?c_en), "en")) }}
              OPTIONAL {{ ?c rdfs:label ?c_zh FILTER(LANGMATCHES(LANG(?c_zh), "zh")) }}
            }} GROUP BY ?c ?kind ?year ?st ?q ORDER BY ?year ?c ?q"""
        )
        by_kind: dict[str, list[dict[str, str]]] = {}
        placed: set[str] = set()
        kinds_of: dict[str, set[str]] = {}
        for r in found:
            kinds_of.setdefault(_v(r, "c"), set()).add(_curie(_v(r, "kind")))
        for r in found:
            iri = _v(r, "c")
            if iri in placed:
                continue
            kind = next((k[0] for k in KINDS if k[0] in kinds_of[iri]), "cckg:Commitment")
            placed.add(iri)
            by_kind.setdefault(kind, []).append(
                {"iri": iri, "en": _v(r, "en"), "zh": _v(r, "zh"), "year": _v(r, "year"),
                 "strength": _v(r, "st"), "quote": _v(r, "q")}
            )
        sides.append(Side(place, _v(head, "en"), _v(head, "zh"),
                          {"pilot batch": _v(head, "batch"), "alliance": _v(head, "alliance")},
                          by_kind))
    return sides


def kind_labels() -> list[tuple[str, str, str]]:
    """The commitment kinds of the comparison's rows, strongest first, then the rest."""
    return [*KINDS, ("cckg:Commitment", "other commitments", "其他承诺")]


def _curie(iri: str) -> str:
    prefix = str(CCKG)
    return "cckg:" + iri[len(prefix):] if iri.startswith(prefix) else iri
