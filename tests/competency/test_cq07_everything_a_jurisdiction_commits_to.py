"""CQ07: everything one jurisdiction has committed to (甘肃 by default)."""

from tests.competency.helpers import is_simple_literal, rows


def test_gansu_overall_city_sector_support_and_research(run_cq):
    result = run_cq("cq07")
    types = {t for (t,) in rows(result, "type")}
    assert {"PeakTarget", "SupportCommitment", "ResearchCommitment"} <= types
    years = {y for (y,) in rows(result, "year") if y}
    assert years == {"2030", "2025", "2020"}
    covers = {c for (c,) in rows(result, "covers")}
    assert covers == {"甘肃省", "兰州市", "甘肃省全省低碳试点城市"}
    sectors = {s for (s,) in rows(result, "sectors") if s}
    assert sectors == {"key industries"}
    joined = [row[c] for row in result.rows for c in ("covers", "sectors")]
    assert all(is_simple_literal(cell) for cell in joined)


def test_every_gansu_commitment_has_its_quote_and_document(run_cq):
    for quote, document in rows(run_cq("cq07"), "quote", "document"):
        assert quote and quote.startswith("甘肃")
        assert document and document.endswith("/document/ghg-plan-620000")


def test_the_parameter_takes_another_province(run_cq):
    result = run_cq("cq07", jurisdiction="630000")  # 青海: research only
    assert {t for (t,) in rows(result, "type")} == {"ResearchCommitment"}
    assert [q for (q,) in rows(result, "quote")] == ["青海 开展青海省碳排放峰值研究"]
