"""CQ03: which provinces commit to peaks in named sectors, and which sectors?"""

from tests.competency.helpers import code_of, is_simple_literal, rows

EXPECTED_SECTORS = {  # sorted, joined by ", "
    "360000": "heavy chemical industry",
    "510000": "heavy chemical industry",
    "120000": "power, steel",
    "460000": "cement, chemicals, key industries, petroleum, power",
    "620000": "key industries",
}


def test_the_five_provinces_and_their_sectors(run_cq):
    result = run_cq("cq03")
    got = {code_of(p): s for p, s in rows(result, "province", "sectors")}
    assert got == EXPECTED_SECTORS
    assert all(is_simple_literal(r["sectors"]) for r in result.rows)


def test_years_where_the_report_gives_one(run_cq):
    years = {code_of(p): y for p, y in rows(run_cq("cq03"), "province", "year")}
    assert years["360000"] == years["510000"] == years["620000"] == "2020"
    assert years["120000"] is None and years["460000"] is None
