"""Every analyst page in a real browser (Debian's chromium driven by Playwright): no console errors,
the expected traces and map shapes, a control change updates the URL and the chart, downloads return
files, axe-core finds no serious or critical violation, and the transfer sizes of a first and a
repeat visit. With SCREENSHOTS=1, screenshots go to tests/artifacts/<page>.png for a person to look at.

The server is a live server thread like pytest-django's `live_server`, but it serves the static
files the way production does: collected into a manifest (cache-busted names), compressed, and
served by WhiteNoise with far-future cache headers. Only so are the transfer sizes real.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import ARTIFACTS, CHROMIUM, missing_tool, production_static, screenshot

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
BUNDLE = ROOT / "static" / "vendor" / "plotly" / "BUNDLE"
FIRST_VISIT_LIMIT = 700 * 1024
REPEAT_VISIT_LIMIT = 60 * 1024

if not Path(CHROMIUM).exists() or not (ROOT / "static/vendor/plotly/plotly-basic.min.js").exists():
    pytest.skip("needs /usr/bin/chromium and scripts/fetch_plotly.sh", allow_module_level=True)



class _PassThrough:
    """No static handler in front of the app: WhiteNoise (in the middleware) serves /static/ as in production."""

    def __new__(cls, app):
        return app


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, collected_static):
    from django.db import connections
    from django.test.testcases import LiveServerThread

    override = production_static(collected_static)
    override.enable()
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = LiveServerThread("localhost", static_handler=_PassThrough, connections_override=shared, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()
    override.disable()


@pytest.fixture
def data(browser, transactional_db, site):
    """The demo data through the import pipeline, as production loads it (DEBUG off: no demo users)."""
    from django.core.cache import cache

    cache.clear()
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    yield site
    cache.clear()


class Visit:
    """One page in a fresh browser context, with its console errors collected."""

    def __init__(self, browser, url: str, *, lang: str = "sv", axe: bool = True, width: int = 1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale=f"{lang}-SE",
                                           extra_http_headers={"Accept-Language": lang}, accept_downloads=True)
        if axe and AXE.exists():
            # An init script is not subject to the page's CSP, so the page keeps its real policy.
            self.context.add_init_script(path=str(AXE))
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = self.open(url)

    def open(self, url: str):
        page = self.context.new_page()
        page.on("console", lambda m: self.errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.goto(url)
        wait_for_charts(page)
        return page

    def close(self) -> None:
        self.context.close()


def wait_for_charts(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')].every(e => e.dataset.drawn === '1')", timeout=20000)


def traces(page, figure_id: str) -> int:
    return page.evaluate(f"() => document.querySelector('[data-figure=\"{figure_id}\"]').data.length")


def map_shapes(page) -> int:
    return page.locator("[data-figure='fig-map'] path.choroplethlocation").count()


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        missing_tool("axe-core not fetched (scripts/fetch_plotly.sh needs npm)")
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def transferred(page) -> int:
    """Bytes over the wire for the page and everything it loaded (0 for what came from the cache)."""
    return page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource'))
        .reduce((sum, e) => sum + e.transferSize, 0)""")


