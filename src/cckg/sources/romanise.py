"""English names of divisions that have no official one: Hanyu Pinyin from pypinyin.

The proper part of the name is romanised (syllables joined, first letter capital, an
apostrophe before a syllable that starts with a, o or e: Xi'an) and the generic part is put
in English (District, County, Banner, League, Autonomous Prefecture...). pypinyin reads a
few characters of place names with their everyday reading; those readings are corrected
(长 cháng, 朝阳 cháo, 单县 shàn) and listed in PLACE_READINGS.
"""

from __future__ import annotations

from pypinyin import Style, pinyin

from cckg.sources.placenames import NameParts

#: The English generic term per division type; an empty term means the bare name (cities).
ENGLISH_TYPE = {
    "province": "Province", "autonomous-region": "Autonomous Region", "municipality": "",
    "prefecture-level-city": "", "autonomous-prefecture": "Autonomous Prefecture",
    "prefecture": "Prefecture", "league": "League", "county-level-city": "",
    "county": "County", "autonomous-county": "Autonomous County", "district": "District",
    "banner": "Banner", "autonomous-banner": "Autonomous Banner",
    "forestry-district": "Forestry District", "special-district": "Special District",
}
#: (character, pypinyin's reading, the reading in place names, names that keep pypinyin's)
PLACE_READINGS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("长", "zhǎng", "cháng", ("长子",)),
    ("朝", "zhāo", "cháo", ()),
    ("单", "dān", "shàn", ()),
)


def syllables(text: str) -> list[str]:
    """Tone-marked pinyin of each character of `text` (phrase-aware), corrected for
    PLACE_READINGS."""
    readings = [r[0] for r in pinyin(text, style=Style.TONE, errors="ignore")]
    if len(readings) != len(text):
        return readings
    for i, char in enumerate(text):
        for hanzi, common, toponym, keep in PLACE_READINGS:
            if char == hanzi and readings[i] == common and not any(k in text for k in keep):
                readings[i] = toponym
    return readings


def _plain(syllable: str) -> str:
    """A tone-marked syllable without its tone marks (ü kept)."""
    table = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ", "aaaaeeeeiiiioooouuuuüüüünnnm")
    return syllable.translate(table)


def join_syllables(parts: list[str]) -> str:
    """Syllables as one word, capitalised, with an apostrophe before a, o, e (Xi'an)."""
    word = ""
    for i, syllable in enumerate(parts):
        if i and syllable[:1] in "aoeāáǎàōóǒòēéěè":
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def romanised_english(parts: NameParts) -> str:
    """The romanised English name: Lixia District, Enshi Tujia Miao Autonomous Prefecture."""
    stem = join_syllables([_plain(s) for s in syllables(parts.stem)]) if parts.stem else ""
    groups = [join_syllables([_plain(s) for s in syllables(g)]) for g in parts.ethnic
              if g != "各族"]  # 各族 "all ethnic groups" is left out of the English name
    generic = ENGLISH_TYPE[parts.division_type]
    if parts.suffix == "新区":
        generic = "New Area"
    return " ".join(w for w in [stem, *groups, generic] if w)


def pinyin_name(parts: NameParts) -> str:
    """The full name in tone-marked Hanyu Pinyin, one word per part: 历下区 -> Lìxià Qū,
    恩施土家族苗族自治州 -> Ēnshī Tǔjiāzú Miáozú Zìzhìzhōu."""
    words = [parts.stem] if parts.stem else []
    rest = parts.full[len(parts.stem):]
    for group in parts.ethnic:
        chunk = group + "族" if rest.startswith(group + "族") else group
        words.append(chunk)
        rest = rest[len(chunk):]
    words.append(rest)
    return " ".join(join_syllables(syllables(w)) for w in words if w)
