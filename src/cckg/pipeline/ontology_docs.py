"""HTML documentation of the ontology, one page: header metadata, then every class,
property and SKOS concept scheme. Each cckg term's entry has the HTML id of its local name,
so a hash IRI (https://w3id.org/cckg/ontology#PeakTarget) lands on it.

pyLODE 3.4-3.6 from PyPI cannot be imported as installed (its version.py reads a
pyproject.toml that the wheel does not ship), so the page is rendered here with jinja2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import Environment
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from cckg.rdf.namespaces import CCKG, ONTOLOGY_IRI, PREFIXES, VANN
from cckg.rdf.terms import curie

SECTIONS = (
    (OWL.Class, "classes", "Classes"),
    (OWL.ObjectProperty, "object-properties", "Object properties"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties"),
)


@dataclass
class TermDoc:
    """What the page says about one term."""

    local: str
    iri: str
    label_en: str
    label_zh: str
    definition: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    example: str = ""
    deprecated: bool = False


def display_name(graph: Graph, node: object) -> str:
    """A node as a short name (cckg terms by local name) or a readable class expression."""
    if isinstance(node, URIRef):
        if str(node).startswith(str(CCKG)):
            return str(node).removeprefix(str(CCKG))
        return curie(str(node))
    if isinstance(node, BNode):
        return _expression(graph, node)
    return str(node)


def _expression(graph: Graph, node: BNode) -> str:
    for op, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
        members = graph.value(node, op)
        if members is not None:
            inner = word.join(display_name(graph, m) for m in Collection(graph, members))
            return f"({inner})"
    prop = graph.value(node, OWL.onProperty)
    for op, word in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only")):
        filler = graph.value(node, op)
        if prop is not None and filler is not None:
            return f"{display_name(graph, prop)} {word} {display_name(graph, filler)}"
    return "(anonymous class)"


def _text(graph: Graph, subject: URIRef, predicate: URIRef, lang: str | None) -> str:
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal) and (lang is None or value.language == lang):
            return str(value)
    return ""


def _facts(graph: Graph, term: URIRef) -> list[tuple[str, str]]:
    rows = [
        ("sub-class of", RDFS.subClassOf), ("equivalent to", OWL.equivalentClass),
        ("sub-property of", RDFS.subPropertyOf), ("domain", RDFS.domain),
        ("range", RDFS.range), ("inverse of", OWL.inverseOf),
        ("replaced by", DCTERMS.isReplacedBy),
    ]
    facts = []
    for name, predicate in rows:
        values = sorted(display_name(graph, v) for v in graph.objects(term, predicate))
        if values:
            facts.append((name, ", ".join(values)))
    inverse_of = sorted(display_name(graph, s) for s in graph.subjects(OWL.inverseOf, term))
    if inverse_of:
        facts.append(("inverse of", ", ".join(inverse_of)))
    subclasses = sorted(display_name(graph, s) for s in graph.subjects(RDFS.subClassOf, term)
                        if isinstance(s, URIRef))
    if subclasses:
        facts.append(("super-class of", ", ".join(subclasses)))
    if (term, RDF.type, OWL.FunctionalProperty) in graph:
        facts.append(("characteristics", "functional"))
    return facts


def term_docs(graph: Graph, kind: URIRef) -> list[TermDoc]:
    """Every cckg term of one OWL kind, sorted by local name."""
    terms = sorted(t for t in graph.subjects(RDF.type, kind)
                   if isinstance(t, URIRef) and str(t).startswith(str(CCKG)))
    return [
        TermDoc(
            local=str(t).removeprefix(str(CCKG)),
            iri=str(t),
            label_en=_text(graph, t, RDFS.label, "en"),
            label_zh=_text(graph, t, RDFS.label, "zh"),
            definition=_text(graph, t, SKOS.definition, "en"),
            facts=_facts(graph, t),
            example=_text(graph, t, SKOS.example, None),
            deprecated=(t, OWL.deprecated, Literal(True)) in graph,
        )
        for t in terms
    ]


def scheme_docs(graph: Graph) -> list[tuple[TermDoc, list[TermDoc]]]:
    """Each SKOS concept scheme with its concepts."""
    out = []
    schemes = [s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)]
    for scheme in sorted(schemes):
        concepts = sorted(c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef))
        out.append((_concept_doc(graph, scheme), [_concept_doc(graph, c) for c in concepts]))
    return out


def _concept_doc(graph: Graph, node: URIRef) -> TermDoc:
    local = str(node).removeprefix(PREFIXES["id"]).replace("/", "-")
    broader = sorted(str(b) for b in graph.objects(node, SKOS.broader))
    close = sorted(str(m) for m in graph.objects(node, SKOS.closeMatch))
    facts = [(name, ", ".join(v)) for name, v in (("broader", broader), ("close match", close))
             if v]
    return TermDoc(
        local=f"id-{local}", iri=str(node),
        label_en=_text(graph, node, SKOS.prefLabel, "en"),
        label_zh=_text(graph, node, SKOS.prefLabel, "zh"),
        definition=_text(graph, node, SKOS.definition, "en"), facts=facts,
    )


TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.5}
section.term{border-top:1px solid #ccc;padding:.5rem 0}
code,pre{background:#f4f4f4}pre{padding:.5rem;overflow:auto}
dt{font-weight:bold;float:left;clear:left;width:9rem}dd{margin-left:10rem}
.deprecated{color:#a00}
</style></head>
<body>
<h1>{{ title }}</h1>
<dl>
{% for name, value in header %}<dt>{{ name }}</dt><dd>{{ value }}</dd>
{% endfor %}</dl>
<p>{{ description }}</p>
<nav><h2>Contents</h2><ul>
{% for anchor, heading, terms in sections %}<li><a href="#{{ anchor }}">{{ heading }}</a>
({{ terms|length }})</li>{% endfor %}
<li><a href="#concept-schemes">Concept schemes</a> ({{ schemes|length }})</li>
</ul></nav>
{% for anchor, heading, terms in sections %}
<h2 id="{{ anchor }}">{{ heading }}</h2>
{% for t in terms %}<section class="term" id="{{ t.local }}">
<h3>{{ t.label_en }} <span lang="zh">{{ t.label_zh }}</span>
{% if t.deprecated %}<span class="deprecated">(deprecated)</span>{% endif %}</h3>
<p><code>{{ t.iri }}</code></p>
<p>{{ t.definition }}</p>
<dl>{% for name, value in t.facts %}<dt>{{ name }}</dt><dd>{{ value }}</dd>{% endfor %}</dl>
{% if t.example %}<pre>{{ t.example }}</pre>{% endif %}
</section>
{% endfor %}{% endfor %}
<h2 id="concept-schemes">Concept schemes</h2>
{% for scheme, concepts in schemes %}<section class="term" id="{{ scheme.local }}">
<h3>{{ scheme.label_en }} <span lang="zh">{{ scheme.label_zh }}</span></h3>
<p><code>{{ scheme.iri }}</code> — {{ scheme.definition }}</p>
<ul>{% for c in concepts %}<li id="{{ c.local }}"><code>{{ c.iri }}</code>
{{ c.label_en }} <span lang="zh">{{ c.label_zh }}</span>: {{ c.definition }}
{% for name, value in c.facts %}<em>{{ name }}</em> {{ value }}. {% endfor %}</li>
{% endfor %}</ul></section>
{% endfor %}
</body></html>
"""


