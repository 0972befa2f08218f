"""China's national commitments (data/ttl/national.ttl) and the report's statistics
(data/ttl/observations.ttl), checked fact by fact against what the report says."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from tests.rdf_helpers import iri, one, quote_of

from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID

NATIONAL = PATHS.data / "national.ttl"
OBSERVATIONS = PATHS.data / "observations.ttl"
CN = ID["place/CN"]


@pytest.fixture(scope="module")
def national() -> Graph:
    return Graph().parse(NATIONAL, format="turtle")


@pytest.fixture(scope="module")
def observations() -> Graph:
    return Graph().parse(OBSERVATIONS, format="turtle")


def commitments(graph: Graph) -> set[URIRef]:
    """Every subject with cckg:committedBy."""
    return {s for s in graph.subjects(CCKG.committedBy, None) if isinstance(s, URIRef)}


def test_every_national_commitment_is_committed_by_china(national: Graph) -> None:
    found = commitments(national)
    assert len(found) == 10
    for c in found:
        assert one(national, c, CCKG.committedBy) == CN


def test_ndc_intensity_60_to_65_percent_below_2005_by_2030(national: Graph) -> None:
    c = iri("commitment", "CN-carbon-intensity-2030")
    assert (c, RDF.type, CCKG.IntensityTarget) in national
    assert one(national, c, CCKG.valueMin).toPython() == Decimal(60)
    assert one(national, c, CCKG.valueMax).toPython() == Decimal(65)
    assert one(national, c, CCKG.unit) == iri("unit", "percent")
    assert one(national, c, CCKG.metric) == iri("metric", "carbon-intensity")
    assert one(national, c, CCKG.baseYear).toPython() == 2005
    assert one(national, c, CCKG.targetYear).toPython() == 2030
    assert one(national, c, CCKG.statedIn) == iri("document", "ndc-2015")
    assert "比 2005 年下降60%～65%" in quote_of(national, c)


def test_ndc_peak_around_2030_and_earlier_if_possible(national: Graph) -> None:
    c = iri("commitment", "CN-peak-around-2030")
    assert (c, RDF.type, CCKG.PeakTarget) in national
    assert one(national, c, CCKG.targetYear).toPython() == 2030
    assert one(national, c, CCKG.timing) == iri("timing", "around")
    assert one(national, c, CCKG.earlierIfPossible) == Literal(True)
    assert one(national, c, CCKG.statedIn) == iri("document", "ndc-2015")
    assert "2030 年左右二氧化碳排放达到峰值并争取尽早达峰" in quote_of(national, c)


def test_paris_speech_restates_the_peak_with_confidence(national: Graph) -> None:
    c = iri("commitment", "CN-peak-around-2030-paris-speech")
    assert one(national, c, CCKG.targetYear).toPython() == 2030
    assert one(national, c, CCKG.timing) == iri("timing", "around")
    assert one(national, c, CCKG.earlierIfPossible) == Literal(True)
    assert one(national, c, CCKG.statedIn) == iri("document", "paris-cop21-opening-speech-2015")
    quote = quote_of(national, c)
    assert "有信心和决心" in quote and "争取尽早实现" in quote


def test_2014_summit_statement_strives_to_peak_early_without_a_year(national: Graph) -> None:
    c = iri("commitment", "CN-peak-as-early-as-possible-2014")
    assert (c, RDF.type, CCKG.PeakTarget) in national
    assert (c, CCKG.targetYear, None) not in national
    assert one(national, c, CCKG.strength) == iri("strength", "strives")
    assert one(national, c, CCKG.earlierIfPossible) == Literal(True)
    assert one(national, c, CCKG.statedIn) == iri("document", "un-climate-summit-2014-statement")


def test_work_plan_intensity_18_percent_below_2015_by_2020(national: Graph) -> None:
    c = iri("commitment", "CN-carbon-intensity-2020")
    assert (c, RDF.type, CCKG.IntensityTarget) in national
    assert one(national, c, CCKG.value).toPython() == Decimal(18)
    assert one(national, c, CCKG.unit) == iri("unit", "percent")
    assert one(national, c, CCKG.baseYear).toPython() == 2015
    assert one(national, c, CCKG.targetYear).toPython() == 2020
    assert one(national, c, CCKG.statedIn) == iri("document", "13th-fyp-ghg-work-plan")
    assert "比 2015 年下降 18%" in quote_of(national, c)


def test_outline_caps_four_key_industries_without_a_number(national: Graph) -> None:
    c = iri("commitment", "CN-key-industries-emissions-controlled-2020")
    assert (c, RDF.type, CCKG.EmissionCapTarget) in national
    assert set(national.objects(c, CCKG.coversSector)) == {
        iri("sector", s)
        for s in ("power", "steel", "building-materials", "chemicals", "key-industries")
    }
    assert (c, CCKG.value, None) not in national
    assert one(national, c, CCKG.targetYear).toPython() == 2020
    assert one(national, c, CCKG.statedIn) == iri("document", "13th-fyp-outline")


def test_work_plan_total_emissions_effectively_controlled(national: Graph) -> None:
    c = iri("commitment", "CN-total-emissions-controlled-2020")
    assert (c, RDF.type, CCKG.EmissionCapTarget) in national
    assert (c, CCKG.value, None) not in national
    assert one(national, c, CCKG.statedIn) == iri("document", "13th-fyp-ghg-work-plan")


def test_heavy_chemical_industries_strive_to_peak_around_2020(national: Graph) -> None:
    c = iri("commitment", "CN-heavy-chemical-industry-peak-around-2020")
    assert one(national, c, CCKG.coversSector) == iri("sector", "heavy-chemical-industry")
    assert one(national, c, CCKG.strength) == iri("strength", "strives")
    assert one(national, c, CCKG.timing) == iri("timing", "around")
    assert one(national, c, CCKG.targetYear).toPython() == 2020


def test_both_plans_support_optimized_development_zones(national: Graph) -> None:
    zone = iri("zone", "CN-optimized-development-zones")
    supports = set(national.subjects(CCKG.appliesTo, zone))
    assert {one(national, s, CCKG.statedIn) for s in supports} == {
        iri("document", "13th-fyp-outline"), iri("document", "13th-fyp-ghg-work-plan"),
    }
    for s in supports:
        assert (s, RDF.type, CCKG.SupportCommitment) in national
        assert one(national, s, CCKG.strength) == iri("strength", "supports")


def test_outline_measures_cover_the_four_key_fields_and_pilots(national: Graph) -> None:
    outline = iri("document", "13th-fyp-outline")
    measures = [m for m in national.subjects(RDF.type, CCKG.Measure)
                if (m, CCKG.statedIn, outline) in national]
    domains = {d for m in measures for d in national.objects(m, CCKG.measureDomain)}
    assert domains == {iri("measure-domain", d) for d in (
        "industrial-structure", "energy-structure", "buildings", "transport",
        "pilots-and-innovation")}
    assert len(measures) == 6
    assert all(one(national, m, CCKG.takenBy) == CN for m in measures)


def test_zero_growth_and_2020_expectations_are_findings_not_commitments(national: Graph) -> None:
    zero = iri("finding", "energy-intensive-industries-zero-growth")
    early = iri("finding", "developed-regions-peak-around-2020")
    for f in (zero, early):
        assert (f, RDF.type, CCKG.Finding) in national
        assert (f, CCKG.committedBy, None) not in national
    assert iri("sector", "steel") in set(national.objects(zero, CCKG.mentions))
    assert "零增长" in quote_of(national, zero)
    assert "2020 年左右率先达峰" in quote_of(national, early)


OBSERVED = [
    ("provincial-ghg-control-plans-2018", 31, 2018, 6),
    ("provincial-ghg-control-work-plans-2018", 25, 2018, 6),
    ("provincial-ghg-control-other-plans-2018", 6, 2018, 6),
    ("provinces-with-overall-peak-year-2018", 9, 2018, 6),
    ("low-carbon-pilots-2017", 87, 2017, None),
    ("pilots-with-peak-targets-2017", 73, 2017, 10),
    ("pilots-batches-1-2-with-peak-targets-2017", 28, 2017, 10),
    ("pilots-batch-3-with-peak-targets-2017", 45, 2017, 10),
]


@pytest.mark.parametrize(("key", "value", "year", "month"), OBSERVED)
def test_section_one_counts(observations: Graph, key: str, value: int, year: int,
                            month: int | None) -> None:
    o = iri("observation", key)
    assert (o, RDF.type, CCKG.Observation) in observations
    assert one(observations, o, CCKG.value).toPython() == Decimal(value)
    assert one(observations, o, CCKG.unit) == iri("unit", "count")
    assert one(observations, o, CCKG.referenceYear).toPython() == year
    months = list(observations.objects(o, CCKG.referenceMonth))
    assert [m.toPython() for m in months] == ([month] if month else [])
    assert str(value) in quote_of(observations, o)


def test_pilot_counts_add_up_and_refer_to_the_batches(observations: Graph) -> None:
    def value(key: str) -> Decimal:
        return one(observations, iri("observation", key), CCKG.value).toPython()

    assert value("pilots-batches-1-2-with-peak-targets-2017") + value(
        "pilots-batch-3-with-peak-targets-2017") == value("pilots-with-peak-targets-2017")
    assert value("provincial-ghg-control-work-plans-2018") + value(
        "provincial-ghg-control-other-plans-2018") == value("provincial-ghg-control-plans-2018")
    group = one(observations, iri("observation", "pilots-batch-3-with-peak-targets-2017"),
                CCKG.refArea)
    assert one(observations, group, CCKG.groupDrawnFrom) == iri("pilot-batch", "low-carbon-3")


def test_the_reports_2013_is_kept_and_flagged(observations: Graph) -> None:
    o = iri("observation", "low-carbon-pilots-2017")
    assert "自 2013 年以来" in quote_of(observations, o)
    assert "2010" in str(observations.value(o, RDFS.comment))


def test_section_three_statistics(observations: Graph) -> None:
    share = iri("observation", "traditional-industry-share")
    assert one(observations, share, CCKG.value).toPython() == Decimal(70)
    assert one(observations, share, CCKG.unit) == iri("unit", "percent")
    assert one(observations, share, CCKG.approximate) == Literal(True)
    years = iri("observation", "years-since-national-peak-target")
    assert one(observations, years, CCKG.value).toPython() == Decimal(3)
    assert one(observations, years, CCKG.unit) == iri("unit", "year")
    assert "已经过去三年" in quote_of(observations, years)
