"""The report's appendix table (data/ttl/appendix.ttl, data/ttl/zones.ttl) row by row."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
import rdflib.namespace as ns
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID

APPENDIX = PATHS.data / "appendix.ttl"
ZONES = PATHS.data / "zones.ttl"
PLACES = PATHS.data / "places.ttl"
DOCUMENTS = PATHS.data / "documents.ttl"
REPORT = ID["document/report-regional-peaking-2018"]

#: The seven sections of the appendix: key, heading as printed, number of rows.
CATEGORIES = [
    ("overall-peak-year", "提出整体达峰年的省份", 9),
    ("key-city-peak-year", "提出重点区域（城市）达峰年的省份", 7),
    ("sector-peak", "提出行业达峰目标的相关省份", 5),
    ("support-key-regions", "提出支持重点区域(城市)达峰的省份", 8),
    ("pilot-cities-peak", "提出低碳试点城市率先达峰的省份", 6),
    ("alliance-cities-peak", "提出“中国达峰先锋城市联盟”城市率先达峰的身份", 4),
    ("peak-research", "提出开展达峰研究的省份", 9),
]

#: The short provincial names the appendix rows begin with, and their GB/T 2260 codes.
PROVINCE_CODES = {
    "北京": "110000", "天津": "120000", "山西": "140000", "吉林": "220000",
    "黑龙江": "230000", "江苏": "320000", "安徽": "340000", "福建": "350000",
    "江西": "360000", "山东": "370000", "河南": "410000", "湖北": "420000",
    "广东": "440000", "广西": "450000", "海南": "460000", "重庆": "500000",
    "四川": "510000", "贵州": "520000", "云南": "530000", "陕西": "610000",
    "甘肃": "620000", "青海": "630000", "宁夏": "640000", "新疆": "650000",
}

COMMITMENT_CLASSES = {
    CCKG.PeakTarget, CCKG.SupportCommitment, CCKG.TargetSettingCommitment,
    CCKG.ResearchCommitment,
}


def place(code: str) -> URIRef:
    """The IRI of a place by its GB/T 2260 code."""
    return ID[f"place/{code}"]


def passage(key: str, row: int) -> URIRef:
    """The IRI of an appendix row's passage."""
    return ID[f"passage/appendix-{key}-{row}"]


@pytest.fixture(scope="module")
def graph() -> Graph:
    """The appendix rows with the zones and place groups they name."""
    g = Graph()
    g.parse(APPENDIX, format="turtle")
    g.parse(ZONES, format="turtle")
    return g


def commitments(g: Graph) -> list[URIRef]:
    """Every commitment in the graph (anything with cckg:committedBy or a commitment type)."""
    typed = {s for cls in COMMITMENT_CLASSES for s in g.subjects(RDF.type, cls)}
    return sorted(typed | set(g.subjects(CCKG.committedBy, None)))


def from_passage(g: Graph, key: str, row: int) -> list[URIRef]:
    """The commitments derived from one appendix row."""
    return sorted(g.subjects(PROV.wasDerivedFrom, passage(key, row)))


def has_labels(g: Graph, node: URIRef) -> bool:
    """Whether a node has an English and a Chinese rdfs:label."""
    langs = {lbl.language for lbl in g.objects(node, RDFS.label) if isinstance(lbl, Literal)}
    return {"en", "zh"} <= langs


def commitment_problems(g: Graph) -> list[str]:
    """What is wrong with the commitments of `g` against docs/modelling.md."""
    problems = []
    for c in commitments(g):
        types = set(g.objects(c, RDF.type)) & COMMITMENT_CLASSES
        committers = list(g.objects(c, CCKG.committedBy))
        if len(types) != 1:
            problems.append(f"{c}: {len(types)} commitment types")
        if len(committers) != 1:
            problems.append(f"{c}: {len(committers)} committedBy")
        if not list(g.objects(c, CCKG.appliesTo)):
            problems.append(f"{c}: no appliesTo")
        docs = list(g.objects(c, CCKG.statedIn))
        if len(committers) == 1:
            code = str(committers[0]).rsplit("/", 1)[-1]
            if docs != [ID[f"document/ghg-plan-{code}"]]:
                problems.append(f"{c}: statedIn {docs}, not the committer's GHG plan")
        sources = list(g.objects(c, PROV.wasDerivedFrom))
        if len(sources) != 1 or (sources[0], RDF.type, CCKG.SourcePassage) not in g:
            problems.append(f"{c}: not derived from exactly one passage")
        if not has_labels(g, c):
            problems.append(f"{c}: lacks an @en or @zh label")
        for prop in (CCKG.timing, CCKG.strength, CCKG.targetYear):
            if len(list(g.objects(c, prop))) > 1:
                problems.append(f"{c}: more than one {prop}")
        if not list(g.objects(c, CCKG.strength)):
            problems.append(f"{c}: no strength")
        for year in g.objects(c, CCKG.targetYear):
            if not (isinstance(year, Literal) and year.datatype == ns.XSD.integer):
                problems.append(f"{c}: targetYear {year!r} is not xsd:integer")
        if CCKG.PeakTarget in types and (c, CCKG.metric, ID["metric/total-co2"]) not in g:
            problems.append(f"{c}: peak target without metric total-co2")
        if (c, CCKG.timing, None) in g and (c, CCKG.targetYear, None) not in g:
            problems.append(f"{c}: timing without a target year")
    return problems


