"""The report's diagnosis and advice (data/ttl/findings.ttl), and the provenance of every fact
in the running-text files (national, observations, developed-provinces, findings)."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID

FINDINGS = PATHS.data / "findings.ttl"
RUNNING_TEXT = [PATHS.data / f"{name}.ttl"
                for name in ("national", "observations", "developed-provinces", "findings")]
REPORT = ID["document/report-regional-peaking-2018"]

FACT_CLASSES = [CCKG[name] for name in (
    "PeakTarget", "EmissionCapTarget", "IntensityTarget", "ReductionTarget",
    "TargetSettingCommitment", "ResearchCommitment", "SupportCommitment",
    "Measure", "Observation", "Finding", "Recommendation")]
DESCRIBED = {CCKG.Measure, CCKG.Finding, CCKG.Recommendation}
MENTIONING = {CCKG.Finding, CCKG.Recommendation}


def iri(kind: str, key: str) -> URIRef:
    """The IRI of a thing: id/<kind>/<key>."""
    return ID[f"{kind}/{key}"]


def languages(graph: Graph, subject: URIRef, prop: URIRef) -> set[str | None]:
    """The language tags of the literal values of `prop` on `subject`."""
    return {o.language for o in graph.objects(subject, prop) if isinstance(o, Literal)}


def passage_problems(graph: Graph, passage: URIRef) -> list[str]:
    """What a fact's source passage lacks: quote @zh, section, the report, en+zh labels."""
    problems = []
    if (passage, RDF.type, CCKG.SourcePassage) not in graph:
        problems.append(f"{passage}: not a cckg:SourcePassage")
    if languages(graph, passage, CCKG.quote) != {"zh"}:
        problems.append(f"{passage}: needs one cckg:quote @zh")
    if (passage, CCKG.section, None) not in graph:
        problems.append(f"{passage}: no cckg:section")
    if (passage, CCKG.passageOf, REPORT) not in graph:
        problems.append(f"{passage}: not cckg:passageOf the report")
    if languages(graph, passage, RDFS.label) != {"en", "zh"}:
        problems.append(f"{passage}: needs rdfs:label @en and @zh")
    return problems


def provenance_problems(graph: Graph) -> tuple[int, list[str]]:
    """Count the facts in `graph` and list each one without a full quoted source."""
    count, problems = 0, []
    for cls in FACT_CLASSES:
        for fact in graph.subjects(RDF.type, cls):
            count += 1
            if languages(graph, fact, RDFS.label) != {"en", "zh"}:
                problems.append(f"{fact}: needs rdfs:label @en and @zh")
            if cls in DESCRIBED and "en" not in languages(graph, fact, DCTERMS.description):
                problems.append(f"{fact}: needs dcterms:description @en")
            if cls in MENTIONING and (fact, CCKG.mentions, None) not in graph:
                problems.append(f"{fact}: mentions nothing")
            passages = list(graph.objects(fact, PROV.wasDerivedFrom))
            if not passages:
                problems.append(f"{fact}: no prov:wasDerivedFrom")
            for passage in passages:
                problems += passage_problems(graph, passage)
    return count, problems


@pytest.fixture(scope="module")
def running_text() -> Graph:
    graph = Graph()
    for path in RUNNING_TEXT:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def findings() -> Graph:
    return Graph().parse(FINDINGS, format="turtle")


def test_every_fact_of_the_running_text_has_a_quoted_passage(running_text: Graph) -> None:
    count, problems = provenance_problems(running_text)
    assert count == 124
    assert not problems, "\n".join(problems)


def test_a_fact_without_its_passage_is_caught(running_text: Graph) -> None:
    broken = Graph()
    for triple in running_text:
        broken.add(triple)
    roadmap = iri("recommendation", "national-peaking-roadmap")
    broken.remove((roadmap, PROV.wasDerivedFrom, None))
    passage = iri("passage", "section-1-1-ndc")
    broken.remove((passage, CCKG.quote, None))
    _, problems = provenance_problems(broken)
    assert f"{roadmap}: no prov:wasDerivedFrom" in problems
    assert f"{passage}: needs one cckg:quote @zh" in problems


