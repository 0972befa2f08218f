"""Expressions the extractor reads in Chinese policy text, each a small named rule: years
(2030年, 二〇三〇年, “十四五”末), timing words (左右, 前, 以前, 底, 末, 到…年), strength words
(确保, 提出, 力争, 支持, 鼓励, 要求, 开展研究), earlier-if-possible (并尽早), and quantities
with units (下降18%, 1.6亿吨, 60%～65%, 25%左右, 1200万千瓦). Offsets are into the string
given."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an  # type: ignore[import-untyped]

#: Years the extractor accepts as target or base years (the shapes' range).
FIRST_YEAR, LAST_YEAR = 1990, 2100

_CN_DIGITS = "〇零一二三四五六七八九"
_YEAR_ARABIC = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)(?!代)")
_YEAR_CHINESE = re.compile(
    rf"(?<![{_CN_DIGITS}])([{_CN_DIGITS}]{{4}})\s*年(?!\s*[{_CN_DIGITS}十]{{1,2}}月)"
)
_YEAR_BARE = re.compile(r"(?<![\d.\-])(20\d{2})(?!\s*[\d.%\-年月])")
_PLAN = re.compile(r"[“\"]?(十[一二三四五六七八九]?五)[”\"]?\s*(末|期末|期间|时期)")
_BEFORE_SUFFIX = re.compile(r"^\s*(?:年)?\s*(左右|之前|以前|前|底|末)")
_BY_PREFIX = re.compile(r"(到|至|截至|截止到|截止|在|于|从|自|比|较)\s*$")


@dataclass(frozen=True)
class YearExpr:
    """A year in the text and how it is meant.

    role: "target" (the year a target is for), "base" (比/较 2005年: the level a cut is
    measured from), or "reference" (从/自/截至 2014年: when something was said or counted).
    """

    start: int
    end: int
    year: int
    timing: str | None
    role: str
    base: int | None = None  # the year before a plan period (“十四五”期间 → 2020)
    rule: str = ""


def plan_years(name: str) -> tuple[int, int]:
    """The first and last year of a five-year plan named like 十四五 (the 14th: 2021–2025)."""
    number = int(cn2an.cn2an(name[:-1], "smart"))
    last = 1955 + 5 * number
    return last - 4, last


def _chinese_year(digits: str) -> int:
    values = {
        "〇": 0,
        "零": 0,
        "一": 1,
        "二": 2,
        "三": 3,
        "四": 4,
        "五": 5,
        "六": 6,
        "七": 7,
        "八": 8,
        "九": 9,
    }
    return int("".join(str(values[c]) for c in digits))


def _timing(text: str, start: int, end: int) -> tuple[str | None, str, str]:
    """(timing, role, rule) of the year written at start..end, from the words around it."""
    before = text[max(0, start - 6) : start]
    after = text[end : end + 4]
    prefix = _BY_PREFIX.search(before)
    word = prefix.group(1) if prefix else ""
    if word in ("比", "较"):
        return None, "base", "base-year:比/较"
    if word in ("从", "自", "截至", "截止到", "截止") or after.lstrip().startswith("以来"):
        return None, "reference", f"reference-year:{word or '以来'}"
    suffix = _BEFORE_SUFFIX.match(after)
    if suffix:
        mark = suffix.group(1)
        if mark == "左右":
            return "around", "target", "timing:左右"
        if mark in ("前", "之前", "以前"):
            return "before", "target", f"timing:{mark}"
        return "by-end-of", "target", f"timing:{mark}"
    if word in ("到", "至"):
        return "by", "target", f"timing:{word}"
    return "in", "target", f"timing:{word or 'bare year'}"


def years(text: str, *, bare: bool = False) -> list[YearExpr]:
    """Every year expression in `text`, left to right. With bare=True a four-digit 20xx
    without 年 counts too (appendix rows print “2025” alone)."""
    found: list[YearExpr] = []
    for match in _YEAR_ARABIC.finditer(text):
        timing, role, rule = _timing(text, match.start(), match.end())
        found.append(
            YearExpr(
                match.start(),
                match.end(),
                int(match.group(1)),
                timing,
                role,
                rule=f"year:arabic; {rule}",
            )
        )
    for match in _YEAR_CHINESE.finditer(text):
        timing, role, rule = _timing(text, match.start(), match.end())
        found.append(
            YearExpr(
                match.start(),
                match.end(),
                _chinese_year(match.group(1)),
                timing,
                role,
                rule=f"year:chinese numerals; {rule}",
            )
        )
    for match in _PLAN.finditer(text):
        first, last = plan_years(match.group(1))
        if match.group(2) in ("末", "期末"):
            found.append(
                YearExpr(
                    match.start(),
                    match.end(),
                    last,
                    "by-end-of",
                    "target",
                    rule=f"year:“{match.group(1)}”末 = {last}",
                )
            )
        else:
            found.append(
                YearExpr(
                    match.start(),
                    match.end(),
                    last,
                    "by",
                    "target",
                    base=first - 1,
                    rule=f"year:“{match.group(1)}”{match.group(2)} = "
                    f"{first}–{last}, base {first - 1}",
                )
            )
    if bare:
        taken = [(y.start, y.end) for y in found]
        for match in _YEAR_BARE.finditer(text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            timing, role, rule = _timing(text, match.start(), match.end())
            found.append(
                YearExpr(
                    match.start(),
                    match.end(),
                    int(match.group(1)),
                    timing,
                    role,
                    rule=f"year:bare 4 digits; {rule}",
                )
            )
    return sorted(found, key=lambda y: y.start)


#: Strength words, strongest reading first where two could apply at one place.
STRENGTH_WORDS: tuple[tuple[str, str], ...] = (
    ("研究中提出", "researches"),
    ("研究提出", "researches"),
    ("鼓励", "encourages"),
    ("支持", "supports"),
    ("要求", "requires"),
    ("力争", "strives"),
    ("争取", "strives"),
    ("努力", "strives"),
    ("确保", "sets"),
    ("提出", "sets"),
    ("明确", "sets"),
    ("确定", "sets"),
)
#: When two strength words govern one target, the one higher in this list wins
#: (鼓励…力争 encourages; 提出…争取 strives).
STRENGTH_PRIORITY = ("researches", "encourages", "supports", "requires", "strives", "sets")
_STRENGTH = re.compile("|".join(w for w, _ in STRENGTH_WORDS))
_NOT_STRENGTH = re.compile(r"按照[^，。；]{0,8}要求|的要求|争取尽早|并尽早")
_REQUIRES = re.compile(r"(?<![需重主只])要(?=建立|制定|实现|确保|加快|推动|在)")


@dataclass(frozen=True)
class StrengthWord:
    start: int
    end: int
    word: str
    strength: str


def strength_words(text: str) -> list[StrengthWord]:
    """The strength words in `text` (按照…要求 and the earlier-if-possible 争取尽早 are not)."""
    masked = [(m.start(), m.end()) for m in _NOT_STRENGTH.finditer(text)]
    words = dict(STRENGTH_WORDS)
    found = [
        StrengthWord(m.start(), m.end(), m.group(), words[m.group()])
        for m in _STRENGTH.finditer(text)
        if not any(s <= m.start() < e for s, e in masked)
    ]
    found += [StrengthWord(m.start(), m.end(), "要", "requires") for m in _REQUIRES.finditer(text)]
    return sorted(found, key=lambda w: w.start)


def strongest(words: list[StrengthWord]) -> StrengthWord | None:
    """The word that decides the strength when several govern one target."""
    if not words:
        return None
    return min(words, key=lambda w: (STRENGTH_PRIORITY.index(w.strength), -w.start))


_EARLIER = re.compile(r"(?:并争取|并|争取|力争)?尽早(?:达峰|实现|达到峰值)?")


def earlier_if_possible(text: str) -> str | None:
    """The words saying a target is to be met earlier if possible (并尽早, 争取尽早), or None."""
    match = _EARLIER.search(text)
    return match.group() if match else None


def earlier_spans(text: str) -> list[tuple[int, int]]:
    """Where 并尽早达峰 / 并争取尽早实现 modify a target (they state no target of their own)."""
    return [
        (m.start(), m.end()) for m in re.finditer(r"并(?:争取)?尽早(?:达峰|实现|达到峰值)?", text)
    ]


# ---- quantities ----------------------------------------------------------------------

_NUMBER = r"(\d+(?:\.\d+)?|[〇零一二三四五六七八九十百千两点]+)"
_RANGE_SEP = r"\s*[～~〜至到—–-]\s*"
_PERCENT = re.compile(
    rf"(约|大约|近)?\s*{_NUMBER}\s*(%|％)?(?:{_RANGE_SEP}{_NUMBER}\s*(%|％))?(?(3)|(?(5)|(?!)))\s*(左右)?"
)
_PERCENT_CN = re.compile(rf"(约)?百分之{_NUMBER}(?:{_RANGE_SEP}百分之{_NUMBER})?\s*(左右)?")
_MASS = re.compile(
    rf"(约|大约|近)?\s*{_NUMBER}\s*(亿|万|百万|千万)?\s*吨(?:\s*(?:二氧化碳|CO2|CO₂))?\s*(左右)?"
)
_POWER = re.compile(
    rf"(约|大约|近)?\s*{_NUMBER}\s*(亿|万|千万|百万)?\s*(千瓦|kW|KW|吉瓦|GW)\s*(左右)?"
)
_MT_FACTOR = {
    None: Decimal("0.000001"),
    "万": Decimal("0.01"),
    "百万": Decimal(1),
    "千万": Decimal(10),
    "亿": Decimal(100),
}
_GW_FACTOR = {
    None: Decimal("0.000001"),
    "万": Decimal("0.01"),
    "百万": Decimal(1),
    "千万": Decimal(10),
    "亿": Decimal(100),
}


@dataclass(frozen=True)
class Quantity:
    """A stated amount: one value or a range, in a unit of id:scheme/unit."""

    start: int
    end: int
    unit: str  # percent | megatonne-co2 | gigawatt
    value: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    approximate: bool
    rule: str


def number(text: str) -> Decimal:
    """A number written in Arabic or Chinese numerals (18, 1.6, 十八, 一点六)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    return Decimal(str(cn2an.cn2an(text, "smart")))


