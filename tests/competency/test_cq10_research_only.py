"""CQ10: provinces that commit only to research on peaking, and to no target."""

from tests.competency.helpers import code_of, rows


def test_qinghai_guangxi_heilongjiang_jilin(run_cq):
    got = {code_of(p): n for p, n in rows(run_cq("cq10"), "province", "researchCommitments")}
    assert set(got) == {"630000", "450000", "230000", "220000"}
    assert got["230000"] == "2"  # 黑龙江's row appears twice in the appendix
