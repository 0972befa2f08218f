"""A real browser (Debian's chromium via playwright) runs a query on the query page of a
real server process on 127.0.0.1 and sees its rows; nothing is fetched from elsewhere."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from playwright.sync_api import Request as PlaywrightRequest
from playwright.sync_api import Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
FIXTURE = Path(__file__).parent / "data" / "linked_data_fixture.trig"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SERVER = """
import sys
from pathlib import Path
import uvicorn
from cckg.server.app import create_app
from cckg.server.settings import Settings
from cckg.store.embedded import EmbeddedStore
root, port = Path(sys.argv[1]), int(sys.argv[2])
store = EmbeddedStore.open(root / "store")
store.load_dataset_file(root / "fixture.nq")
settings = Settings(port=port, data_dir=root / "store", dist_dir=root / "dist", query_workers=1)
uvicorn.run(create_app(settings, store), host="127.0.0.1", port=port, log_level="warning")
"""
QUERY = """PREFIX cckg: <https://w3id.org/cckg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name ?year WHERE {
  ?c cckg:committedBy ?p ; cckg:targetYear ?year . ?p rdfs:label ?name
  FILTER(LANG(?name) = "en") } ORDER BY ?year"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make installs it)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a server process over the fixture data."""
    root = tmp_path_factory.mktemp("browser")
    quads = ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    ox.serialize(quads, output=str(root / "fixture.nq"), format=ox.RdfFormat.N_QUADS)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(root), str(port)])
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "query", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the server process did not start")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def test_query_page_runs_a_query_and_shows_its_rows(server: str, tmp_path: Path) -> None:
    outside: list[str] = []
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            def guard(route: Route, request: PlaywrightRequest) -> None:
                if request.url.startswith(server):
                    route.continue_()
                else:
                    outside.append(request.url)
                    route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            page.goto(server + "query")
            page.wait_for_selector(".yasqe .CodeMirror")
            prefilled = page.evaluate("window.yasgui.getTab().getYasqe().getValue()")
            for prefix in ("cckg", "id", "rdfs", "skos", "prov", "org", "dcterms", "xsd"):
                assert f"PREFIX {prefix}:" in prefilled
            endpoint = page.evaluate("window.yasgui.getTab().getEndpoint()")
            assert endpoint == server + "sparql"
            page.evaluate("q => window.yasgui.getTab().getYasqe().setValue(q)", QUERY)
            page.click(".yasqe_queryButton")
            page.wait_for_selector(".yasr table tbody tr", timeout=30_000)
            rows = page.eval_on_selector_all(
                ".yasr table tbody tr",
                "trs => trs.map(tr => Array.from(tr.querySelectorAll('td'))"
                ".map(td => td.innerText.trim()))",
            )
        finally:
            context.close()
    cells = [" ".join(row) for row in rows]
    assert len(cells) == 2
    assert "Gansu" in cells[0] and "2025" in cells[0]
    assert "Gansu" in cells[1] and "2030" in cells[1]
    assert outside == []
