"""Chinese names of administrative divisions: division type, short name, search forms.

A full name is a proper part (the stem) plus a generic suffix: 青岛 + 市, 和田 + 地区,
恩施 + 土家族苗族 + 自治州. The stem is the short name documents use (青岛, 和田, 恩施);
an autonomous division's short name may also keep a short suffix (恩施州, 长阳县).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: The four municipalities directly under the central government (直辖市).
MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})

#: Name suffix -> division type, per level, longest suffix first.
_TYPES_BY_LEVEL: dict[str, tuple[tuple[str, str], ...]] = {
    "province": (("自治区", "autonomous-region"), ("省", "province"), ("市", "municipality")),
    "prefecture": (("自治州", "autonomous-prefecture"), ("地区", "prefecture"),
                   ("盟", "league"), ("市", "prefecture-level-city")),
    "county": (("自治县", "autonomous-county"), ("自治旗", "autonomous-banner"),
               ("林区", "forestry-district"), ("特区", "special-district"),
               ("新区", "district"), ("区", "district"), ("市", "county-level-city"),
               ("县", "county"), ("旗", "banner")),
}
#: Division types that are cities (cckg:City) besides their level.
CITY_TYPES = frozenset({"municipality", "prefecture-level-city", "county-level-city"})
#: The short suffix an autonomous division keeps in its suffixed short form (恩施州).
_AUTONOMOUS_SHORT_SUFFIX = {"autonomous-prefecture": "州", "autonomous-county": "县",
                            "autonomous-banner": "旗"}


class UnknownDivisionName(ValueError):
    """A name whose ending is not the suffix of any division type of its level."""


@dataclass(frozen=True)
class NameParts:
    """A full name split into stem, ethnic groups (autonomous divisions) and suffix."""

    full: str
    stem: str
    ethnic: tuple[str, ...]
    suffix: str
    division_type: str

    @property
    def short(self) -> str:
        """The short name: the stem, or the full name when the stem is under two characters
        (城区, 矿区, 沙县 have no shorter name)."""
        return self.stem if len(self.stem) >= 2 else self.full

    def search_forms(self) -> tuple[str, ...]:
        """Forms other than the full name a document may use: the short name, and for an
        autonomous division the stem with a short suffix (恩施州, 长阳县)."""
        forms = [self.short] if self.short != self.full else []
        extra = _AUTONOMOUS_SHORT_SUFFIX.get(self.division_type)
        if extra and len(self.stem) >= 2:
            forms.append(self.stem + extra)
        return tuple(forms)


def division_type(name: str, level: str, code: str = "") -> tuple[str, str]:
    """(type, suffix) of a division at `level` ("province", "prefecture", "county").

    The longest suffix that leaves a stem of two characters wins (神农架 + 林区, but 金林 +
    区 and 清新 + 区); a one-character stem only when nothing else fits (城 + 区). A
    forestry district has a county's code (GB/T 2260: 21-80 in the last two digits; 01-20
    are districts), so 万柏林区 (140109) is 万柏林 + 区."""
    if level == "province" and name in MUNICIPALITIES:
        return "municipality", "市"
    district_code = len(code) == 6 and code[4:].isdigit() and 1 <= int(code[4:]) <= 20
    fits = [(suffix, kind) for suffix, kind in _TYPES_BY_LEVEL[level]
            if name.endswith(suffix) and len(name) > len(suffix)
            and not (level == "province" and kind == "municipality")
            and not (kind == "forestry-district" and district_code)]
    if not fits:
        raise UnknownDivisionName(f"{name!r} does not end in a {level} suffix")
    suffix, kind = next((f for f in fits if len(name) - len(f[0]) >= 2), fits[0])
    return kind, suffix


def split_name(name: str, level: str, ethnic_groups: Iterable[str],
               code: str = "") -> NameParts:
    """Split a full name into its parts; `ethnic_groups` are the names of China's ethnic
    groups with 族 (蒙古族, 哈萨克族, ...), which autonomous names list with or without 族;
    `code`, if given, tells a district from a forestry district (division_type)."""
    kind, suffix = division_type(name, level, code)
    rest = name[: -len(suffix)]
    ethnic: list[str] = []
    if kind.startswith("autonomous"):
        rest, ethnic = _strip_ethnic(rest, ethnic_groups)
    return NameParts(name, rest, tuple(ethnic), suffix, kind)


def _strip_ethnic(rest: str, ethnic_groups: Iterable[str]) -> tuple[str, list[str]]:
    """Remove the ethnic groups (with or without 族) from the end of an autonomous name,
    leaving a stem of two characters or more (内蒙古 keeps its 蒙古); a name that is only
    an ethnic group keeps it as its stem (东乡族自治县 -> 东乡)."""
    forms: list[tuple[str, str]] = [("各族", "各族")]  # 龙胜各族自治县: "all ethnic groups"
    for group in ethnic_groups:
        bare = group.removesuffix("族")
        forms += [(group, bare), (bare, bare)]
    forms.sort(key=lambda f: -len(f[0]))
    for form, bare in forms:
        if rest == form and form.endswith("族") and form != "各族":  # 东乡族自治县 -> 东乡
            return bare, [bare]
    found: list[str] = []
    changed = True
    while changed:
        changed = False
        for form, bare in forms:
            if rest.endswith(form) and len(rest) - len(form) >= 2:
                rest = rest[: -len(form)]
                found.insert(0, bare)
                changed = True
                break
    return rest, found
