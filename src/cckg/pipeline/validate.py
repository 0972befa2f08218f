"""Step 2 of the build: check ontology + data against the SHACL shapes in shapes/.

pySHACL runs with inference "none": SHACL already follows rdfs:subClassOf in the data
graph (which holds the ontology), and RDFS inference would type every object from the
ranges of its properties, so every `sh:class` check would pass by construction.
Violations make the data non-conformant; warnings (sh:Warning, sh:Info) are reported but
never fail the build. Each result names the file its focus node is described in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from cckg.paths import PATHS
from cckg.pipeline.load import parse_file, union_graph
from cckg.rdf.namespaces import GRAPH, PREFIXES
from cckg.rdf.terms import curie

_SEVERITY: dict[Node | None, str] = {
    SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"
}


def short(node: Node | None) -> str:
    """A compact, readable form of an RDF term for reports (`id:place/350100`)."""
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        text = str(node)
        short_form = curie(text)
        return short_form if short_form != text else f"<{text}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    return node.n3()


@dataclass(frozen=True)
class ValidationItem:
    """One SHACL result: what is wrong, on which node and property, in which file."""

    focus_node: Node | None
    path: Node | None
    message: str
    severity: str
    source_shape: Node | None
    component: Node | None
    value: Node | None = None
    file: str | None = None

    def one_line(self) -> str:
        """`file: focus node — path — message`, the report's line for this result."""
        where = self.file or "(no source file)"
        text = f"{where}: {short(self.focus_node)} — {short(self.path)} — {self.message}"
        if self.value is not None and self.value != self.focus_node:
            text += f" (value: {short(self.value)})"
        return text


@dataclass(frozen=True)
class ValidationResult:
    """All results of one validation; conforms is False only if a violation was found."""

    violations: tuple[ValidationItem, ...]
    warnings: tuple[ValidationItem, ...]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def restricted_to(self, files: set[str]) -> ValidationResult:
        """Only the results about nodes described in one of `files` (names as in reports)."""

        def inside(item: ValidationItem) -> bool:
            return bool(item.file) and not files.isdisjoint(str(item.file).split(", "))

        return ValidationResult(
            violations=tuple(i for i in self.violations if inside(i)),
            warnings=tuple(i for i in self.warnings if inside(i)),
        )

    def format_report(self) -> str:
        """One line per violation, then one per warning marked as such."""
        lines = [item.one_line() for item in self.violations]
        lines += [f"[{item.severity.lower()}] {item.one_line()}" for item in self.warnings]
        return "\n".join(lines)


def load_shapes(folder: Path | None = None) -> Graph:
    """Every shapes/*.ttl in one graph; a file that does not parse raises SyntaxErrorInFile."""
    shapes = Graph()
    for prefix, iri in PREFIXES.items():
        shapes.bind(prefix, iri)
    for path in sorted((folder or PATHS.shapes).glob("*.ttl")):
        parse_file(path, into=shapes)
    return shapes


def validate_graph(
    data_graph: Graph, shapes_graph: Graph | None = None, ontology: Graph | None = None
) -> ValidationResult:
    """Validate `data_graph` (plus `ontology`, if given separately) against the shapes."""
    return _results(_run(data_graph, shapes_graph, ontology), sources=None)


def validate_dataset(dataset: Dataset, shapes_graph: Graph | None = None) -> ValidationResult:
    """Validate a dataset from cckg.pipeline.load.load_dataset; each result names its file."""
    report = _run(union_graph(dataset), shapes_graph, None)
    return _results(report, sources=dataset)


def _run(data: Graph, shapes: Graph | None, ontology: Graph | None) -> Graph:
    """Run pySHACL and return its results graph."""
    _conforms, report, _text = shacl_validate(
        data,
        shacl_graph=shapes if shapes is not None else load_shapes(),
        ont_graph=ontology,
        inference="none",
        advanced=True,
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
    )
    assert isinstance(report, Graph)
    return report


def report_results(report: Graph) -> ValidationResult:
    """The violations and warnings of a pySHACL results graph (no file named)."""
    return _results(report, sources=None)


def _results(report: Graph, sources: Dataset | None) -> ValidationResult:
    """Turn a results graph into sorted violations and warnings."""
    # only top-level results: those nested under sh:detail (from sh:node) are not listed
    nodes = {r for rep in report.subjects(RDF.type, SH.ValidationReport)
             for r in report.objects(rep, SH.result)}
    items = [_item(report, node, sources) for node in nodes]
    items.sort(key=lambda i: (i.file or "", str(i.focus_node), str(i.path), i.message))
    return ValidationResult(
        violations=tuple(i for i in items if i.severity == "Violation"),
        warnings=tuple(i for i in items if i.severity != "Violation"),
    )


def _item(report: Graph, node: Node, sources: Dataset | None) -> ValidationItem:
    focus = report.value(node, SH.focusNode)
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
    severity = report.value(node, SH.resultSeverity)
    path = report.value(node, SH.resultPath)
    return ValidationItem(
        focus_node=focus,
        path=path,
        message="; ".join(messages) or "does not conform to its shape",
        severity=_SEVERITY.get(severity, short(severity)),
        source_shape=report.value(node, SH.sourceShape),
        component=report.value(node, SH.sourceConstraintComponent),
        value=report.value(node, SH.value),
        file=_file_of(focus, sources) if sources is not None else None,
    )


def _file_of(focus: Node | None, dataset: Dataset) -> str | None:
    """The source file(s) describing `focus`: where its rdf:type is, else where it is a subject."""
    if focus is None or isinstance(focus, Literal):
        return None
    for pattern in ((focus, RDF.type, None), (focus, None, None), (None, None, focus)):
        files = _files(graph for _s, _p, _o, graph in dataset.quads(pattern))
        if files:
            return ", ".join(files)
    return None


def _files(graphs: Iterable[Node | None]) -> list[str]:
    """Graph IRIs `graph/<path>` mapped back to their relative file paths, sorted."""
    base = str(GRAPH)
    return sorted({str(g)[len(base):] for g in graphs if str(g).startswith(base)})
