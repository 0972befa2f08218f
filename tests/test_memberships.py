"""memberships.csv -> memberships.ttl, and the groups of groups.ttl the memberships point to."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS

from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID
from cckg.sources.memberships import HEADER, OUTPUT, main, memberships_graph
from cckg.sources.rows import COLUMNS, BadMembershipRow

ALLIANCE = ID["alliance/peaking-pioneer-cities"]
TERI = "https://teriin.org/projects/locci/pdf/Book-China-India/files/basic-html/page362.html"


def batch(n: int) -> URIRef:
    return ID[f"pilot-batch/low-carbon-{n}"]


def place(code: str) -> URIRef:
    return ID[f"place/{code}"]


@pytest.fixture(scope="module")
def committed() -> Graph:
    return Graph().parse(OUTPUT, format="turtle")


@pytest.fixture(scope="module")
def groups() -> Graph:
    return Graph().parse(PATHS.data / "groups.ttl", format="turtle")


def members(graph: Graph, group: URIRef) -> set[URIRef]:
    return {graph.value(m, CCKG.member) for m in graph.subjects(CCKG.group, group)}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(**changes: str) -> dict[str, str]:
    base = {"group": "low-carbon-pilot", "batch": "1", "year": "2010", "member_zh": "广东省",
            "admin_code": "440000", "source_url": TERI, "source_title": "TERI table",
            "note": "a note"}
    return base | changes


def test_committed_file_is_a_fresh_conversion(committed: Graph) -> None:
    assert isomorphic(committed, memberships_graph(PATHS.memberships_csv))
    assert OUTPUT.read_text(encoding="utf-8").startswith(HEADER)
    assert "python -m cckg.sources.memberships" in HEADER


def test_parses_in_pyoxigraph(committed: Graph) -> None:
    quads = list(pyoxigraph.parse(path=str(OUTPUT), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(committed)


def test_sourced_members_per_batch_and_declared_sizes(committed: Graph, groups: Graph) -> None:
    assert [len(members(committed, batch(n))) for n in (1, 2, 3)] == [13, 29, 4]
    assert [groups.value(batch(n), CCKG.memberCount).toPython() for n in (1, 2, 3)] == [13, 29, 45]
    assert [groups.value(batch(n), CCKG.launchYear).toPython() for n in (1, 2, 3)] == [
        2010, 2012, 2017]
    assert groups.value(ID["pilot-programme/low-carbon"], CCKG.memberCount).toPython() == 87
    assert "4 of 45" in str(groups.value(batch(3), RDFS.comment))


def test_alliance_has_its_11_founding_members(committed: Graph) -> None:
    founding = members(committed, ALLIANCE)
    assert len(founding) == 11
    assert {place("220200"), place("510000"), place("110000")} <= founding
    years = {committed.value(m, CCKG.memberSince) for m in committed.subjects(CCKG.group, ALLIANCE)}
    assert years == {Literal(2015)}


def test_pilots_that_are_also_alliance_members(committed: Graph) -> None:
    pilots = set().union(*(members(committed, batch(n)) for n in (1, 2, 3)))
    both = {str(p).rsplit("/", 1)[-1] for p in pilots & members(committed, ALLIANCE)}
    assert both == {"110000", "440300", "420100", "440100", "460000", "520100", "321100",
                    "620300", "610600", "220200"}


def test_shortcuts_agree_with_memberships(committed: Graph) -> None:
    from_memberships = {(committed.value(m, CCKG.member), committed.value(m, CCKG.group))
                        for m in committed.subjects(RDF.type, CCKG.Membership)}
    shortcuts = set(committed.subject_objects(CCKG.inPilotBatch)) | set(
        committed.subject_objects(CCKG.memberOf))
    assert from_memberships == shortcuts and len(shortcuts) == 57


def test_every_csv_code_resolves_to_a_place() -> None:
    places = Graph().parse(PATHS.data / "places.ttl", format="turtle")
    with PATHS.memberships_csv.open(encoding="utf-8") as handle:
        codes = {r["admin_code"] for r in csv.DictReader(handle)}
    assert len(codes) == 47  # 57 rows; 10 members are both pilots and in the alliance
    assert all((place(c), CCKG.adminCode, Literal(c)) in places for c in codes)


def test_every_membership_cites_a_source(committed: Graph) -> None:
    report = re.sub(r"\s+", "", PATHS.report.read_text(encoding="utf-8"))
    for membership in committed.subjects(RDF.type, CCKG.Membership):
        source = committed.value(membership, PROV.wasDerivedFrom)
        kinds = set(committed.objects(source, RDF.type))
        assert kinds in ({CCKG.ExternalSource}, {CCKG.SourcePassage}), membership
    passage = ID["passage/memberships-zhejiang-third-batch"]
    assert members(committed, batch(3)) - {place("320400")} == {
        committed.value(m, CCKG.member) for m in committed.subjects(PROV.wasDerivedFrom, passage)}
    assert str(committed.value(passage, CCKG.quote)) in report
    assert committed.value(passage, CCKG.passageOf) == ID["document/report-regional-peaking-2018"]


def test_a_bad_code_is_an_error_naming_the_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [row(), row(admin_code="44000X", member_zh="坏行")])
    with pytest.raises(BadMembershipRow) as caught:
        memberships_graph(path)
    assert "line 3" in caught.value.message and "坏行" in caught.value.message
    assert "44000X" in caught.value.message


@pytest.mark.parametrize(("changes", "says"), [
    ({"admin_code": "440400"}, "not a place"),
    ({"member_zh": "广西壮族自治区"}, "does not match"),
    ({"source_url": "https://example.org/unknown"}, "not a known source"),
    ({"batch": "4"}, "not a batch"),
    ({"year": "20x0"}, "not a four-digit year"),
    ({"source_title": ""}, "empty column"),
])
def test_other_bad_rows_are_errors(tmp_path: Path, changes: dict[str, str], says: str) -> None:
    path = write_csv(tmp_path / "m.csv", [row(**changes)])
    with pytest.raises(BadMembershipRow, match=says):
        memberships_graph(path)


def test_a_good_row_becomes_one_membership(tmp_path: Path) -> None:
    graph = memberships_graph(write_csv(tmp_path / "m.csv", [row()]))
    node = ID["membership/pilot-batch-1-440000"]
    assert list(graph.subjects(RDF.type, CCKG.Membership)) == [node]
    assert graph.value(node, CCKG.member) == place("440000")
    assert graph.value(node, CCKG.memberSince) == Literal(2010)
    assert (place("440000"), CCKG.inPilotBatch, batch(1)) in graph


def test_main_reports_a_bad_file_and_writes_nothing(tmp_path: Path, capsys) -> None:
    path = write_csv(tmp_path / "m.csv", [row(admin_code="12")])
    out = tmp_path / "out.ttl"
    assert main(["--csv", str(path), "--out", str(out)]) == 1
    assert "admin_code '12'" in capsys.readouterr().err
    assert not out.exists()
    good = write_csv(tmp_path / "g.csv", [row()])
    assert main(["--csv", str(good), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith(HEADER)
