"""CQ14: measures of 北京, 上海, 广东, 浙江 by domain."""

from tests.competency.helpers import code_of, rows

DOMAINS = {"industrial structure", "energy structure", "buildings", "transport",
           "pilots and innovation"}


def test_all_four_provinces_in_all_five_domains(run_cq):
    seen: dict[str, set[str]] = {}
    for place, domain in rows(run_cq("cq14"), "jurisdiction", "domain"):
        seen.setdefault(code_of(place), set()).add(domain)
    assert set(seen) == {"110000", "310000", "440000", "330000"}
    for domains in seen.values():
        assert domains >= DOMAINS


def test_each_measure_quotes_the_report(run_cq):
    result = rows(run_cq("cq14"), "measure", "quote")
    assert len({m for m, _ in result}) >= 20
    assert all(q for _m, q in result)
