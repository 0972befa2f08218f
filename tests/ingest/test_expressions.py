"""cckg.ingest.expressions: each rule on sentences written for it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cckg.ingest.expressions import (
    earlier_if_possible,
    plan_years,
    quantities,
    strength_words,
    strongest,
    years,
)


def year_facts(text: str, *, bare: bool = False) -> list[tuple[int, str | None, str, int | None]]:
    return [(y.year, y.timing, y.role, y.base) for y in years(text, bare=bare)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2030年左右达到峰值", [(2030, "around", "target", None)]),
        ("力争2030年前达峰", [(2030, "before", "target", None)]),
        ("于 2025 年之前达到峰值", [(2025, "before", "target", None)]),
        ("2030年以前实现", [(2030, "before", "target", None)]),
        ("到2020年有效控制", [(2020, "by", "target", None)]),
        ("至 2040 年碳排放总量较峰值减少", [(2040, "by", "target", None)]),
        ("2025年底前建成", [(2025, "by-end-of", "target", None)]),
        ("二〇三〇年前碳达峰", [(2030, "before", "target", None)]),
        ("二〇六〇年前实现碳中和", [(2060, "before", "target", None)]),
        ("在“十三五”末率先达到峰值", [(2020, "by-end-of", "target", None)]),
        ("“十四五”末", [(2025, "by-end-of", "target", None)]),
        ("“十四五”期间下降13.5%", [(2025, "by", "target", 2020)]),
        ("比 2005 年下降", [(2005, None, "base", None)]),
        ("较2020年降低", [(2020, None, "base", None)]),
        ("从 2014 年中国政府首次提出", [(2014, None, "reference", None)]),
        ("自2013年以来", [(2013, None, "reference", None)]),
        ("2015年 6月，中国提交", []),
        ("截至 2017 年10 月", []),
        ("2020 年达到峰值", [(2020, "in", "target", None)]),
    ],
)
def test_year_expressions(
    text: str, expected: list[tuple[int, str | None, str, int | None]]
) -> None:
    assert year_facts(text) == expected


def test_a_bare_year_counts_only_where_asked() -> None:
    assert year_facts("济南、潍坊，2025") == []
    assert year_facts("济南、潍坊，2025", bare=True) == [(2025, "in", "target", None)]
    assert year_facts("（2017-2035）", bare=True) == []


def test_five_year_plan_periods() -> None:
    assert plan_years("十三五") == (2016, 2020)
    assert plan_years("十四五") == (2021, 2025)
    assert plan_years("十五五") == (2026, 2030)


def quantity_facts(text: str) -> list[tuple[object, ...]]:
    return [(q.unit, q.value, q.minimum, q.maximum, q.approximate) for q in quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下降18%", [("percent", Decimal(18), None, None, False)]),
        ("下降 60%～65%", [("percent", None, Decimal(60), Decimal(65), False)]),
        ("比重达到25%左右", [("percent", Decimal(25), None, None, True)]),
        ("下降百分之十八", [("percent", Decimal(18), None, None, False)]),
        ("达峰碳排放量约 1.6 亿吨 CO2", [("megatonne-co2", Decimal(160), None, None, True)]),
        ("控制在 2.5 亿吨以内", [("megatonne-co2", Decimal(250), None, None, False)]),
        ("减少300万吨二氧化碳", [("megatonne-co2", Decimal(3), None, None, False)]),
        ("装机容量达到1200万千瓦", [("gigawatt", Decimal(12), None, None, False)]),
        ("装机达到1.2亿千瓦以上", [("gigawatt", Decimal(120), None, None, False)]),
        ("31 个省（区、市）", []),
    ],
)
def test_quantities_with_units(text: str, expected: list[tuple[object, ...]]) -> None:
    assert quantity_facts(text) == expected


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("确保2025年前达峰", "sets"),
        ("明确提出2030年前达峰", "sets"),
        ("力争2030年前达峰", "strives"),
        ("努力争取尽早达到峰值", "strives"),
        ("提出了争取在2020年左右达峰的要求", "strives"),
        ("支持杭州率先达峰", "supports"),
        ("鼓励镇江等城市力争提前完成达峰目标", "encourages"),
        ("其他市要建立碳峰值倒逼机制", "requires"),
        ("仅在相关研究中提出到2030年碳排放总量得到有效控制", "researches"),
    ],
)
def test_strength_words_and_which_wins(text: str, strength: str) -> None:
    word = strongest(strength_words(text))
    assert word is not None and word.strength == strength


def test_words_that_are_not_strength_words() -> None:
    assert strength_words("按照国家要求尽早实现达峰目标") == []
    assert strength_words("2030年左右达到峰值并争取尽早达峰") == []


def test_earlier_if_possible() -> None:
    assert earlier_if_possible("2020年并尽早达峰") == "并尽早达峰"
    assert earlier_if_possible("达到峰值并争取尽早实现") == "并争取尽早实现"
    assert earlier_if_possible("2030年前达峰") is None
