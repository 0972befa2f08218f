"""Convert data/source/memberships.csv into data/ttl/memberships.ttl.

One cckg:Membership per row (docs/modelling.md, "A membership"), the shortcut triples
(cckg:inPilotBatch, cckg:memberOf) on each member, and the source of each row: a
cckg:SourcePassage of the report, or a cckg:ExternalSource per cited publication.
Regenerate with `python -m cckg.sources.memberships`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from cckg.errors import CckgError
from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID, PREFIXES, SCHEMA
from cckg.sources.external import EXTERNAL_SOURCES, REPORT_PASSAGE, REPORT_URL
from cckg.sources.resolver import PlaceMatch, PlaceResolver
from cckg.sources.rows import BadMembershipRow, MembershipRow, read_rows

OUTPUT = PATHS.data / "memberships.ttl"
REPORT_DOCUMENT = ID["document/report-regional-peaking-2018"]
ALLIANCE = ID["alliance/peaking-pioneer-cities"]
_BATCH_ZH = {"1": "一", "2": "二", "3": "三"}
#: Per-kind prefixes the Turtle output uses (docs/decisions.md: '/' is not valid in a local name).
KIND_PREFIXES = (
    "place", "membership", "pilot-batch", "alliance", "source", "passage", "document"
)
HEADER = (
    "# GENERATED FILE: do not edit by hand.\n"
    "# Made from data/source/memberships.csv by `python -m cckg.sources.memberships`\n"
    "# (src/cckg/sources/memberships.py); edit the CSV and regenerate.\n\n"
)


def _lit(text: str, lang: str) -> Literal:
    return Literal(text, lang=lang)


def _group_and_slug(row: MembershipRow) -> tuple[URIRef, str]:
    if row.is_pilot:
        batch = ID[f"pilot-batch/low-carbon-{row.batch}"]
        return batch, f"pilot-batch-{row.batch}-{row.admin_code}"
    return ALLIANCE, f"alliance-{row.admin_code}"


def _labels(row: MembershipRow, place: PlaceMatch) -> tuple[Literal, Literal]:
    if row.is_pilot:
        return (
            _lit(f"{place.name_en} in national low-carbon pilot batch {row.batch} ({row.year})",
                 "en"),
            _lit(f"{place.name_zh}：第{_BATCH_ZH[row.batch]}批国家低碳试点（{row.year}年）", "zh"),
        )
    return (
        _lit(f"{place.name_en} in the China Alliance of Peaking Pioneer Cities", "en"),
        _lit(f"{place.name_zh}：中国达峰先锋城市联盟成员", "zh"),
    )


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _report_passage(graph: Graph, report_text: str) -> URIRef:
    """Add the report passage that names members; its quote must be in the report."""
    info = REPORT_PASSAGE
    if _squeeze(info.quote) not in _squeeze(report_text):
        raise CckgError(
            f"the quote {info.quote!r} is not in the report",
            where="cckg.sources.external.REPORT_PASSAGE",
            fix="copy the quote exactly from data/source/report.txt",
        )
    node = ID[f"passage/{info.slug}"]
    graph.add((node, RDF.type, CCKG.SourcePassage))
    graph.add((node, RDFS.label, _lit(info.label_en, "en")))
    graph.add((node, RDFS.label, _lit(info.label_zh, "zh")))
    graph.add((node, CCKG.quote, _lit(info.quote, "zh")))
    graph.add((node, CCKG.section, Literal(info.section)))
    graph.add((node, CCKG.passageOf, REPORT_DOCUMENT))
    return node


def _external_source(graph: Graph, row: MembershipRow) -> URIRef:
    """Add (once) the cckg:ExternalSource a row cites; an unknown URL is an error."""
    info = EXTERNAL_SOURCES.get(row.source_url)
    if info is None:
        raise BadMembershipRow(
            f"source_url {row.source_url!r} is not a known source",
            where=f"memberships.csv: row at line {row.line} ({row.member_zh}, {row.admin_code})",
            fix="add it to EXTERNAL_SOURCES in src/cckg/sources/external.py with a slug and "
            "en/zh labels",
        )
    node = ID[f"source/{info.slug}"]
    title = _lit(row.source_title, "en")
    known = set(graph.objects(node, DCTERMS.title))
    if known and title not in known:
        raise BadMembershipRow(
            "source_title differs from an earlier row with the same source_url",
            where=f"memberships.csv: row at line {row.line} ({row.member_zh}, {row.admin_code})",
            fix="give every row of one source the same source_title",
        )
    graph.add((node, RDF.type, CCKG.ExternalSource))
    graph.add((node, RDFS.label, _lit(info.label_en, "en")))
    graph.add((node, RDFS.label, _lit(info.label_zh, "zh")))
    graph.add((node, DCTERMS.title, title))
    graph.add((node, SCHEMA.url, URIRef(row.source_url)))
    return node


def _place_for(row: MembershipRow, places: PlaceResolver) -> PlaceMatch:
    place = places.by_code(row.admin_code)
    where = f"memberships.csv: row at line {row.line} ({row.member_zh}, {row.admin_code})"
    if place is None:
        raise BadMembershipRow(
            f"admin_code {row.admin_code} is not a place in data/ttl/places.ttl",
            where=where, fix="correct the code, or add the place to data/ttl/places.ttl",
        )
    if place.name_zh != row.member_zh:
        raise BadMembershipRow(
            f"member_zh {row.member_zh!r} does not match the place's name {place.name_zh!r}",
            where=where, fix="the code or the name is wrong; make them agree",
        )
    return place


def memberships_graph(
    csv_path: Path,
    places_path: Path = PATHS.data / "places.ttl",
    report_path: Path = PATHS.report,
) -> Graph:
    """The memberships of `csv_path` as RDF, with their sources and shortcut triples."""
    rows = read_rows(csv_path)
    places = PlaceResolver([places_path])
    graph = Graph()
    for prefix in ("cckg", "rdf", "rdfs", "xsd", "dcterms", "prov", "schema"):
        graph.bind(prefix, PREFIXES[prefix])
    for kind in KIND_PREFIXES:
        graph.bind(kind, ID[f"{kind}/"])
    passage: URIRef | None = None
    for row in rows:
        place = _place_for(row, places)
        if row.source_url == REPORT_URL:
            if passage is None:
                passage = _report_passage(graph, report_path.read_text(encoding="utf-8"))
            source = passage
        else:
            source = _external_source(graph, row)
        group, slug = _group_and_slug(row)
        node = ID[f"membership/{slug}"]
        if (node, RDF.type, CCKG.Membership) in graph:
            raise BadMembershipRow(
                f"duplicate membership {slug}",
                where=f"memberships.csv: row at line {row.line} ({row.member_zh})",
                fix="remove the repeated row",
            )
        label_en, label_zh = _labels(row, place)
        graph.add((node, RDF.type, CCKG.Membership))
        graph.add((node, RDFS.label, label_en))
        graph.add((node, RDFS.label, label_zh))
        graph.add((node, CCKG.member, URIRef(place.iri)))
        graph.add((node, CCKG.group, group))
        graph.add((node, CCKG.memberSince, Literal(row.year, datatype=XSD.integer)))
        graph.add((node, PROV.wasDerivedFrom, source))
        if row.note:
            graph.add((node, CCKG.sourceNote, Literal(row.note)))
        shortcut = CCKG.inPilotBatch if row.is_pilot else CCKG.memberOf
        graph.add((URIRef(place.iri), shortcut, group))
    return graph


def to_turtle(graph: Graph) -> str:
    """The graph as Turtle with the generated-file header."""
    return HEADER + graph.serialize(format="turtle")


def main(argv: list[str] | None = None) -> int:
    """Write memberships.ttl from memberships.csv; print the error and return 1 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m cckg.sources.memberships",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=PATHS.memberships_csv)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    try:
        graph = memberships_graph(args.csv)
    except CckgError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    args.out.write_text(to_turtle(graph), encoding="utf-8")
    print(f"wrote {args.out} ({len(graph)} triples)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
