"""CQ09: provinces with no overall peak year that commit for cities, zones or sectors."""

from tests.competency.helpers import code_of, is_simple_literal, rows

EXPECTED = {
    "320000",  # 江苏
    "440000",  # 广东
    "610000",  # 陕西
    "360000",  # 江西
    "510000",  # 四川
    "350000",  # 福建
    "640000",  # 宁夏
    "420000",  # 湖北
    "340000",  # 安徽
    "410000",  # 河南
    "520000",  # 贵州
    "330000",  # 浙江
}


def test_the_twelve_provinces(run_cq):
    got = {code_of(p) for (p,) in rows(run_cq("cq09"), "province")}
    assert got == EXPECTED


def test_none_of_them_is_among_the_cq01_nine(run_cq):
    nine = {code_of(p) for (p,) in rows(run_cq("cq01"), "province")}
    got = {code_of(p) for (p,) in rows(run_cq("cq09"), "province")}
    assert not nine & got


def test_what_each_commits_for_is_one_sorted_plain_string(run_cq):
    result = run_cq("cq09")
    got = {code_of(row["province"].value): row["commitsFor"] for row in result.rows}
    assert got["610000"].value == "安康市, 延安市"
    assert got["420000"].value == "武汉市, 湖北省国家低碳试点城市, 长阳土家族自治县"
    assert got["510000"].value == "四川省国家和省级低碳试点城市, 重化工业"
    assert all(is_simple_literal(c) for c in got.values())
