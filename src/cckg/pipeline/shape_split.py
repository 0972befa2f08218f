"""Split the SHACL shapes into what one source graph can be checked for alone and the
constraints that look across graphs, compiled to SPARQL SELECTs over the whole store.

A source graph is validated on its own (and cached, see cckg.pipeline.graph_validation)
with the *local* shapes: every shape minus its `sh:sparql` constraints, minus `sh:class` on
a property shape (alone, or as an `sh:or` / `sh:xone` of `[ sh:class … ]` members: the
class of a value, which another file may describe), and minus SPARQL targets. Two local
kinds that pySHACL is slow on (it builds a result for every failed alternative) are
compiled too: a node shape's `sh:or` / `sh:xone` of classes (the focus node's own type)
and "at least one value tagged @en" (`sh:qualifiedValueShape [ sh:languageIn … ]`). Those
constraints are about other nodes (the class of a referenced place, a province's overall
peak year, a code no other place has), which may live in other files; they become
`StoreCheck`s, run on every build over the union of all graphs, so a cached file is still
checked against what the others say today.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

_TYPED = "?{var} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/" \
    "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}>"


@dataclass(frozen=True)
class StoreCheck:
    """One cross-graph constraint as a SPARQL SELECT binding ?this (and maybe ?value,
    ?path and the message's other variables); each row is one result."""

    shape: URIRef | BNode
    component: URIRef
    severity: URIRef
    message: str
    path: URIRef | None
    query: str


def _collection(shapes: Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head)) if isinstance(head, (URIRef, BNode)) else []


def _class_only(shapes: Graph, member: Node) -> URIRef | None:
    """The class of a list member that is exactly `[ sh:class C ]`, else None."""
    triples = list(shapes.triples((member, None, None)))
    if len(triples) == 1 and triples[0][1] == SH["class"] and isinstance(triples[0][2], URIRef):
        return triples[0][2]
    return None


def _class_lists(shapes: Graph, shape: Node) -> Iterator[tuple[URIRef, list[URIRef], Node]]:
    """(sh:or or sh:xone, its classes, the list's head) for each list of class-only members."""
    for logic in (SH["or"], SH.xone):
        for head in shapes.objects(shape, logic):
            classes = [_class_only(shapes, m) for m in _collection(shapes, head)]
            if classes and all(c is not None for c in classes):
                yield logic, [c for c in classes if c is not None], head


