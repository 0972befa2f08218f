"""cckg.pipeline.gazetteer_checks: the types it adds for the gazetteer instead of HermiT are the
ones HermiT infers; and the data's references into the gazetteer validate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from cckg.paths import PATHS
from cckg.pipeline.gazetteer_checks import gazetteer_types, reasoning_graph
from cckg.pipeline.graph_validation import SourceGraph, store_of, validate_store
from cckg.pipeline.load import graph_iri, load_dataset, union_graph
from cckg.pipeline.reason import reason
from cckg.pipeline.validate import load_shapes
from cckg.rdf.namespaces import ID

#: A county of today, a former prefecture and a curated city: the gazetteer's three kinds.
SAMPLE = ("370113", "371200", "350100")


def _small_project(root: Path) -> list[Path]:
    """ontology/, shapes/, places.ttl and a gazetteer.ttl with the SAMPLE places only."""
    for folder in ("ontology", "shapes"):
        shutil.copytree(PATHS.root / folder, root / folder)
    data = root / "data" / "ttl"
    data.mkdir(parents=True)
    shutil.copy(PATHS.data / "places.ttl", data / "places.ttl")
    full = Graph().parse(PATHS.data / "gazetteer.ttl", format="turtle")
    small = Graph()
    for code in SAMPLE:
        for s, p, o in full.triples((ID[f"place/{code}"], None, None)):
            small.add((s, p, o))
            if isinstance(o, BNode):
                for triple in full.triples((o, None, None)):
                    small.add(triple)
    sources = {o for _s, o in small.subject_objects(None) if str(o).startswith(str(ID["source/"]))}
    for source in sources:
        for triple in full.triples((source, None, None)):
            small.add(triple)
    for parent in ("370116",):  # what replaced 371200 (its parents are curated places)
        for triple in full.triples((ID[f"place/{parent}"], None, None)):
            small.add(triple)
    small.serialize(data / "gazetteer.ttl", format="turtle")
    return sorted((root / "ontology").glob("*.ttl")) + sorted(data.glob("*.ttl"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("project")
    return root, _small_project(root)


def test_types_added_for_the_gazetteer_are_what_hermit_infers(
        project: tuple[Path, list[Path]]) -> None:
    root, files = project
    dataset = load_dataset(files, root=root)
    gazetteer = dataset.graph(graph_iri(root / "data" / "ttl" / "gazetteer.ttl", root))
    subjects = {s for s in gazetteer.subjects(RDF.type, None) if isinstance(s, URIRef)}
    hermit = reason(union_graph(dataset)).inferred
    split = reason(reasoning_graph(dataset, root)).inferred + gazetteer_types(dataset, root)
    expected = {t for t in hermit if t[0] in subjects}
    assert expected and {t for t in split if t[0] in subjects} == expected
    assert reasoning_graph(dataset, root).value(ID["place/370113"], RDF.type) is None


def test_the_rest_sees_the_gazetteer_places_its_data_points_to() -> None:
    # Regression: a commitment taken in for a place only the gazetteer has (朝阳市 211300)
    # failed validation ("appliesTo ... a cckg:Place"), because the rest was validated
    # without the gazetteer.
    dataset = load_dataset()
    chaoyang = ID["place/211300"]
    commitment = ID["commitment/test-chaoyang"]
    test_graph = URIRef("https://w3id.org/cckg/graph/data/ttl/sources/test.ttl")
    dataset.graph(test_graph).add(
        (commitment, URIRef("https://w3id.org/cckg/ontology#appliesTo"), chaoyang)
    )
    dataset.graph(test_graph).add(
        (commitment, RDF.type, URIRef("https://w3id.org/cckg/ontology#PeakTarget")))
    source = SourceGraph(str(test_graph), "data/ttl/sources/test.ttl", b"")
    checked = validate_store(store_of(dataset), [source], load_shapes(), "", cache=None)
    assert checked.validated == ("data/ttl/sources/test.ttl",)
    about = {(i.focus_node, str(i.path)) for i in checked.result.violations}
    assert (commitment, "https://w3id.org/cckg/ontology#committedBy") in about  # it bites
    assert (commitment, "https://w3id.org/cckg/ontology#appliesTo") not in about
