"""Step 2 of the build at any size: validate each source graph once, cached by content hash,
then run the cross-graph constraints over the whole store.

- A source graph (one file) is checked by pySHACL with the local shapes
  (cckg.pipeline.shape_split.local_shapes) over the graph plus its context: the full
  description, from every graph, of each node it describes or points to, and the ontology's
  rdfs:subClassOf triples. Only results about nodes the graph describes are kept.
- A graph that conforms (no violation, no warning) is recorded in the cache folder under
  the hash of its bytes, the shapes', the ontology's and the validation code's; the next
  build skips pySHACL for it while that hash is unchanged.
- The cross-graph constraints (shape_split.store_checks: classes of referenced nodes,
  SHACL-SPARQL constraints) run on every build over the union of all graphs in pyoxigraph,
  so a file that did not change is still checked against the files that did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from cckg import __version__
from cckg.pipeline import shape_split, validate
from cckg.pipeline.load import file_name, graph_iri
from cckg.pipeline.shape_split import StoreCheck
from cckg.pipeline.validate import ValidationItem, ValidationResult, short
from cckg.rdf.terms import to_ox, to_rdflib

#: Called with (graph name, done, total) after each source graph is checked or skipped.
GraphCallback = Callable[[str, int, int], None]
_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = "SELECT ?a ?b WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?b }"
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class SourceGraph:
    """One source graph: its IRI, its name in reports, and the bytes its cache key hashes."""

    iri: str
    name: str
    content: bytes


@dataclass(frozen=True)
class GraphValidation:
    """A validation's result, and which source graphs pySHACL ran on or skipped (cached)."""

    result: ValidationResult
    validated: tuple[str, ...] = field(default=())
    cached: tuple[str, ...] = field(default=())


