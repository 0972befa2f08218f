"""The extractor: transparent rules that turn a policy text into candidate commitments.

Every candidate says which rules fired (`reason`), so a researcher sees why it was proposed.
The steps, per sentence of running text or appendix row (cckg.ingest.text.pieces):

1. titles 《…》, names of alliances and “…”-quoted names of plans are masked: nothing in
   them is read as a year, place or target;
2. a sentence of the document's own analysis (需要, 建议, 应, 可以看出, 有可能, 有助于) is
   skipped: it states no commitment;
3. the committer is the row's province, or the sentence's subject (the first single place
   named before any target, 中国/我国/国家 for China), or the previous sentence's subject in
   the same section, or the document's issuer;
4. each clause (cut at ，：；) is searched for target anchors (达峰, 达到峰值, 碳中和, 下降 after
   an intensity, 有效控制 碳排放, 比重达到, 装机, 提出峰值目标, …研究); each anchor gets the
   words from the previous anchor to the next one, and there the rules read years, timing,
   strength, quantities, sectors and places (cckg.ingest.expressions, the place resolver).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cckg.ingest import expressions as ex
from cckg.ingest.terms import CommitmentTerms
from cckg.ingest.text import Piece, View, clause_spans, pieces, quote_at
from cckg.ingest.vocab import Vocabulary, category_of
from cckg.sources.resolver import PlaceMatch, PlaceResolver

NATION = "CN"
_LEVEL_RANK = {"nation": 0, "province": 1, "prefecture": 2, "county": 3}


@dataclass
class Candidate(CommitmentTerms):
    """One proposed commitment: the columns of a review-sheet row."""

    kind: str
    start: int
    end: int
    section: str
    category: str | None
    row: int | None
    confidence: float
    reason: list[str] = field(default_factory=list)
    place_candidates: str = ""
    note: str = ""
    headline: bool = False  # stated in a point's headline sentence (一是…), not a sheet column


# ---- masks and sentence filters ---------------------------------------------------------

_MASKS = (
    re.compile(r"《[^》]*》"),
    re.compile(r"（以下简称[^）]*）"),
    re.compile(r"“[^”]{2,20}联盟”|中国[\u4e00-\u9fff]{2,10}联盟"),
    re.compile(r"“[^”]{1,30}(?:规划|方案|纲要|工程|计划|意见)”"),
)
MASK = "□"
_HEDGE = re.compile(r"需要|建议|有助于|可以看出|有可能|(?<![相适响供反效])应(?![对用])")
_QUOTED = re.compile(r"“[^”]*”")
_NEGATION = re.compile(r"尚未|未|没有|并未|不")
_NATIONAL = re.compile(r"中国|我国|国家(?!低碳|和省级|要求)")


def mask(text: str) -> str:
    """`text` with titles and names replaced by □ (same length, so offsets hold)."""
    for pattern in _MASKS:
        text = pattern.sub(lambda m: MASK * len(m.group()), text)
    return text


# ---- anchors ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    kind: str
    rule: str
    metric: str | None = None


_NEAR = r"[^，；。：、]{0,12}"
_ANCHORS: tuple[tuple[str, str, str | None, re.Pattern[str]], ...] = (
    ("NeutralityTarget", "anchor:碳中和", "net-co2", re.compile(r"(?:实现)?碳中和")),
    (
        "NonFossilShareTarget",
        "anchor:非化石能源…比重达到",
        "non-fossil-share",
        re.compile(
            rf"非化石能源{_NEAR}(?:比重|占比|比例)\s*(?:达到|提高到|提高至|提升至|提升到|达)?"
        ),
    ),
    (
        "EnergyIntensityTarget",
        "anchor:能耗强度…下降",
        "energy-intensity",
        re.compile(
            rf"(?:单位(?:国内|地区)生产总值能(?:源消)?耗|能耗强度|单位GDP能耗){_NEAR}(?:下降|降低)"
        ),
    ),
    (
        "CapacityTarget",
        "anchor:装机…达到",
        "installed-capacity",
        re.compile(rf"装机(?:容量|规模)?{_NEAR}?(?:达到|超过|达)?"),
    ),
    (
        "IntensityTarget",
        "anchor:碳强度…下降",
        "carbon-intensity",
        re.compile(
            rf"(?:单位(?:国内|地区)生产总值二氧化碳排放|碳排放强度|碳强度|单位GDP二氧化碳排放){_NEAR}(?:下降|降低)"
        ),
    ),
    (
        "ReductionTarget",
        "anchor:排放总量较…减少",
        "total-co2",
        re.compile(rf"(?:二氧化碳|碳)排放(?:总量)?\s*(?:较|比){_NEAR}(?:减少|下降|削减)"),
    ),
    (
        "EmissionCapTarget",
        "anchor:排放总量控制在/有效控制",
        "total-co2",
        re.compile(
            r"(?:(?:二氧化碳|碳)排放总量\s*(?:得到有效控制|控制在)|有效控制[^，；。：]{0,20}碳排放)"
        ),
    ),
    (
        "ResearchCommitment",
        "anchor:开展…峰值研究",
        None,
        re.compile(r"(?:开展|推进|加强|深化)[^，；。：]{0,40}研究"),
    ),
    (
        "TargetSettingCommitment",
        "anchor:提出峰值目标/倒逼机制",
        None,
        re.compile(
            r"(?:提出|制定|突出|设定|明确)[^，；。：]{0,4}(?:峰值|达峰)年?目标|建立[^，；。：]{0,6}倒逼机制"
        ),
    ),
    (
        "PeakTarget",
        "anchor:达峰/达到峰值",
        "total-co2",
        re.compile(
            r"(?:实现|完成)(?:碳排放)?(?:峰值年?|达峰)目标"
            r"|达到(?:碳排放|二氧化碳排放)?峰值"
            r"|达峰(?!路线图|路径|时间|年份|进程|工作|研究|分析|相关|目标|碳|排放|的(?:新|认识|重点|作用|配套|政策|时间|年份|路径))"
        ),
    ),
)
_RESEARCH_TOPIC = re.compile(r"峰值|达峰")
_NEEDS_ASKING = ("supports", "encourages", "requires")
_GROUP = re.compile(
    r"试点城市|城市试点|试点地区|功能(?:核心|拓展)?区|开发区域|设区市|地市|其他市|其他区域|发达城市|"
    r"等城市|县（市、区）|城市”?城市|部分地区"
)
_ZONE_SUFFIX = re.compile(r"^(?:中心城区|城区|主城区|市区|新区|开发区|园区)")
_PER_CAPITA = re.compile(r"人均(?:二氧化)?碳排放")
_TOTAL = re.compile(r"(?:二氧化)?碳排放总量")
_RESPECTIVELY = "分别"
_HEADLINE = re.compile(r"^[一二三四五六七八九十]是")
_PEAK_LEVEL = re.compile(r"达峰(?:碳|二氧化碳)?排放量")
_CARRIED_STRENGTH = ("supports", "encourages", "strives")
_RESEARCH_CONTEXT = re.compile(r"研究中提出|研究提出")


def anchors(clause: str) -> list[Anchor]:
    """The target anchors of a clause, left to right, overlaps resolved to the earlier rule."""
    found: list[Anchor] = []
    skip = ex.earlier_spans(clause)
    for kind, rule, metric, pattern in _ANCHORS:
        for match in pattern.finditer(clause):
            start, end = match.start(), match.end()
            if MASK in match.group() or any(s <= start < e for s, e in skip):
                continue
            if any(a.start < end and start < a.end for a in found):
                continue
            if kind == "ResearchCommitment" and not _RESEARCH_TOPIC.search(match.group()):
                continue
            found.append(Anchor(start, end, kind, rule, metric))
    return sorted(found, key=lambda a: a.start)


# ---- the extractor ----------------------------------------------------------------------


@dataclass
class Context:
    """What the extractor knows about the document: its text, issuer, vocabulary, places."""

    text: str
    issuer: str | None
    vocabulary: Vocabulary
    places: PlaceResolver


def extract(
    context: Context, progress: Callable[[int, int], None] | None = None
) -> list[Candidate]:
    """Every candidate commitment of the document, in text order."""
    found: list[Candidate] = []
    subject: tuple[str, str] | None = None  # (section, committer) of the last stated subject
    all_pieces = pieces(context.text)
    for number, piece in enumerate(all_pieces, 1):
        if progress:
            progress(number, len(all_pieces))
        reader = _PieceReader(context, piece, subject)
        found.extend(reader.read())
        if reader.own_subject:
            subject = (piece.section, reader.own_subject)
        elif subject and subject[0] != piece.section:
            subject = None
    return _merge_restatements(found)


def _merge_restatements(candidates: list[Candidate]) -> list[Candidate]:
    """A point's headline (一是国家层面明确2030年左右达峰) that the point then states again
    with its source gives one candidate: the later, sourced statement."""
    kept: list[Candidate] = []
    for candidate in candidates:
        key = _key(candidate)
        earlier = next(
            (
                k
                for k in kept
                if k.headline
                and candidate.row is None
                and k.section == candidate.section
                and _key(k) == key
            ),
            None,
        )
        if earlier is not None:
            kept.remove(earlier)
            candidate.reason.append("merge:same target stated earlier in this point")
        kept.append(candidate)
    return kept


def _key(c: Candidate) -> tuple[object, ...]:
    return (c.kind, c.committer, tuple(c.places), c.target_year, c.timing, c.metric)


class _PieceReader:
    """The rules applied to one sentence or appendix row."""

    def __init__(self, context: Context, piece: Piece, subject: tuple[str, str] | None) -> None:
        self.context = context
        self.piece = piece
        self.view = View(
            context.text, piece.lead if piece.lead is not None else piece.start, piece.end
        )
        self.masked = mask(self.view.string)
        self.inherited = subject[1] if subject and subject[0] == piece.section else None
        self.own_subject: str | None = None
        self.category = category_of(piece.category, context.vocabulary) if piece.category else None

    # -- committer ---------------------------------------------------------------------

    def _mentions(self, context_code: str | None) -> list[tuple[int, int, str, list[PlaceMatch]]]:
        """Place mentions of the (masked) piece: (start, end, surface, matches)."""
        found = []
        for mention in self.context.places.mentions(self.masked):
            matches: list[PlaceMatch] = []
            if context_code and context_code != NATION:
                matches = list(self.context.places.resolve(mention.surface, context_code).matches)
            if not matches:
                matches = list(mention.resolution.matches)
            found.append((mention.start, mention.end, mention.surface, matches))
        return found

    def _committer(self, first_anchor: int) -> tuple[str | None, list[str]]:
        """The committer and the rules that found it."""
        mentions = self._mentions(None)
        if self.piece.row is not None:
            if mentions and mentions[0][0] <= 1 and mentions[0][3]:
                return _top(mentions[0][3]).code, ["committer:the row's province"]
            return self.context.issuer, ["committer:row without a province → issuer"]
        words = [
            w
            for w in ex.strength_words(self.masked[:first_anchor])
            if w.strength in ("supports", "encourages")
        ]
        if words:  # a place named after 支持 or 鼓励 is what they govern, not the subject
            first_anchor = words[0].start
        national = _NATIONAL.search(self.masked[:first_anchor])
        for start, end, _surface, matches in mentions:
            if start >= first_anchor:
                break
            if national and national.start() < start:
                break
            if not matches or self.masked[end : end + 1] in ("、", "和", "与", "及"):
                continue
            if start > 0 and self.masked[start - 1] in ("、", "和", "与", "及"):
                continue
            chosen = _top(matches)
            self.own_subject = chosen.code
            rule = "committer:the sentence's subject"
            if len(matches) > 1:
                rule += f" ({mention_list(matches)}: the highest level)"
            return chosen.code, [rule]
        if national:
            self.own_subject = NATION
            return NATION, [f"committer:{national.group()} → China"]
        if self.inherited:
            return self.inherited, ["committer:the previous sentence's subject"]
        if self.context.issuer:
            return self.context.issuer, ["committer:the document's issuer"]
        return None, []

    # -- the piece ---------------------------------------------------------------------

    def read(self) -> list[Candidate]:
        text = self.masked
        if self.piece.row is None and _HEDGE.search(_QUOTED.sub("", text)):
            return []
        spans = clause_spans(text)
        per_clause = [(s, e, anchors(text[s:e])) for s, e in spans]
        first = min((s + a[0].start for s, e, a in per_clause if a), default=len(text))
        committer, committer_rules = self._committer(first)
        if committer is None:
            return []
        mentions = self._mentions(committer)
        candidates: list[Candidate] = []
        carried_places: list[tuple[int, int, str, list[PlaceMatch]]] = []
        carried_group: re.Match[str] | None = None
        by_year: ex.YearExpr | None = None
        research = False
        carried: list[ex.StrengthWord] = []
        for s, e, found in per_clause:
            clause = text[s:e]
            in_clause = [m for m in mentions if s <= m[0] < e]
            if not found:
                found = self._category_anchor(clause)
            if not found:
                if _PEAK_LEVEL.search(clause):
                    self._peak_level(candidates, clause, s, e)
                if in_clause:
                    carried_places = in_clause
                carried_group = _GROUP.search(clause) or carried_group
            for index, anchor in enumerate(found):
                lo = _boundary(clause, found[index - 1], anchor) if index else 0
                hi = (
                    _boundary(clause, anchor, found[index + 1])
                    if index + 1 < len(found)
                    else len(clause)
                )
                made = self._candidates(
                    committer,
                    committer_rules,
                    clause,
                    s,
                    lo,
                    hi,
                    anchor,
                    [m for m in in_clause if s + lo <= m[0] < s + hi] or carried_places,
                    by_year,
                    research,
                    carried,
                    carried_group,
                )
                candidates.extend(made)
                carried_places, carried_group = [], None
            research = research or bool(_RESEARCH_CONTEXT.search(clause))
            carried += [w for w in ex.strength_words(clause) if w.strength in _CARRIED_STRENGTH]
            for year in ex.years(clause, bare=self.piece.row is not None):
                if year.role == "target" and year.timing == "by":
                    by_year = year
        return candidates

    def _category_anchor(self, clause: str) -> list[Anchor]:
        """In the appendix categories of peak years, a row's year is a peak year even
        without the word 达峰 (山西 2030年左右)."""
        if self.category not in ("overall-peak-year", "key-city-peak-year"):
            return []
        targets = [y for y in ex.years(clause, bare=True) if y.role == "target"]
        if not targets:
            return []
        return [
            Anchor(
                targets[-1].end,
                targets[-1].end,
                "PeakTarget",
                f"anchor:the table category {self.category} states peak years",
                "total-co2",
            )
        ]

    def _peak_level(self, candidates: list[Candidate], clause: str, s: int, e: int) -> None:
        """达峰碳排放量约1.6亿吨 after a peak target is that peak's level."""
        peak = next((c for c in reversed(candidates) if c.kind == "PeakTarget"), None)
        amounts = [q for q in ex.quantities(clause) if q.unit == "megatonne-co2"]
        if peak is None or not amounts:
            return
        q = amounts[0]
        peak.value, peak.unit, peak.approximate = q.value, q.unit, q.approximate
        peak.reason.append(f"value:peak level ({_PEAK_LEVEL.search(clause).group()}); {q.rule}")  # type: ignore[union-attr]
        peak.end = max(peak.end, self.view.span(0, e)[1])
        peak.quote = quote_at(self.context.text, peak.start, peak.end)

    def _candidates(
        self,
        committer: str,
        committer_rules: list[str],
        clause: str,
        offset: int,
        lo: int,
        hi: int,
        anchor: Anchor,
        mentions: list[tuple[int, int, str, list[PlaceMatch]]],
        by_year: ex.YearExpr | None,
        research: bool,
        carried: list[ex.StrengthWord],
        carried_group: re.Match[str] | None,
    ) -> list[Candidate]:
        window = clause[lo:hi]
        reason = [*committer_rules, anchor.rule]
        quoted = _quoted_span(clause, anchor.start)
        if quoted:
            lo, hi = max(lo, quoted[0]), min(hi, quoted[1])
            window = clause[lo:hi]
            reason.append("window:the quoted words “…”")
        before_anchor = clause[lo : anchor.start]
        if _NEGATION.search(before_anchor) and not re.search(r"不(?:低于|超过|少于)", window):
            return []
        kind = anchor.kind
        years = [
            y for y in ex.years(window, bare=self.piece.row is not None) if y.role != "reference"
        ]
        targets = [y for y in years if y.role == "target"]
        bases = [y for y in years if y.role == "base"]
        if not targets and by_year is not None and kind not in ("PeakTarget", "SupportCommitment"):
            targets = [by_year]
            reason.append(f"year:inherited from {by_year.year} earlier in the sentence")
        # strength
        words = [w for w in ex.strength_words(window) if w.start < anchor.end - lo]
        strength_word = ex.strongest(words)
        if strength_word:
            strength = strength_word.strength
            reason.append(f"strength:{strength_word.word} → {strength}")
        elif carried:
            word = ex.strongest(carried)
            assert word is not None
            strength = word.strength
            reason.append(f"strength:{word.word} governs the sentence → {strength}")
        else:
            strength = "sets"
            reason.append("strength:no strength word → sets")
        if (research or _RESEARCH_CONTEXT.search(clause[: anchor.start])) and strength in (
            "sets",
            "strives",
        ):
            strength = "researches"
            reason.append("strength:stated in research (研究中提出) → researches")
        if kind == "ResearchCommitment":
            strength = "researches"
        if kind == "TargetSettingCommitment" and strength not in _NEEDS_ASKING:
            return []
        # places
        places, ambiguous, notes = self._places(committer, mentions, window, reason)
        group = _GROUP.search(window) or carried_group
        if not places and not ambiguous:
            if group:
                notes.append(
                    f"applies to a group or zone the text names ({group.group()}): "
                    "add its IRI or the codes of its places"
                )
                reason.append(f"places:group or zone named ({group.group()}), no place code")
            else:
                places = [committer]
                reason.append("places:none named → the committer's whole territory")
        elif group:
            notes.append(f"also names a group ({group.group()}) beyond the places listed")
        # kind refinement
        if kind == "PeakTarget" and not targets:
            others = [p for p in places if p != committer] or ambiguous or (group and not places)
            if others and strength != "researches":
                kind = "SupportCommitment"
                reason.append("type:a peak without a year for other places → support")
        metric = anchor.metric if kind != "ResearchCommitment" else None
        metrics = [metric]
        if kind == "PeakTarget":
            per_capita, total = _PER_CAPITA.search(window), _TOTAL.search(window)
            if per_capita and total:
                metrics = ["total-co2", "per-capita-co2"]
                reason.append("metric:total and per-capita emissions → one candidate each")
            elif per_capita:
                metrics = ["per-capita-co2"]
        # quantities
        quantity = self._quantity(kind, window, anchor.start - lo)
        if (
            kind
            in (
                "IntensityTarget",
                "EnergyIntensityTarget",
                "NonFossilShareTarget",
                "CapacityTarget",
                "ReductionTarget",
            )
            and quantity is None
        ):
            return []
        relative = kind == "ReductionTarget" and "峰值" in window
        sectors = self._sectors(window)
        earlier = ex.earlier_if_possible(window)
        base_year = bases[0].year if bases else None
        if (
            base_year is None
            and targets
            and targets[0].base is not None
            and kind in ("IntensityTarget", "EnergyIntensityTarget")
        ):
            base_year = targets[0].base
            reason.append(f"base year:{targets[0].base} from the plan period")
        if earlier:
            reason.append(f"earlier if possible:{earlier}")
        if quantity:
            reason.append(quantity.rule)
        if relative:
            reason.append("reduction:较峰值 → relative to the peak")
        pairs = self._respectively(window, targets, places, reason)
        start, end = self.view.span(0, len(self.view.string))
        quote = quote_at(self.context.text, start, end)
        confidence = 0.9
        if any(r.startswith("year:inherited") for r in reason):
            confidence -= 0.2
        if ambiguous:
            confidence -= 0.3
        if (
            "committer:the previous sentence's subject" in reason
            or "committer:the document's issuer" in reason
        ):
            confidence -= 0.15
        if "strength:no strength word → sets" in reason:
            confidence -= 0.1
        made = []
        for year, year_places in pairs:
            for one_metric in metrics:
                reasons = [*reason]
                if year is not None:
                    reasons.insert(2, year.rule)
                made.append(
                    Candidate(
                        kind=kind,
                        committer=committer,
                        places=year_places,
                        sectors=sectors,
                        target_year=year.year if year else None,
                        base_year=base_year,
                        timing=year.timing if year else None,
                        earlier_if_possible=bool(earlier),
                        strength=strength,
                        metric=one_metric,
                        value=quantity.value if quantity else None,
                        value_min=quantity.minimum if quantity else None,
                        value_max=quantity.maximum if quantity else None,
                        unit=quantity.unit if quantity else None,
                        approximate=quantity.approximate if quantity else False,
                        relative_to_peak=relative,
                        quote=quote,
                        start=start,
                        end=end,
                        section=self.piece.section,
                        category=self.category,
                        row=self.piece.row,
                        confidence=round(max(confidence, 0.1), 2),
                        reason=reasons,
                        place_candidates="; ".join(ambiguous),
                        note=" ".join(notes),
                        headline=bool(_HEADLINE.match(self.view.string)),
                    )
                )
        return made

    def _places(
        self,
        committer: str,
        mentions: list[tuple[int, int, str, list[PlaceMatch]]],
        window: str,
        reason: list[str],
    ) -> tuple[list[str], list[str], list[str]]:
        """(place codes, ambiguous names with their candidates, notes) of a target."""
        codes: list[str] = []
        ambiguous: list[str] = []
        notes: list[str] = []
        listed: list[tuple[int, int, str, list[PlaceMatch]]] = []
        for mention in mentions:
            start, end, surface, matches = mention
            if matches and len(matches) == 1 and matches[0].code == committer:
                continue
            listed.append(mention)
        zone = _zone_list(self.masked, listed)
        for start, end, surface, matches in listed:
            if (start, end) in zone:
                notes.append(f"{surface}: named as part of a zone (中心城区…), not the whole place")
                reason.append(f"places:{surface} qualifies a zone → not listed")
                continue
            if not matches:
                continue
            if len(matches) > 1:
                ambiguous.append(f"{surface}: {mention_list(matches)}")
                reason.append(f"places:{surface} is ambiguous ({len(matches)} candidates)")
                continue
            if matches[0].code not in codes:
                codes.append(matches[0].code)
        if codes:
            reason.append(
                "places:"
                + "、".join(
                    m[2] for m in listed if m[3] and len(m[3]) == 1 and m[3][0].code in codes
                )
            )
        return codes, ambiguous, notes

    def _quantity(self, kind: str, window: str, anchor_at: int) -> ex.Quantity | None:
        unit = {
            "IntensityTarget": "percent",
            "EnergyIntensityTarget": "percent",
            "NonFossilShareTarget": "percent",
            "ReductionTarget": "percent",
            "EmissionCapTarget": "megatonne-co2",
            "CapacityTarget": "gigawatt",
        }.get(kind)
        if unit is None:
            return None
        found = [q for q in ex.quantities(window) if q.unit == unit and q.end > anchor_at]
        return found[0] if found else None

    def _sectors(self, window: str) -> list[str]:
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for word, slug in self.context.vocabulary.sector_words:
            for match in re.finditer(re.escape(word), window):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                taken.append((match.start(), match.end()))
                found.append((match.start(), slug))
        seen: list[str] = []
        for _, slug in sorted(found):
            if slug not in seen:
                seen.append(slug)
        return seen

    def _respectively(
        self,
        window: str,
        targets: list[ex.YearExpr],
        places: list[str],
        reason: list[str],
    ) -> list[tuple[ex.YearExpr | None, list[str]]]:
        """分别 pairs n places with n years in order; otherwise one year for all places."""
        if _RESPECTIVELY in window and len(targets) > 1 and len(targets) == len(places):
            reason.append("places:分别 pairs each place with its year")
            return [(year, [place]) for year, place in zip(targets, places, strict=True)]
        return [(targets[0] if targets else None, places)]


