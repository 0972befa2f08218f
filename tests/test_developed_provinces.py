"""Section 二 of the report (data/ttl/developed-provinces.ttl): the four developed provinces'
shares, targets and measures, checked fact by fact against the report."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from tests.rdf_helpers import iri, one, quote_of

from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID

DEVELOPED = PATHS.data / "developed-provinces.ttl"
PROVINCES = {"110000": "北京", "310000": "上海", "440000": "广东", "330000": "浙江"}
DOMAINS = ("industrial-structure", "energy-structure", "buildings", "transport")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(DEVELOPED, format="turtle")


def test_shares_of_the_four_provinces_in_2017(graph: Graph) -> None:
    gdp = iri("observation", "four-developed-provinces-gdp-share-2017")
    co2 = iri("observation", "four-developed-provinces-co2-share-2017")
    group = iri("place-group", "four-developed-provinces")
    assert one(graph, gdp, CCKG.value).toPython() == Decimal("24.2")
    assert one(graph, co2, CCKG.value).toPython() == Decimal("14.4")
    assert one(graph, co2, CCKG.approximate) == Literal(True)
    assert (gdp, CCKG.approximate, None) not in graph
    for o in (gdp, co2):
        assert one(graph, o, CCKG.refArea) == group
        assert one(graph, o, CCKG.referenceYear).toPython() == 2017
        assert one(graph, o, CCKG.unit) == iri("unit", "percent")
    assert one(graph, gdp, CCKG.metric) == iri("metric", "share-of-national-gdp")
    assert one(graph, co2, CCKG.metric) == iri("metric", "share-of-national-co2")
    members = set(graph.objects(group, CCKG.includesPlace))
    assert members == {iri("place", code) for code in PROVINCES}


def test_beijing_peaks_in_2020_at_about_160_mt(graph: Graph) -> None:
    c = iri("commitment", "110000-peak-2020-at-160-mt")
    assert (c, RDF.type, CCKG.PeakTarget) in graph
    assert one(graph, c, CCKG.committedBy) == iri("place", "110000")
    assert one(graph, c, CCKG.appliesTo) == iri("place", "110000")
    assert one(graph, c, CCKG.targetYear).toPython() == 2020
    assert one(graph, c, CCKG.timing) == iri("timing", "in")
    assert one(graph, c, CCKG.earlierIfPossible) == Literal(True)
    assert one(graph, c, CCKG.value).toPython() == Decimal(160)
    assert one(graph, c, CCKG.unit) == iri("unit", "megatonne-co2")
    assert one(graph, c, CCKG.approximate) == Literal(True)
    assert one(graph, c, CCKG.statedIn) == iri("document", "ghg-plan-110000")
    assert "约 1.6 亿吨" in quote_of(graph, c)


def shanghai(graph: Graph) -> dict[URIRef, URIRef]:
    """Shanghai's commitments, each with its class."""
    return {c: one(graph, c, RDF.type)
            for c in graph.subjects(CCKG.committedBy, iri("place", "310000"))}


def test_shanghai_peaks_total_and_per_capita_before_2025(graph: Graph) -> None:
    peaks = [c for c, t in shanghai(graph).items() if t == CCKG.PeakTarget]
    assert {one(graph, c, CCKG.metric) for c in peaks} == {
        iri("metric", "total-co2"), iri("metric", "per-capita-co2")}
    for c in peaks:
        assert one(graph, c, CCKG.targetYear).toPython() == 2025
        assert one(graph, c, CCKG.timing) == iri("timing", "before")


def test_shanghai_caps_total_co2_at_250_mt_by_2020(graph: Graph) -> None:
    c = iri("commitment", "310000-total-co2-cap-2020")
    assert (c, RDF.type, CCKG.EmissionCapTarget) in graph
    assert one(graph, c, CCKG.value).toPython() == Decimal(250)
    assert one(graph, c, CCKG.unit) == iri("unit", "megatonne-co2")
    assert one(graph, c, CCKG.targetYear).toPython() == 2020
    assert "2.5 亿吨以内" in quote_of(graph, c)


def test_shanghai_cuts_about_15_percent_from_the_peak_by_2040(graph: Graph) -> None:
    c = iri("commitment", "310000-reduction-from-peak-2040")
    assert (c, RDF.type, CCKG.ReductionTarget) in graph
    assert one(graph, c, CCKG.value).toPython() == Decimal(15)
    assert one(graph, c, CCKG.unit) == iri("unit", "percent")
    assert one(graph, c, CCKG.targetYear).toPython() == 2040
    assert one(graph, c, CCKG.relativeToPeak) == Literal(True)
    assert one(graph, c, CCKG.approximate) == Literal(True)


def test_all_shanghai_targets_come_from_the_master_plan(graph: Graph) -> None:
    found = shanghai(graph)
    assert len(found) == 4
    for c in found:
        assert one(graph, c, CCKG.statedIn) == iri("document", "shanghai-master-plan-2017-2035")
    finding = iri("finding", "shanghai-peaks-before-nation")
    assert set(graph.objects(finding, CCKG.mentions)) == {iri("place", "310000"), ID["place/CN"]}