def test_files_parse_alike_in_rdflib_and_pyoxigraph() -> None:
    for path in (APPENDIX, ZONES):
        rdflib_count = len(Graph().parse(path, format="turtle"))
        oxi = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
        assert rdflib_count > 0
        assert len(set(oxi)) == rdflib_count, path.name


def test_48_passages_in_seven_categories(graph: Graph) -> None:
    passages = set(graph.subjects(RDF.type, CCKG.SourcePassage))
    assert len(passages) == 48 == sum(n for _, _, n in CATEGORIES)
    per_category = Counter(graph.value(p, CCKG.reportCategory) for p in passages)
    assert per_category == Counter(
        {ID[f"report-category/{key}"]: n for key, _, n in CATEGORIES}
    )


@pytest.mark.parametrize(("key", "heading", "rows"), CATEGORIES)
def test_each_row_is_a_passage(graph: Graph, key: str, heading: str, rows: int) -> None:
    for row in range(1, rows + 1):
        p = passage(key, row)
        assert (p, RDF.type, CCKG.SourcePassage) in graph, p
        assert graph.value(p, CCKG.rowNumber) == Literal(row)
        assert graph.value(p, CCKG.section) == Literal("附表：" + heading)
        assert graph.value(p, CCKG.reportCategory) == ID[f"report-category/{key}"]
        assert graph.value(p, CCKG.passageOf) == REPORT
        assert has_labels(graph, p), p
        assert from_passage(graph, key, row), f"{p} states no commitment"
    assert (passage(key, rows + 1), None, None) not in graph


def test_every_commitment_is_committed_by_the_province_its_row_names(graph: Graph) -> None:
    for p in graph.subjects(RDF.type, CCKG.SourcePassage):
        name = str(graph.value(p, CCKG.quote)).split(" ", 1)[0]
        assert name in PROVINCE_CODES, f"{p}: quote does not start with a province and a space"
        for c in graph.subjects(PROV.wasDerivedFrom, p):
            assert graph.value(c, CCKG.committedBy) == place(PROVINCE_CODES[name]), c


def test_commitments_are_well_formed(graph: Graph) -> None:
    assert len(commitments(graph)) >= 48
    assert commitment_problems(graph) == []


def test_commitment_check_bites(graph: Graph) -> None:
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    c = ID["commitment/120000-overall-peak"]
    broken.remove((c, CCKG.committedBy, None))
    broken.add((c, CCKG.targetYear, Literal("2025", datatype=ns.XSD.gYear)))
    d = ID["commitment/640000-support-cities-peak"]
    broken.remove((d, CCKG.appliesTo, None))
    broken.add((d, CCKG.statedIn, ID["document/ghg-plan-110000"]))
    problems = commitment_problems(broken)
    assert f"{c}: 0 committedBy" in problems
    assert f"{c}: more than one {CCKG.targetYear}" in problems
    assert f"{d}: no appliesTo" in problems
    assert any(p.startswith(f"{d}: statedIn") for p in problems)


OVERALL = {
    "110000": (2020, "in"),
    "120000": (2025, "around"),
    "530000": (2025, "around"),
    "370000": (2027, "around"),
    "500000": (2030, "before"),
    "140000": (2030, "around"),
    "460000": (2030, "before"),
    "620000": (2030, "around"),
    "650000": (2030, "in"),
}


def test_nine_overall_peak_years(graph: Graph) -> None:
    found = {}
    for row in range(1, 10):
        (c,) = from_passage(graph, "overall-peak-year", row)
        assert (c, RDF.type, CCKG.PeakTarget) in graph
        code = str(graph.value(c, CCKG.committedBy)).rsplit("/", 1)[-1]
        assert list(graph.objects(c, CCKG.appliesTo)) == [place(code)], "whole territory"
        timing = str(graph.value(c, CCKG.timing)).rsplit("/", 1)[-1]
        found[code] = (graph.value(c, CCKG.targetYear).toPython(), timing)
        earlier = graph.value(c, CCKG.earlierIfPossible)
        assert (earlier is not None and earlier.toPython()) == (code == "110000"), code
    assert found == OVERALL