def sparql_path(shapes: Graph, path: Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(sparql_path(shapes, p) for p in _collection(shapes, path)) + ")"
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                                (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return "(" + template.format(sparql_path(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        options = [sparql_path(shapes, p) for p in _collection(shapes, alternatives)]
        return "(" + "|".join(options) + ")"
    raise ValueError(f"not a SHACL path: {path!r}")


def _prefixes(shapes: Graph, holder: Node) -> str:
    """PREFIX lines for the sh:declare'd prefixes of the ontologies `holder` points to."""
    lines = []
    for ontology in shapes.objects(holder, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(
                declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _targets(shapes: Graph, shape: Node) -> list[str]:
    """Graph patterns binding ?this to the shape's focus nodes (one per target)."""
    patterns = [_TYPED.format(var="this", cls=c) for c in shapes.objects(shape, SH.targetClass)]
    if isinstance(shape, URIRef) and ((shape, RDF.type, RDFS.Class) in shapes
                                      or (shape, RDF.type, OWL.Class) in shapes):
        patterns.append(_TYPED.format(var="this", cls=shape))
    patterns += [f"VALUES ?this {{ {n.n3()} }}" for n in shapes.objects(shape, SH.targetNode)]
    patterns += [f"?this <{p}> ?targetValue" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    patterns += [f"?targetValue <{p}> ?this" for p in shapes.objects(shape, SH.targetObjectsOf)]
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        if select is not None:
            patterns.append("{ " + str(select).replace("$this", "?this") + " }")
    return patterns


def _union(patterns: list[str]) -> str:
    return " UNION ".join("{ " + p + " }" for p in patterns)


def _severity(shapes: Graph, shape: Node) -> URIRef:
    severity = shapes.value(shape, SH.severity)
    return severity if isinstance(severity, URIRef) else SH.Violation


def _message(shapes: Graph, *holders: Node) -> str:
    for holder in holders:
        messages = [m for m in shapes.objects(holder, SH.message) if isinstance(m, Literal)]
        english = [m for m in messages if m.language in (None, "en")]
        if english or messages:
            return str((english or messages)[0])
    return ""


def _active(shapes: Graph, shape: Node) -> bool:
    return shapes.value(shape, SH.deactivated) != Literal(True)


def _class_condition(logic: URIRef, classes: list[URIRef], var: str) -> str:
    """A FILTER condition true when ?var is not an instance as `logic` of `classes` asks."""
    has = [f"IF(EXISTS {{ {_TYPED.format(var=var, cls=c)} }}, 1, 0)" for c in classes]
    return f"({' + '.join(has)}) != 1" if logic == SH.xone else f"({' + '.join(has)}) = 0"


_COMPONENT = {SH["class"]: SH.ClassConstraintComponent, SH["or"]: SH.OrConstraintComponent,
              SH.xone: SH.XoneConstraintComponent}


def _check(shapes: Graph, shape: Node, component: URIRef, message: str, path: Node | None,
           query: str) -> StoreCheck:
    """The store check of one constraint of `shape`, with the shape's severity."""
    return StoreCheck(
        shape=shape if isinstance(shape, (URIRef, BNode)) else BNode(), component=component,
        severity=_severity(shapes, shape), message=message,
        path=path if isinstance(path, URIRef) else None, query=query,
    )


def _own_class_checks(shapes: Graph, node_shape: Node, targets: str) -> Iterator[StoreCheck]:
    """A node shape's sh:or / sh:xone of classes about the focus node's own type (cheap in
    SPARQL, slow in pySHACL, which builds a result for every failed alternative)."""
    if (node_shape, SH.path, None) in shapes:
        return
    for logic, classes, _head in _class_lists(shapes, node_shape):
        yield _check(
            shapes, node_shape, _COMPONENT[logic], _message(shapes, node_shape), None,
            f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {targets} "
            f"FILTER ({_class_condition(logic, classes, 'this')}) }}",
        )


def _languages(shapes: Graph, prop: Node) -> list[str] | None:
    """The languages of `sh:qualifiedValueShape [ sh:languageIn (…) ]` with
    `sh:qualifiedMinCount 1` and no maximum, else None."""
    inner = shapes.value(prop, SH.qualifiedValueShape)
    if (inner is None or shapes.value(prop, SH.qualifiedMinCount) != Literal(1)
            or shapes.value(prop, SH.qualifiedMaxCount) is not None
            or len(list(shapes.triples((inner, None, None)))) != 1):
        return None
    head = shapes.value(inner, SH.languageIn)
    return [str(lang) for lang in _collection(shapes, head)] or None if head else None


def _language_checks(shapes: Graph, node_shape: Node, targets: str) -> Iterator[StoreCheck]:
    """Property shapes asking for at least one value in a language (the label shapes)."""
    for prop in shapes.objects(node_shape, SH.property):
        path, languages = shapes.value(prop, SH.path), _languages(shapes, prop)
        if path is None or languages is None or not _active(shapes, prop):
            continue
        tagged = " || ".join(f'langMatches(LANG(?v), "{lang}")' for lang in languages)
        yield _check(
            shapes, prop, SH.QualifiedMinCountConstraintComponent,
            _message(shapes, prop, node_shape), path,
            f"SELECT DISTINCT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ "
            f"?this {sparql_path(shapes, path)} ?v . FILTER ({tagged}) }} }}",
        )


def _class_checks(shapes: Graph, node_shape: Node, targets: str) -> Iterator[StoreCheck]:
    """The sh:class constraints of the node shape's property shapes as store checks."""
    for prop in shapes.objects(node_shape, SH.property):
        path = shapes.value(prop, SH.path)
        if path is None or not _active(shapes, prop):
            continue
        walk = sparql_path(shapes, path)
        alternatives: list[tuple[URIRef, list[URIRef]]] = [
            (SH["class"], [c]) for c in shapes.objects(prop, SH["class"]) if isinstance(c, URIRef)]
        alternatives += [(logic, classes) for logic, classes, _ in _class_lists(shapes, prop)]
        for logic, classes in alternatives:
            wrong = _class_condition(logic, classes, "value")
            names = " or ".join(f"<{c}>" for c in classes)
            yield _check(
                shapes, prop, _COMPONENT[logic],
                _message(shapes, prop, node_shape) or f"Value does not have class {names}",
                path,
                f"SELECT DISTINCT ?this ?value WHERE {{ {targets} "
                f"?this {walk} ?value . FILTER ({wrong}) }}",
            )


def _sparql_checks(shapes: Graph, shape: Node, targets: str) -> Iterator[StoreCheck]:
    """The shape's SPARQL-based constraints, each joined with the shape's targets."""
    for constraint in shapes.objects(shape, SH.sparql):
        select = shapes.value(constraint, SH.select)
        if select is None or not _active(shapes, constraint):
            continue
        body = str(select).replace("$this", "?this")
        path = shapes.value(shape, SH.path)
        yield _check(
            shapes, shape, SH.SPARQLConstraintComponent, _message(shapes, constraint, shape),
            path, _prefixes(shapes, constraint) + f"\nSELECT * WHERE {{ {targets} {{ {body} }} }}",
        )


def store_checks(shapes: Graph) -> list[StoreCheck]:
    """Every cross-graph constraint of the shapes, compiled to SPARQL over the store."""
    checks: list[StoreCheck] = []
    for shape in sorted(set(shapes.subjects(None, None)), key=str):
        if not _active(shapes, shape):
            continue
        patterns = _targets(shapes, shape)
        if not patterns:
            continue
        targets = _union(patterns)
        checks += _class_checks(shapes, shape, targets)
        checks += _own_class_checks(shapes, shape, targets)
        checks += _language_checks(shapes, shape, targets)
        checks += _sparql_checks(shapes, shape, targets)
    return checks


def local_shapes(shapes: Graph) -> Graph:
    """A copy of the shapes without the cross-graph constraints `store_checks` compiles."""
    drop: set[tuple[Node, Node, Node]] = set()
    for shape in set(shapes.subjects(None, None)):
        drop |= set(shapes.triples((shape, SH.sparql, None)))
        drop |= {(shape, logic, head) for logic, _c, head in _class_lists(shapes, shape)}
        if (shape, SH.path, None) in shapes:
            drop |= set(shapes.triples((shape, SH["class"], None)))
            if _languages(shapes, shape) is not None:
                drop |= set(shapes.triples((shape, SH.qualifiedValueShape, None)))
                drop |= set(shapes.triples((shape, SH.qualifiedMinCount, None)))
        if any(shapes.value(t, SH.select) is not None for t in shapes.objects(shape, SH.target)):
            drop |= set(shapes.triples((shape, SH.target, None)))
    local = Graph()
    for prefix, namespace in shapes.namespaces():
        local.bind(prefix, namespace)
    for triple in shapes:
        if triple not in drop:
            local.add(triple)
    return local