def code_version() -> str:
    """The package and pySHACL versions and the validation modules' source, hashed."""
    digest = hashlib.sha256(f"cckg {__version__} pyshacl {pyshacl.__version__}".encode())
    for module in (__file__, shape_split.__file__, validate.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def cache_key(source: SourceGraph, inputs_digest: str) -> str:
    """The hash a source graph's cache entry is named by: its IRI and bytes plus the hash of
    the shapes, ontology and code (`inputs_digest`)."""
    digest = hashlib.sha256(inputs_digest.encode())
    digest.update(source.iri.encode() + b"\n")
    digest.update(source.content)
    return digest.hexdigest()


def inputs_digest(shape_files: Iterable[Path], ontology_files: Iterable[Path]) -> str:
    """The hash of what every source graph's validation depends on besides its own bytes."""
    digest = hashlib.sha256(code_version().encode())
    for path in [*shape_files, *ontology_files]:
        digest.update(path.name.encode() + b"\n")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_sources(files: Iterable[Path], root: Path) -> list[SourceGraph]:
    """The source graphs of the project's files: each named and keyed as the build loads it."""
    return [SourceGraph(str(graph_iri(path, root)), file_name(path, root), path.read_bytes())
            for path in files]


def store_of(dataset: Dataset) -> ox.Store:
    """An in-memory pyoxigraph store with every named graph of an rdflib dataset."""
    store = ox.Store()
    quads = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g is None:
            continue
        graph = ox.NamedNode(str(g.identifier if isinstance(g, Graph) else g))
        subject, predicate, obj = to_ox(s), to_ox(p), to_ox(o)
        assert isinstance(subject, ox.NamedNode | ox.BlankNode)
        assert isinstance(predicate, ox.NamedNode)
        quads.append(ox.Quad(subject, predicate, obj, graph))
    store.bulk_extend(quads)
    return store


def validate_store(
    store: ox.Store,
    sources: Sequence[SourceGraph],
    shapes: Graph,
    digest: str,
    cache: Path | None,
    on_graph: GraphCallback | None = None,
) -> GraphValidation:
    """Validate every source graph of `store` (pySHACL per graph, skipped on a cache hit),
    then run the cross-graph checks over the whole store; `cache=None` disables the cache."""
    local = shape_split.local_shapes(shapes)
    subclass = _subclass_triples(store)
    names = {s.iri: s.name for s in sources}
    items: set[ValidationItem] = set()
    validated, cached = [], []
    for done, source in enumerate(sources, start=1):
        marker = cache / f"{cache_key(source, digest)}.ok" if cache is not None else None
        if marker is not None and marker.is_file():
            cached.append(source.name)
        else:
            found = _validate_one(store, source, local, subclass, names)
            validated.append(source.name)
            items |= found
            if marker is not None and not found:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(f"{source.name}\n", encoding="utf-8")
        if on_graph is not None:
            on_graph(source.name, done, len(sources))
    items |= set(run_store_checks(store, shape_split.store_checks(shapes), names))
    ordered = sorted(items, key=lambda i: (i.file or "", str(i.focus_node), str(i.path),
                                           i.message))
    return GraphValidation(
        result=ValidationResult(
            violations=tuple(i for i in ordered if i.severity == "Violation"),
            warnings=tuple(i for i in ordered if i.severity != "Violation")),
        validated=tuple(validated), cached=tuple(cached))


def _subclass_triples(store: ox.Store) -> Graph:
    graph = Graph()
    solutions = store.query(_SUBCLASS, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        graph.add((to_rdflib(row["a"]), RDFS.subClassOf, to_rdflib(row["b"])))
    return graph


def _description(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> Iterable[ox.Quad]:
    return store.quads_for_pattern(node, None, None, None)


def _validate_one(store: ox.Store, source: SourceGraph, shapes: Graph, subclass: Graph,
                  names: dict[str, str]) -> set[ValidationItem]:
    """pySHACL on one source graph and its context; the results about its own nodes."""
    graph = ox.NamedNode(source.iri)
    own = list(store.quads_for_pattern(None, None, None, graph))
    subjects: set[ox.NamedNode | ox.BlankNode] = {
        q.subject for q in own if isinstance(q.subject, ox.NamedNode | ox.BlankNode)}
    nodes = subjects | {q.object for q in own
                        if isinstance(q.object, ox.NamedNode | ox.BlankNode)}
    context = {quad.triple for node in nodes for quad in _description(store, node)}
    data = Graph()
    for triple in subclass:
        data.add(triple)
    for t in context:
        data.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, abort_on_first=False,
        allow_warnings=True, meta_shacl=False, inplace=True)  # `data` is ours to change
    assert isinstance(report, Graph)
    own_focus = {to_rdflib(s) for s in subjects}
    result = validate.report_results(report)
    return {_with_file(store, item, names)
            for item in (*result.violations, *result.warnings) if item.focus_node in own_focus}


def _with_file(store: ox.Store, item: ValidationItem, names: dict[str, str]) -> ValidationItem:
    """The item with the file(s) describing its focus node: where its rdf:type is, else
    where it is a subject."""
    focus = item.focus_node
    if not isinstance(focus, URIRef) and focus is not None and not isinstance(focus, Literal):
        node = to_ox(focus)
    elif isinstance(focus, URIRef):
        node = ox.NamedNode(str(focus))
    else:
        return item
    assert isinstance(node, ox.NamedNode | ox.BlankNode)
    for predicate in (_TYPE, None):
        graphs = {q.graph_name for q in store.quads_for_pattern(node, predicate, None, None)}
        found = sorted(names[g.value] for g in graphs if isinstance(g, ox.NamedNode)
                       and g.value in names)
        if found:
            return _replace_file(item, ", ".join(found))
    return item


def _replace_file(item: ValidationItem, file: str) -> ValidationItem:
    return ValidationItem(item.focus_node, item.path, item.message, item.severity,
                          item.source_shape, item.component, item.value, file)


def run_store_checks(store: ox.Store, checks: Sequence[StoreCheck],
                     names: dict[str, str]) -> list[ValidationItem]:
    """The results of the cross-graph checks over the union of the store's graphs."""
    items = []
    for check in checks:
        solutions = store.query(check.query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        variables = [v.value for v in solutions.variables]
        for row in solutions:
            bound = {name: to_rdflib(term) for name, term in zip(variables, row, strict=True)
                     if term is not None}
            path = bound.get("path", check.path)
            items.append(_with_file(store, ValidationItem(
                focus_node=bound.get("this"),
                path=path,
                message=_fill(check.message, bound),
                severity=_SEVERITY.get(check.severity, short(check.severity)),
                source_shape=check.shape,
                component=check.component,
                value=bound.get("value"),
            ), names))
    return items


def _fill(message: str, bound: dict[str, URIRef | BNode | Literal]) -> str:
    """A SHACL message with its {$this} and {?var} placeholders filled in."""
    for name, term in bound.items():
        text = str(term) if isinstance(term, Literal) else short(term)
        message = message.replace(f"{{?{name}}}", text).replace(f"{{${name}}}", text)
    return message
