"""A real browser (Debian's chromium via playwright) runs a query on the query page of a
real server process on 127.0.0.1 and sees its rows; nothing is fetched from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from playwright.sync_api import Request as PlaywrightRequest
from playwright.sync_api import Route, sync_playwright
from tests.services.launcher import LiveServer

from cckg.server.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
FIXTURE = Path(__file__).parent / "data" / "linked_data_fixture.trig"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a server process over the fixture data."""
    root = tmp_path_factory.mktemp("browser")
    quads = ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    ox.serialize(quads, output=str(root / "fixture.nq"), format=ox.RdfFormat.N_QUADS)
    settings = Settings(data_dir=root / "store", dist_dir=root / "dist", query_workers=1)
    with LiveServer(settings, dataset=root / "fixture.nq") as live:
        yield live.url


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


def test_query_page_shows_a_parse_error_in_one_readable_line(server: str, tmp_path: Path) -> None:
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            page = context.new_page()
            page.set_viewport_size({"width": 800, "height": 900})
            page.goto(server + "query")
            page.wait_for_selector(".yasqe .CodeMirror")
            query = "SELECT ?x WHERE { ?x a cckg:" + "VeryLongClassName" * 8 + " }"
            page.evaluate("q => window.yasgui.getTab().getYasqe().setValue(q)", query)
            page.click(".yasqe_queryButton")
            box = page.wait_for_selector(".errorResult pre", timeout=30_000)
            text = box.inner_text()
            widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
        finally:
            context.close()
    assert "the prefix 'cckg:' is not declared" in text
    assert "PREFIX cckg: <https://w3id.org/cckg/ontology#>" in text
    assert "expected one of" not in text
    assert widths[0] <= widths[1], "the error message overflows its box"
