"""CQ13: what does Shanghai commit to?"""

from tests.competency.helpers import rows


def test_shanghai_peak_cap_and_reduction(run_cq):
    got = rows(run_cq("cq13"), "type", "metric", "targetYear", "timing", "value", "document")
    facts = {(t, m, y, tim, float(v) if v else None) for t, m, y, tim, v, _d in got}
    assert ("PeakTarget", "total CO2 emissions", "2025", "before", None) in facts
    assert ("PeakTarget", "per-capita CO2 emissions", "2025", "before", None) in facts
    assert any(t == "EmissionCapTarget" and y == "2020" and v == 250 for t, _m, y, _t, v in facts)
    assert any(t == "ReductionTarget" and y == "2040" and v == 15 for t, _m, y, _t, v in facts)
    assert {d for *_, d in got} == {"上海市城市总体规划（2017-2035年）"}


def test_the_reduction_is_measured_from_the_peak(run_cq):
    got = rows(run_cq("cq13"), "type", "relativeToPeak", "approximate")
    assert ("ReductionTarget", "true", "true") in got
