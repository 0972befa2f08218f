"""Hostile requests that need no worker: long names, script IRIs, forged Host, the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from sparql_fixture import CCKG, ID, LABEL, TYPE, fixture_quads

from cckg.errors import BadParameter, UnknownQuery
from cckg.rdf.named_queries import load_query
from cckg.server.app import create_app
from cckg.server.guards import RedactTokens, redact
from cckg.server.settings import Settings
from cckg.server.urls import is_web_link
from cckg.store.embedded import EmbeddedStore

SCRIPT_IRI = "javascript:alert(document.domain)"
#: An IRI is Unicode; an HTTP header is not: links to it must be percent-encoded.
CHINESE_IRI = f"{ID}place/北京"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = EmbeddedStore.in_memory()
    store.store.load(fixture_quads().encode(), format=ox.RdfFormat.N_QUADS)
    store.store.add(ox.Quad(ox.NamedNode(SCRIPT_IRI), ox.NamedNode(LABEL),
                            ox.Literal("Poisoned place", language="en")))
    store.store.add(ox.Quad(ox.NamedNode(SCRIPT_IRI), ox.NamedNode(TYPE),
                            ox.NamedNode(f"{CCKG}Province")))
    store.store.add(ox.Quad(ox.NamedNode(f"{ID}place/110000"), ox.NamedNode(TYPE),
                            ox.NamedNode(SCRIPT_IRI)))  # a class IRI that is a script
    store.store.add(ox.Quad(ox.NamedNode(CHINESE_IRI), ox.NamedNode(LABEL),
                            ox.Literal("Beijing, named in Chinese", language="en")))
    tmp = tmp_path_factory.mktemp("hostile")
    settings = Settings(data_dir=tmp / "store", dist_dir=tmp / "dist", query_workers=1,
                        allowed_hosts=("testserver",))
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def test_script_class_iri_is_text_not_a_link_on_the_dataset_page(client: TestClient) -> None:
    page = client.get("/dataset", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "javascript:alert(document.domain)" in page.text  # listed as a class...
    assert 'href="javascript:' not in page.text.lower()  # ...but never as a link


def test_script_iri_is_text_not_a_link_in_a_list(client: TestClient) -> None:
    page = client.get("/list/Province")
    assert page.status_code == 200
    assert "Poisoned place" in page.text  # listed...
    assert 'href="javascript:' not in page.text.lower()  # ...but never as a link
    assert 'href="http://testserver/id/place/110000"' in page.text


@pytest.mark.parametrize("suffix", ["", ".ttl", ".jsonld"])
def test_a_chinese_iri_is_described_with_its_links_percent_encoded(
    client: TestClient, suffix: str
) -> None:
    page = client.get(f"/id/place/北京{suffix}")
    assert page.status_code == 200  # was a 500: the header could not be encoded
    assert "Beijing, named in Chinese" in page.text
    encoded = "http://testserver/id/place/%E5%8C%97%E4%BA%AC"
    assert f'<{encoded}.nt>; rel="alternate"' in page.headers["link"]
    assert page.headers["content-location"].startswith(encoded + ".")
    again = client.get(page.headers["content-location"])  # the link leads back to it
    assert again.status_code == 200 and again.content == page.content


def test_a_chinese_iris_links_in_are_listed(client: TestClient) -> None:
    listed = client.get("/inbound/place/北京.csv")
    assert listed.status_code == 200
    assert "http://testserver/inbound/place/%E5%8C%97%E4%BA%AC.json" in listed.headers["link"]


# -- 6. a query name too long for the file system is a 404 -------------------------------


@pytest.mark.parametrize("suffix", ["", ".csv", ".json", ".html"])
def test_overlong_query_name_is_404(client: TestClient, suffix: str) -> None:
    response = client.get("/queries/" + "a" * 300 + suffix)
    assert response.status_code == 404
    assert "no named query" in response.text and "a" * 81 not in response.text


def test_load_query_checks_the_name_before_the_file_system(tmp_path: Path) -> None:
    with pytest.raises(UnknownQuery):
        load_query("a" * 300, tmp_path)
    with pytest.raises(UnknownQuery):
        load_query("../../etc/passwd", tmp_path)
    with pytest.raises(UnknownQuery):
        load_query("b" * 300 + ".rq", tmp_path)


# -- 7. only http(s) IRIs become links ---------------------------------------------------


def test_script_iri_is_text_not_a_link_on_search(client: TestClient) -> None:
    page = client.get("/search", params={"q": "poisoned"})
    assert page.status_code == 200
    assert "Poisoned place" in page.text  # found and shown...
    assert 'href="javascript:' not in page.text.lower()  # ...but never as a link
    assert "<code>javascript:alert(document.domain)</code>" in page.text
    beijing = client.get("/search", params={"q": "beijing"})
    assert 'href="http://testserver/id/place/110000"' in beijing.text


@pytest.mark.parametrize(("href", "ok"), [
    ("http://x/a", True), ("HTTPS://x/a", True), ("javascript:alert(1)", False),
    (" javascript:alert(1)", False), ("data:text/html,x", False), ("http:x", False),
    ("vbscript:x", False), (None, False),
])
def test_is_web_link(href: str | None, ok: bool) -> None:
    assert is_web_link(href) is ok


# -- 8. Host header poisoning --------------------------------------------------------------


def test_forged_host_is_refused(client: TestClient) -> None:
    forged = client.get("/id/place/110000", headers={"Host": "evil.example",
                                                     "Accept": "text/turtle"})
    assert forged.status_code == 400
    assert "evil.example" in forged.text and "CCKG_PUBLIC_URL" in forged.text
    assert "Link" not in forged.headers
    sd = client.get("/sparql", headers={"Host": "evil.example:80"})
    assert sd.status_code == 400 and "evil.example" in sd.text
    ok = client.get("/id/place/110000", headers={"Accept": "text/turtle"})
    assert ok.status_code == 200 and "http://testserver/" in ok.headers["Link"]


def test_public_url_makes_links_ignore_host(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "s", dist_dir=tmp_path / "d",
                        public_url="https://cckg.example.org/", query_workers=1)
    store = EmbeddedStore.in_memory()
    store.store.load(fixture_quads().encode(), format=ox.RdfFormat.N_QUADS)
    with TestClient(create_app(settings, store)) as http:
        response = http.get("/id/place/110000", headers={"Host": "evil.example",
                                                         "Accept": "text/turtle"})
    assert response.status_code == 200
    assert "evil.example" not in response.headers["Link"]
    assert "https://cckg.example.org/id/place/110000.html" in response.headers["Link"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org", "::"])
def test_binding_beyond_loopback_needs_a_public_url(host: str) -> None:
    with pytest.raises(BadParameter, match="public-url"):
        Settings(host=host)
    Settings(host=host, public_url="https://cckg.example.org/")
    for loopback in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        Settings(host=loopback)


# -- 10. the access log never holds an access_token ------------------------------------------


def test_access_token_is_redacted_from_the_access_log(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.access")
    logger.addFilter(RedactTokens())
    with caplog.at_level(logging.INFO, logger="test.access"):
        # uvicorn's access-log call: client, method, path with query, HTTP version, status
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET",
                    "/sparql?query=ASK%7B%7D&access_token=s3cr3t&x=1", "1.1", 401)
    assert "s3cr3t" not in caplog.text
    assert "access_token=***&x=1" in caplog.text
    assert redact("/a?ACCESS_TOKEN=abc") == "/a?ACCESS_TOKEN=***"
