"""CQ04: members of the China Alliance of Peaking Pioneer Cities, province, since when."""

from tests.competency.helpers import code_of, rows

FOUNDERS = {
    "110000": "北京", "440300": "广东", "420100": "湖北", "440100": "广东", "510000": "四川",
    "460000": "海南", "520100": "贵州", "321100": "江苏", "620300": "甘肃", "610600": "陕西",
    "220200": "吉林",
}


def test_the_eleven_founding_members_with_province_and_year(run_cq):
    result = run_cq("cq04")
    got = {code_of(m): (p, s) for m, p, s in rows(result, "member", "provinceName", "since")}
    assert got == {code: (province, "2015") for code, province in FOUNDERS.items()}


def test_every_membership_cites_its_source(run_cq):
    sources = {s for (s,) in rows(run_cq("cq04"), "source")}
    assert None not in sources
