"""Release the ontology for reuse: the merged, version-stamped ontology in several formats,
a JSON-LD context for data users, HTML documentation and the frozen list of released terms,
under dist/ontology/<version>/.

A release refuses to run when CHANGELOG.md has no section for the version, or when a term
of the previous release is gone from the ontology (deprecate it, never delete it).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import owlready2
import pyhornedowl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from cckg import __version__
from cckg.errors import CckgError
from cckg.paths import PATHS
from cckg.pipeline.load import load_dataset, union_graph
from cckg.pipeline.ontology_docs import render_ontology_html
from cckg.rdf.formats import JSONLD, RDFXML, TURTLE
from cckg.rdf.namespaces import CCKG, ONTOLOGY_IRI, PREFIXES

TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
CHANGELOG = PATHS.root / "CHANGELOG.md"
RELEASED_TERMS = PATHS.ontology / "released-terms.txt"
#: The formats of the released ontology, each written as cckg.<extension>.
RELEASE_FORMATS = (TURTLE, RDFXML, JSONLD)


class ReleaseRefused(CckgError):
    """A release precondition does not hold."""


def merged_ontology(ontology_dir: Path = PATHS.ontology) -> Graph:
    """ontology/*.ttl in one graph, with owl:versionInfo/versionIRI stamped by the loader."""
    files = sorted(ontology_dir.glob("*.ttl"))
    if not files:
        raise ReleaseRefused(
            "no ontology files", where=str(ontology_dir), fix="run from the repository root"
        )
    return union_graph(load_dataset(files, root=ontology_dir.parent))


def cckg_terms(graph: Graph) -> list[str]:
    """Every declared term in the cckg namespace, sorted."""
    return sorted(
        {str(t) for kind in TERM_KINDS for t in graph.subjects(RDF.type, kind)
         if str(t).startswith(str(CCKG))}
    )


def check_changelog(version: str = __version__, changelog: Path = CHANGELOG) -> None:
    """Refuse unless CHANGELOG.md has a `## [<version>]` section."""
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else ""
    if not re.search(rf"^## \[{re.escape(version)}\]", text, re.MULTILINE):
        raise ReleaseRefused(
            f"CHANGELOG.md has no section for version {version}",
            where=str(changelog),
            fix=f"add a '## [{version}] - <date>' section saying what changed, then release",
        )


def removed_terms(graph: Graph, released: Path = RELEASED_TERMS) -> list[str]:
    """Terms of the previous release that are neither declared nor deprecated now."""
    if not released.exists():
        return []
    previous = [line.strip() for line in released.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    present = set(cckg_terms(graph))
    deprecated = {str(s) for s in graph.subjects(OWL.deprecated, Literal(True))}
    return [t for t in previous if t not in present and t not in deprecated]


def check_no_removed_terms(graph: Graph, released: Path = RELEASED_TERMS) -> None:
    """Refuse if a previously released term was deleted instead of deprecated."""
    gone = removed_terms(graph, released)
    if gone:
        raise ReleaseRefused(
            f"terms of the previous release are gone: {', '.join(gone)}",
            where=str(released),
            fix="put them back with owl:deprecated true and dcterms:isReplacedBy <new term>",
        )


def jsonld_context(graph: Graph) -> dict[str, object]:
    """A JSON-LD context: the prefixes, every cckg class, and every cckg property with
    `@type: @id` (object properties) or its XSD datatype (data properties)."""
    context: dict[str, object] = dict(PREFIXES)
    for cls in graph.subjects(RDF.type, OWL.Class):
        if str(cls).startswith(str(CCKG)):
            context[str(cls).removeprefix(str(CCKG))] = f"cckg:{str(cls).removeprefix(str(CCKG))}"
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(str(CCKG)):
            name = str(prop).removeprefix(str(CCKG))
            context[name] = {"@id": f"cckg:{name}", "@type": "@id"}
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        if str(prop).startswith(str(CCKG)):
            name = str(prop).removeprefix(str(CCKG))
            rng = graph.value(prop, RDFS.range)
            entry: dict[str, str] = {"@id": f"cckg:{name}"}
            if isinstance(rng, URIRef) and str(rng).startswith(str(XSD)):
                entry["@type"] = f"xsd:{rng.removeprefix(str(XSD))}"
            else:
                entry["@container"] = "@language"
            context[name] = entry
    return {"@context": dict(sorted(context.items()))}


def write_owl(graph: Graph, path: Path) -> None:
    """Write the ontology through owlready2 (RDF/XML, the form Protégé and the OWL API read;
    owlready2 reads OWL/XML but cannot write it)."""
    world = owlready2.World()
    data = graph.serialize(format="nt", encoding="utf-8")
    onto = world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(data), format="ntriples")
    onto.save(file=str(path), format="rdfxml")


def write_owl_xml(owl_rdfxml: Path, path: Path) -> None:
    """Write the ontology as OWL/XML (the OWL 2 XML serialisation ROBOT and the OWL API
    read) with py-horned-owl, from the RDF/XML that owlready2 wrote."""
    onto = pyhornedowl.open_ontology_from_file(str(owl_rdfxml))
    onto.save_to_file(str(path), serialization="owx")


def write_release(
    out_dir: Path,
    *,
    ontology_dir: Path = PATHS.ontology,
    changelog: Path = CHANGELOG,
    released_terms: Path = RELEASED_TERMS,
) -> list[Path]:
    """Write the release of the current version under out_dir/ontology/<version>/ and
    return the files written."""
    check_changelog(__version__, changelog)
    graph = merged_ontology(ontology_dir)
    check_no_removed_terms(graph, released_terms)
    target = out_dir / "ontology" / __version__
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in RELEASE_FORMATS:
        path = target / f"cckg.{fmt.extension}"
        options: dict[str, Any] = {"auto_compact": True} if fmt is JSONLD else {}
        graph.serialize(str(path), format=str(fmt.rdflib_format), encoding="utf-8", **options)
        written.append(path)
    write_owl(graph, target / "cckg.owl")
    write_owl_xml(target / "cckg.owl", target / "cckg.owx")
    written += [target / "cckg.owl", target / "cckg.owx"]
    context = target / "context.jsonld"
    context.write_text(json.dumps(jsonld_context(graph), indent=2) + "\n", encoding="utf-8")
    html = target / "index.html"
    html.write_text(render_ontology_html(graph), encoding="utf-8")
    terms = target / "released-terms.txt"
    terms.write_text(
        f"# cckg terms released in {__version__}; never delete one (deprecate it)\n"
        + "".join(f"{t}\n" for t in cckg_terms(graph)),
        encoding="utf-8",
    )
    written += [context, html, terms]
    return written


def freeze_released_terms(release_dir: Path, released_terms: Path = RELEASED_TERMS) -> None:
    """Copy a release's term list to ontology/released-terms.txt (what the next release and
    the deprecation test compare against)."""
    released_terms.write_text(
        (release_dir / "released-terms.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
