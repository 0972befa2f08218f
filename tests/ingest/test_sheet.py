"""cckg.ingest.sheet: reading a review sheet; every bad row and column is reported as
`row N, column NAME`, never a traceback, and nothing is accepted from a bad sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from cckg.ingest.accept import locator
from cckg.ingest.sheet import COLUMNS, Checks, SheetInvalid, read_sheet, write_sheet
from cckg.ingest.vocab import load_vocabulary
from cckg.paths import PATHS

TEXT = "一、目标\n全省二氧化碳排放力争\n2030年前达到峰值。\n"
GOOD = {
    "id": "001",
    "status": "accept",
    "type": "PeakTarget",
    "committer": "350000",
    "places": "350000",
    "target_year": "2030",
    "timing": "before",
    "strength": "strives",
    "metric": "total-co2",
    "quote": "全省二氧化碳排放力争2030年前达到峰值。",
}


@pytest.fixture(scope="module")
def checks() -> Checks:
    known = {"350000", "350100", "CN", "zone:350000-optimized-development-zones"}
    return Checks(
        load_vocabulary(PATHS.ontology / "vocabularies.ttl"), known.__contains__, locator(TEXT)
    )


def sheet(tmp_path: Path, *rows: dict[str, str]) -> Path:
    path = tmp_path / "sheet.csv"
    write_sheet(path, rows)
    return path


def problems(tmp_path: Path, checks: Checks, **changes: str) -> str:
    with pytest.raises(SheetInvalid) as err:
        read_sheet(sheet(tmp_path, {**GOOD, **changes}), checks)
    return err.value.message


def test_a_good_row_reads_with_the_quote_located(tmp_path: Path, checks: Checks) -> None:
    (row,) = read_sheet(sheet(tmp_path, GOOD), checks)
    assert (row.number, row.type, row.target_year, row.places, row.accepted) == (
        2,
        "PeakTarget",
        2030,
        ["350000"],
        True,
    )
    assert TEXT[row.start : row.end] == "全省二氧化碳排放力争\n2030年前达到峰值。"


def test_the_sheet_opens_in_a_spreadsheet_as_utf8(tmp_path: Path) -> None:
    raw = sheet(tmp_path, GOOD).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and ",".join(COLUMNS).encode() in raw


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"committer": "999999"}, "row 2, column committer: '999999' is not a place of the graph"),
        ({"places": "350000 123456"}, "row 2, column places: '123456' is not a place of the graph"),
        (
            {"target_year": "2230"},
            "row 2, column target_year: '2230' is not a year from 1990 to 2100",
        ),
        ({"base_year": "二〇〇五"}, "row 2, column base_year: '二〇〇五' is not a year"),
        ({"row": "3a"}, "row 2, column row: '3a' is not a whole number (write digits only"),
        (
            {"quote": "全省二氧化碳排放力争2035年前达到峰值。"},
            "row 2, column quote: is not in the document's text: it matches for 13 characters "
            "(…氧化碳排放力争203) then has '5年前达到峰值。'",
        ),
        ({"status": "maybe"}, "row 2, column status: 'maybe' is not known"),
        ({"type": "Wish"}, "row 2, column type: 'Wish' is not known"),
        ({"timing": "soon"}, "row 2, column timing: 'soon' is not known"),
        ({"strength": ""}, "row 2, column strength: is empty"),
        (
            {"sectors": "steel smelting"},
            "row 2, column sectors: 'smelting' is not in id:scheme/sector",
        ),
        ({"value": "18%"}, "row 2, column value: '18%' is not a number"),
        ({"value": "18"}, "row 2, column unit: is empty but the row has a value"),
        (
            {"value_min": "65", "value_max": "60", "unit": "percent"},
            "row 2, column value_min: 65 is above value_max 60",
        ),
        ({"approximate": "maybe"}, "row 2, column approximate: 'maybe' is not yes or no"),
        ({"id": "a b"}, "row 2, column id: 'a b' is not a row id"),
        (
            {"places": "", "place_candidates": "朝阳: 110105 朝阳区 | 211300 朝阳市"},
            "row 2, column places: is empty while place_candidates lists a name",
        ),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(
    tmp_path: Path, checks: Checks, changes: dict[str, str], expected: str
) -> None:
    assert expected in problems(tmp_path, checks, **changes)


def test_all_problems_are_reported_at_once(tmp_path: Path, checks: Checks) -> None:
    message = problems(tmp_path, checks, committer="999999", target_year="3000")
    assert "2 problem(s)" in message and "column committer" in message
    assert "column target_year" in message


def test_zones_and_groups_may_be_named_by_prefixed_iri(tmp_path: Path, checks: Checks) -> None:
    (row,) = read_sheet(
        sheet(tmp_path, {**GOOD, "places": "zone:350000-optimized-development-zones"}), checks
    )
    assert row.places == ["zone:350000-optimized-development-zones"]


def test_duplicate_ids(tmp_path: Path, checks: Checks) -> None:
    with pytest.raises(SheetInvalid, match="row 3, column id: '001' is also the id of row 2"):
        read_sheet(sheet(tmp_path, GOOD, GOOD), checks)


def test_unknown_and_missing_columns(tmp_path: Path, checks: Checks) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,status,type,committer,strength,quote,colour\n", encoding="utf-8")
    with pytest.raises(SheetInvalid, match="row 1, column colour: unknown column"):
        read_sheet(path, checks)
    path.write_text("id,status,type,committer,strength\n", encoding="utf-8")
    with pytest.raises(SheetInvalid, match="row 1: column quote is missing"):
        read_sheet(path, checks)


def test_malformed_csv(tmp_path: Path, checks: Checks) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(",".join(COLUMNS) + '\n001,accept,"PeakTarget\n', encoding="utf-8")
    with pytest.raises(SheetInvalid, match="not valid CSV"):
        read_sheet(path, checks)
    path.write_text(",".join(COLUMNS) + "\n001,accept,PeakTarget\n", encoding="utf-8")
    with pytest.raises(SheetInvalid, match=f"row 2: has 3 cells, the header has {len(COLUMNS)}"):
        read_sheet(path, checks)


def test_a_missing_or_non_utf8_sheet(tmp_path: Path, checks: Checks) -> None:
    with pytest.raises(SheetInvalid, match="no review sheet here"):
        read_sheet(tmp_path / "none.csv", checks)
    path = tmp_path / "gbk.csv"
    path.write_bytes(",".join(COLUMNS).encode() + "\n达峰".encode("gb18030"))
    with pytest.raises(SheetInvalid, match="not UTF-8"):
        read_sheet(path, checks)


def test_the_template_reads_against_the_report() -> None:
    template = PATHS.root / "docs" / "ingest-sheet-template.csv"
    report = PATHS.report.read_text(encoding="utf-8")
    vocabulary = load_vocabulary(PATHS.ontology / "vocabularies.ttl")
    (row,) = read_sheet(
        template, Checks(vocabulary, lambda code: code == "120000", locator(report))
    )
    assert (row.type, row.committer, row.target_year, row.timing) == (
        "PeakTarget",
        "120000",
        2025,
        "around",
    )
