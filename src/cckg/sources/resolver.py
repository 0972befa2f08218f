"""The one place-name resolver: Chinese names of places -> the places of the graph.

It reads the places of the committed data (data/ttl/places.ttl and data/ttl/gazetteer.ttl)
and looks a name up in three tiers (docs/decisions.md, "place names"):

1. a full name, `rdfs:label@zh` (青岛市, 和田地区, 鼓楼区 — several places may share one);
2. a declared short name, `skos:altLabel@zh` (山东, 青岛, 和田): the graph gives each such
   name to one place only;
3. another search form, `skos:hiddenLabel@zh`: a short name several places share (鼓楼,
   吉林 for 吉林市), or a short form with a suffix (恩施州, 长阳县).

A context (the code of an enclosing place) keeps only candidates that are that place or lie
inside it. Tier 1 answers when it has a candidate; otherwise tiers 2 and 3 answer together,
except that within a context a declared short name is read as its place. Everything else
with more than one candidate is reported as ambiguous, with the candidates: never guessed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from cckg.errors import CckgError
from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_HIDDEN = "http://www.w3.org/2004/02/skos/core#hiddenLabel"
_WITHIN = str(CCKG.withinJurisdiction)
_CODE = str(CCKG.adminCode)
_LEVELS = {str(CCKG.Nation): "nation", str(CCKG.Province): "province",
           str(CCKG.Prefecture): "prefecture", str(CCKG.County): "county"}
_PLACE_PREFIX = str(ID) + "place/"
#: Suffixes after which a county-level search form is specific enough to scan text for.
_DIVISION_SUFFIXES = ("省", "市", "州", "县", "区", "旗", "盟")

#: The files the default resolver reads: the curated places and the full gazetteer.
DEFAULT_FILES = (PATHS.data / "places.ttl", PATHS.data / "gazetteer.ttl")


class UnknownPlaceCode(CckgError):
    """A context or code that names no place of the graph."""


@dataclass(frozen=True)
class PlaceMatch:
    """One place a name may mean."""

    code: str
    iri: str
    name_zh: str
    name_en: str
    level: str  # "nation" | "province" | "prefecture" | "county"


@dataclass(frozen=True)
class Resolution:
    """The places a name may mean: one (resolved), several (ambiguous) or none."""

    query: str
    matches: tuple[PlaceMatch, ...]

    @property
    def unique(self) -> PlaceMatch | None:
        """The one match, else None."""
        return self.matches[0] if len(self.matches) == 1 else None

    @property
    def is_ambiguous(self) -> bool:
        return len(self.matches) > 1


@dataclass(frozen=True)
class PlaceMention:
    """A place name found in a text: where, as written, and what it resolves to."""

    start: int
    end: int
    surface: str
    resolution: Resolution


@dataclass
class _Place:
    """What the index keeps of one place while reading the graph."""

    iri: str
    code: str = ""
    name_zh: str = ""
    name_en: str = ""
    level: str = ""
    parent: str = ""
    short: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)

    def match(self) -> PlaceMatch:
        return PlaceMatch(self.code, self.iri, self.name_zh, self.name_en, self.level)


def _literal(term: object, lang: str) -> str | None:
    if isinstance(term, pyoxigraph.Literal) and (term.language or "") == lang:
        return term.value
    return None


def _read_places(files: Iterable[Path]) -> dict[str, _Place]:
    """Every place (an IRI under id:place/) of the Turtle files, by IRI."""
    places: dict[str, _Place] = {}
    for path in files:
        try:
            quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
        except (OSError, SyntaxError) as exc:
            raise CckgError(f"cannot read places: {exc}", where=str(path),
                            fix="regenerate or correct the file, then try again") from exc
        for quad in quads:
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            if not isinstance(subject, pyoxigraph.NamedNode):
                continue
            if not subject.value.startswith(_PLACE_PREFIX):
                continue
            place = places.setdefault(subject.value, _Place(subject.value))
            _read_triple(place, predicate, obj)
    for place in places.values():
        if not place.code:
            place.code = place.iri.removeprefix(_PLACE_PREFIX)
    return {iri: p for iri, p in places.items() if p.level and p.name_zh}


def _read_triple(place: _Place, predicate: str, obj: object) -> None:
    if predicate == _RDF_TYPE and isinstance(obj, pyoxigraph.NamedNode):
        place.level = _LEVELS.get(obj.value, place.level)
    elif predicate == _CODE and isinstance(obj, pyoxigraph.Literal):
        place.code = obj.value
    elif predicate == _WITHIN and isinstance(obj, pyoxigraph.NamedNode):
        place.parent = obj.value
    elif predicate == _LABEL:
        place.name_zh = _literal(obj, "zh") or place.name_zh
        place.name_en = _literal(obj, "en") or place.name_en
    elif predicate == _ALT and (text := _literal(obj, "zh")):
        place.short.append(text)
    elif predicate == _HIDDEN and (text := _literal(obj, "zh")):
        place.hidden.append(text)


class PlaceResolver:
    """Resolves Chinese place names (and scans texts for them) against the graph's places."""

    def __init__(self, files: Sequence[Path] = DEFAULT_FILES) -> None:
        places = _read_places(f for f in files if f.is_file())
        self._places = places
        self._by_code: dict[str, _Place] = {}
        for place in places.values():
            self._by_code.setdefault(place.code, place)
        self._full: dict[str, list[_Place]] = {}
        self._short: dict[str, list[_Place]] = {}
        self._hidden: dict[str, list[_Place]] = {}
        for place in sorted(places.values(), key=lambda p: p.code):
            self._full.setdefault(place.name_zh, []).append(place)
            for name in place.short:
                self._short.setdefault(name, []).append(place)
            for name in place.hidden:
                self._hidden.setdefault(name, []).append(place)
        self._surfaces = self._scan_forms()
        self._longest = max((len(s) for s in self._surfaces), default=0)

    @classmethod
    def default(cls) -> PlaceResolver:
        """The resolver over the committed data, built once per process."""
        return _default_resolver()

    def __len__(self) -> int:
        return len(self._places)

    def by_code(self, code: str) -> PlaceMatch | None:
        """The place keyed by a GB/T 2260 code (or CN), or None."""
        place = self._by_code.get(code.strip())
        return place.match() if place else None

    def resolve(self, name: str, context: str | None = None) -> Resolution:
        """The places `name` may mean, inside the place coded `context` if given."""
        query = name.strip()
        inside = self._inside(context)
        full = [p for p in self._full.get(query, []) if inside(p)]
        if full:
            return Resolution(name, _matches(full))
        short = [p for p in self._short.get(query, []) if inside(p)]
        hidden = [p for p in self._hidden.get(query, []) if inside(p)]
        if context is not None and len(short) == 1:
            return Resolution(name, _matches(short))
        return Resolution(name, _matches(short + hidden))

    def mentions(self, text: str, context: str | None = None) -> list[PlaceMention]:
        """Place names in `text`, longest first at each position, left to right."""
        found: list[PlaceMention] = []
        position = 0
        while position < len(text):
            for size in range(min(self._longest, len(text) - position), 1, -1):
                surface = text[position:position + size]
                if surface in self._surfaces:
                    resolution = self.resolve(surface, context)
                    found.append(PlaceMention(position, position + size, surface, resolution))
                    position += size
                    break
            else:
                position += 1
        return found

    def _inside(self, context: str | None) -> Callable[[_Place], bool]:
        """A test: is a place the context place or inside it? (always true without one)."""
        if context is None:
            return _anywhere
        top = self._by_code.get(context.strip())
        if top is None:
            raise UnknownPlaceCode(
                f"context {context!r} is not the code of a place in the graph",
                where="PlaceResolver.resolve(context=...)",
                fix="give the six-digit GB/T 2260 code of an enclosing place (e.g. '650000' "
                "for Xinjiang) or 'CN', or no context",
            )

        def inside(place: _Place) -> bool:
            seen: set[str] = set()
            current: _Place | None = place
            while current is not None and current.iri not in seen:
                if current.iri == top.iri:
                    return True
                seen.add(current.iri)
                current = self._places.get(current.parent)
            return False

        return inside

    def _scan_forms(self) -> frozenset[str]:
        """Names the text scan looks for: full and declared short names, and search forms
        other than a county's bare short name (too often an ordinary word: 和平, 朝阳)."""
        forms = set(self._full) | set(self._short)
        for name, places in self._hidden.items():
            if name.endswith(_DIVISION_SUFFIXES) or any(p.level != "county" for p in places):
                forms.add(name)
        return frozenset(f for f in forms if len(f) >= 2)


def _anywhere(_place: _Place) -> bool:
    return True


def _matches(places: list[_Place]) -> tuple[PlaceMatch, ...]:
    unique = {p.iri: p for p in places}
    return tuple(p.match() for p in sorted(unique.values(), key=lambda p: p.code))


@functools.lru_cache(maxsize=1)
def _default_resolver() -> PlaceResolver:
    return PlaceResolver(DEFAULT_FILES)
