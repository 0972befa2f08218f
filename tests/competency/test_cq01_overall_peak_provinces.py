"""CQ01: which provinces state an overall peak year for their whole territory?"""

from tests.competency.helpers import code_of, rows

EXPECTED = {  # province code: (year, timing, earlier if possible)
    "110000": ("2020", "in", "true"),
    "120000": ("2025", "around", "false"),
    "530000": ("2025", "around", "false"),
    "370000": ("2027", "around", "false"),
    "500000": ("2030", "before", "false"),
    "140000": ("2030", "around", "false"),
    "460000": ("2030", "before", "false"),
    "620000": ("2030", "around", "false"),
    "650000": ("2030", "in", "false"),
}


def test_the_nine_provinces_with_year_timing_and_earlier_flag(run_cq):
    result = run_cq("cq01")
    got = {
        code_of(p): (y, t, e)
        for p, y, t, e in rows(result, "province", "year", "timing", "earlierIfPossible")
    }
    assert got == EXPECTED
    assert len(result.rows) == 9


def test_every_overall_target_names_its_provincial_plan(run_cq):
    for province, document in rows(run_cq("cq01"), "province", "document"):
        assert document.endswith(f"/document/ghg-plan-{code_of(province)}")


def test_shanghai_and_guangdong_are_not_among_them(run_cq):
    # Both state a territorial peak (上海 before 2025, 广东 before 2030), but not in their
    # 13th-FYP GHG control plans' overall-peak row: the report lists nine provinces.
    codes = {code_of(p) for (p,) in rows(run_cq("cq01"), "province")}
    assert "310000" not in codes
    assert "440000" not in codes
