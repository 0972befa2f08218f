"""CQ02: which cities or prefectures have a peak year set for them, by whom, which year?"""

from tests.competency.helpers import code_of, is_simple_literal, rows

EXPECTED = {  # (city, committer, year)
    ("320500", "320000", "2020"), ("321100", "320000", "2020"),
    ("440100", "440000", "2020"), ("440300", "440000", "2020"),
    ("610600", "610000", "2029"), ("610900", "610000", "2028"),
    ("140500", "140000", "2025"),
    ("650100", "650000", "2025"), ("652301", "650000", "2025"),
    ("654002", "650000", "2025"), ("653201", "650000", "2025"),
    ("620100", "620000", "2025"),
    ("370200", "370000", "2020"), ("370600", "370000", "2020"),
    ("370100", "370000", "2025"), ("370700", "370000", "2025"),
    ("330100", "330000", "2020"), ("330200", "330000", "2020"), ("330300", "330000", "2020"),
}


def test_every_city_target_with_its_setter_and_year(run_cq):
    got = {
        (code_of(c), code_of(j), y) for c, j, y in rows(run_cq("cq02"), "city", "committer", "year")
    }
    assert got == EXPECTED


def test_guangzhou_is_around_2020_as_section_two_says(run_cq):
    timings = {
        t for c, t in rows(run_cq("cq02"), "city", "timing") if code_of(c) == "440100"
    }
    assert timings == {"around, in"}  # section 二 (around) and the appendix row (in)


def test_timings_are_plain_sorted_strings(run_cq):
    result = run_cq("cq02")
    timings = {code_of(row["city"].value): row["timing"] for row in result.rows}
    assert {c: t.value for c, t in timings.items() if c in {"370100", "330100", "610600"}} == {
        "370100": "before, in", "330100": "by the end of", "610600": "in"
    }
    # SPARQL 1.1 GROUP_CONCAT gives a simple literal: no language tag, no datatype.
    assert all(is_simple_literal(t) for t in timings.values())


def test_yanan_and_ankang_keep_their_own_years(run_cq):
    years = {code_of(c): y for c, y in rows(run_cq("cq02"), "city", "year")}
    assert years["610600"] == "2029"
    assert years["610900"] == "2028"
