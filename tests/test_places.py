"""data/ttl/places.ttl: China, the 31 provinces, and every city and county the sources name."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID

PLACES = PATHS.data / "places.ttl"
CN = ID["place/CN"]
ISO_CODES = {
    "CN-BJ", "CN-TJ", "CN-HE", "CN-SX", "CN-NM", "CN-LN", "CN-JL", "CN-HL", "CN-SH", "CN-JS",
    "CN-ZJ", "CN-AH", "CN-FJ", "CN-JX", "CN-SD", "CN-HA", "CN-HB", "CN-HN", "CN-GD", "CN-GX",
    "CN-HI", "CN-CQ", "CN-SC", "CN-GZ", "CN-YN", "CN-XZ", "CN-SN", "CN-GS", "CN-QH", "CN-NX",
    "CN-XJ",
}
#: Every city or county the report names, as the report writes it.
REPORT_NAMES = (
    "苏州", "镇江", "广州", "深圳", "延安", "安康", "晋城", "乌鲁木齐", "昌吉", "伊宁", "和田",
    "兰州", "青岛", "烟台", "济南", "潍坊", "杭州", "宁波", "温州", "嘉兴", "金华", "衢州", "南昌",
    "景德镇", "赣州", "抚州", "吉安", "共青城", "福州", "厦门", "泉州", "南平", "莆田", "淮安",
    "南京", "常州", "无锡", "银川", "吴忠", "武汉", "长阳", "贵阳", "海口", "三亚",
)


@pytest.fixture(scope="module")
def places() -> Graph:
    return Graph().parse(PLACES, format="turtle")


def place(code: str) -> URIRef:
    return ID[f"place/{code}"]


def jurisdiction_problems(graph: Graph) -> list[str]:
    """What is wrong with the withinJurisdiction tree: extra or missing parents, cycles."""
    problems = []
    for node in sorted(set(graph.subjects(RDF.type, None))):
        if node == CN:
            continue
        parents = list(graph.objects(node, CCKG.withinJurisdiction))
        if len(parents) != 1:
            problems.append(f"{node} has {len(parents)} parents")
            continue
        seen, current = {node}, parents[0]
        while current != CN:
            if current in seen:
                problems.append(f"{node}: cycle at {current}")
                break
            seen.add(current)
            up = list(graph.objects(current, CCKG.withinJurisdiction))
            if len(up) != 1:
                problems.append(f"{node}: chain stops at {current}")
                break
            current = up[0]
    return problems


def labels(graph: Graph, node: URIRef, lang: str) -> list[str]:
    return [str(o) for o in graph.objects(node, RDFS.label)
            if isinstance(o, Literal) and o.language == lang]


def test_parses_in_rdflib_and_pyoxigraph(places: Graph) -> None:
    quads = list(pyoxigraph.parse(path=str(PLACES), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(places) > 700


def test_31_provinces_with_unique_codes_and_current_iso_codes(places: Graph) -> None:
    provinces = set(places.subjects(RDF.type, CCKG.Province))
    assert len(provinces) == 31
    codes = [str(places.value(p, CCKG.adminCode)) for p in provinces]
    isos = [str(places.value(p, CCKG.isoCode)) for p in provinces]
    assert len(set(codes)) == 31 and all(c.endswith("0000") for c in codes)
    assert set(isos) == ISO_CODES
    assert all(places.value(p, CCKG.withinJurisdiction) == CN for p in provinces)


def test_municipalities_are_provinces_and_cities(places: Graph) -> None:
    cities = set(places.subjects(RDF.type, CCKG.City))
    for code in ("110000", "120000", "310000", "500000"):
        assert place(code) in cities
    assert place("320000") not in cities


def test_china_is_the_only_nation(places: Graph) -> None:
    assert list(places.subjects(RDF.type, CCKG.Nation)) == [CN]
    assert str(places.value(CN, CCKG.isoCode)) == "CN"
    assert places.value(CN, CCKG.adminCode) is None


def test_every_place_has_one_parent_and_reaches_china(places: Graph) -> None:
    assert jurisdiction_problems(places) == []


def test_parent_check_bites_on_a_cycle_and_a_second_parent(places: Graph) -> None:
    broken = Graph()
    for triple in places:
        broken.add(triple)
    broken.remove((place("360400"), CCKG.withinJurisdiction, place("360000")))
    broken.add((place("360400"), CCKG.withinJurisdiction, place("360482")))
    broken.add((place("350100"), CCKG.withinJurisdiction, place("360000")))
    problems = jurisdiction_problems(broken)
    assert any("360482: cycle" in p for p in problems)
    assert any("350100 has 2 parents" in p for p in problems)


def test_the_two_fuzhous_are_distinct(places: Graph) -> None:
    fujian, jiangxi = place("350100"), place("361000")
    assert places.value(fujian, CCKG.withinJurisdiction) == place("350000")
    assert places.value(jiangxi, CCKG.withinJurisdiction) == place("360000")
    assert labels(places, fujian, "zh") == ["福州市"]
    assert labels(places, jiangxi, "zh") == ["抚州市"]


def test_every_place_has_english_and_chinese_labels_and_a_chinese_short_name(
    places: Graph,
) -> None:
    for node in set(places.subjects(RDF.type, None)):
        assert len(labels(places, node, "en")) == 1, node
        assert len(labels(places, node, "zh")) == 1, node
        short = [o for o in places.objects(node, SKOS.altLabel) if o.language == "zh"]
        assert len(short) == 1, node


def test_codes_are_six_digits_and_share_their_provinces_prefix(places: Graph) -> None:
    pattern = re.compile(r"^[0-9]{6}$")
    for node, code in places.subject_objects(CCKG.adminCode):
        assert pattern.match(str(code)), code
        assert str(node).endswith("/place/" + str(code))
        top = node
        while places.value(top, CCKG.withinJurisdiction) != CN:
            top = places.value(top, CCKG.withinJurisdiction)
        assert str(code)[:2] == str(places.value(top, CCKG.adminCode))[:2], node


def test_levels_and_parents_of_the_special_cases(places: Graph) -> None:
    def types(code: str) -> set[URIRef]:
        return set(places.objects(place(code), RDF.type))

    within = {"419001": "410000", "420528": "420500", "360482": "360400",
              "652301": "652300", "654002": "654000", "653201": "653200", "232700": "230000"}
    for child, parent in within.items():
        assert places.value(place(child), CCKG.withinJurisdiction) == place(parent)
    for code in ("419001", "360482", "652301", "654002", "653201"):
        assert types(code) == {CCKG.County, CCKG.City}
    assert types("420528") == {CCKG.County}
    assert types("232700") == {CCKG.Prefecture}
    assert types("652300") == {CCKG.Prefecture}


def test_every_name_in_the_report_finds_exactly_one_place(places: Graph) -> None:
    by_name: dict[str, set[URIRef]] = {}
    for prop in (RDFS.label, SKOS.altLabel):
        for node, name in places.subject_objects(prop):
            if isinstance(name, Literal) and name.language == "zh":
                by_name.setdefault(str(name), set()).add(node)
    ambiguous = {n: s for n, s in by_name.items() if len(s) > 1}
    assert ambiguous == {}
    missing = [n for n in REPORT_NAMES if n not in by_name]
    assert missing == []
    assert by_name["吉林"] == {place("220000")}
    assert by_name["吉林市"] == {place("220200")}
    assert by_name["和田"] == {place("653201")}


def test_ambiguous_report_names_are_explained(places: Graph) -> None:
    for code in ("652301", "654002", "653201"):
        comment = str(places.value(place(code), RDFS.comment))
        assert "county-level city" in comment and "third-batch" in comment


def test_every_division_type_is_a_concept_of_the_vocabulary(places: Graph) -> None:
    vocab = Graph().parse(Path(PATHS.ontology) / "vocabularies.ttl", format="turtle")
    used = set(places.objects(None, CCKG.divisionType))
    assert used and all((c, RDF.type, SKOS.Concept) in vocab for c in used)
