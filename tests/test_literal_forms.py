"""Every literal in the sources is written in the form the store keeps, so the endpoint,
the /id pages and every dump say exactly the same lexical form.

pyoxigraph keeps numbers, booleans and dates as values and gives them back in canonical
form ("18.0"^^xsd:decimal comes back as "18", "018"^^xsd:integer as "18"); rdflib keeps
or normalises lexical forms by rules of its own. A source literal is accepted only when
the text as written, rdflib's reading and the store's reading are one string.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from cckg.paths import PATHS

FIXTURE = Path(__file__).parent / "fixtures" / "literal_forms" / "non_canonical.ttl"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Rewritten:
    """A literal that rdflib or the store reads in another lexical form than written."""

    file: str
    subject: str
    predicate: str
    written: ox.Literal
    in_rdflib: str
    in_store: ox.Literal

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.subject} {self.predicate} {self.written} is read as "
            f"{self.in_store} by the store and as {self.in_rdflib!r} by rdflib; "
            f"write {self.in_store} instead"
        )


def _rdflib_form(literal: ox.Literal) -> str:
    """The lexical form rdflib's Turtle parser gives this literal (its Literal normalises)."""
    if literal.language:
        return str(Literal(literal.value, lang=literal.language))
    return str(Literal(literal.value, datatype=URIRef(literal.datatype.value)))


def rewritten_literals(path: Path, root: Path = PATHS.root) -> list[Rewritten]:
    """The literals of one Turtle file that rdflib or the store would not keep as written."""
    written = [
        quad for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        if isinstance(quad.object, ox.Literal)
    ]
    # Load each literal under a subject of its own, so the store's form maps back to it.
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"urn:literal:{index}"), quad.predicate, quad.object)
        for index, quad in enumerate(written)
    )
    in_store = {
        int(quad.subject.value.rpartition(":")[2]): quad.object for quad in store
    }
    rdflib_graph = Graph().parse(path, format="turtle")  # the file parses in rdflib too
    assert len(rdflib_graph) > 0, path
    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    found = []
    for index, quad in enumerate(written):
        stored = in_store[index]
        assert isinstance(stored, ox.Literal)
        rdflib_form = _rdflib_form(quad.object)
        if stored.value != quad.object.value or rdflib_form != quad.object.value:
            found.append(Rewritten(
                name, str(quad.subject), str(quad.predicate), quad.object, rdflib_form, stored
            ))
    return found


@pytest.mark.parametrize(
    "path", PATHS.source_files(), ids=lambda p: p.relative_to(PATHS.root).as_posix()
)
def test_source_literals_are_written_in_the_stores_form(path: Path) -> None:
    found = rewritten_literals(path)
    assert not found, "\n".join(map(str, found))


def test_the_check_names_each_rewritten_literal_and_its_form() -> None:
    found = {
        (r.predicate.rpartition("/")[2].rstrip(">"), r.written.value, r.in_store.value)
        for r in rewritten_literals(FIXTURE)
    }
    assert found == {
        ("value", "18.0", "18"),
        ("share", "60.0", "60"),
        ("year", "02020", "2020"),
        ("approximate", "1", "true"),
        ("ratio", "0.5e0", "0.5"),
    }


def test_the_message_says_file_subject_predicate_and_what_to_write() -> None:
    decimal = next(r for r in rewritten_literals(FIXTURE) if r.written.value == "18.0")
    message = str(decimal)
    assert message.startswith("tests/fixtures/literal_forms/non_canonical.ttl: "
                              "<http://example.org/target> "
                              "<http://example.org/value> ")
    assert message.endswith(
        'write "18"^^<http://www.w3.org/2001/XMLSchema#decimal> instead'
    )
    assert decimal.in_rdflib == "18.0"