def record_transfer(name: str, first: int, repeat: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "transfer.json"
    sizes = json.loads(path.read_text()) if path.exists() else {}
    bundle = BUNDLE.read_text().strip() if BUNDLE.exists() else "?"
    sizes[name] = {"bundle": bundle, "first_visit_bytes": first, "repeat_visit_bytes": repeat}
    path.write_text(json.dumps(sizes, indent=2, sort_keys=True) + "\n")


def check_transfer(visit: Visit, url: str, name: str) -> None:
    first = transferred(visit.page)
    again = visit.open(url)
    repeat = transferred(again)
    record_transfer(name, first, repeat)
    if BUNDLE.exists() and BUNDLE.read_text().strip() == "partial":
        assert first < FIRST_VISIT_LIMIT, f"{name}: first visit {first} bytes"
    assert repeat < REPEAT_VISIT_LIMIT, f"{name}: repeat visit {repeat} bytes"


def test_overview(browser, data):
    visit = Visit(browser, data + "/")
    page = visit.page
    assert page.locator("h1").inner_text() == "Sveriges regioner och deras export"
    assert page.locator(".demo-notice").is_visible()
    assert traces(page, "fig-ranking") == 1
    assert page.locator("[data-figure='fig-ranking'] .scatterlayer .point").count() == 21
    assert map_shapes(page) == 21
    assert axe_violations(page) == []
    assert visit.errors == []
    screenshot(page, "overview")
    check_transfer(visit, data + "/", "overview")
    visit.close()


def test_regions_table_sorts_by_a_column(browser, data):
    visit = Visit(browser, data + "/regions/")
    page = visit.page
    assert page.locator("#regions-table tbody tr").count() == 21
    page.get_by_role("link", name="Förändring 2018–2023").click()
    page.wait_for_url("**sort=change**")
    assert page.locator("th[aria-sort='descending']").inner_text().startswith("Förändring")
    assert page.locator("#regions-table tbody tr th").first.inner_text() == "Norrbotten"
    assert axe_violations(page) == []
    assert visit.errors == []
    screenshot(page, "regions")
    visit.close()


def test_region_page(browser, data):
    url = data + "/regions/25/?from=2016&to=2021"
    visit = Visit(browser, url)
    page = visit.page
    assert page.locator("[data-figure]").count() == 10
    assert traces(page, "fig-trend") == 4  # Norrbotten and Sweden, all firms and SMEs
    assert traces(page, "fig-rank") == 2
    assert page.locator("[data-figure='fig-trend'] .scatterlayer .trace").count() == 4
    assert "den största ökningen av de 21 länen" in page.locator(".key-facts").inner_text()
    with page.expect_download() as download:
        page.locator("#fig-trend-block a[data-download='csv']").click()
    path = download.value.path()
    assert ",24560," in Path(path).read_text(encoding="utf-8")
    # No button sends a figure to plotly's cloud, and nothing the page loads leaves our host.
    page.locator("[data-figure='fig-trend']").hover()
    assert page.locator("[data-figure='fig-trend'] .modebar-btn").count() > 0
    assert page.locator(".modebar-btn[data-title^='Share chart']").count() == 0
    assert page.locator("[data-figure='fig-trend'] .modebar-btn[data-title='Ladda ner diagrammet som PNG']").count() == 1
    assert [u for u in visit.requests if not u.startswith(data)] == []
    assert axe_violations(page) == []
    assert visit.errors == []
    screenshot(page, "region")
    check_transfer(visit, url, "region")
    visit.close()


def test_compare_controls_update_the_url_and_the_chart(browser, data):
    visit = Visit(browser, data + "/compare/")
    page = visit.page
    assert traces(page, "fig-compare") == 5
    colours = page.evaluate("() => document.querySelector('[data-figure=fig-compare]').data"
                            ".map(t => [t.name, t.line.color])")
    page.get_by_label("Halland").check()
    page.wait_for_url("**regions=01,12,14,25,00,13**")  # the new region last: every line keeps its colour
    wait_for_charts(page)
    assert traces(page, "fig-compare") == 6
    after = dict(page.evaluate("() => document.querySelector('[data-figure=fig-compare]').data"
                               ".map(t => [t.name, t.line.color])"))
    assert all(after[name] == colour for name, colour in colours)
    # Keyboard only: to the growth view with Tab and the arrow keys.
    page.get_by_label("Värden", exact=True).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**view=growth**")
    wait_for_charts(page)
    assert page.locator("[data-figure='fig-compare'] .barlayer .point").count() == 6
    assert page.evaluate("document.activeElement.value") == "growth"  # focus stays on the control
    page.go_back()  # the browser's history holds the states: back to the lines
    page.wait_for_function("() => !location.search.includes('view=growth')")
    page.wait_for_function("() => document.querySelector('[data-figure=fig-compare]').data[0].type === 'scatter'")
    assert not page.locator("input[name=view][value=growth]").is_checked()
    with page.expect_download() as download:
        page.locator("a[data-download='xlsx']").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert axe_violations(page) == []
    assert visit.errors == []
    screenshot(page, "compare")
    visit.close()


def test_compare_all_counties_growth(browser, data):
    from regions.data import COUNTY_CODES

    url = (data + "/compare/?view=growth&indicator=goods_export_per_capita_sek&firm_size=sme&from=2016&to=2021"
           "&regions=00," + ",".join(COUNTY_CODES))
    visit = Visit(browser, url)
    page = visit.page
    assert page.locator("[data-figure='fig-compare'] .barlayer .point").count() == 22
    assert visit.errors == []
    screenshot(page, "compare-growth")
    check_transfer(visit, url, "compare")
    visit.close()


def test_map_year_stepper(browser, data):
    url = data + "/map/"
    visit = Visit(browser, url)
    page = visit.page
    assert map_shapes(page) == 21
    page.get_by_role("link", name="2022").click()
    page.wait_for_url("**year=2022**")
    wait_for_charts(page)
    assert map_shapes(page) == 21
    assert page.locator("#m-year").input_value() == "2022"
    title = page.locator(".chart-title").inner_text()
    assert title.startswith("Varuexport per invånare (kr)") and title.endswith(", 2022")
    page.locator("#m-indicator").select_option("exporting_firms")
    page.wait_for_url("**indicator=exporting_firms**")
    wait_for_charts(page)
    assert "Antal exporterande företag" in page.locator(".chart-title").inner_text()
    assert axe_violations(page) == []
    assert visit.errors == []
    screenshot(page, "map")
    check_transfer(visit, url, "map")
    visit.close()


def test_the_english_switch(browser, data):
    visit = Visit(browser, data + "/compare/?regions=25,00&view=index")
    page = visit.page
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    wait_for_charts(page)
    assert page.locator("h1").inner_text() == "Compare regions"
    assert "view=index" in page.url
    assert axe_violations(page) == []
    assert visit.errors == []
    screenshot(page, "compare-en")
    page.goto(data + "/regions/25/?from=2016&to=2021")
    wait_for_charts(page)
    assert "the largest increase of the 21 counties" in page.locator(".key-facts").inner_text()
    screenshot(page, "region-en")
    visit.close()


def test_embed_and_bad_request_pages(browser, data):
    visit = Visit(browser, data + "/compare/?regions=25,14,00&embed=1", width=800)
    page = visit.page
    assert page.locator("nav.nav").count() == 0 and traces(page, "fig-compare") == 3
    assert axe_violations(page) == []
    screenshot(page, "embed")
    bad = visit.open(data + "/compare/?from=20x6")
    assert "Det urvalet kan inte visas" in bad.locator(".bad-request").inner_text()
    assert axe_violations(bad) == []
    screenshot(bad, "bad-request")
    period = visit.open(data + "/regions/25/?from=2005&to=2010")  # beyond the statistics: repeated, the nearest linked
    assert "Du bad om 2005–2010" in period.locator(".bad-request").inner_text()
    assert axe_violations(period) == []
    screenshot(period, "bad-period")
    period.get_by_role("link", name="Visa närmaste period, 2010–2015").click()
    wait_for_charts(period)
    assert period.url.endswith("/regions/25/?source=scb-head-office&from=2010&to=2015")
    assert [e for e in visit.errors if "400" not in e] == []  # the 400 itself is logged by the browser
    visit.close()


def test_chart_images_and_the_data_zip_download_in_the_browser(browser, data):
    """PNG and SVG made by plotly.js in the page (no request leaves the host); the ZIP has the CSV and
    metadata; Norrbotten has the same colour on the region and compare pages."""
    import io
    import zipfile

    visit = Visit(browser, data + "/regions/25/?from=2016&to=2021", axe=False)
    page = visit.page
    for fmt, start in (("png", b"\x89PNG"), ("svg", b"<svg")):
        with page.expect_download() as download:
            page.locator(f"#fig-trend-block [data-image-format='{fmt}']").click()
        assert download.value.suggested_filename == f"exportregion-fig-trend.{fmt}"
        assert Path(download.value.path()).read_bytes().startswith(start)
    with page.expect_download() as download:
        page.locator("#fig-trend-block a[data-download='zip']").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert {"metadata.json", "README.txt"} <= set(archive.namelist())
    colour = page.evaluate("() => document.querySelector('[data-figure=\"fig-trend\"]').data[0].line.color")
    compare = visit.open(data + "/compare/?regions=14,25,00")
    assert compare.evaluate("() => document.querySelector('[data-figure=\"fig-compare\"]').data"
                            ".find(t => t.name === 'Norrbotten').line.color") == colour
    # The images are made in the page: a blob: of our own origin, never a request elsewhere.
    assert [u for u in visit.requests if not u.startswith((data, "blob:" + data, "data:"))] == []
    assert visit.errors == []
    visit.close()
