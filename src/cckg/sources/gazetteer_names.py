"""Which Chinese names of the gazetteer are declared short names and which search forms.

docs/decisions.md, "place names": a declared short name (`skos:altLabel@zh`) names one
place in the whole graph; every other form a document may use for a place (a short name
that several places share, a suffixed short form like 恩施州) is a `skos:hiddenLabel@zh`.
The curated places (data/ttl/places.ttl) keep their own short names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cckg.sources.placenames import NameParts


@dataclass(frozen=True)
class PlaceNames:
    """The Chinese names the gazetteer gives one place (beyond its full name)."""

    declared: str | None  # the skos:altLabel@zh, if the gazetteer declares one
    hidden: tuple[str, ...]  # skos:hiddenLabel@zh


def assign_names(parts: Mapping[str, NameParts], curated_short: Mapping[str, set[str]],
                 former: set[str]) -> dict[str, PlaceNames]:
    """Names per code: `parts` of every place, `curated_short` the short names places.ttl
    declares per code, `former` the codes of divisions that ended."""
    claims: dict[str, set[str]] = {}
    for code, name in parts.items():
        for form in (name.full, *name.search_forms()):
            claims.setdefault(form, set()).add(code)
    for code, names in curated_short.items():
        for form in names:
            claims.setdefault(form, set()).add(code)
    result: dict[str, PlaceNames] = {}
    for code, name in parts.items():
        own = curated_short.get(code, set())
        declared = None
        if not own and code not in former and name.short != name.full \
                and claims[name.short] == {code}:
            declared = name.short
        hidden = tuple(f for f in name.search_forms()
                       if f != declared and f not in own and f != name.full)
        result[code] = PlaceNames(declared, hidden)
    return result
