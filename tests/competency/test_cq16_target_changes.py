"""CQ16: how a jurisdiction's targets changed over time, document by document (China by
default). The curated graph has no revision links (one report); the ingested case is in
tests/ingest/test_end_to_end.py."""

from tests.competency.helpers import rows


def test_china_peak_targets_in_the_order_their_documents_were_issued(run_cq):
    result = run_cq("cq16")
    peaks = [
        (issued, year, timing)
        for kind, issued, year, timing, sectors in rows(
            result, "type", "issued", "year", "timing", "commitment"
        )
        if kind == "PeakTarget" and "heavy-chemical" not in (sectors or "")
    ]
    assert peaks == [
        ("2014-09-23", None, None),
        ("2015-06-30", "2030", "around"),
        ("2015-11-30", "2030", "around"),
    ]


def test_intensity_targets_with_their_values(run_cq):
    result = run_cq("cq16")
    intensity = [
        (issued, year, value)
        for kind, issued, year, value in rows(result, "type", "issued", "year", "value")
        if kind == "IntensityTarget"
    ]
    assert intensity == [("2015-06-30", "2030", "60-65"), ("2016-10-27", "2020", "18")]


def test_the_parameter_takes_a_province(run_cq):
    result = run_cq("cq16", jurisdiction="310000")  # Shanghai: its master plan's targets
    assert {t for (t,) in rows(result, "type")} == {
        "PeakTarget",
        "EmissionCapTarget",
        "ReductionTarget",
    }
    assert {r for (r,) in rows(result, "relation")} == {None}
