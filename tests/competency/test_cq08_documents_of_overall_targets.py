"""CQ08: which document states each overall peak target?"""

from tests.competency.helpers import code_of, rows


def test_beijing_and_shanghai_name_their_own_plans(run_cq):
    result = rows(run_cq("cq08"), "jurisdiction", "document", "title")
    by_place = {}
    for place, document, title in result:
        by_place.setdefault(code_of(place), set()).add((document.rsplit("/", 1)[-1], title))
    assert {d for d, _ in by_place["310000"]} == {"shanghai-master-plan-2017-2035"}
    assert any("城市总体规划" in t for _, t in by_place["310000"])
    assert {d for d, _ in by_place["110000"]} == {"ghg-plan-110000"}
    assert any("节能降耗及应对气候变化规划" in t for _, t in by_place["110000"])


def test_the_other_provinces_cite_their_ghg_control_plan(run_cq):
    provinces = {"120000", "530000", "370000", "500000", "140000", "460000", "620000",
                 "650000", "440000"}
    found = set()
    for place, document in rows(run_cq("cq08"), "jurisdiction", "document"):
        code = code_of(place)
        if code in provinces:
            assert document.endswith(f"/document/ghg-plan-{code}")
            found.add(code)
    assert found == provinces


def test_the_nation_cites_its_ndc(run_cq):
    result = rows(run_cq("cq08"), "jurisdiction", "document")
    documents = {d for p, d in result if p.endswith("/CN")}
    assert any(d.endswith("/document/ndc-2015") for d in documents)
