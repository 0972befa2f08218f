"""A real browser (Debian's chromium via playwright) on a real server over the real build:
the map, the timeline, a filtered list and its CSV, the shipped CJK font. Every test writes
a screenshot of its page to artifacts/screenshots/ (gitignored); nothing is fetched from
anywhere but the server."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright
from tests.services.launcher import REPO_ROOT, LiveServer

from cckg.rdf.query_exec import select_rows
from cckg.store.base import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "artifacts" / "screenshots"
CHINA = REPO_ROOT / "src" / "cckg" / "server" / "static" / "maps" / "china.json"
#: The nine provinces the report lists with an overall peak year (appendix, 提出整体达峰年的省份).
OVERALL = {"110000": 2020, "120000": 2025, "140000": 2030, "370000": 2027, "460000": 2030,
           "500000": 2030, "530000": 2025, "620000": 2030, "650000": 2030}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make installs it)"),
]


@pytest.fixture(scope="module")
def server(built_server: LiveServer) -> str:
    return built_server.url


@pytest.fixture(scope="module")
def browser(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """A chromium context that may reach the server only (anything else is aborted)."""
    outside: list[str] = []
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=str(CHROMIUM),
            headless=True, args=ARGS, viewport={"width": 1400, "height": 1100},
        )
        context.route("**/*", lambda route, request: route.continue_()
                      if request.url.startswith(server)
                      else (outside.append(request.url), route.abort())[1])
        try:
            yield context
        finally:
            context.close()
    assert outside == []


def values(graph: Store, sparql: str) -> set[str]:
    """The values of the one variable of a SELECT over the built graph."""
    return {str(v.value) for row in select_rows(graph, sparql) for v in row.values()}


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def centres() -> dict[str, list[float]]:
    """Each province's centre point from the shipped boundary file."""
    features = json.loads(CHINA.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["id"]: f["properties"]["cp"] for f in features}


def fills_at(page: Page, code: str, centre: list[float]) -> list[str]:
    """The fill colours of every SVG shape the map draws under a province's centre."""
    return page.evaluate(
        """([lonlat]) => {
          const chart = window.cckgCharts.map;
          const [x, y] = chart.convertToPixel({geoIndex: 0}, lonlat);
          const box = document.getElementById('map').getBoundingClientRect();
          return document.elementsFromPoint(box.left + x, box.top + y)
            .filter(e => e.tagName === 'path' && e.getAttribute('fill'))
            .map(e => e.getAttribute('fill').toLowerCase());
        }""",
        [centre],
    )


def open_map(browser: BrowserContext, server: str) -> Page:
    page = browser.new_page()
    page.goto(server + "map")
    page.wait_for_selector("#map[data-ready=true]", timeout=30_000)
    return page


def test_map_draws_every_province_in_the_colour_of_its_peak_year(
    browser: BrowserContext, server: str, built_graph: Store
) -> None:
    provinces = values(built_graph,
                       "SELECT ?code WHERE { ?p a cckg:Province ; cckg:adminCode ?code }")
    assert len(provinces) == 31
    page = open_map(browser, server)
    legend = {
        li.get_attribute("data-category"): li.get_attribute("data-colour")
        for li in page.query_selector_all("#legend li[data-category]")
    }
    table = {
        tr.get_attribute("data-code"): tr.get_attribute("data-colour")
        for tr in page.query_selector_all("#map-table tbody tr")
    }
    cp = centres()
    for code in sorted(provinces):
        fills = fills_at(page, code, cp[code])
        if code in OVERALL:
            expected = legend[f"year-{OVERALL[code]}"]
            assert expected is not None and expected.lower() in fills, (code, fills)
        else:
            assert (table[code] or "").lower() in fills, (code, fills)
    # the nine have the colours of their years, and no other province has a year colour
    year_colours = {legend[f"year-{y}"] for y in set(OVERALL.values())}
    assert {c for c, colour in table.items() if colour in year_colours} == set(OVERALL)
    shot(page, "map")
    page.close()


def test_clicking_shandong_opens_its_page(browser: BrowserContext, server: str) -> None:
    page = open_map(browser, server)
    point = page.evaluate(
        """([lonlat]) => {
          const [x, y] = window.cckgCharts.map.convertToPixel({geoIndex: 0}, lonlat);
          const box = document.getElementById('map').getBoundingClientRect();
          return [box.left + x, box.top + y];
        }""",
        [centres()["370000"]],
    )
    with page.expect_navigation():
        page.mouse.click(point[0], point[1])
    assert page.url == server + "id/place/370000"
    assert "山东" in page.inner_text("h1")
    page.wait_for_selector("#map[data-ready=true]", timeout=30_000)
    page.wait_for_selector("#timeline[data-ready=true]", timeout=30_000)
    # the province page draws Shandong alone, coloured as on the map of China
    assert page.evaluate("window.cckgCharts.map.getOption().geo[0].map") == "province-370000"
    shot(page, "province-shandong")
    page.close()


def test_timeline_shows_the_40_peak_targets(
    browser: BrowserContext, server: str, built_graph: Store
) -> None:
    expected = values(built_graph, "SELECT ?c WHERE { ?c a cckg:PeakTarget }")
    assert len(expected) == 40
    page = browser.new_page()
    page.goto(server + "timeline")
    page.wait_for_selector("#timeline[data-ready=true]", timeout=30_000)
    hrefs = page.evaluate(
        "window.cckgCharts.timeline.getOption().series.flatMap(s => s.data.map(d => d.href))"
    )
    assert len(hrefs) == 40
    assert {h.removeprefix(server) for h in hrefs} == {
        iri.removeprefix("https://w3id.org/cckg/") for iri in expected
    }
    table = page.eval_on_selector_all("#timeline-table tbody tr",
                                      "trs => trs.map(tr => tr.dataset.iri)")
    assert set(table) == expected
    # the marks are drawn: one SVG symbol per mark (besides the legend's)
    drawn = page.evaluate(
        "document.querySelectorAll('#timeline svg path[fill]').length"
    )
    assert drawn >= 40
    # the chart's own labels (axis, legend; some in Chinese) use the shipped font too
    fonts = page.evaluate(
        "[...document.querySelectorAll('#timeline svg text')]"
        ".map(t => getComputedStyle(t).fontFamily)"
    )
    assert fonts and all(f.startswith('"Noto Sans SC"') for f in fonts)
    shot(page, "timeline")
    page.close()


