"""CQ12: China's national targets with base year, target year, values and documents."""

from tests.competency.helpers import rows


def _by_type(run_cq):
    return rows(run_cq("cq12"), "type", "baseYear", "targetYear", "valueMin", "valueMax",
                "value", "document", "timing", "earlierIfPossible")


def test_peak_around_2030_and_earlier_if_possible_in_the_ndc(run_cq):
    assert any(
        t == "PeakTarget" and ty == "2030" and d and d.endswith("/ndc-2015")
        and tim == "around" and e == "true"
        for t, _b, ty, _mn, _mx, _v, d, tim, e in _by_type(run_cq)
    )


def test_intensity_60_to_65_percent_below_2005_by_2030(run_cq):
    assert any(
        t == "IntensityTarget" and b == "2005" and ty == "2030" and float(mn) == 60
        and float(mx) == 65 and d.endswith("/ndc-2015")
        for t, b, ty, mn, mx, _v, d, _tim, _e in _by_type(run_cq) if mn
    )


def test_intensity_18_percent_below_2015_by_2020(run_cq):
    assert any(
        t == "IntensityTarget" and b == "2015" and ty == "2020" and float(v) == 18
        and d.endswith("/13th-fyp-ghg-work-plan")
        for t, b, ty, _mn, _mx, v, d, _tim, _e in _by_type(run_cq) if v
    )
