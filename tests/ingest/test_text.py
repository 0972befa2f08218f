"""cckg.ingest.text: decoding, normalising and cutting documents, always by offsets."""

from __future__ import annotations

import pytest

from cckg.ingest.text import (
    TextNotUtf8,
    View,
    clause_spans,
    decode,
    join_lines,
    normalise,
    pieces,
    quote_at,
)


def test_traditional_characters_become_simplified() -> None:
    assert normalise("碳達峰與碳中和行動方案") == "碳达峰与碳中和行动方案\n"


def test_full_width_digits_line_ends_and_invisible_characters() -> None:
    text = "\ufeff到２０３０年\u200b前達峰 \r\n第二行\r\n"
    assert normalise(text) == "到2030年前达峰\n第二行\n"


def test_utf8_with_bom_decodes_and_gbk_is_refused_with_a_fix() -> None:
    assert decode("\ufeff碳达峰".encode(), "x.txt") == "碳达峰"
    with pytest.raises(TextNotUtf8) as err:
        decode("碳达峰".encode("gb18030"), "plan.txt")
    assert err.value.where == "plan.txt" and "iconv" in (err.value.fix or "")


def test_join_lines_drops_only_whitespace_at_line_breaks() -> None:
    assert join_lines("率先\n\n达峰 2020 年") == "率先达峰 2020 年"


def test_view_maps_each_character_back_to_the_document() -> None:
    text = "甲乙率先\n\n达峰。"
    view = View(text, 2, len(text))
    assert view.string == "率先达峰。"
    at = view.string.index("达峰")
    start, end = view.span(at, at + 2)
    assert text[start:end] == "达峰"


DOCUMENT = """测试方案

一、主要目标
一是全省力争2030年前达峰。到2025年，单位地区生产总值能耗下降13.5%；二是鼓励城市率先达峰。

附表  提出整体达峰年的省份
提出整体达峰年的省份
1 北京 2020年并尽早达峰
2 江西
鼓励南昌市率先实现达峰目标
（某某供稿）
"""


def test_pieces_are_sentences_with_their_point_and_appendix_rows() -> None:
    found = [
        (p.section, p.category, p.row, quote_at(DOCUMENT, p.start, p.end)) for p in pieces(DOCUMENT)
    ]
    assert found == [
        ("一、一是", None, None, "一是全省力争2030年前达峰。"),
        ("一、一是", None, None, "到2025年，单位地区生产总值能耗下降13.5%；"),
        ("一、二是", None, None, "二是鼓励城市率先达峰。"),
        ("附表：提出整体达峰年的省份", "提出整体达峰年的省份", 1, "北京 2020年并尽早达峰"),
        ("附表：提出整体达峰年的省份", "提出整体达峰年的省份", 2, "江西鼓励南昌市率先实现达峰目标"),
        ("附注", None, None, "（某某供稿）"),
    ]


def test_clauses_do_not_cut_inside_quotes_or_titles() -> None:
    text = "上海市在《规划（2017，2035）》中提出“全市，于2025年之前达到峰值”，到2020年控制。"
    assert [text[s:e] for s, e in clause_spans(text)] == [
        "上海市在《规划（2017，2035）》中提出“全市，于2025年之前达到峰值”",
        "到2020年控制",
    ]
