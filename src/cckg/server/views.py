"""Turn a description graph into what the resource page shows: labels, facts, links.

Public IRIs stay in the data; every link a page shows goes through `Urls.local`, so pages
link to this server when it runs locally and to the IRI itself for anything external.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Identifier

from cckg.rdf.namespaces import CCKG
from cckg.rdf.terms import curie
from cckg.server.urls import Urls

LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, DCTERMS.title)
#: Predicates the page shows in its header rather than in the table of facts.
HEADER_PREDICATES = {RDF.type, RDFS.label}
#: Inbound predicates whose subjects are commitments, shown as a table of commitments.
COMMITMENT_LINKS = (CCKG.committedBy, CCKG.appliesTo)


@dataclass(frozen=True)
class Label:
    """A thing's name in English and Chinese (either may be missing)."""

    en: str | None
    zh: str | None
    fallback: str

    @property
    def text(self) -> str:
        parts = [p for p in (self.en, self.zh) if p]
        return " · ".join(parts) if parts else self.fallback


@dataclass(frozen=True)
class Value:
    """One object of a triple: a link (href, label) or a literal (text, lang, datatype)."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Fact:
    """A predicate and its values."""

    predicate: Value
    values: list[Value]


@dataclass(frozen=True)
class CommitmentRow:
    """A commitment as one line: what, year, timing, strength, document, the report's words."""

    link: Value
    year: str | None
    timing: Value | None
    strength: Value | None
    document: Value | None
    quotes: list[str]
    section: str | None


@dataclass
class ResourceView:
    """Everything the resource template shows."""

    iri: str
    label: Label
    types: list[Value]
    facts: list[Fact]
    commitment: CommitmentRow | None
    commitment_groups: list[tuple[Value, list[CommitmentRow]]] = field(default_factory=list)
    inbound: list[Fact] = field(default_factory=list)


def _identifiers(nodes: Iterable[Node]) -> list[Identifier]:
    """The nodes that rdflib can order (IRIs, blank nodes, literals)."""
    return [n for n in nodes if isinstance(n, Identifier)]


def label_of(graph: Graph, node: Node) -> Label:
    """The en and zh labels of a node (rdfs:label, then skos:prefLabel, then dcterms:title)."""
    found: dict[str, str] = {}
    plain: str | None = None
    for predicate in LABEL_PREDICATES:
        for obj in graph.objects(node, predicate):
            if isinstance(obj, Literal):
                if obj.language:
                    found.setdefault(obj.language.split("-")[0].lower(), str(obj))
                elif plain is None:
                    plain = str(obj)
    return Label(found.get("en") or plain, found.get("zh"), curie(str(node)))


class ViewBuilder:
    """Builds values and rows from one description graph for one server address."""

    def __init__(self, graph: Graph, urls: Urls):
        self.graph = graph
        self.urls = urls

    def value(self, node: Node) -> Value:
        if isinstance(node, Literal):
            datatype = curie(str(node.datatype)) if node.datatype else None
            return Value(str(node), lang=node.language, datatype=datatype)
        iri = str(node)
        href = self.urls.href(iri) if isinstance(node, URIRef) else None
        return Value(label_of(self.graph, node).text, href=href, iri=iri)

    def first(self, subject: Node, predicate: URIRef) -> Value | None:
        obj = next(iter(sorted(_identifiers(self.graph.objects(subject, predicate)))), None)
        return self.value(obj) if obj is not None else None

    def commitment_row(self, node: Node) -> CommitmentRow:
        year = self.graph.value(node, CCKG.targetYear)
        quotes: list[str] = []
        section: str | None = None
        for passage in sorted(_identifiers(self.graph.objects(node, PROV.wasDerivedFrom))):
            quotes.extend(str(q) for q in self.graph.objects(passage, CCKG.quote))
            sec = self.graph.value(passage, CCKG.section)
            section = section or (str(sec) if sec is not None else None)
        return CommitmentRow(
            link=self.value(node),
            year=str(year) if year is not None else None,
            timing=self.first(node, CCKG.timing),
            strength=self.first(node, CCKG.strength),
            document=self.first(node, CCKG.statedIn),
            quotes=quotes,
            section=section,
        )

    def facts(self, pairs: list[tuple[Node, Node]]) -> list[Fact]:
        grouped: dict[Node, list[Node]] = {}
        for predicate, obj in pairs:
            grouped.setdefault(predicate, []).append(obj)
        facts = []
        for predicate in sorted(grouped, key=lambda p: curie(str(p))):
            values = sorted(
                (self.value(o) for o in grouped[predicate]), key=lambda v: (v.text, v.iri or "")
            )
            facts.append(Fact(self.value(predicate), values))
        return facts


def resource_view(iri: str, graph: Graph, urls: Urls) -> ResourceView:
    """The view of the resource `iri` from its description."""
    node = URIRef(iri)
    build = ViewBuilder(graph, urls)
    types = sorted((build.value(t) for t in graph.objects(node, RDF.type)), key=lambda v: v.text)
    own = [(p, o) for p, o in graph.predicate_objects(node) if p not in HEADER_PREDICATES]
    is_commitment = (node, CCKG.committedBy, None) in graph
    view = ResourceView(
        iri=iri,
        label=label_of(graph, node),
        types=types,
        facts=build.facts(own),
        commitment=build.commitment_row(node) if is_commitment else None,
    )
    for predicate in COMMITMENT_LINKS:
        rows = [build.commitment_row(s) for s in graph.subjects(predicate, node)]
        if rows:
            rows.sort(key=lambda r: (r.year or "9999", r.link.text))
            view.commitment_groups.append((build.value(predicate), rows))
    inbound = [
        (p, s)
        for s, p in graph.subject_predicates(node)
        if p not in COMMITMENT_LINKS and p != RDF.type
    ]
    view.inbound = build.facts(inbound)
    return view
