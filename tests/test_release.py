"""The ontology release: every artifact is written and readable, the JSON-LD context types
data correctly, the HTML lands hash IRIs on their terms, and the release refuses without a
CHANGELOG section or when a released term was deleted instead of deprecated."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import owlready2
import pytest
import typer
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from typer.testing import CliRunner

from cckg import __version__
from cckg.cli.release import release
from cckg.paths import PATHS
from cckg.pipeline.load import version_iri
from cckg.pipeline.release import (
    RELEASED_TERMS,
    ReleaseRefused,
    cckg_terms,
    check_changelog,
    merged_ontology,
    removed_terms,
    write_release,
)
from cckg.rdf.namespaces import CCKG, ONTOLOGY_IRI

ONTOLOGY = URIRef(ONTOLOGY_IRI)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    write_release(out)
    return out / "ontology" / __version__


def test_release_writes_every_artifact(released: Path) -> None:
    names = {p.name for p in released.iterdir()}
    assert names == {"cckg.ttl", "cckg.rdf", "cckg.jsonld", "cckg.owl", "cckg.owx",
                     "context.jsonld", "index.html", "released-terms.txt"}


@pytest.mark.parametrize(("name", "fmt"), [("cckg.ttl", "turtle"), ("cckg.rdf", "xml"),
                                           ("cckg.jsonld", "json-ld"), ("cckg.owl", "xml")])
def test_serialisations_carry_the_stamped_ontology(released: Path, name: str, fmt: str) -> None:
    graph = Graph().parse(released / name, format=fmt)
    assert graph.value(ONTOLOGY, OWL.versionIRI) == version_iri()
    assert str(graph.value(ONTOLOGY, OWL.versionInfo)) == __version__
    assert set(cckg_terms(graph)) == set(cckg_terms(merged_ontology()))


def test_owl_file_loads_in_owlready2(released: Path) -> None:
    world = owlready2.World()
    onto = world.get_ontology((released / "cckg.owl").as_uri()).load()
    assert onto.PeakTarget is not None
    assert onto.Commitment in onto.PeakTarget.is_a


def test_context_types_object_and_data_properties(released: Path) -> None:
    context = json.loads((released / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["committedBy"] == {"@id": "cckg:committedBy", "@type": "@id"}
    assert context["targetYear"] == {"@id": "cckg:targetYear", "@type": "xsd:integer"}
    assert context["quote"] == {"@id": "cckg:quote", "@container": "@language"}
    assert context["cckg"] == str(CCKG)


def test_context_turns_plain_json_into_cckg_triples(released: Path) -> None:
    context = json.loads((released / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    doc = {
        "@context": context,
        "@id": "https://w3id.org/cckg/id/commitment/120000-overall-peak",
        "@type": "PeakTarget",
        "committedBy": "https://w3id.org/cckg/id/place/120000",
        "targetYear": "2025",
        "quote": {"zh": "天津 2025年左右达峰"},
    }
    graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    subject = URIRef(doc["@id"])
    assert (subject, RDF.type, CCKG.PeakTarget) in graph
    assert graph.value(subject, CCKG.committedBy) == URIRef(doc["committedBy"])
    assert graph.value(subject, CCKG.targetYear) == Literal(2025)
    assert graph.value(subject, CCKG.quote) == Literal("天津 2025年左右达峰", lang="zh")


def test_html_has_an_anchor_for_every_term(released: Path) -> None:
    html = (released / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'id="([^"]+)"', html))
    locals_ = {t.removeprefix(str(CCKG)) for t in cckg_terms(merged_ontology())}
    assert locals_ <= ids
    assert "气候承诺知识图谱本体" in html and __version__ in html


def test_released_terms_match_the_ontology(released: Path) -> None:
    lines = (released / "released-terms.txt").read_text(encoding="utf-8").splitlines()
    assert [x for x in lines if not x.startswith("#")] == cckg_terms(merged_ontology())


def test_release_refuses_without_changelog_section(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [0.0.9] - 2026-01-01\n", encoding="utf-8")
    with pytest.raises(ReleaseRefused, match=f"no section for version {__version__}"):
        write_release(tmp_path / "dist", changelog=changelog)
    assert not (tmp_path / "dist").exists()


def test_project_changelog_has_this_version() -> None:
    check_changelog()


def test_frozen_term_list_terms_are_present_or_deprecated() -> None:
    assert RELEASED_TERMS.exists()
    assert removed_terms(merged_ontology()) == []


def copy_ontology(tmp_path: Path) -> Path:
    target = tmp_path / "ontology"
    shutil.copytree(PATHS.ontology, target)
    return target


def test_deleting_a_released_term_is_refused(tmp_path: Path) -> None:
    onto_dir = copy_ontology(tmp_path)
    ttl = onto_dir / "cckg.ttl"
    text = ttl.read_text(encoding="utf-8")
    start = text.index("cckg:relativeToPeak a owl:DatatypeProperty")
    ttl.write_text(text[:start] + text[text.index("\n\n", start) + 2:], encoding="utf-8")
    graph = merged_ontology(onto_dir)
    assert removed_terms(graph) == [str(CCKG.relativeToPeak)]
    with pytest.raises(ReleaseRefused, match="relativeToPeak"):
        write_release(tmp_path / "dist", ontology_dir=onto_dir)


def test_deprecating_a_released_term_is_allowed(tmp_path: Path) -> None:
    graph = merged_ontology()
    graph.remove((CCKG.relativeToPeak, None, None))
    graph.add((CCKG.relativeToPeak, OWL.deprecated, Literal(True)))
    assert removed_terms(graph) == []


def test_cli_command_writes_release_without_touching_frozen_list(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(release)
    before = RELEASED_TERMS.read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["--out", str(tmp_path), "--no-freeze"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ontology" / __version__ / "cckg.owl").exists()
    assert RELEASED_TERMS.read_text(encoding="utf-8") == before


def test_citation_cff_has_required_fields_and_current_version() -> None:
    text = (PATHS.root / "CITATION.cff").read_text(encoding="utf-8")
    keys = set(re.findall(r"^([a-z-]+):", text, re.MULTILINE))
    assert {"cff-version", "message", "title", "authors", "version", "license"} <= keys
    assert re.search(r'^cff-version: "?1\.2\.0"?$', text, re.MULTILINE)
    assert re.search(rf'^version: "{re.escape(__version__)}"$', text, re.MULTILINE)
    assert re.search(r"^license: CC-BY-4\.0$", text, re.MULTILINE)


def test_licence_files_name_their_licences() -> None:
    assert (PATHS.root / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "creativecommons.org/licenses/by/4.0/" in (
        PATHS.root / "LICENSE-DATA"
    ).read_text(encoding="utf-8")


def test_owl_xml_reads_back_with_every_class_and_property(released: Path):
    import pyhornedowl

    from cckg.pipeline.release import cckg_terms, merged_ontology
    from cckg.rdf.namespaces import CCKG

    text = (released / "cckg.owx").read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<Ontology" in text
    onto = pyhornedowl.open_ontology_from_file(str(released / "cckg.owx"))
    declared = set(onto.get_classes()) | set(onto.get_object_properties()) | set(
        onto.get_data_properties()
    )
    expected = {t for t in cckg_terms(merged_ontology()) if t.startswith(str(CCKG))}
    missing = {t for t in expected if t not in declared}
    assert not missing - set(onto.get_annotation_properties()), missing
