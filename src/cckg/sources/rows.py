"""Read data/source/memberships.csv into checked rows; a bad row is an error that names it."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from cckg.errors import CckgError

COLUMNS = (
    "group", "batch", "year", "member_zh", "admin_code", "source_url", "source_title", "note"
)
PILOT_GROUP = "low-carbon-pilot"
ALLIANCE_GROUP = "peaking-pioneer-alliance"
PILOT_BATCHES = ("1", "2", "3")
ALLIANCE_BATCHES = ("founding",)
_CODE = re.compile(r"^[0-9]{6}$")
_YEAR = re.compile(r"^(19|20)[0-9]{2}$")


class BadMembershipRow(CckgError):
    """A row of memberships.csv that cannot become a membership."""


@dataclass(frozen=True)
class MembershipRow:
    """One checked row: who joined which group when, and the source that says so."""

    line: int
    group: str
    batch: str
    year: int
    member_zh: str
    admin_code: str
    source_url: str
    source_title: str
    note: str

    @property
    def is_pilot(self) -> bool:
        return self.group == PILOT_GROUP


def _fail(path: Path, line: int, record: dict[str, str], what: str, fix: str) -> BadMembershipRow:
    who = f"{record.get('member_zh', '?')}, {record.get('admin_code', '?')}"
    return BadMembershipRow(what, where=f"{path}: row at line {line} ({who})", fix=fix)


def _check(path: Path, line: int, record: dict[str, str]) -> MembershipRow:
    """Turn one CSV record into a MembershipRow or raise an error naming its line."""
    missing = [c for c in COLUMNS if not (record.get(c) or "").strip() and c != "note"]
    if missing:
        raise _fail(path, line, record, f"empty column(s): {', '.join(missing)}",
                    "fill every column except note")
    group, batch = record["group"].strip(), record["batch"].strip()
    allowed = {PILOT_GROUP: PILOT_BATCHES, ALLIANCE_GROUP: ALLIANCE_BATCHES}
    if group not in allowed:
        raise _fail(path, line, record, f"unknown group {group!r}",
                    f"use one of {', '.join(sorted(allowed))}")
    if batch not in allowed[group]:
        raise _fail(path, line, record, f"batch {batch!r} is not a batch of {group}",
                    f"use one of {', '.join(allowed[group])}")
    code = record["admin_code"].strip()
    if not _CODE.match(code):
        raise _fail(path, line, record, f"admin_code {code!r} is not a 6-digit GB/T 2260 code",
                    "write the member's six-digit code, e.g. 440300")
    year = record["year"].strip()
    if not _YEAR.match(year):
        raise _fail(path, line, record, f"year {year!r} is not a four-digit year",
                    "write the year the member joined, e.g. 2010")
    return MembershipRow(
        line=line, group=group, batch=batch, year=int(year),
        member_zh=record["member_zh"].strip(), admin_code=code,
        source_url=record["source_url"].strip(), source_title=record["source_title"].strip(),
        note=(record.get("note") or "").strip(),
    )


def read_rows(path: Path) -> list[MembershipRow]:
    """All rows of a memberships CSV, checked; the header must name the expected columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise BadMembershipRow(
                f"header is {reader.fieldnames}, expected {list(COLUMNS)}",
                where=f"{path}: line 1", fix="restore the header row",
            )
        return [_check(path, reader.line_num, record) for record in reader]
