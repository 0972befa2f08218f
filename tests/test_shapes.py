"""The SHACL shapes: each bites on its invalid fixture exactly as expected, the valid base
graph passes untouched, and the real ontology + data conform."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from cckg.errors import SyntaxErrorInFile
from cckg.paths import PATHS
from cckg.pipeline.load import load_dataset
from cckg.pipeline.source_validation import check_sources, validate_sources
from cckg.pipeline.validate import ValidationResult, load_shapes, validate_dataset, validate_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
SHAPES_NS = "https://w3id.org/cckg/shapes#"
Result = tuple[Node, Node | None, Node, Node]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def _fixture_graph(*names: str) -> Graph:
    graph = Graph()
    for name in ("_base.ttl", "_hierarchy.ttl", *names):
        graph.parse(FIXTURES / name, format="turtle")
    return graph


def _tested_shapes(shapes: Graph) -> set[URIRef]:
    """Every shape that selects its own focus nodes (a target) or runs a SPARQL constraint."""
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.sparql)
    return {s for p in targets for s in shapes.subjects(p, None) if isinstance(s, URIRef)}


def _tuples_from_report(report: Graph) -> set[Result]:
    """(focus node, path, component, severity) of every result in a report graph."""
    return {
        (
            report.value(r, SH.focusNode),
            report.value(r, SH.resultPath),
            report.value(r, SH.sourceConstraintComponent),
            report.value(r, SH.resultSeverity),
        )
        for rep in report.subjects(RDF.type, SH.ValidationReport)
        for r in report.objects(rep, SH.result)
    }


def _tuples_from_result(result: ValidationResult) -> set[Result]:
    severity = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}
    return {
        (i.focus_node, i.path, i.component, severity[i.severity])
        for i in (*result.violations, *result.warnings)
    }


def _owned_by(shape: URIRef, shapes: Graph) -> set[Node]:
    """The shape and the property shapes it uses: the possible sources of its results."""
    return {shape, *shapes.objects(shape, SH.property)}


SHAPE_NAMES = sorted(p.stem for p in FIXTURES.glob("*Shape.ttl"))


def test_every_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    names = {str(s).removeprefix(SHAPES_NS) for s in _tested_shapes(shapes)}
    assert names, "no shapes found in shapes/"
    assert names == set(SHAPE_NAMES)
    for name in names:
        assert (FIXTURES / f"{name}.expected.ttl").is_file(), name


def test_every_shape_has_a_label_and_a_message(shapes: Graph) -> None:
    nodes = set(_tested_shapes(shapes)) | set(shapes.objects(None, SH.property))
    nodes |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert len(nodes) > 100
    for node in nodes:
        constraints = [node, *shapes.objects(node, SH.sparql)]
        labels = {lbl.language for c in constraints for lbl in shapes.objects(c, RDFS.label)}
        assert {"en", "zh"} <= labels, f"{node} lacks an @en or @zh rdfs:label"
        assert any(shapes.value(c, SH.message) for c in constraints), f"{node} lacks sh:message"


def test_base_graph_conforms_with_no_result_at_all(shapes: Graph) -> None:
    result = validate_graph(_fixture_graph(), shapes)
    assert result.conforms
    assert result.violations == () and result.warnings == (), result.format_report()


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_shape_bites_on_its_fixture(name: str, shapes: Graph) -> None:
    result = validate_graph(_fixture_graph(f"{name}.ttl"), shapes)
    expected_report = Graph().parse(FIXTURES / f"{name}.expected.ttl", format="turtle")
    expected = _tuples_from_report(expected_report)
    assert expected, f"{name}.expected.ttl lists no result"
    assert _tuples_from_result(result) == expected, result.format_report()
    sources = {i.source_shape for i in (*result.violations, *result.warnings)}
    assert sources & _owned_by(URIRef(SHAPES_NS + name), shapes), (
        f"no result of {name}.ttl comes from cckgsh:{name} itself"
    )
    conforms = next(expected_report.objects(None, SH.conforms))
    assert result.conforms is conforms.toPython()


def test_mismatched_peak_is_a_warning_that_does_not_fail(shapes: Graph) -> None:
    result = validate_graph(_fixture_graph("PeakLaterThanProvinceShape.ttl"), shapes)
    assert result.conforms
    assert result.violations == ()
    city = URIRef("https://w3id.org/cckg/id/commitment/350100-peak-2035")
    warning = next(w for w in result.warnings if w.focus_node == city)
    assert warning.severity == "Warning"
    assert "2035" in warning.message and "2030" in warning.message


def test_report_names_file_node_path_and_message(tmp_path: Path, shapes: Graph) -> None:
    data = tmp_path / "data" / "ttl"
    data.mkdir(parents=True)
    for name in ("_base.ttl", "_hierarchy.ttl", "ZoneShape.ttl"):
        (data / name).write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    dataset = load_dataset(sorted(data.glob("*.ttl")), root=tmp_path)
    result = validate_dataset(dataset, shapes)
    assert not result.conforms
    (item,) = result.violations
    assert item.file == "data/ttl/ZoneShape.ttl"
    assert result.format_report() == (
        "data/ttl/ZoneShape.ttl: id:zone/nowhere — cckg:withinJurisdiction — "
        "a cckg:Zone needs cckg:withinJurisdiction: the jurisdiction it lies in."
    )


def test_broken_shapes_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "good.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n")
    (tmp_path / "broken.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y\n")
    with pytest.raises(SyntaxErrorInFile) as err:
        load_shapes(tmp_path)
    assert "broken.ttl" in err.value.message and "How to fix" in err.value.message


@pytest.mark.timeout(1200)
def test_real_ontology_and_data_conform() -> None:
    """As the build validates: per source file, each file's result cached by content hash
    (the first run on a checkout validates every file)."""
    assert PATHS.source_files(), "no ontology or data files found"
    result = validate_sources(load_dataset())
    assert result.conforms, result.format_report()


def test_a_broken_gazetteer_is_reported_on_every_run(tmp_path: Path) -> None:
    """A broken gazetteer fails validation, and is validated again on the next run (a file
    with a violation is never cached)."""
    root = tmp_path
    for folder in ("ontology", "shapes"):
        shutil.copytree(PATHS.root / folder, root / folder)
    data = root / "data" / "ttl"
    data.mkdir(parents=True)
    shutil.copy(PATHS.data / "places.ttl", data / "places.ttl")
    (data / "gazetteer.ttl").write_text(
        "@prefix cckg: <https://w3id.org/cckg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/cckg/id/place/350102> a cckg:County ;\n"
        '    rdfs:label "Gulou"@en, "鼓楼区"@zh ; cckg:adminCode "350100" ;\n'
        "    cckg:withinJurisdiction <https://w3id.org/cckg/id/place/350100> .\n",
        encoding="utf-8")
    files = sorted((root / "ontology").glob("*.ttl")) + sorted(data.glob("*.ttl"))
    for _ in range(2):
        checked = check_sources(load_dataset(files, root=root), root=root,
                                cache=tmp_path / "cache")
        messages = checked.result.format_report()
        assert not checked.result.conforms
        assert "data/ttl/gazetteer.ttl: id:place/350102" in messages
        assert "also the code of" in messages  # PlaceCodeUniqueShape: 350100 is Fuzhou's
        assert "data/ttl/gazetteer.ttl" in checked.validated