def test_guangdong_before_2030_is_flagged_as_no_specific_year(graph: Graph) -> None:
    c = iri("commitment", "440000-peak-before-2030")
    assert one(graph, c, CCKG.targetYear).toPython() == 2030
    assert one(graph, c, CCKG.timing) == iri("timing", "before")
    assert one(graph, c, CCKG.strength) == iri("strength", "sets")  # 方案中提出
    assert one(graph, c, CCKG.statedIn) == iri("document", "ghg-plan-440000")
    comment = str(one(graph, c, RDFS.comment))
    assert "no specific year" in comment and "nine" in comment


def test_guangzhou_and_shenzhen_strive_to_peak_around_2020(graph: Graph) -> None:
    cities = {}
    for c in graph.subjects(CCKG.committedBy, iri("place", "440000")):
        for place in graph.objects(c, CCKG.appliesTo):
            cities[place] = c
    assert set(cities) == {iri("place", code) for code in ("440000", "440100", "440300")} | {
        iri("place-group", "440000-developed-cities")}
    for code in ("440100", "440300"):
        c = cities[iri("place", code)]
        assert one(graph, c, CCKG.targetYear).toPython() == 2020
        assert one(graph, c, CCKG.timing) == iri("timing", "around")
        assert one(graph, c, CCKG.strength) == iri("strength", "strives")


def test_zhejiang_targets_are_research_level(graph: Graph) -> None:
    research = iri("document", "zhejiang-peak-research")
    targets = set(graph.subjects(CCKG.statedIn, research))
    assert {one(graph, c, RDF.type) for c in targets} == {CCKG.EmissionCapTarget,
                                                           CCKG.PeakTarget}
    assert len(targets) == 3
    for c in targets:
        assert one(graph, c, CCKG.committedBy) == iri("place", "330000")
        assert one(graph, c, CCKG.strength) == iri("strength", "researches")
    cap = iri("commitment", "330000-research-total-co2-controlled-2030")
    assert one(graph, cap, CCKG.targetYear).toPython() == 2030
    assert (iri("commitment", "330000-research-peak-before-nation"), CCKG.targetYear,
            None) not in graph


def test_zhejiang_supports_three_cities_to_peak_by_end_of_13th_fyp(graph: Graph) -> None:
    c = iri("commitment", "330000-hangzhou-ningbo-wenzhou-peak-2020")
    assert set(graph.objects(c, CCKG.appliesTo)) == {
        iri("place", code) for code in ("330100", "330200", "330300")}
    assert one(graph, c, CCKG.targetYear).toPython() == 2020
    assert one(graph, c, CCKG.timing) == iri("timing", "by-end-of")
    assert one(graph, c, CCKG.strength) == iri("strength", "supports")


def test_zhejiang_encourages_third_batch_pilots_to_set_targets(graph: Graph) -> None:
    c = iri("commitment", "330000-third-batch-pilots-set-peak-targets")
    assert (c, RDF.type, CCKG.TargetSettingCommitment) in graph
    assert set(graph.objects(c, CCKG.appliesTo)) == {
        iri("place", code) for code in ("330400", "330700", "330800")} | {
        iri("place-group", "330000-third-batch-pilot-cities")}
    assert one(graph, c, CCKG.strength) == iri("strength", "encourages")


def domain_measures(graph: Graph) -> dict[tuple[str, str], URIRef]:
    """The measures of the four provinces in the four key domains, by (code, domain)."""
    found: dict[tuple[str, str], URIRef] = {}
    for m in graph.subjects(RDF.type, CCKG.Measure):
        code = str(one(graph, m, CCKG.takenBy)).rsplit("/", 1)[-1]
        for d in graph.objects(m, CCKG.measureDomain):
            domain = str(d).rsplit("/", 1)[-1]
            if domain in DOMAINS:
                assert (code, domain) not in found, f"two measures for {code} {domain}"
                found[(code, domain)] = m
    return found


def test_sixteen_domain_measures_one_per_province_and_domain(graph: Graph) -> None:
    found = domain_measures(graph)
    assert set(found) == {(code, d) for code in PROVINCES for d in DOMAINS}
    assert len(set(found.values())) == 16


def test_each_domain_measure_quotes_its_own_province(graph: Graph) -> None:
    quotes = []
    for (code, _domain), m in domain_measures(graph).items():
        quote = quote_of(graph, m)
        assert quote.startswith(PROVINCES[code]), f"{m}: {quote}"
        assert one(graph, m, CCKG.measureDomain) is not None
        quotes.append(quote)
    assert len(set(quotes)) == 16


def test_pilot_and_innovation_measures_of_all_four(graph: Graph) -> None:
    pilots = iri("measure-domain", "pilots-and-innovation")
    counts = Counter(str(one(graph, m, CCKG.takenBy)).rsplit("/", 1)[-1]
                     for m in graph.subjects(CCKG.measureDomain, pilots))
    assert counts == {"110000": 3, "330000": 1, "440000": 4, "310000": 2}
    carbon_market = set(graph.subjects(CCKG.measureDomain, iri("measure-domain", "carbon-market")))
    assert carbon_market == {iri("measure", "440000-carbon-trading-pilot"),
                             iri("measure", "310000-carbon-market")}