def _peak(graph: Graph, applies_to: str, year: int) -> list[URIRef]:
    return [
        c
        for c in graph.subjects(CCKG.appliesTo, place(applies_to))
        if (c, RDF.type, CCKG.PeakTarget) in graph
        and graph.value(c, CCKG.targetYear) == Literal(year)
    ]


def test_yanan_2029_and_ankang_2028_are_separate(graph: Graph) -> None:
    (yanan,) = _peak(graph, "610600", 2029)
    (ankang,) = _peak(graph, "610900", 2028)
    assert yanan != ankang
    for c in (yanan, ankang):
        assert graph.value(c, CCKG.committedBy) == place("610000")
        assert len(list(graph.objects(c, CCKG.appliesTo))) == 1
        assert graph.value(c, PROV.wasDerivedFrom) == passage("key-city-peak-year", 3)


def test_shandong_city_years_in_both_rows(graph: Graph) -> None:
    key_row = passage("key-city-peak-year", 7)
    support_row = passage("support-key-regions", 6)
    for city, year in (("370200", 2020), ("370600", 2020), ("370100", 2025), ("370700", 2025)):
        by_row = {graph.value(c, PROV.wasDerivedFrom): c for c in _peak(graph, city, year)}
        assert set(by_row) == {key_row, support_row}, city
        assert graph.value(by_row[key_row], CCKG.timing) == ID["timing/in"]
        assert graph.value(by_row[support_row], CCKG.timing) == ID["timing/before"]
        assert graph.value(by_row[support_row], CCKG.strength) == ID["strength/strives"]


SECTORS = {
    ("sector-peak", 1): {"heavy-chemical-industry"},
    ("sector-peak", 2): {"heavy-chemical-industry"},
    ("sector-peak", 3): {"steel", "power"},
    ("sector-peak", 4): {"cement", "petroleum", "chemicals", "power", "key-industries"},
    ("sector-peak", 5): {"key-industries"},
}


def test_sector_rows(graph: Graph) -> None:
    for (key, row), sectors in SECTORS.items():
        (c,) = from_passage(graph, key, row)
        assert {str(s).rsplit("/", 1)[-1] for s in graph.objects(c, CCKG.coversSector)} == sectors
        assert list(graph.objects(c, CCKG.appliesTo)) == [graph.value(c, CCKG.committedBy)]
    covered = {c for c in graph.subjects(CCKG.coversSector, None)}
    assert len(covered) == len(SECTORS)


def test_wording_matches_timing_strength_and_earliness(graph: Graph) -> None:
    """左右 ⇔ around, 年前 ⇔ before, 尽早 ⇔ earlierIfPossible, 力争/争取 ⇔ strives, per row."""
    for p in graph.subjects(RDF.type, CCKG.SourcePassage):
        quote = str(graph.value(p, CCKG.quote))
        cs = list(graph.subjects(PROV.wasDerivedFrom, p))
        timings = {graph.value(c, CCKG.timing) for c in cs}
        strengths = {graph.value(c, CCKG.strength) for c in cs}
        assert ("左右" in quote) == (ID["timing/around"] in timings), p
        assert ("年前" in quote.replace(" ", "")) == (ID["timing/before"] in timings), p
        earlier = any(graph.value(c, CCKG.earlierIfPossible) == Literal(True) for c in cs)
        assert ("尽早" in quote) == earlier, p
        strives = "力争" in quote or "争取" in quote
        if ID["strength/strives"] in strengths:
            assert strives, p
        elif strives:  # only where the row encourages others to strive (江苏, alliance row)
            assert "鼓励" in quote and ID["strength/encourages"] in strengths, p
        if "研究" in quote:
            assert strengths == {ID["strength/researches"]}, p


def test_supports_that_name_a_year_are_peak_targets(graph: Graph) -> None:
    (lanzhou,) = [
        c for c in from_passage(graph, "alliance-cities-peak", 2)
        if (c, RDF.type, CCKG.PeakTarget) in graph
    ]
    assert list(graph.objects(lanzhou, CCKG.appliesTo)) == [place("620100")]
    assert graph.value(lanzhou, CCKG.strength) == ID["strength/supports"]
    assert graph.value(lanzhou, CCKG.timing) == ID["timing/before"]
    (sichuan,) = from_passage(graph, "pilot-cities-peak", 5)
    assert (sichuan, RDF.type, CCKG.PeakTarget) in graph
    assert graph.value(sichuan, CCKG.targetYear) == Literal(2025)
    group = graph.value(sichuan, CCKG.appliesTo)
    assert (group, RDF.type, CCKG.PlaceGroup) in graph
    assert graph.value(group, CCKG.groupDrawnFrom) == ID["pilot-programme/low-carbon"]