def _clean(value: Decimal) -> Decimal:
    """A value with no float noise (0.01 * 1200 → 12)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def quantities(text: str) -> list[Quantity]:
    """Every quantity in `text` with a unit: percentages (single, ranges, 左右), masses of
    CO2 (吨, 万吨, 亿吨 → Mt) and generating capacities (千瓦, 万千瓦, 亿千瓦, GW → GW)."""
    found: list[Quantity] = []
    for match in _PERCENT.finditer(text):
        if not match.group(3) and not match.group(5):
            continue
        approx = bool(match.group(1) or match.group(6))
        if match.group(4):
            low, high = number(match.group(2)), number(match.group(4))
            found.append(
                Quantity(
                    match.start(),
                    match.end(),
                    "percent",
                    None,
                    low,
                    high,
                    approx,
                    "quantity:percent range (～)",
                )
            )
        else:
            found.append(
                Quantity(
                    match.start(),
                    match.end(),
                    "percent",
                    number(match.group(2)),
                    None,
                    None,
                    approx,
                    "quantity:percent" + (" (左右/约: approximate)" if approx else ""),
                )
            )
    for match in _PERCENT_CN.finditer(text):
        approx = bool(match.group(1) or match.group(4))
        if match.group(3):
            found.append(
                Quantity(
                    match.start(),
                    match.end(),
                    "percent",
                    None,
                    number(match.group(2)),
                    number(match.group(3)),
                    approx,
                    "quantity:百分之 range",
                )
            )
        else:
            found.append(
                Quantity(
                    match.start(),
                    match.end(),
                    "percent",
                    number(match.group(2)),
                    None,
                    None,
                    approx,
                    "quantity:百分之",
                )
            )
    for match in _MASS.finditer(text):
        factor = _MT_FACTOR[match.group(3)]
        approx = bool(match.group(1) or match.group(4))
        found.append(
            Quantity(
                match.start(),
                match.end(),
                "megatonne-co2",
                _clean(number(match.group(2)) * factor),
                None,
                None,
                approx,
                f"quantity:{match.group(3) or ''}吨 → Mt",
            )
        )
    for match in _POWER.finditer(text):
        unit = match.group(4)
        factor = Decimal(1) if unit in ("吉瓦", "GW") else _GW_FACTOR[match.group(3)]
        approx = bool(match.group(1) or match.group(5))
        found.append(
            Quantity(
                match.start(),
                match.end(),
                "gigawatt",
                _clean(number(match.group(2)) * factor),
                None,
                None,
                approx,
                f"quantity:{match.group(3) or ''}{unit} → GW",
            )
        )
    return sorted(found, key=lambda q: q.start)
