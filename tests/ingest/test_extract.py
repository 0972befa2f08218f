"""cckg.ingest.extract: each rule pinned on sentences written for it (the report itself is
measured in test_evaluate.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cckg.ingest.extract import Candidate, Context, extract
from cckg.ingest.vocab import load_vocabulary
from cckg.paths import PATHS
from cckg.sources.resolver import PlaceResolver

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def places() -> PlaceResolver:
    """The curated places plus two places named 朝阳 (an ambiguous name)."""
    return PlaceResolver((PATHS.data / "places.ttl", FIXTURES / "chaoyang.ttl"))


def run(places: PlaceResolver, text: str, issuer: str | None = "350000") -> list[Candidate]:
    vocabulary = load_vocabulary(PATHS.ontology / "vocabularies.ttl")
    return extract(Context(text, issuer, vocabulary, places))


def one(places: PlaceResolver, text: str, issuer: str | None = "350000") -> Candidate:
    found = run(places, text, issuer)
    assert len(found) == 1, [(c.kind, c.quote) for c in found]
    return found[0]


def test_peak_target_with_timing_and_strength(places: PlaceResolver) -> None:
    c = one(places, "全省二氧化碳排放力争2030年前达到峰值。")
    assert (c.kind, c.committer, c.places, c.target_year, c.timing, c.strength, c.metric) == (
        "PeakTarget",
        "350000",
        ["350000"],
        2030,
        "before",
        "strives",
        "total-co2",
    )
    assert "anchor:达峰/达到峰值" in c.reason and "strength:力争 → strives" in c.reason
    assert "committer:the document's issuer" in c.reason


def test_neutrality_target_with_chinese_numerals(places: PlaceResolver) -> None:
    c = one(places, "努力争取二〇六〇年前实现碳中和。")
    assert (c.kind, c.target_year, c.timing, c.metric) == (
        "NeutralityTarget",
        2060,
        "before",
        "net-co2",
    )


def test_intensity_target_inherits_the_year_of_its_sentence(places: PlaceResolver) -> None:
    c = one(places, "到2025年，单位地区生产总值二氧化碳排放比2020年下降19.5%。")
    assert (c.kind, c.target_year, c.timing, c.base_year, c.value, c.unit) == (
        "IntensityTarget",
        2025,
        "by",
        2020,
        Decimal("19.5"),
        "percent",
    )
    assert "year:inherited from 2025 earlier in the sentence" in c.reason
    assert c.confidence < 0.9


def test_energy_intensity_over_a_plan_period(places: PlaceResolver) -> None:
    c = one(places, "“十四五”期间，单位地区生产总值能耗下降14%。")
    assert (c.kind, c.target_year, c.base_year, c.value, c.metric) == (
        "EnergyIntensityTarget",
        2025,
        2020,
        Decimal(14),
        "energy-intensity",
    )


def test_non_fossil_share_and_capacity(places: PlaceResolver) -> None:
    found = run(places, "到2025年，非化石能源消费比重达到25%左右，风电装机容量达到1200万千瓦。")
    assert [(c.kind, c.target_year, c.value, c.unit, c.approximate) for c in found] == [
        ("NonFossilShareTarget", 2025, Decimal(25), "percent", True),
        ("CapacityTarget", 2025, Decimal(12), "gigawatt", False),
    ]
    assert found[1].sectors == []


def test_cap_and_reduction_relative_to_the_peak(places: PlaceResolver) -> None:
    found = run(
        places,
        "上海市提出“到2020年二氧化碳排放总量控制在2.5亿吨以内”，"
        "“至2040年碳排放总量较峰值减少15%左右”。",
    )
    assert [(c.kind, c.committer, c.target_year, c.value, c.relative_to_peak) for c in found] == [
        ("EmissionCapTarget", "310000", 2020, Decimal(250), False),
        ("ReductionTarget", "310000", 2040, Decimal(15), True),
    ]


def test_total_and_per_capita_give_one_candidate_each(places: PlaceResolver) -> None:
    found = run(places, "上海市提出“全市碳排放总量与人均碳排放于2025年之前达到峰值”。")
    assert [(c.metric, c.target_year, c.timing) for c in found] == [
        ("total-co2", 2025, "before"),
        ("per-capita-co2", 2025, "before"),
    ]


def test_places_the_target_is_for_and_the_sentence_subject(places: PlaceResolver) -> None:
    c = one(places, "浙江省支持杭州、宁波和温州市在“十三五”末率先达到峰值。")
    assert (c.committer, c.places, c.target_year, c.timing, c.strength) == (
        "330000",
        ["330100", "330200", "330300"],
        2020,
        "by-end-of",
        "supports",
    )


def test_an_ambiguous_place_is_listed_with_its_candidates(places: PlaceResolver) -> None:
    c = one(places, "支持朝阳在2025年前率先实现碳排放达峰。", issuer="CN")
    assert c.committer == "CN" and c.places == []
    assert c.place_candidates == "朝阳: 110105 朝阳区 | 211300 朝阳市"
    assert "places:朝阳 is ambiguous (2 candidates)" in c.reason
    assert c.confidence <= 0.6


def test_respectively_pairs_places_and_years(places: PlaceResolver) -> None:
    found = run(places, "陕西省支持延安、安康分别在2029年、2028年率先达峰。")
    assert [(c.places, c.target_year) for c in found] == [(["610600"], 2029), (["610900"], 2028)]


def test_a_peak_without_a_year_for_others_is_support(places: PlaceResolver) -> None:
    c = one(places, "支持国家低碳试点城市率先达峰。")
    assert (c.kind, c.places, c.strength) == ("SupportCommitment", [], "supports")
    assert "试点城市" in c.note


def test_target_setting_needs_someone_asked(places: PlaceResolver) -> None:
    asked = one(places, "鼓励南平、莆田等其他区域提出峰值目标。")
    assert (asked.kind, asked.places, asked.strength) == (
        "TargetSettingCommitment",
        ["350700", "350300"],
        "encourages",
    )
    assert run(places, "部分省份提出了峰值目标。") == []


def test_research_commitment(places: PlaceResolver) -> None:
    c = one(places, "开展全省碳排放峰值研究。")
    assert (c.kind, c.strength, c.metric) == ("ResearchCommitment", "researches", None)


def test_names_in_a_zone_list_are_not_the_places(places: PlaceResolver) -> None:
    c = one(places, "支持福州、厦门、泉州中心城区等优化开发区域率先实现峰值目标。")
    assert (c.kind, c.places) == ("SupportCommitment", [])
    assert "places:泉州 qualifies a zone → not listed" in c.reason


@pytest.mark.parametrize(
    "text",
    [
        "建议各地区尽早达峰。",  # the document's advice
        "我国碳排放有可能提前达峰。",  # a forecast
        "浙江省目前尚未提出达峰目标，也未在2030年前达峰。",  # negated
        "《2030年前碳达峰行动方案》已经印发。",  # a title, masked
        "加快建设“2030年达峰示范工程”。",  # a quoted name of a plan, masked
    ],
)
def test_sentences_that_state_no_commitment(places: PlaceResolver, text: str) -> None:
    assert run(places, text) == []


def test_a_headline_and_its_sourced_statement_give_one_candidate(places: PlaceResolver) -> None:
    text = "一是国家层面明确2030年左右达峰。中国在国家自主贡献中提出2030年左右达到峰值。"
    c = one(places, text, issuer=None)
    assert c.committer == "CN" and c.quote.startswith("中国在国家自主贡献中")
    assert "merge:same target stated earlier in this point" in c.reason


def test_the_subject_carries_to_the_next_sentence_of_a_point(places: PlaceResolver) -> None:
    found = run(places, "江西省提出2030年前达峰。力争部分重化工业2025年左右率先达峰。", issuer=None)
    assert [(c.committer, c.target_year, c.sectors) for c in found] == [
        ("360000", 2030, []),
        ("360000", 2025, ["heavy-chemical-industry"]),
    ]
    assert "committer:the previous sentence's subject" in found[1].reason


def test_no_committer_no_candidate(places: PlaceResolver) -> None:
    assert run(places, "力争2030年前达到峰值。", issuer=None) == []


def test_appendix_category_makes_a_bare_year_a_peak_year(places: PlaceResolver) -> None:
    text = "附表  各省表述\n提出整体达峰年的省份\n1 山西 2030年左右\n2 新疆 2030年\n"
    found = run(places, text, issuer=None)
    assert [(c.committer, c.target_year, c.timing, c.category, c.row) for c in found] == [
        ("140000", 2030, "around", "overall-peak-year", 1),
        ("650000", 2030, "in", "overall-peak-year", 2),
    ]


def test_quotes_and_offsets_are_the_documents_words(places: PlaceResolver) -> None:
    text = "全省二氧化碳排放力争\n2030年前达到峰值。"
    c = one(places, text)
    assert c.quote == "全省二氧化碳排放力争2030年前达到峰值。"
    assert text[c.start : c.end] == "全省二氧化碳排放力争\n2030年前达到峰值。"


def test_an_ambiguous_committer_is_read_as_its_highest_level(places: PlaceResolver) -> None:
    c = one(places, "朝阳力争2030年前达到峰值。", issuer=None)
    assert (c.committer, c.places) == ("211300", ["211300"])
    assert "(110105 朝阳区 | 211300 朝阳市: the highest level)" in c.reason[0]


def test_a_peak_level_after_a_peak_target_is_its_value(places: PlaceResolver) -> None:
    c = one(
        places,
        "北京市提出“二氧化碳排放总量在2020年达到峰值并尽早达峰”的目标，达峰碳排放量约1.6亿吨CO2。",
        issuer=None,
    )
    assert (c.committer, c.target_year, c.timing, c.earlier_if_possible) == (
        "110000",
        2020,
        "in",
        True,
    )
    assert (c.value, c.unit, c.approximate) == (Decimal(160), "megatonne-co2", True)
    assert c.quote.endswith("约1.6亿吨CO2。")


def test_a_governing_word_carries_to_the_next_clause(places: PlaceResolver) -> None:
    found = run(
        places,
        "甘肃省支持兰州市在2025年前实现碳排放率先达峰，全省低碳试点城市碳排放率先达到峰值。",
        issuer=None,
    )
    assert [(c.kind, c.places, c.target_year, c.strength) for c in found] == [
        ("PeakTarget", ["620100"], 2025, "supports"),
        ("SupportCommitment", [], None, "supports"),
    ]
    assert "strength:支持 governs the sentence → supports" in found[1].reason


def test_targets_stated_in_research_are_research_level(places: PlaceResolver) -> None:
    found = run(
        places,
        "浙江省仅在相关研究中提出到2030年碳排放总量得到有效控制、比国家提前达到碳排放峰值。",
        issuer=None,
    )
    assert [(c.kind, c.target_year, c.strength) for c in found] == [
        ("EmissionCapTarget", 2030, "researches"),
        ("PeakTarget", None, "researches"),
    ]
