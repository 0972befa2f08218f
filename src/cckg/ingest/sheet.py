"""The review sheet: one CSV row per candidate commitment, which a reviewer marks accept,
reject or edit in a spreadsheet. The same format imports commitments coded by hand.

Reading a sheet checks every row and column and reports all problems at once, each as
`row N, column NAME: what is wrong (how to fix it)`; nothing is accepted from a sheet with
a problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cckg.errors import CckgError
from cckg.ingest.expressions import FIRST_YEAR, LAST_YEAR
from cckg.ingest.extract import Candidate
from cckg.ingest.terms import CommitmentTerms
from cckg.ingest.vocab import COMMITMENT_TYPES, Vocabulary

#: The columns, in order. Reviewers set `status`; every other column may be edited too.
COLUMNS = (
    "id",
    "status",
    "type",
    "committer",
    "places",
    "place_candidates",
    "sectors",
    "target_year",
    "base_year",
    "timing",
    "earlier_if_possible",
    "strength",
    "metric",
    "value",
    "value_min",
    "value_max",
    "unit",
    "approximate",
    "relative_to_peak",
    "quote",
    "start",
    "end",
    "section",
    "row",
    "confidence",
    "reason",
    "note",
)
REQUIRED = ("id", "status", "type", "committer", "strength", "quote")
STATUSES = ("", "accept", "reject", "edit")
ACCEPTED = ("accept", "edit")
_TRUE, _FALSE = ("yes", "true", "1", "y"), ("", "no", "false", "0", "n")


class SheetInvalid(CckgError):
    """A review sheet with one or more bad rows or columns."""


@dataclass
class Row(CommitmentTerms):
    """One row of a sheet, read and checked."""

    number: int  # the spreadsheet's row number (the header is row 1)
    id: str
    status: str
    type: str
    start: int | None
    end: int | None
    section: str
    row: int | None
    note: str
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED


def _text(value: object) -> str:
    """A value as a sheet cell writes it (lists of codes or slugs separated by spaces)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def candidate_row(number: int, candidate: Candidate) -> dict[str, str]:
    """The sheet row of a candidate (status left empty for the reviewer)."""
    return {
        "id": f"{number:03d}",
        "status": "",
        "type": candidate.kind,
        **{f.name: _text(getattr(candidate, f.name)) for f in fields(CommitmentTerms)},
        "place_candidates": candidate.place_candidates,
        "start": str(candidate.start),
        "end": str(candidate.end),
        "section": candidate.section,
        "row": _text(candidate.row),
        "confidence": f"{candidate.confidence:.2f}",
        "reason": "; ".join(candidate.reason),
        "note": candidate.note,
    }


