"""Rules that hold across every data file (found by the audit of data against report)."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF

from cckg.rdf.namespaces import CCKG, ID


def test_every_peak_and_support_commitment_names_its_metric(ontology_and_data: Graph):
    missing = [
        str(c)
        for cls in (CCKG.PeakTarget, CCKG.SupportCommitment)
        for c in ontology_and_data.subjects(RDF.type, cls)
        if (c, CCKG.metric, None) not in ontology_and_data
    ]
    assert missing == []


def test_fujian_central_urban_areas_are_covered(ontology_and_data: Graph):
    commitment = ID["commitment/350000-support-optimized-zones-peak"]
    covered = set(ontology_and_data.objects(commitment, CCKG.appliesTo))
    for code in ("350100", "350200", "350500"):
        zone = ID[f"zone/{code}-central-urban-area"]
        assert zone in covered
        assert (zone, CCKG.withinJurisdiction, ID[f"place/{code}"]) in ontology_and_data


def test_groups_named_by_example_list_the_named_places(ontology_and_data: Graph):
    group = ID["place-group/320000-cities-to-set-peak-targets"]
    assert {str(p).rsplit("/", 1)[-1] for p in ontology_and_data.objects(
        group, CCKG.includesPlace)} == {"320800", "320100", "320400", "320200"}
    pilots = ID["place-group/330000-third-batch-pilot-cities"]
    assert (pilots, CCKG.groupDrawnFrom, ID["pilot-batch/low-carbon-3"]) in ontology_and_data


def test_research_is_not_attributed_to_an_issuer_the_report_does_not_name(
    ontology_and_data: Graph,
):
    research = ID["document/zhejiang-peak-research"]
    assert (research, CCKG.issuedBy, None) not in ontology_and_data