def test_charts_follow_only_web_links_and_show_data_as_text(
    browser: BrowserContext, server: str
) -> None:
    page = browser.new_page()
    page.goto(server + "timeline")
    page.wait_for_selector("#timeline[data-ready=true]", timeout=30_000)
    link_of = "iri => window.cckgCharts.linkOf(iri)"
    assert page.evaluate(link_of, "javascript:alert(document.domain)") is None
    assert page.evaluate(link_of, "https://w3id.org/cckg/id/place/370000") == (
        server + "id/place/370000")
    assert page.evaluate(link_of, "http://example.org/x") == "http://example.org/x"
    hostile = {"label": "<img src=x onerror=alert(1)>", "value": ["2030", 0],
               "timing": "<b>before</b>", "strength": "sets", "quote": "<script>x</script>"}
    shown = page.evaluate(
        "d => window.cckgCharts.timeline.getOption().tooltip[0].formatter({data: d})", hostile)
    assert "<img" not in shown and "<script" not in shown and "<b>" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    page.close()


def test_filtering_commitments_gives_the_right_rows_and_the_same_csv(
    browser: BrowserContext, server: str, built_graph: Store
) -> None:
    expected = values(
        built_graph,
        "SELECT ?c WHERE { ?c a cckg:Commitment ; "
        "cckg:strength <https://w3id.org/cckg/id/strength/strives> ; "
        "cckg:committedBy/cckg:withinJurisdiction* <https://w3id.org/cckg/id/place/370000> }",
    )
    assert expected == {
        "https://w3id.org/cckg/id/commitment/370000-support-city-peak-2020",
        "https://w3id.org/cckg/id/commitment/370000-support-city-peak-2025",
    }
    page = browser.new_page()
    page.goto(server + "list/Commitment")
    with page.expect_navigation():
        page.click('section[data-facet=strength] a[data-value="strength/strives"]')
    with page.expect_navigation():
        page.click('section[data-facet=province] a[data-value="place/370000"]')
    rows = page.eval_on_selector_all("#list tbody tr", "trs => trs.map(tr => tr.dataset.iri)")
    assert set(rows) == expected and len(rows) == 2
    assert page.inner_text("#total") == "2"
    csv_url = page.get_attribute("#as-csv", "href")
    assert csv_url is not None
    response = httpx.get(csv_url, timeout=30)
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["iri"] for r in table] == rows
    assert {r["strength"] for r in table} == {"strives · 力争"}
    shot(page, "commitments-strives-shandong")
    page.close()


def test_home_page_chinese_renders_with_the_shipped_font(
    browser: BrowserContext, server: str
) -> None:
    page = browser.new_page()
    page.goto(server)
    page.evaluate("document.fonts.ready")
    page.wait_for_function(
        "[...document.fonts].some(f => f.family.includes('Noto Sans SC') && f.status === 'loaded')"
    )
    used = page.evaluate(
        """() => {
          const text = [...document.querySelectorAll('[lang=zh]')].map(e => e.innerText).join('');
          const chars = [...new Set([...text].filter(c => c.codePointAt(0) >= 0x2e80))];
          const faces = [...document.fonts].filter(f => f.family.includes('Noto Sans SC'));
          const covered = c => faces.some(f => f.status === 'loaded' &&
            f.unicodeRange.split(',').some(r => {
              const [a, b] = r.trim().slice(2).split('-').map(h => parseInt(h, 16));
              const p = c.codePointAt(0);
              return p >= a && p <= (b === undefined ? a : b);
            }));
          return {chars: chars.length, missing: chars.filter(c => !covered(c)),
                  family: getComputedStyle(document.querySelector('h1 [lang=zh]')).fontFamily};
        }"""
    )
    assert used["chars"] > 20
    assert used["missing"] == []
    assert used["family"].startswith('"Noto Sans SC"')
    shot(page, "home")
    page.close()


def test_compare_and_ontology_pages_render(browser: BrowserContext, server: str) -> None:
    page = browser.new_page()
    page.goto(server + "compare?place=place/370000&place=place/440000")
    headers = page.eval_on_selector_all("#compare-table thead th",
                                        "ths => ths.map(t => t.innerText)")
    assert any("Shandong" in h for h in headers) and any("Guangdong" in h for h in headers)
    shot(page, "compare-shandong-guangdong")
    page.goto(server + "ontology")
    assert page.query_selector("header.site nav a[href$='list/']") is not None
    shot(page, "ontology")
    page.close()


def test_a_filter_can_be_chosen_by_keyboard(
    browser: BrowserContext, server: str, built_graph: Store
) -> None:
    strives = values(built_graph, "SELECT ?c WHERE { ?c a cckg:Commitment ; "
                     "cckg:strength <https://w3id.org/cckg/id/strength/strives> }")
    page = browser.new_page()
    page.goto(server + "list/Commitment")
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.value") == "strength/strives":
            break
    else:
        pytest.fail("Tab never reached the 'strives' filter")
    # the focused link shows a focus ring
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == server + "list/Commitment?strength=strength%2Fstrives"
    assert page.inner_text("#total") == str(len(strives))
    page.close()
