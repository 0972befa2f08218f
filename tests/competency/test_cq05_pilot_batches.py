"""CQ05: national low-carbon pilots by batch; listed members against batch size."""

from tests.competency.helpers import code_of, rows


def test_batch_sizes_and_listed_members(run_cq):
    got = {
        (b, y, n, size)
        for b, y, n, size in rows(
            run_cq("cq05"), "batchNumber", "launchYear", "listed", "batchSize"
        )
    }
    assert got == {("1", "2010", "13", "13"), ("2", "2012", "29", "29"), ("3", "2017", "4", "45")}


def test_members_of_each_batch(run_cq):
    members: dict[str, set[str]] = {}
    for batch, member in rows(run_cq("cq05"), "batchNumber", "member"):
        members.setdefault(batch, set()).add(code_of(member))
    assert len(members["1"]) == 13 and len(members["2"]) == 29
    assert members["3"] == {"320400", "330400", "330700", "330800"}
    assert {"440000", "440300", "130600"} <= members["1"]
    assert {"110000", "310000", "232700", "419001"} <= members["2"]
