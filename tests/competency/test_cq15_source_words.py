"""CQ15: the report's own words for any fact."""

from tests.competency.helpers import rows


def test_tianjin_overall_target_by_default(run_cq):
    got = rows(run_cq("cq15"), "quote", "section", "row")
    assert got == [("天津 2025年左右达峰", "附表：提出整体达峰年的省份", "2")]


def test_a_statistic_has_its_words(run_cq):
    fact = "https://w3id.org/cckg/id/observation/pilots-with-peak-targets-2017"
    quotes = [q for (q,) in rows(run_cq("cq15", fact=fact), "quote")]
    assert quotes and all("73" in q for q in quotes)
