"""Measuring the extractor on the report itself against the curated graph.

The curated commitments (data/ttl/*.ttl, every one derived from a passage of the report)
are the gold standard. A candidate matches a curated commitment when both are in the same
part of the report (one appendix category, or the running text) and agree on type,
committer, the places (GB/T 2260 codes; zones and groups of places are not compared, the
extractor cannot name them) and the target year. Matched pairs are then compared field by
field: timing, strength, metric, value."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from cckg.ingest.extract import Candidate, Context, extract
from cckg.ingest.text import squeeze
from cckg.ingest.vocab import load_vocabulary
from cckg.paths import ProjectPaths
from cckg.pipeline.load import load_dataset, union_graph
from cckg.rdf.namespaces import CCKG, ID
from cckg.sources.resolver import PlaceResolver

REPORT = ID["document/report-regional-peaking-2018"]
RUNNING_TEXT = "running text"
FIELDS = ("timing", "strength", "metric", "value")
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


@dataclass(frozen=True)
class Item:
    """A commitment reduced to what the evaluation compares."""

    bucket: str
    kind: str
    committer: str
    places: frozenset[str]
    year: int | None
    timing: str | None
    strength: str | None
    metric: str | None
    value: tuple[Decimal | None, Decimal | None, Decimal | None]
    label: str

    @property
    def key(self) -> tuple[object, ...]:
        return (self.bucket, self.kind, self.committer, self.places, self.year)


@dataclass
class Score:
    """Counts for one part of the report."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    field_right: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.field_right[name] / self.true_positives if self.true_positives else 0.0


@dataclass
class Evaluation:
    """Scores per part of the report, overall, and for targets with a year."""

    parts: dict[str, Score]
    overall: Score
    with_year: Score
    quotes_verbatim: int
    candidates: int
    missed: list[Item]
    spurious: list[Item]
    wrong_fields: list[tuple[str, Item, Item]]  # (field, candidate, curated)


def _slug(node: object) -> str | None:
    return str(node).rsplit("/", 1)[-1] if isinstance(node, URIRef) else None


def _number(value: object) -> Decimal | None:
    return Decimal(str(value)) if isinstance(value, Literal) else None


def _codes(nodes: Iterable[object]) -> frozenset[str]:
    prefix = f"{ID}place/"
    return frozenset(str(n)[len(prefix) :] for n in nodes if str(n).startswith(prefix))


def gold_items(graph: Graph) -> list[Item]:
    """Every curated commitment derived from a passage of the report."""
    items = []
    for node in sorted(set(graph.subjects(CCKG.committedBy, None)), key=str):
        passages = [
            p for p in graph.objects(node, PROV_DERIVED) if (p, CCKG.passageOf, REPORT) in graph
        ]
        if not passages:
            continue
        category = graph.value(passages[0], CCKG.reportCategory)
        kinds = [t for t in graph.objects(node, RDF.type) if str(t).startswith(str(CCKG))]
        year = graph.value(node, CCKG.targetYear)
        items.append(
            Item(
                bucket=_slug(category) or RUNNING_TEXT,
                kind=str(kinds[0]).rsplit("#", 1)[-1],
                committer=_slug(graph.value(node, CCKG.committedBy)) or "",
                places=_codes(graph.objects(node, CCKG.appliesTo)),
                year=int(year) if isinstance(year, Literal) else None,
                timing=_slug(graph.value(node, CCKG.timing)),
                strength=_slug(graph.value(node, CCKG.strength)),
                metric=_slug(graph.value(node, CCKG.metric)),
                value=(
                    _number(graph.value(node, CCKG.value)),
                    _number(graph.value(node, CCKG.valueMin)),
                    _number(graph.value(node, CCKG.valueMax)),
                ),
                label=str(graph.value(node, RDFS.label) or node),
            )
        )
    return items


def candidate_item(candidate: Candidate) -> Item:
    return Item(
        bucket=candidate.category or RUNNING_TEXT,
        kind=candidate.kind,
        committer=candidate.committer,
        places=frozenset(candidate.places),
        year=candidate.target_year,
        timing=candidate.timing,
        strength=candidate.strength,
        metric=candidate.metric,
        value=(candidate.value, candidate.value_min, candidate.value_max),
        label=candidate.quote[:40],
    )


def score(
    gold: list[Item], found: list[Item]
) -> tuple[dict[str, Score], Score, Score, list[Item], list[Item], list[tuple[str, Item, Item]]]:
    """Match candidates to curated commitments (each at most once) and count."""
    wrong: list[tuple[str, Item, Item]] = []
    parts: dict[str, Score] = {}
    overall, with_year = Score(), Score()
    unmatched = list(gold)
    spurious: list[Item] = []
    for item in found:
        same = [g for g in unmatched if g.key == item.key]
        partner = max(
            same, key=lambda g: sum(getattr(g, n) == getattr(item, n) for n in FIELDS), default=None
        )
        scores = [parts.setdefault(item.bucket, Score()), overall]
        if item.year is not None or (partner is not None and partner.year is not None):
            scores.append(with_year)
        if partner is None:
            spurious.append(item)
            for s in scores:
                s.false_positives += 1
            continue
        unmatched.remove(partner)
        for s in scores:
            s.true_positives += 1
            for name in FIELDS:
                if getattr(item, name) == getattr(partner, name):
                    s.field_right[name] += 1
        wrong += [(n, item, partner) for n in FIELDS if getattr(item, n) != getattr(partner, n)]
    for item in unmatched:
        scores = [parts.setdefault(item.bucket, Score()), overall]
        if item.year is not None:
            scores.append(with_year)
        for s in scores:
            s.false_negatives += 1
    return parts, overall, with_year, unmatched, spurious, wrong


def evaluate(
    paths: ProjectPaths, places: PlaceResolver, progress: Callable[[int, int], None] | None = None
) -> Evaluation:
    """Run the extractor on the report and score it against the curated graph."""
    text = paths.report.read_text(encoding="utf-8")
    curated = sorted(paths.ontology.glob("*.ttl")) + sorted(paths.data.glob("*.ttl"))
    graph = union_graph(load_dataset(curated, root=paths.root))
    context = Context(text, None, load_vocabulary(paths.ontology / "vocabularies.ttl"), places)
    candidates = extract(context, progress)
    flat = squeeze(text)
    verbatim = sum(1 for c in candidates if squeeze(c.quote) in flat)
    parts, overall, with_year, missed, spurious, wrong = score(
        gold_items(graph), [candidate_item(c) for c in candidates]
    )
    return Evaluation(parts, overall, with_year, verbatim, len(candidates), missed, spurious, wrong)
