"""cckg.sources.resolver: full names, short names, search forms, context, ambiguity, text scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS
from tests.test_places import REPORT_NAMES

from cckg.errors import CckgError
from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG
from cckg.sources.resolver import PlaceResolver, Resolution, UnknownPlaceCode

FIXTURE = Path(__file__).parent / "fixtures" / "resolver" / "places.ttl"


@pytest.fixture(scope="module")
def small() -> PlaceResolver:
    return PlaceResolver([FIXTURE])


def codes(resolution: Resolution) -> list[str]:
    return [m.code for m in resolution.matches]


def test_a_full_name_finds_its_place(small: PlaceResolver) -> None:
    match = small.resolve("吉林市").unique
    assert match is not None
    assert (match.code, match.name_zh, match.name_en, match.level) == (
        "220200", "吉林市", "Jilin City", "prefecture")
    assert match.iri == "https://w3id.org/cckg/id/place/220200"


def test_a_short_name_finds_its_place(small: PlaceResolver) -> None:
    assert codes(small.resolve("福建")) == ["350000"]
    assert codes(small.resolve(" 福州 ")) == ["350100"]
    assert small.resolve("中国").unique.level == "nation"  # type: ignore[union-attr]


def test_fuzhou_and_fuzhou_are_different_names(small: PlaceResolver) -> None:
    assert codes(small.resolve("福州")) == ["350100"]
    assert codes(small.resolve("抚州")) == ["361000"]
    assert codes(small.resolve("抚州市")) == ["361000"]


def test_a_short_name_shared_by_a_province_and_a_city_is_ambiguous(small: PlaceResolver) -> None:
    jilin = small.resolve("吉林")
    assert jilin.is_ambiguous and jilin.unique is None
    assert codes(jilin) == ["220000", "220200"]


def test_the_full_name_decides_between_them(small: PlaceResolver) -> None:
    assert codes(small.resolve("吉林省")) == ["220000"]
    assert codes(small.resolve("吉林市")) == ["220200"]


def test_hotan_city_prefecture_and_county(small: PlaceResolver) -> None:
    assert codes(small.resolve("和田市")) == ["653201"]
    assert codes(small.resolve("和田地区")) == ["653200"]
    assert codes(small.resolve("和田")) == ["653200", "653201", "653221"]
    # within a context, the place the graph declares the short name of is the reading
    assert codes(small.resolve("和田", context="650000")) == ["653201"]


def test_one_full_name_of_two_places_is_resolved_by_context(small: PlaceResolver) -> None:
    both = small.resolve("鼓楼区")
    assert codes(both) == ["320106", "350102"] and both.is_ambiguous
    assert codes(small.resolve("鼓楼区", context="350000")) == ["350102"]
    assert codes(small.resolve("鼓楼", context="320100")) == ["320106"]


def test_a_suffixed_short_form_of_an_autonomous_prefecture(small: PlaceResolver) -> None:
    assert codes(small.resolve("恩施州")) == ["422800"]
    assert codes(small.resolve("恩施")) == ["422800", "422801"]


def test_a_context_outside_the_candidates_leaves_none(small: PlaceResolver) -> None:
    assert small.resolve("福州", context="360000").matches == ()
    assert small.resolve("北京").matches == ()


def test_an_unknown_context_is_a_clear_error(small: PlaceResolver) -> None:
    with pytest.raises(UnknownPlaceCode) as error:
        small.resolve("福州", context="999999")
    assert isinstance(error.value, CckgError)
    assert "999999" in error.value.message and "How to fix" in error.value.message


def test_by_code(small: PlaceResolver) -> None:
    assert small.by_code("361000").name_zh == "抚州市"  # type: ignore[union-attr]
    assert small.by_code("000000") is None


def test_mentions_take_the_longest_name_at_each_position(small: PlaceResolver) -> None:
    found = small.mentions("吉林省吉林市、福州和抚州，恩施州")
    assert [(m.start, m.end, m.surface) for m in found] == [
        (0, 3, "吉林省"), (3, 6, "吉林市"), (7, 9, "福州"), (10, 12, "抚州"), (13, 16, "恩施州")]
    assert [codes(m.resolution) for m in found] == [
        ["220000"], ["220200"], ["350100"], ["361000"], ["422800"]]


def test_mentions_report_ambiguity_and_use_the_context(small: PlaceResolver) -> None:
    [jilin] = small.mentions("支持吉林率先达峰")
    assert jilin.resolution.is_ambiguous
    [hotan] = small.mentions("乌鲁木齐、和田", context="650000")
    assert codes(hotan.resolution) == ["653201"]


def test_a_countys_bare_short_name_is_not_scanned_in_text(small: PlaceResolver) -> None:
    assert small.mentions("鼓楼附近") == []
    assert [m.surface for m in small.mentions("南京鼓楼区")] == ["南京", "鼓楼区"]


def test_a_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(CckgError) as error:
        PlaceResolver([bad])
    assert "bad.ttl" in error.value.message


@pytest.fixture(scope="module")
def curated() -> Graph:
    return Graph().parse(PATHS.data / "places.ttl", format="turtle")


def _province_of(graph: Graph, node: object) -> str:
    while (node, RDF.type, CCKG.Province) not in graph:
        node = graph.value(node, CCKG.withinJurisdiction)
    return str(graph.value(node, CCKG.adminCode))


def test_every_report_name_resolves_to_the_place_the_graph_uses(curated: Graph) -> None:
    resolver = PlaceResolver.default()
    for name in REPORT_NAMES:
        [node] = curated.subjects(SKOS.altLabel, Literal(name, lang="zh"))
        resolution = resolver.resolve(name, context=_province_of(curated, node))
        assert codes(resolution) == [str(curated.value(node, CCKG.adminCode))], name


def test_the_default_resolver_is_built_once() -> None:
    assert PlaceResolver.default() is PlaceResolver.default()
