"""Every ```python block of docs/reusing.md runs, from the repository root, in a fresh
namespace; the SPARQLWrapper block talks to a tiny SPARQL server on 127.0.0.1 that answers
with rdflib over the repository's ontology and data (no network)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from rdflib import Graph

from cckg.paths import PATHS
from cckg.pipeline.load import load_dataset, union_graph

DOC = PATHS.root / "docs" / "reusing.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks() -> list[str]:
    return BLOCK.findall(DOC.read_text(encoding="utf-8"))


def sparql_handler(graph: Graph) -> type[BaseHTTPRequestHandler]:
    """A request handler answering SPARQL SELECT (GET or form POST) with JSON results."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, query: str) -> None:
            body = graph.query(query).serialize(format="json")
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(body if isinstance(body, bytes) else body.encode())

        def do_GET(self) -> None:
            self._answer(parse_qs(urlparse(self.path).query)["query"][0])

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = parse_qs(self.rfile.read(length).decode("utf-8"))
            self._answer(form["query"][0])

        def log_message(self, *args: object) -> None:
            return

    return Handler


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), sparql_handler(union_graph(load_dataset())))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_doc_has_the_four_reuse_examples() -> None:
    blocks = python_blocks()
    assert len(blocks) == 4
    for library in ("rdflib", "owlready2", "SPARQLWrapper", "rdfs:subClassOf cckg:Commitment"):
        assert any(library in block for block in blocks), library


@pytest.mark.parametrize("index", range(4))
def test_python_block_runs(
    index: int, endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PATHS.root)
    monkeypatch.setenv("CCKG_SPARQL_ENDPOINT", endpoint)
    code = compile(python_blocks()[index], f"{DOC}:block{index + 1}", "exec")
    exec(code, {"__name__": f"reusing_block_{index + 1}"})


def test_local_endpoint_answers_like_rdflib(endpoint: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    sparql = SPARQLWrapper(endpoint)
    sparql.setReturnFormat(JSON)
    sparql.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    result = sparql.query().convert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) > 1000