def render_ontology_html(graph: Graph) -> str:
    """The ontology's documentation page as HTML."""
    onto = URIRef(ONTOLOGY_IRI)
    header = [
        ("IRI", ONTOLOGY_IRI),
        ("Version", _text(graph, onto, OWL.versionInfo, None)),
        ("Version IRI", str(graph.value(onto, OWL.versionIRI) or "")),
        ("Title (zh)", _text(graph, onto, DCTERMS.title, "zh")),
        ("Creator", _text(graph, onto, DCTERMS.creator, None)),
        ("Created", _text(graph, onto, DCTERMS.created, None)),
        ("Modified", _text(graph, onto, DCTERMS.modified, None)),
        ("Licence", str(graph.value(onto, DCTERMS.license) or "")),
        ("Prefix", f"{_text(graph, onto, VANN.preferredNamespacePrefix, None)}: "
                   f"{_text(graph, onto, VANN.preferredNamespaceUri, None)}"),
        ("Cite as", _text(graph, onto, DCTERMS.bibliographicCitation, None)),
    ]
    environment = Environment(autoescape=True)
    return environment.from_string(TEMPLATE).render(
        title=_text(graph, onto, DCTERMS.title, "en") or ONTOLOGY_IRI,
        description=_text(graph, onto, DCTERMS.description, "en"),
        header=header,
        sections=[(anchor, heading, term_docs(graph, kind))
                  for kind, anchor, heading in SECTIONS],
        schemes=scheme_docs(graph),
    )
