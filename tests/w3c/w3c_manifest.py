"""Reads the W3C SPARQL 1.1 Protocol test manifest into plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

DATA = Path(__file__).parent / "data"
PROTOCOL = DATA / "sparql11-protocol" / "manifest.ttl"
SERVICE_DESCRIPTION = DATA / "sparql11-service-description" / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"


@dataclass(frozen=True)
class Expect:
    """What one response must be: status classes (2, 3, 4), format, boolean."""

    status_classes: frozenset[int]
    format: str | None = None
    boolean: bool | None = None


@dataclass(frozen=True)
class Request:
    """One HTTP request of a test."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expect: Expect


@dataclass(frozen=True)
class ProtocolTest:
    """One manifest entry: graphs to load (IRI -> N-Triples file) and requests in order."""

    id: str
    name: str
    graphs: dict[str, Path] = field(default_factory=dict)
    requests: tuple[Request, ...] = ()


def _items(graph: Graph, node: object) -> list:
    return list(Collection(graph, node)) if node is not None else []


def _request(graph: Graph, node: object) -> Request:
    headers = {}
    for header in _items(graph, graph.value(node, HT.headers)):
        headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
    body = None
    body_node = graph.value(node, HT.body)
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    resp = graph.value(node, HT.resp)
    statuses = frozenset(
        int(str(s)[len(HTS)]) for s in graph.objects(resp, MF.expectedStatus)
    )
    fmt = graph.value(resp, MF.expectedFormat)
    boolean = graph.value(resp, MF.expectedBoolean)
    return Request(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        expect=Expect(
            statuses,
            str(fmt) if fmt is not None else None,
            boolean.toPython() if boolean is not None else None,
        ),
    )


def protocol_tests(path: Path = PROTOCOL) -> list[ProtocolTest]:
    """Every test of the protocol manifest, in manifest order."""
    graph = Graph().parse(path, format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in _items(graph, graph.value(manifest, MF.entries)):
        graphs = {
            str(graph.value(data, RDFS.label)): Path(str(graph.value(data, UT.graph))[7:])
            for data in graph.objects(entry, UT.graphData)
        }
        action = graph.value(entry, MF.action)
        nodes = _items(graph, graph.value(action, HT.requests))
        requests = tuple(_request(graph, r) for r in nodes)
        tests.append(
            ProtocolTest(
                id=str(entry).rsplit("#", 1)[-1],
                name=str(graph.value(entry, MF.name)),
                graphs=graphs,
                requests=requests,
            )
        )
    return tests


def service_description_tests(path: Path = SERVICE_DESCRIPTION) -> list[tuple[str, str]]:
    """(id, name) of every service description test, in manifest order."""
    graph = Graph().parse(path, format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return [
        (str(e).rsplit("#", 1)[-1], str(graph.value(e, MF.name)))
        for e in _items(graph, graph.value(manifest, MF.entries))
        if isinstance(e, URIRef)
    ]