def write_sheet(path: Path, rows: Iterable[dict[str, str]]) -> None:
    """Write a sheet as UTF-8 CSV with a byte-order mark (so spreadsheets read Chinese)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")


@dataclass
class Checks:
    """What a row is checked against: the vocabulary, the known places, the document."""

    vocabulary: Vocabulary
    place_known: Callable[[str], bool]
    locate_quote: Callable[[str, int | None, int | None], tuple[int, int] | str]


class _RowReader:
    """Reads one raw row, collecting a message per bad column."""

    def __init__(self, number: int, raw: dict[str, str], checks: Checks) -> None:
        self.line = number
        self.raw = {k: (v or "").strip() for k, v in raw.items()}
        self.checks = checks
        self.problems: list[str] = []

    def problem(self, column: str, what: str, fix: str) -> None:
        self.problems.append(f"row {self.line}, column {column}: {what} ({fix})")

    def choice(self, column: str, allowed: Iterable[str], *, required: bool = False) -> str | None:
        value = self.raw.get(column, "")
        options = tuple(allowed)
        if not value:
            if required:
                self.problem(column, "is empty", f"write one of: {', '.join(sorted(options))}")
            return None
        if value not in options:
            self.problem(
                column,
                f"{value!r} is not known",
                f"write one of: {', '.join(sorted(o for o in options if o))}",
            )
            return None
        return value

    def year(self, column: str) -> int | None:
        return self.integer(
            column,
            within=(FIRST_YEAR, LAST_YEAR),
            what=f"a year from {FIRST_YEAR} to {LAST_YEAR}",
            fix="write the year as four digits, e.g. 2030",
        )

    def integer(
        self,
        column: str,
        within: tuple[int, int] | None = None,
        what: str = "a whole number",
        fix: str = "write digits only or leave it empty",
    ) -> int | None:
        """The column's whole number (within the bounds, if given), or None if empty."""
        value = self.raw.get(column, "")
        if not value:
            return None
        if not value.isdigit() or (within and not within[0] <= int(value) <= within[1]):
            self.problem(column, f"{value!r} is not {what}", fix)
            return None
        return int(value)

    def number(self, column: str) -> Decimal | None:
        value = self.raw.get(column, "")
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.problem(
                column, f"{value!r} is not a number", "write e.g. 18 or 1.6, without units"
            )
            return None
        if not number.is_finite():
            self.problem(column, f"{value!r} is not a number", "write e.g. 18 or 1.6")
            return None
        return number

    def flag(self, column: str) -> bool:
        value = self.raw.get(column, "").lower()
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.problem(column, f"{value!r} is not yes or no", "write yes, no, or leave it empty")
        return False

    def codes(self, column: str) -> list[str]:
        found = []
        for code in self.raw.get(column, "").replace(";", " ").replace(",", " ").split():
            if not self.checks.place_known(code):
                self.problem(
                    column,
                    f"{code!r} is not a place of the graph",
                    "write the six-digit GB/T 2260 code of a place (or CN), or the "
                    "IRI of a zone or group of places",
                )
            else:
                found.append(code)
        return found

    def slugs(self, column: str, scheme: str) -> list[str]:
        found = []
        for slug in self.raw.get(column, "").replace(";", " ").replace(",", " ").split():
            if not self.checks.vocabulary.knows(scheme, slug):
                self.problem(
                    column,
                    f"{slug!r} is not in id:scheme/{scheme}",
                    "write slugs of that scheme, e.g. "
                    + ", ".join(sorted(self.checks.vocabulary.slugs[scheme])[:6]),
                )
            else:
                found.append(slug)
        return found

    def read(self) -> Row:
        vocab = self.checks.vocabulary
        status = self.choice("status", STATUSES) or ""
        row_id = self.raw.get("id", "")
        if not row_id or not all(c.isalnum() or c == "-" for c in row_id) or not row_id.isascii():
            self.problem(
                "id", f"{row_id!r} is not a row id", "write letters, digits and - only, e.g. 001"
            )
        kind = self.choice("type", COMMITMENT_TYPES, required=True) or ""
        committer = self.raw.get("committer", "")
        if not committer:
            self.problem(
                "committer", "is empty", "write the GB/T 2260 code of the committing jurisdiction"
            )
        elif not self.checks.place_known(committer) or ":" in committer:
            self.problem(
                "committer",
                f"{committer!r} is not a place of the graph",
                "write the six-digit GB/T 2260 code of a jurisdiction, or CN",
            )
        places = self.codes("places")
        if status in ACCEPTED and not places and self.raw.get("place_candidates"):
            self.problem(
                "places",
                "is empty while place_candidates lists a name with several places",
                "write the code of the place the text means",
            )
        sectors = self.slugs("sectors", "sector")
        target_year, base_year = self.year("target_year"), self.year("base_year")
        timing = self.choice("timing", vocab.slugs["timing"])
        strength = self.choice("strength", vocab.slugs["strength"], required=True) or ""
        metric = self.choice("metric", vocab.slugs["metric"])
        value, low, high = self.number("value"), self.number("value_min"), self.number("value_max")
        unit = self.choice("unit", vocab.slugs["unit"])
        if (value is not None or low is not None or high is not None) and unit is None:
            self.problem(
                "unit",
                "is empty but the row has a value",
                "write the unit, e.g. percent or megatonne-co2",
            )
        if low is not None and high is not None and low > high:
            self.problem("value_min", f"{low} is above value_max {high}", "swap them")
        start, end = self.integer("start"), self.integer("end")
        quote = self.raw.get("quote", "")
        if not quote:
            self.problem("quote", "is empty", "copy the words of the document the row comes from")
        else:
            located = self.checks.locate_quote(quote, start, end)
            if isinstance(located, str):
                self.problem("quote", located, "copy the words exactly from the document text")
            else:
                start, end = located
        row = Row(
            number=self.line,
            id=row_id,
            status=status,
            type=kind,
            committer=committer,
            places=places,
            sectors=sectors,
            target_year=target_year,
            base_year=base_year,
            timing=timing,
            earlier_if_possible=self.flag("earlier_if_possible"),
            strength=strength,
            metric=metric,
            value=value,
            value_min=low,
            value_max=high,
            unit=unit,
            approximate=self.flag("approximate"),
            relative_to_peak=self.flag("relative_to_peak"),
            quote=quote,
            start=start,
            end=end,
            section=self.raw.get("section", ""),
            row=self.integer("row"),
            note=self.raw.get("note", ""),
            raw=self.raw,
        )
        return row


def read_sheet(path: Path, checks: Checks) -> list[Row]:
    """Every row of the sheet at `path`, checked; SheetInvalid lists every problem."""
    where = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise SheetInvalid(
            "no review sheet here",
            where=where,
            fix="run `cckg ingest extract DOC` first, or give the sheet's path",
        ) from exc
    except UnicodeDecodeError as exc:
        raise SheetInvalid(
            f"not UTF-8 (byte {exc.start})",
            where=where,
            fix="save the sheet as CSV UTF-8 from your spreadsheet",
        ) from exc
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise SheetInvalid(
            f"not valid CSV: {exc}",
            where=where,
            fix='save the sheet again as CSV; a quote " inside a cell must be doubled',
        ) from exc
    if not records:
        raise SheetInvalid(
            "the sheet is empty",
            where=where,
            fix=f"the first row must name the columns: {', '.join(COLUMNS)}",
        )
    header = [h.strip() for h in records[0]]
    problems = [
        f"row 1, column {h or '(blank)'}: unknown column (the columns are: {', '.join(COLUMNS)})"
        for h in header
        if h not in COLUMNS
    ]
    problems += [
        f"row 1: column {c} is missing (add it to the header)" for c in REQUIRED if c not in header
    ]
    if problems:
        raise SheetInvalid(
            "the header is wrong:\n" + "\n".join(problems),
            where=where,
            fix="rename or remove the columns named above",
        )
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(
                f"row {number}: has {len(record)} cells, the header has "
                f"{len(header)} (a cell with a comma must be quoted)"
            )
            continue
        reader = _RowReader(number, dict(zip(header, record, strict=True)), checks)
        row = reader.read()
        problems += reader.problems
        if row.id in seen:
            problems.append(
                f"row {number}, column id: {row.id!r} is also the id of row "
                f"{seen[row.id]} (give every row its own id)"
            )
        seen[row.id] = number
        rows.append(row)
    if problems:
        raise SheetInvalid(
            f"{len(problems)} problem(s):\n" + "\n".join(problems),
            where=where,
            fix="correct each row and column named above, save, and run the command again",
        )
    return rows