def test_research_rows_and_heilongjiang_duplicate(graph: Graph) -> None:
    research = list(graph.subjects(RDF.type, CCKG.ResearchCommitment))
    assert len(research) == 9
    for c in research:
        assert list(graph.objects(c, CCKG.appliesTo)) == [graph.value(c, CCKG.committedBy)]
    row5 = passage("peak-research", 5)
    row8 = passage("peak-research", 8)
    assert graph.value(row5, CCKG.quote) == graph.value(row8, CCKG.quote)
    for p in (row5, row8):
        assert "rows 5 and 8" in str(graph.value(p, RDFS.comment))


def test_copied_rows_are_flagged(graph: Graph) -> None:
    ningxia = passage("support-key-regions", 1)
    chongqing = passage("support-key-regions", 4)
    quote_nx = str(graph.value(ningxia, CCKG.quote)).split(" ", 1)[1]
    quote_cq = str(graph.value(chongqing, CCKG.quote)).split(" ", 1)[1]
    assert quote_nx.replace("达峰", "") == quote_cq.replace("达到峰值", "")
    assert "copy error" in str(graph.value(ningxia, RDFS.comment))
    (c,) = from_passage(graph, "support-key-regions", 1)
    for zone in graph.objects(c, CCKG.appliesTo):
        assert graph.value(zone, CCKG.withinJurisdiction) == place("640000")


def test_zones_and_groups_are_defined_and_used(graph: Graph) -> None:
    zones_graph = Graph().parse(ZONES, format="turtle")
    zones = set(zones_graph.subjects(RDF.type, CCKG.Zone))
    groups = set(zones_graph.subjects(RDF.type, CCKG.PlaceGroup))
    assert len(zones) == 10 and len(groups) == 12
    targets = set(graph.objects(None, CCKG.appliesTo))
    named = {t for t in targets if not str(t).startswith(str(ID["place/"]))}
    assert named == zones | groups
    for node in zones | groups:
        assert has_labels(zones_graph, node), node
        assert (node, RDFS.comment, None) in zones_graph, node
    places = Graph().parse(PATHS.data / "places.ttl", format="turtle") + zones_graph
    for zone in zones:
        owners = {graph.value(c, CCKG.committedBy) for c in graph.subjects(CCKG.appliesTo, zone)}
        above = set(places.transitive_objects(zone, CCKG.withinJurisdiction)) - {zone}
        assert owners and owners <= above, zone  # a zone of the committer's own territory
    for group in groups:
        assert (group, CCKG.withinJurisdiction, None) not in zones_graph, "groups are no places"


def _referenced(g: Graph, namespace: str) -> set[URIRef]:
    return {
        t for triple in g for t in triple
        if isinstance(t, URIRef) and str(t).startswith(namespace)
    }


@pytest.mark.parametrize(
    ("kind", "defining_file"), [("place/", PLACES), ("document/", DOCUMENTS)]
)
def test_referenced_places_and_documents_are_defined(
    graph: Graph, kind: str, defining_file: Path
) -> None:
    assert defining_file.exists(), f"{defining_file} has not landed yet"
    defined = Graph().parse(defining_file, format="turtle")
    referenced = _referenced(graph, str(ID[kind]))
    assert referenced, kind
    missing = sorted(t for t in referenced if (t, RDF.type, None) not in defined)
    assert not missing, f"not defined in {defining_file.name}: {missing}"


def test_every_other_cckg_thing_referenced_is_defined_somewhere(graph: Graph) -> None:
    """Concepts, groups and documents live in other files; none may be a dangling IRI."""
    defined = Graph()
    for path in PATHS.source_files():
        if path not in (APPENDIX, ZONES):
            defined.parse(path, format="turtle")
    own = set(graph.subjects(RDF.type, None))
    referenced = _referenced(graph, str(ID)) - own
    missing = sorted(t for t in referenced if (t, RDF.type, None) not in defined)
    assert not missing, f"referenced but defined nowhere: {missing}"


def test_groups_named_by_example_include_the_places_the_report_names() -> None:
    from rdflib import Graph

    from cckg.paths import PATHS
    from cckg.rdf.namespaces import CCKG, ID

    graph = Graph().parse(PATHS.data / "zones.ttl")
    group = ID["place-group/420000-national-low-carbon-pilot-cities"]
    assert set(graph.objects(group, CCKG.includesPlace)) == {
        ID["place/420100"], ID["place/420528"]
    }
