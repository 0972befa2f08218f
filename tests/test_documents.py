"""data/ttl/documents.ttl and the notices in groups.ttl: the documents the sources name."""

from __future__ import annotations

import re

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID, SCHEMA

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
DOCUMENTS = PATHS.data / "documents.ttl"
GROUPS = PATHS.data / "groups.ttl"
#: slug -> document type, for every document other engineers reference.
EXPECTED = {
    "report-regional-peaking-2018": "research-report",
    "un-climate-summit-2014-statement": "speech",
    "paris-cop21-opening-speech-2015": "speech",
    "ndc-2015": "ndc",
    "13th-fyp-outline": "five-year-plan-outline",
    "13th-fyp-ghg-work-plan": "work-plan",
    "shanghai-master-plan-2017-2035": "master-plan",
    "zhejiang-peak-research": "research-report",
    "ghg-plan-110000": "special-plan",
    "ghg-plan-440000": "work-plan",
    "ghg-plan-120000": "ghg-control-plan",
    "low-carbon-pilot-batch-1-notice": "notice",
    "low-carbon-pilot-batch-3-notice": "notice",
}
AUTHORS = {"cao-ying": "曹颖", "liu-qiang": "刘强", "li-xiaomei": "李晓梅",
           "zhao-xuchen": "赵旭晨", "xu-huaqing": "徐华清"}


@pytest.fixture(scope="module")
def docs() -> Graph:
    graph = Graph()
    for path in (DOCUMENTS, GROUPS, PATHS.data / "places.ttl"):
        graph.parse(path, format="turtle")
    return graph


def doc(slug: str) -> URIRef:
    return ID[f"document/{slug}"]


def langs(graph: Graph, node: URIRef, prop: URIRef) -> dict[str, str]:
    return {o.language: str(o) for o in graph.objects(node, prop)
            if isinstance(o, Literal) and o.language}


def year_problems(graph: Graph) -> list[str]:
    """Documents whose cckg:issuedYear disagrees with the year of dcterms:issued."""
    problems = []
    for node, year in graph.subject_objects(CCKG.issuedYear):
        issued = graph.value(node, DCTERMS.issued)
        if issued is None or str(issued)[:4] != str(year.toPython()):
            problems.append(f"{node}: issuedYear {year} vs issued {issued}")
    return problems


@pytest.mark.parametrize("path", [DOCUMENTS, GROUPS])
def test_parses_in_rdflib_and_pyoxigraph(path) -> None:
    graph = Graph().parse(path, format="turtle")
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(graph) > 50


@pytest.mark.parametrize(("slug", "kind"), sorted(EXPECTED.items()))
def test_named_documents_exist_with_titles_and_types(docs: Graph, slug: str, kind: str) -> None:
    node = doc(slug)
    assert (node, RDF.type, CCKG.PolicyDocument) in docs
    assert set(langs(docs, node, DCTERMS.title)) == {"en", "zh"}
    assert set(langs(docs, node, RDFS.label)) == {"en", "zh"}
    assert docs.value(node, CCKG.documentType) == ID[f"document-type/{kind}"]


def test_31_provincial_ghg_plans_issued_by_their_provinces(docs: Graph) -> None:
    plans = {d for d in docs.subjects(RDF.type, CCKG.PolicyDocument)
             if str(d).split("/")[-1].startswith("ghg-plan-")}
    assert len(plans) == 31
    for plan in plans:
        code = str(plan).rsplit("-", 1)[-1]
        assert docs.value(plan, CCKG.issuedBy) == ID[f"place/{code}"]
        assert (ID[f"place/{code}"], RDF.type, CCKG.Province) in docs


def test_key_titles_and_dates(docs: Graph) -> None:
    assert langs(docs, doc("ndc-2015"), DCTERMS.title)["zh"] == (
        "强化应对气候变化行动——中国国家自主贡献")
    assert docs.value(doc("ndc-2015"), DCTERMS.issued) == Literal("2015-06-30", datatype=XSD_DATE)
    assert langs(docs, doc("paris-cop21-opening-speech-2015"), DCTERMS.title)["zh"] == (
        "携手构建合作共赢、公平合理的气候变化治理机制")
    assert langs(docs, doc("ghg-plan-110000"), DCTERMS.title)["zh"] == (
        "北京市“十三五”时期节能降耗及应对气候变化规划")
    assert langs(docs, doc("shanghai-master-plan-2017-2035"), DCTERMS.title)["zh"] == (
        "上海市城市总体规划（2017-2035年）")
    assert docs.value(doc("13th-fyp-ghg-work-plan"), CCKG.issuedBy) == ID[
        "organisation/state-council"]
    assert docs.value(doc("low-carbon-pilot-batch-1-notice"), CCKG.issuedBy) == ID[
        "organisation/ndrc"]
    assert docs.value(doc("report-regional-peaking-2018"), DCTERMS.issued) == Literal(
        "2018", datatype=XSD_GYEAR)


def test_issued_year_agrees_with_issued_date(docs: Graph) -> None:
    assert year_problems(docs) == []


def test_year_check_bites_on_a_mismatch(docs: Graph) -> None:
    broken = Graph()
    for triple in docs:
        broken.add(triple)
    broken.set((doc("ndc-2015"), CCKG.issuedYear, Literal(2016)))
    assert year_problems(broken) == [
        f"{doc('ndc-2015')}: issuedYear 2016 vs issued 2015-06-30"]


def test_every_issuer_is_a_place_or_organisation(docs: Graph) -> None:
    for issuer in set(docs.objects(None, CCKG.issuedBy)):
        kinds = set(docs.objects(issuer, RDF.type))
        assert kinds & {CCKG.Province, CCKG.Nation, CCKG.Organisation}, issuer
        assert set(langs(docs, issuer, RDFS.label)) == {"en", "zh"}


def test_the_report_has_its_five_authors(docs: Graph) -> None:
    creators = set(docs.objects(doc("report-regional-peaking-2018"), DCTERMS.creator))
    assert creators == {ID[f"person/{slug}"] for slug in AUTHORS}
    for slug, name in AUTHORS.items():
        person = ID[f"person/{slug}"]
        assert {SCHEMA.Person, FOAF.Person} <= set(docs.objects(person, RDF.type))
        assert langs(docs, person, RDFS.label)["zh"] == name


def test_the_reports_names_for_documents_are_recorded(docs: Graph) -> None:
    report = re.sub(r"\s+", "", PATHS.report.read_text(encoding="utf-8"))
    for slug in ("ghg-plan-110000", "shanghai-master-plan-2017-2035", "13th-fyp-outline"):
        names = [str(o) for o in docs.objects(doc(slug), SKOS.altLabel)]
        assert names and all(f"《{n}》" in report for n in names), slug
