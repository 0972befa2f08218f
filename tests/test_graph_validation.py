"""Validation per source graph with a content-hash cache (cckg.pipeline.graph_validation):
it finds what pySHACL finds on the whole graph, skips unchanged files, and still catches a
violation that a change in another file causes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from cckg.paths import PATHS
from cckg.pipeline.graph_validation import inputs_digest
from cckg.pipeline.load import load_dataset
from cckg.pipeline.shape_split import local_shapes, store_checks
from cckg.pipeline.source_validation import check_sources
from cckg.pipeline.validate import ValidationResult, load_shapes
from cckg.rdf.namespaces import ID

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
SHAPE_NAMES = sorted(p.stem for p in FIXTURES.glob("*Shape.ttl"))
BASE = "data/ttl/base.ttl"
EXTRA = "data/ttl/extra.ttl"
HIERARCHY = "ontology/hierarchy.ttl"
#: A commitment in its own file, pointing to a county, a province and a passage of base.ttl.
EXTRA_TTL = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix cckg: <https://w3id.org/cckg/ontology#> .
@prefix place: <https://w3id.org/cckg/id/place/> .
@prefix commitment: <https://w3id.org/cckg/id/commitment/> .
@prefix strength: <https://w3id.org/cckg/id/strength/> .
@prefix passage: <https://w3id.org/cckg/id/passage/> .

commitment:350000-fuqing-peak a cckg:PeakTarget ;
    rdfs:label "Fujian: Fuqing peaks before 2030"@en, "福建：福清2030年前达峰"@zh ;
    cckg:committedBy place:350000 ; cckg:appliesTo place:350181 ;
    cckg:targetYear 2030 ; cckg:strength strength:sets ;
    prov:wasDerivedFrom passage:p1 .
"""
#: The county 福清市 in base.ttl, which the commitment of extra.ttl applies to.
FUQING = re.compile(r"^place:350181 .*?\n\n", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def _tuples(result: ValidationResult) -> set[tuple[object, ...]]:
    return {(i.focus_node, i.path, i.component, i.severity)
            for i in (*result.violations, *result.warnings)}


def _expected(name: str) -> set[tuple[object, ...]]:
    report = Graph().parse(FIXTURES / f"{name}.expected.ttl", format="turtle")
    severity = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
    return {(report.value(r, SH.focusNode), report.value(r, SH.resultPath),
             report.value(r, SH.sourceConstraintComponent),
             severity[report.value(r, SH.resultSeverity)])  # type: ignore[index]
            for r in report.subjects(SH.focusNode, None)}


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_per_graph_validation_finds_what_pyshacl_finds_on_the_whole(
        name: str, shapes: Graph, tmp_path: Path) -> None:
    """Each fixture is its own source graph next to base.ttl and the hierarchy, so every
    reference from the fixture into the base crosses graphs."""
    files = []
    for file in ("_hierarchy.ttl", "_base.ttl", f"{name}.ttl"):
        files.append(tmp_path / "data" / "ttl" / file)
        files[-1].parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / file, files[-1])
    checked = check_sources(load_dataset(files, root=tmp_path), shapes, root=tmp_path)
    assert checked.cached == () and len(checked.validated) == 3
    assert _tuples(checked.result) == _expected(name), checked.result.format_report()


def test_every_constraint_taken_out_of_the_local_shapes_is_checked_over_the_store(
        shapes: Graph) -> None:
    local = local_shapes(shapes)
    removed = {s for s, p, _o in set(shapes) - set(local) if p != SH.target}
    compiled = {check.shape for check in store_checks(shapes)}
    assert removed and removed <= compiled
    assert not set(local.triples((None, SH.sparql, None)))
    assert {c.component for c in store_checks(shapes)} == {
        SH.ClassConstraintComponent, SH.OrConstraintComponent, SH.XoneConstraintComponent,
        SH.QualifiedMinCountConstraintComponent, SH.SPARQLConstraintComponent}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the shapes, a class hierarchy as its ontology, base.ttl and extra.ttl."""
    shutil.copytree(PATHS.shapes, tmp_path / "shapes")
    for rel, text in ((HIERARCHY, (FIXTURES / "_hierarchy.ttl").read_text(encoding="utf-8")),
                      (BASE, (FIXTURES / "_base.ttl").read_text(encoding="utf-8")),
                      (EXTRA, EXTRA_TTL)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def _check(root: Path) -> tuple[ValidationResult, tuple[str, ...], tuple[str, ...]]:
    files = [root / HIERARCHY, root / BASE, root / EXTRA]
    checked = check_sources(load_dataset(files, root=root), root=root, cache=root / "var")
    return checked.result, checked.validated, checked.cached


def test_only_a_changed_file_is_validated_again(project: Path) -> None:
    result, validated, cached = _check(project)
    assert result.conforms, result.format_report()
    assert (validated, cached) == ((BASE, EXTRA, HIERARCHY), ())
    result, validated, cached = _check(project)
    assert result.conforms
    assert (validated, cached) == ((), (BASE, EXTRA, HIERARCHY))
    extra = project / EXTRA
    extra.write_text(extra.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    result, validated, cached = _check(project)
    assert result.conforms
    assert (validated, cached) == ((EXTRA,), (BASE, HIERARCHY))


def test_a_cross_graph_violation_is_caught_when_the_referring_file_is_cached(
        project: Path) -> None:
    assert _check(project)[0].conforms
    base = project / BASE
    text, removed = FUQING.subn("", base.read_text(encoding="utf-8"))
    assert removed == 1
    base.write_text(text, encoding="utf-8")
    result, validated, cached = _check(project)
    assert validated == (BASE,) and EXTRA in cached
    (item,) = result.violations
    assert item.focus_node == ID["commitment/350000-fuqing-peak"]
    assert item.value == ID["place/350181"] and item.file == EXTRA
    assert item.component == SH.OrConstraintComponent
    assert "cckg:Place or cckg:PlaceGroup" in item.message


def test_a_file_with_a_violation_is_not_cached(project: Path) -> None:
    extra = project / EXTRA
    extra.write_text(extra.read_text(encoding="utf-8").replace(
        "cckg:strength strength:sets ;", ""), encoding="utf-8")
    for _ in range(2):
        result, validated, _cached = _check(project)
        assert EXTRA in validated
        assert [(i.focus_node, i.path) for i in result.violations] == [
            (ID["commitment/350000-fuqing-peak"],
             URIRef("https://w3id.org/cckg/ontology#strength"))]


def test_the_shared_inputs_digest_follows_shapes_and_ontology(project: Path) -> None:
    shapes = sorted((project / "shapes").glob("*.ttl"))
    ontology = [project / HIERARCHY]
    before = inputs_digest(shapes, ontology)
    (project / HIERARCHY).write_text("# changed\n", encoding="utf-8")
    assert inputs_digest(shapes, ontology) != before
    assert inputs_digest(shapes, []) != inputs_digest(shapes[1:], [])
