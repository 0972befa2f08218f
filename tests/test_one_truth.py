"""The endpoint, the /id pages and every dump say the same triples, literal for literal.

Each side is read by a parser that keeps lexical forms as written (pyoxigraph's parsers;
its store would canonicalise them), and graphs with blank nodes are compared after RDF
canonicalisation, so "18.0"^^xsd:decimal against "18"^^xsd:decimal is a difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from cckg.pipeline.dist import GRAPH_DUMPS, ONTOLOGY_FILES
from cckg.rdf.namespaces import GRAPH, ID
from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore

NTRIPLES = "application/n-triples"
OX_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES,
    "turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
XSD_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
BEIJING_PEAK = ox.NamedNode(str(ID["commitment/110000-peak-2020-at-160-mt"]))
BEIJING = ox.NamedNode(str(ID["place/110000"]))
VALUE = ox.NamedNode("https://w3id.org/cckg/ontology#value")


def as_written(data: bytes | Path, fmt: ox.RdfFormat) -> set[ox.Triple]:
    """The triples of a document, every literal in the lexical form it has there."""
    source = {"path": str(data)} if isinstance(data, Path) else {"input": data}
    return {
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(format=fmt, **source)
    }


def canonical(triples: Iterable[ox.Triple]) -> set[str]:
    """The triples with blank nodes relabelled canonically (RDFC), as N-Triples lines."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad.triple) for quad in dataset}


@pytest.fixture(scope="module")
def union_dump(built_dist: Path) -> set[ox.Triple]:
    """The published N-Quads dump as written, graph names dropped (the union)."""
    return as_written(built_dist / "cckg.nq", ox.RdfFormat.N_QUADS)


@pytest.fixture(scope="module")
def served(built_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The server over the built dump, as `cckg serve` loads it (no result cap in reach)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("truth-store"), dist_dir=built_dist,
        query_workers=1, query_timeout=60, max_result_rows=1_000_000,
        allowed_hosts=("testserver",),  # TestClient's Host
    )
    store = EmbeddedStore.open(settings.data_dir)
    store.load_dataset_file(built_dist / "cckg.nq")
    with TestClient(create_app(settings, store)) as client:
        yield client


def test_the_endpoints_whole_graph_is_the_published_dump(
    served: TestClient, union_dump: set[ox.Triple]
) -> None:
    response = served.get(
        "/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": NTRIPLES},
    )
    assert response.status_code == 200, response.text
    assert "x-cckg-truncated" not in response.headers
    from_endpoint = as_written(response.content, ox.RdfFormat.N_TRIPLES)
    assert ox.Triple(BEIJING_PEAK, VALUE, ox.Literal("160", datatype=XSD_DECIMAL)) in (
        from_endpoint & union_dump
    )
    assert len(from_endpoint) == len(union_dump)
    assert canonical(from_endpoint) == canonical(union_dump)


@pytest.mark.parametrize("thing", [BEIJING_PEAK, BEIJING], ids=lambda t: t.value)
def test_an_id_description_says_what_the_dump_says(
    served: TestClient, union_dump: set[ox.Triple], thing: ox.NamedNode
) -> None:
    path = thing.value.removeprefix(str(ID))
    response = served.get(f"/id/{path}", headers={"Accept": NTRIPLES})
    assert response.status_code == 200, response.text
    described = as_written(response.content, ox.RdfFormat.N_TRIPLES)
    # Every ground triple of the page is in the dump, and the dump's triples about the
    # thing are all on the page, literal for literal.
    assert ground(described) - ground(union_dump) == set()
    own = {t for t in union_dump if t.subject == thing}
    assert own and ground(own) - ground(described) == set()
    # A blank node the thing points to (a place's point) carries the same values on the
    # page as in the dump.
    assert blank_values(described, thing) == blank_values(union_dump, thing)


def ground(triples: set[ox.Triple]) -> set[ox.Triple]:
    """The triples without a blank node."""
    return {t for t in triples if not isinstance(t.subject, ox.BlankNode)
            and not isinstance(t.object, ox.BlankNode)}


def blank_values(triples: set[ox.Triple], thing: ox.NamedNode) -> set[tuple[str, str, str]]:
    """(predicate from the thing, predicate, value) for each triple of a blank node that
    the thing points to."""
    via = {t.object: t.predicate.value for t in triples
           if t.subject == thing and isinstance(t.object, ox.BlankNode)}
    return {(via[t.subject], t.predicate.value, str(t.object)) for t in triples
            if t.subject in via}


def test_the_peak_targets_value_is_160_everywhere(
    served: TestClient, union_dump: set[ox.Triple]
) -> None:
    value = ox.Triple(BEIJING_PEAK, VALUE, ox.Literal("160", datatype=XSD_DECIMAL))
    page = served.get(f"/id/{BEIJING_PEAK.value.removeprefix(str(ID))}",
                      headers={"Accept": NTRIPLES})
    assert value in as_written(page.content, ox.RdfFormat.N_TRIPLES)
    assert value in union_dump
    answer = served.get("/sparql", headers={"Accept": "text/csv"}, params={
        "query": f"SELECT (STR(?v) AS ?s) WHERE {{ <{BEIJING_PEAK.value}> <{VALUE.value}> ?v }}"
    })
    assert answer.text.splitlines() == ["s", "160"]


@pytest.fixture(scope="module")
def in_store(built_dist: Path) -> ox.Store:
    """The N-Quads dump loaded into a pyoxigraph store, which keeps values canonically."""
    store = ox.Store()
    store.bulk_load(path=str(built_dist / "cckg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


DUMP_FORMATS = {f.name: f.format.rdflib_format for f in GRAPH_DUMPS}
ONTOLOGY_FORMATS = {f.name: f.format.rdflib_format for f in ONTOLOGY_FILES}


@pytest.mark.parametrize("name", sorted(DUMP_FORMATS))
def test_every_dump_has_the_stores_lexical_forms(
    name: str, built_dist: Path, in_store: ox.Store
) -> None:
    stored = {ox.Triple(q.subject, q.predicate, q.object) for q in in_store}
    in_dump = as_written(built_dist / name, OX_FORMATS[str(DUMP_FORMATS[name])])
    assert canonical(in_dump) == canonical(stored)


@pytest.mark.parametrize("name", sorted(ONTOLOGY_FORMATS))
def test_the_ontology_dumps_have_the_stores_lexical_forms(
    name: str, built_dist: Path, in_store: ox.Store
) -> None:
    prefix = str(GRAPH["ontology/"])
    stored = {
        ox.Triple(q.subject, q.predicate, q.object) for q in in_store
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(prefix)
    }
    in_dump = as_written(built_dist / name, OX_FORMATS[str(ONTOLOGY_FORMATS[name])])
    assert canonical(in_dump) == canonical(stored)
