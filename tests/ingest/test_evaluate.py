"""cckg.ingest.evaluate: the extractor measured on the report against the curated graph."""

from __future__ import annotations

import pytest

from cckg.ingest.evaluate import Evaluation, Item, evaluate, score
from cckg.paths import PATHS
from cckg.sources.resolver import PlaceResolver


@pytest.fixture(scope="module")
def result() -> Evaluation:
    return evaluate(PATHS, PlaceResolver.default())


def test_targets_with_a_year_reach_the_aim(result: Evaluation) -> None:
    assert result.with_year.precision >= 0.9 and result.with_year.recall >= 0.9


def test_every_appendix_category_and_the_running_text_are_scored(result: Evaluation) -> None:
    assert set(result.parts) == {
        "overall-peak-year",
        "key-city-peak-year",
        "sector-peak",
        "support-key-regions",
        "pilot-cities-peak",
        "alliance-cities-peak",
        "peak-research",
        "running text",
    }
    overall = result.parts["overall-peak-year"]
    assert (overall.true_positives, overall.false_positives, overall.false_negatives) == (9, 0, 0)
    assert overall.accuracy("timing") == 1.0


def test_every_quote_is_verbatim(result: Evaluation) -> None:
    assert result.quotes_verbatim == result.candidates > 70


def test_the_curated_graph_is_the_gold_standard(result: Evaluation) -> None:
    overall = result.overall
    assert overall.true_positives + overall.false_negatives == 80


def item(bucket: str, year: int | None, timing: str | None = "in") -> Item:
    return Item(
        bucket,
        "PeakTarget",
        "120000",
        frozenset({"120000"}),
        year,
        timing,
        "sets",
        "total-co2",
        (None, None, None),
        "x",
    )


def test_score_matches_within_a_part_and_counts_fields() -> None:
    gold = [item("overall-peak-year", 2025, "around"), item("running text", 2025)]
    found = [item("overall-peak-year", 2025, "in"), item("overall-peak-year", 2030)]
    parts, overall, with_year, missed, spurious, wrong = score(gold, found)
    assert (overall.true_positives, overall.false_positives, overall.false_negatives) == (1, 1, 1)
    assert parts["overall-peak-year"].accuracy("timing") == 0.0
    assert parts["overall-peak-year"].accuracy("value") == 1.0
    assert [m.bucket for m in missed] == ["running text"]
    assert [s.year for s in spurious] == [2030]
    assert [name for name, _found, _gold in wrong] == ["timing"]
    assert with_year.precision == 0.5 and overall.f1 == pytest.approx(0.5)
