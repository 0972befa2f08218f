"""A small deterministic Turtle writer for ingested documents: the same statements always
give the same bytes (prefixes, then blocks in the order given, predicates in the order
given), written like the curated files (one prefix per kind of thing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from cckg.rdf.namespaces import CCKG, ID

PREFIXES: tuple[tuple[str, str], ...] = (
    ("cckg", str(CCKG)),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", str(XSD)),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("schema", "https://schema.org/"),
    *(
        (kind, f"{ID}{kind}/")
        for kind in (
            "place",
            "zone",
            "place-group",
            "document",
            "document-type",
            "passage",
            "commitment",
            "timing",
            "strength",
            "sector",
            "metric",
            "unit",
            "revision-change",
        )
    ),
)
_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")

Term = URIRef | Literal


def term(node: Term) -> str:
    """A node as Turtle: a prefixed name where the local part allows it."""
    if isinstance(node, Literal):
        if node.datatype in (XSD.integer, XSD.boolean, XSD.decimal):
            return str(node)
        if node.datatype is not None:
            return f'"{node}"^^{term(node.datatype)}'
        return node.n3()
    text = str(node)
    for prefix, base in sorted(PREFIXES, key=lambda p: -len(p[1])):
        local = text[len(base) :]
        if text.startswith(base) and local and set(local) <= _SAFE and local[0] != "-":
            return f"{prefix}:{local}"
    return f"<{text}>"


def decimal(value: Decimal) -> Literal:
    """An xsd:decimal with at least one decimal digit (160.0, 13.5), as the curated data."""
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


@dataclass
class Block:
    """One subject and its statements, in the order added."""

    subject: URIRef
    types: list[URIRef]
    statements: list[tuple[URIRef, list[Term]]] = field(default_factory=list)

    def add(self, predicate: URIRef, *objects: Term | None) -> None:
        kept = [o for o in objects if o is not None]
        if kept:
            self.statements.append((predicate, kept))

    def turtle(self) -> str:
        lines = [f"{term(self.subject)} a {', '.join(term(t) for t in self.types)}"]
        for predicate, objects in self.statements:
            lines.append(f"    {term(predicate)} {', '.join(term(o) for o in objects)}")
        return " ;\n".join(lines) + " .\n"


def document(header: str, blocks: list[Block]) -> str:
    """A whole Turtle file: a comment header, the prefixes, the blocks."""
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES)
    return comment + "\n" + prefixes + "".join("\n" + b.turtle() for b in blocks)