def test_every_identifier_the_running_text_uses_is_defined(running_text: Graph) -> None:
    defined = Graph()
    for path in PATHS.source_files():
        defined.parse(path, format="turtle")
    undefined = sorted({
        str(o) for o in running_text.objects()
        if isinstance(o, URIRef) and str(o).startswith(str(ID))
        and (o, RDF.type, None) not in defined
    })
    assert not undefined, "\n".join(undefined)
    assert (iri("sector", "no-such-sector"), RDF.type, None) not in defined


def test_finding_and_recommendation_counts(findings: Graph) -> None:
    assert len(set(findings.subjects(RDF.type, CCKG.Finding))) == 28
    assert len(set(findings.subjects(RDF.type, CCKG.Recommendation))) == 17


def sections(graph: Graph, cls: URIRef) -> Counter[str]:
    """How many facts of `cls` come from each section of the report."""
    return Counter(str(graph.value(p, CCKG.section))
                   for f in graph.subjects(RDF.type, cls)
                   for p in graph.objects(f, PROV.wasDerivedFrom))


def test_findings_cover_sections_one_three_and_four(findings: Graph) -> None:
    by_section = sections(findings, CCKG.Finding)
    assert {s for s in by_section if s.startswith("一")} == {
        "一", "一、一是", "一、二是", "一、三是", "一、四是"}
    assert by_section["三"] == 3
    assert by_section["三、一是"] == 2 and by_section["三、二是"] == 4
    assert by_section["三、三是"] == 4


def test_recommendations_each_have_their_own_quote(findings: Graph) -> None:
    recs = set(findings.subjects(RDF.type, CCKG.Recommendation))
    passages = [p for r in recs for p in findings.objects(r, PROV.wasDerivedFrom)]
    assert len(passages) == len(recs) == len(set(passages))
    quotes = {str(findings.value(p, CCKG.quote)) for p in passages}
    assert len(quotes) == len(recs)
    assert sections(findings, CCKG.Recommendation) == {
        "四、一是": 5, "四、二是": 6, "四、三是": 6}


@pytest.mark.parametrize(("key", "words"), [
    ("top-level-design-early-peaking", "加强顶层设计，推动尽早达峰"),
    ("national-peaking-roadmap", "从国家层面尽早制订碳排放达峰行动路线图"),
    ("total-quantity-control-and-mechanisms", "强化总量控制，完善相关机制"),
    ("sector-region-allocation", "碳排放总量控制目标的行业、地区分解机制"),
    ("developed-regions-total-control-targets", "针对经济发达地区"),
    ("fragile-regions-total-control-targets", "生态脆弱和开发强度大的地区"),
    ("macro-guidance-and-coordination", "强化宏观指导，加强统筹协调"),
])
def test_recommendation_quotes_its_advice(findings: Graph, key: str, words: str) -> None:
    rec = iri("recommendation", key)
    (passage,) = findings.objects(rec, PROV.wasDerivedFrom)
    assert words in str(findings.value(passage, CCKG.quote))


def test_regional_recommendations_mention_their_regions(findings: Graph) -> None:
    developed = iri("recommendation", "developed-regions-total-control-targets")
    fragile = iri("recommendation", "fragile-regions-total-control-targets")
    assert iri("place-group", "economically-developed-regions") in set(
        findings.objects(developed, CCKG.mentions))
    assert iri("place-group", "ecologically-fragile-and-intensively-developed-regions") in set(
        findings.objects(fragile, CCKG.mentions))


def test_section_three_diagnosis_points(findings: Graph) -> None:
    expected = {
        "conservative-peak-targets": "相对保守",
        "mismatched-target-levels": "不匹配",
        "high-carbon-lock-in": "高碳锁定效应",
        "weak-basic-capacity": "基础能力",
    }
    for key, words in expected.items():
        finding = iri("finding", key)
        assert (finding, RDF.type, CCKG.Finding) in findings
        quotes = [str(findings.value(p, CCKG.quote))
                  for p in findings.objects(finding, PROV.wasDerivedFrom)]
        assert any(words in q for q in quotes), key
