"""Expressions the extractor reads in Chinese policy text, each a small named rule: years
(2030年, 二〇三〇年, “十四五”末), timing words (左右, 前, 以前, 底, 末, 到…年), strength words
(确保, 提出, 力争, 支持, 鼓励, 要求, 开展研究), earlier-if-possible (并尽早), and quantities
with units (下降18%, 1.6亿吨, 60%～65%, 25%左右, 1200万千瓦). Offsets are into the string
given."""

from __future__ import annotations

import re
from collections.abc import Callable
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


#: How a year is written: its pattern (the digits in group 1), their value, the rule's name.
_YEAR_FORMS: tuple[tuple[re.Pattern[str], Callable[[str], int], str], ...] = (
    (_YEAR_ARABIC, int, "arabic"),
    (_YEAR_CHINESE, _chinese_year, "chinese numerals"),
)
#: A four-digit 20xx without 年 (appendix rows print “2025” alone).
_YEAR_BARE_FORM = (_YEAR_BARE, int, "bare 4 digits")


def _written_years(
    text: str, form: tuple[re.Pattern[str], Callable[[str], int], str]
) -> list[YearExpr]:
    """The years of one written form in `text`, each read with the words around it."""
    pattern, value, name = form
    found = []
    for match in pattern.finditer(text):
        timing, role, rule = _timing(text, match.start(), match.end())
        found.append(
            YearExpr(
                match.start(), match.end(), value(match.group(1)), timing, role,
                rule=f"year:{name}; {rule}",
            )
        )
    return found


def _plan_year(match: re.Match[str]) -> YearExpr:
    """The year a five-year plan's end (“十四五”末) or period (“十四五”期间) stands for."""
    name, part = match.group(1), match.group(2)
    first, last = plan_years(name)
    if part in ("末", "期末"):
        return YearExpr(
            match.start(), match.end(), last, "by-end-of", "target",
            rule=f"year:“{name}”末 = {last}",
        )
    return YearExpr(
        match.start(), match.end(), last, "by", "target", base=first - 1,
        rule=f"year:“{name}”{part} = {first}–{last}, base {first - 1}",
    )


def years(text: str, *, bare: bool = False) -> list[YearExpr]:
    """Every year expression in `text`, left to right. With bare=True a four-digit 20xx
    without 年 counts too (appendix rows print “2025” alone)."""
    found = [year for form in _YEAR_FORMS for year in _written_years(text, form)]
    found += [_plan_year(match) for match in _PLAN.finditer(text)]
    if bare:
        taken = [(y.start, y.end) for y in found]
        found += [
            y for y in _written_years(text, _YEAR_BARE_FORM)
            if not any(s <= y.start < e for s, e in taken)
        ]
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


def _number(name: str) -> str:
    """A number in Arabic or Chinese numerals, as the named group `name`."""
    return rf"(?P<{name}>\d+(?:\.\d+)?|[〇零一二三四五六七八九十百千两点]+)"


# Named groups: about/around (约, 左右: approximate), value (or a range's low end), high (a
# range's high end), scale (万, 亿, …) and unit (the unit word where there are several).
_ABOUT = r"(?P<about>约|大约|近)?"
_AROUND = r"\s*(?P<around>左右)?"
_RANGE_SEP = r"\s*[～~〜至到—–-]\s*"
_PERCENT = re.compile(
    rf"{_ABOUT}\s*{_number('value')}\s*(?P<sign>%|％)?"
    rf"(?:{_RANGE_SEP}{_number('high')}\s*(?P<high_sign>%|％))?(?(sign)|(?(high_sign)|(?!))){_AROUND}"
)
_PERCENT_CN = re.compile(
    rf"(?P<about>约)?百分之{_number('value')}(?:{_RANGE_SEP}百分之{_number('high')})?{_AROUND}"
)
_MASS = re.compile(
    rf"{_ABOUT}\s*{_number('value')}\s*(?P<scale>亿|万|百万|千万)?\s*吨"
    rf"(?:\s*(?:二氧化碳|CO2|CO₂))?{_AROUND}"
)
_POWER = re.compile(
    rf"{_ABOUT}\s*{_number('value')}\s*(?P<scale>亿|万|千万|百万)?\s*"
    rf"(?P<unit>千瓦|kW|KW|吉瓦|GW){_AROUND}"
)
#: What a scale word makes an amount of tonnes or kilowatts in millions (Mt, GW).
_IN_MILLIONS = {
    None: Decimal("0.000001"),
    "万": Decimal("0.01"),
    "百万": Decimal(1),
    "千万": Decimal(10),
    "亿": Decimal(100),
}
_MILLIONS_ALREADY = ("吉瓦", "GW")


@dataclass(frozen=True)
class _QuantityForm:
    """One way a quantity is written: its pattern, its unit of id:scheme/unit, its rule
    for one value and for a range (`{scale}` and `{unit}` are the words written,
    `{approximate}` a note when 约 or 左右 is), and whether the amount is counted in
    millions (吨 → Mt, 千瓦 → GW)."""

    pattern: re.Pattern[str]
    unit: str
    rule: str
    range_rule: str = ""
    in_millions: bool = False


_QUANTITY_FORMS = (
    _QuantityForm(_PERCENT, "percent", "percent{approximate}", "percent range (～)"),
    _QuantityForm(_PERCENT_CN, "percent", "百分之", "百分之 range"),
    _QuantityForm(_MASS, "megatonne-co2", "{scale}吨 → Mt", in_millions=True),
    _QuantityForm(_POWER, "gigawatt", "{scale}{unit} → GW", in_millions=True),
)


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


def _quantity(form: _QuantityForm, match: re.Match[str]) -> Quantity:
    """The amount one match of `form` states: a value, or a range where `high` is written."""
    words = match.groupdict()
    approximate = bool(words["about"] or words["around"])
    value = number(words["value"])
    if words.get("high"):
        return Quantity(
            match.start(), match.end(), form.unit, None, value, number(words["high"]),
            approximate, f"quantity:{form.range_rule}",
        )
    if form.in_millions:
        already = words.get("unit") in _MILLIONS_ALREADY
        value = _clean(value * (Decimal(1) if already else _IN_MILLIONS[words["scale"]]))
    rule = form.rule.format(
        scale=words.get("scale") or "", unit=words.get("unit") or "",
        approximate=" (左右/约: approximate)" if approximate else "",
    )
    return Quantity(
        match.start(), match.end(), form.unit, value, None, None, approximate,
        f"quantity:{rule}",
    )


def quantities(text: str) -> list[Quantity]:
    """Every quantity in `text` with a unit: percentages (single, ranges, 左右), masses of
    CO2 (吨, 万吨, 亿吨 → Mt) and generating capacities (千瓦, 万千瓦, 亿千瓦, GW → GW)."""
    found = [
        _quantity(form, match) for form in _QUANTITY_FORMS for match in form.pattern.finditer(text)
    ]
    return sorted(found, key=lambda q: q.start)