def _top(matches: Sequence[PlaceMatch]) -> PlaceMatch:
    """Of several places a committer's name may mean, the highest level."""
    return min(matches, key=lambda m: (_LEVEL_RANK.get(m.level, 9), m.code))


def mention_list(matches: Sequence[PlaceMatch]) -> str:
    return " | ".join(f"{m.code} {m.name_zh}" for m in matches)


def _boundary(clause: str, left: Anchor, right: Anchor) -> int:
    """Where the words of one anchor end and the next one's begin: after the last 、 or 和
    between them, else where the next anchor's words start."""
    between = clause[left.end : right.start]
    cut = max(between.rfind("、"), between.rfind("，"))
    return left.end + cut + 1 if cut >= 0 else right.start


def _quoted_span(clause: str, at: int) -> tuple[int, int] | None:
    """The “…” around position `at` of a clause, if any."""
    open_at = clause.rfind("“", 0, at)
    if open_at < 0 or "”" in clause[open_at:at]:
        return None
    close_at = clause.find("”", at)
    return (open_at + 1, close_at if close_at >= 0 else len(clause))


def _zone_list(
    text: str, mentions: list[tuple[int, int, str, list[PlaceMatch]]]
) -> set[tuple[int, int]]:
    """Mentions that name zones, not places: a list 福州、厦门、泉州中心城区 whose last name
    is followed by 中心城区, 城区, 新区, …"""
    zone: set[tuple[int, int]] = set()
    run: list[tuple[int, int]] = []
    for start, end, _surface, _matches in mentions:
        if run and text[run[-1][1] : start] not in ("、", "和", "及", "与"):
            run = []
        run.append((start, end))
        if _ZONE_SUFFIX.match(text[end:]):
            zone.update(run)
            run = []
    return zone
