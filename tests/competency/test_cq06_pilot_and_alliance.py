"""CQ06: jurisdictions that are both low-carbon pilots and alliance members."""

from tests.competency.helpers import adhoc, code_of, rows

from cckg.rdf.query_exec import run_named

EXPECTED = {
    "110000", "440300", "420100", "440100", "460000", "520100", "321100", "620300", "610600",
    "220200",
}


def test_the_ten_pilots_in_the_alliance(run_cq):
    got = {code_of(j) for (j,) in rows(run_cq("cq06"), "jurisdiction")}
    assert got == EXPECTED
    assert "510000" not in got  # 四川 is a member but not a pilot


def test_reasoning_agrees_with_the_asserted_memberships(built_graph):
    # CQ06 reads classes HermiT infers; the same answer must follow from the shortcuts.
    query = adhoc("SELECT DISTINCT ?j WHERE { ?j cckg:inPilotBatch ?b ; cckg:memberOf ?a }")
    got = {code_of(r["j"].value) for r in run_named(built_graph, query, {}).rows}
    assert got == EXPECTED
