"""The flat commitments table a spreadsheet user expects: commitments.csv and .xlsx.

One row per commitment: its IRI and labels (en, zh), who states it and what it applies to
(labels and GB/T 2260 codes), its kind, years, timing, strength, metric, quantities, unit,
sectors, document, and the report's words with their section. Several values in one cell
are joined with '; '. The rows come from one SPARQL query over a Store, so the table can
be made from any store holding the build.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from cckg.rdf.namespaces import CCKG
from cckg.rdf.query_exec import select_rows
from cckg.store.base import Store

JOIN = "; "


@dataclass(frozen=True)
class Field:
    """A value reached from the commitment by a property path; things give their en and
    zh labels (and, with `code`, their admin codes) in columns of their own."""

    key: str
    path: str
    link: bool = False
    code: bool = False
    where: str = ""

    def columns(self) -> list[str]:
        if not self.link:
            return [self.key]
        return [f"{self.key}_en", f"{self.key}_zh"] + ([f"{self.key}_code"] if self.code else [])


FIELDS: tuple[Field, ...] = (
    Field("type", "rdf:type", link=True,
          where="FILTER(STRSTARTS(STR(?v), STR(cckg:)) && ?v != cckg:Commitment)"),
    Field("committed_by", "cckg:committedBy", link=True, code=True),
    Field("applies_to", "cckg:appliesTo", link=True, code=True),
    Field("target_year", "cckg:targetYear"),
    Field("base_year", "cckg:baseYear"),
    Field("timing", "cckg:timing", link=True),
    Field("earlier_if_possible", "cckg:earlierIfPossible"),
    Field("strength", "cckg:strength", link=True),
    Field("metric", "cckg:metric", link=True),
    Field("value", "cckg:value"),
    Field("value_min", "cckg:valueMin"),
    Field("value_max", "cckg:valueMax"),
    Field("unit", "cckg:unit", link=True),
    Field("sector", "cckg:coversSector", link=True),
    Field("document", "cckg:statedIn", link=True),
    Field("document_iri", "cckg:statedIn"),
    Field("quote", "prov:wasDerivedFrom/cckg:quote"),
    Field("section", "prov:wasDerivedFrom/cckg:section"),
)
HEADER = ["iri", "label_en", "label_zh", *(c for f in FIELDS for c in f.columns())]


def commitment_rows(store: Store) -> list[list[str]]:
    """Every commitment as one row of HEADER's columns, ordered by committer code, year, IRI."""
    branches = " UNION ".join(
        f'{{ ?c {f.path} ?v . {f.where} BIND("{f.key}" AS ?field) }}' for f in FIELDS
    )
    found = select_rows(store, f"""
        SELECT ?c ?field ?v ?en ?zh ?code WHERE {{
          ?c a cckg:Commitment .
          {{ {branches} UNION {{ ?c a cckg:Commitment . BIND("label" AS ?field) BIND(?c AS ?v) }} }}
          OPTIONAL {{ ?v rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
          OPTIONAL {{ ?v rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }}
          OPTIONAL {{ ?v cckg:adminCode ?code }}
        }}""")
    cells: dict[str, dict[str, list[str]]] = {}
    for r in sorted(found, key=lambda r: (str(r["v"].value), str(r.get("en", "")))):
        row = cells.setdefault(r["c"].value, {})
        field, value = r["field"].value, r["v"]
        spec = next((f for f in FIELDS if f.key == field), None)
        if field == "label":
            _add(row, "label_en", _text(r.get("en")))
            _add(row, "label_zh", _text(r.get("zh")))
        elif spec is not None and spec.link:
            _add(row, f"{field}_en", _text(r.get("en")) or _short(value))
            _add(row, f"{field}_zh", _text(r.get("zh")))
            if spec.code:
                _add(row, f"{field}_code", _text(r.get("code")))
        else:
            _add(row, field, str(value.value))

    def order(item: tuple[str, dict[str, list[str]]]) -> tuple[str, str, str]:
        iri, row = item
        return (JOIN.join(row.get("committed_by_code", [])),
                JOIN.join(row.get("target_year", [])), iri)

    return [
        [iri, *(JOIN.join(row.get(col, [])) for col in HEADER[1:])]
        for iri, row in sorted(cells.items(), key=order)
    ]


def _add(row: dict[str, list[str]], column: str, text: str | None) -> None:
    if text:
        values = row.setdefault(column, [])
        if text not in values:
            values.append(text)


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _short(term: ox.NamedNode | ox.Literal) -> str:
    value = str(term.value)
    return "cckg:" + value[len(str(CCKG)):] if value.startswith(str(CCKG)) else value


def write_csv(rows: list[list[str]], path: Path) -> None:
    """The table as UTF-8 CSV with a byte-order mark, so spreadsheets read the Chinese."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(rows: list[list[str]], path: Path) -> None:
    """The table as an Excel workbook: one sheet, a bold frozen header, years as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    numeric = {"target_year", "base_year", "value", "value_min", "value_max"}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "commitments"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_number(v) if col in numeric else v for col, v in zip(HEADER, row,
                                                                             strict=True)])
    sheet.freeze_panes = "B2"
    book.properties.creator = "CCKG build"
    book.save(path)


def _number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text  # several values ('2020; 2025') stay text
