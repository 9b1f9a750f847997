"""The analyst's daily work in a real browser (Debian's chromium via Playwright), at 1 366 × 900 and on a
390 × 844 phone: every analyst page fits its window (no sideways scroll), axe-core finds nothing serious or
critical, no two tick labels of a chart overlap; on the phone the chart comes before the collapsed picker
and the map fills the width. Controls apply at once and put the state in the address without a reload;
the compare picker finds "norr"; the map's timeline plays and steps with the keyboard; an embedded chart
sizes its iframe through the snippet we hand out; and Norrbotten against Sweden 2016–2021 with its data
file takes at most four interactions from Norrbotten's page. With SCREENSHOTS=1: tests/artifacts/analyst_*.png.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, screenshot
from tests.browser.test_pages import (  # noqa: F401  (fixtures: the live site, the demo data)
    AXE,
    axe_violations,
    data,
    site,
    wait_for_charts,
)

pytestmark = pytest.mark.browser

SIZES = {"wide": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
ANALYST_PAGES = {
    "overview": "/",
    "regions": "/regions/",
    "region": "/regions/25/",
    "compare": "/compare/",
    "compare-many": "/compare/?regions=00,01,03,04,05,06,07,08,09,10,12,13,14,17,18,19,20,21,22,23,24,25",
    "compare-growth": "/compare/?regions=25,24,01&view=growth&from=2016&to=2021",
    "map": "/map/",
    "awards": "/awards/",
    "award-2022": "/awards/2022/",
    "embed-compare": "/compare/?regions=25,00&embed=1",
    "embed-region": "/regions/25/?embed=1",
    "embed-map": "/map/?embed=1",
}
SWEDEN_GREY = "#595959"

# The tick labels of every chart on the page that overlap another label of the same axis.
COLLIDING_TICKS = """() => {
  const out = [];
  document.querySelectorAll('[data-figure]').forEach(plot => {
    for (const axis of ['xtick', 'ytick']) {
      const boxes = [...plot.querySelectorAll(`g.${axis} text`)]
        .filter(t => t.textContent.trim())
        .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r, b = boxes[j].r;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 1 && h > 1) { out.push(`${plot.dataset.figure} ${axis}: ${boxes[i].text} / ${boxes[j].text}`); }
        }
      }
    }
  });
  return out;
}"""


class Tab:
    """One page in a fresh browser context of the given size, with its console errors collected; it opens
    `url` if given."""

    def __init__(self, browser, url: str | None = None, size: str = "wide") -> None:  # noqa: F811
        self.context = browser.new_context(viewport=SIZES[size], locale="sv-SE", accept_downloads=True,
                                           extra_http_headers={"Accept-Language": "sv"})
        if AXE.exists():
            self.context.add_init_script(path=str(AXE))
        self.errors: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        if url is not None:
            self.goto(url)

    def goto(self, url: str) -> None:
        self.page.goto(url)
        wait_for_charts(self.page)

    def mark(self) -> None:
        """A flag that a full page load would wipe: controls must update the page in place."""
        self.page.evaluate("() => { window.__noReload = true; }")

    def not_reloaded(self) -> bool:
        return self.page.evaluate("() => window.__noReload === true")

    def close(self) -> None:
        self.context.close()


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def figure(page, figure_id: str = "fig-compare") -> list[dict]:
    return page.evaluate(f"""() => document.querySelector('[data-figure="{figure_id}"]').data
        .map(t => ({{name: t.name, type: t.type, colour: (t.line || t.marker || {{}}).color, x: t.x, y: t.y}}))""")


@pytest.mark.parametrize("size", SIZES)
def test_every_analyst_page_fits_and_passes_axe(browser, data, size):  # noqa: F811
    tab = Tab(browser, size=size)
    problems: list[str] = []
    for name, path in ANALYST_PAGES.items():
        tab.goto(data + path)
        page = tab.page
        if (extra := overflow(page)) > 0:
            problems.append(f"{name}: {extra} px wider than the window")
        problems += [f"{name}: {v['id']} ({v['impact']}): {v['nodes']}" for v in axe_violations(page)]
        problems += [f"{name}: ticks collide: {c}" for c in page.evaluate(COLLIDING_TICKS)]
        screenshot(page, f"analyst_{name}_{size}")
        if size == "phone" and name.startswith("compare"):
            picker = page.locator("#compare-picker")
            assert not picker.evaluate("d => d.open"), f"{name}: the picker starts collapsed on a phone"
            chart_top = page.locator("#results").bounding_box()["y"]
            assert chart_top < picker.bounding_box()["y"], f"{name}: the chart comes before the picker"
        if size == "phone" and name == "map":
            controls = page.locator("#map-form details")
            assert not controls.evaluate("d => d.open"), "the map's controls start collapsed on a phone"
            assert page.locator("#results").bounding_box()["y"] < controls.bounding_box()["y"]
            plot = page.locator("[data-figure='fig-map']").bounding_box()
            shapes = page.locator("[data-figure='fig-map'] .choroplethlayer").bounding_box()
            assert plot["width"] >= SIZES["phone"]["width"] - 60, "the map's plot spans the phone's width"
            assert shapes["height"] >= 400 and shapes["width"] >= 0.6 * plot["width"], f"the map is small: {shapes}"
    assert problems == []
    assert tab.errors == []
    tab.close()


def test_admin_jury_and_award_pages_fit_a_phone(browser, data):  # noqa: F811
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from awards.models import AwardYear
    from exportregion.permissions import JURY, STATISTICS_ADMINS
    from stats.models import ImportBatch

    admin = User.objects.create_user("phone-admin", password="x-phone-admin-1")
    admin.groups.add(Group.objects.get_or_create(name=STATISTICS_ADMINS)[0])
    juror = User.objects.create_user("phone-juror", password="x-phone-juror-1")
    juror.groups.add(Group.objects.get_or_create(name=JURY)[0])
    AwardYear.objects.get(year=2023).jurors.add(juror)
    batch = ImportBatch.objects.order_by("pk").first()
    pages = {admin: ["/imports/", f"/imports/{batch.pk}/"], juror: ["/awards/2023/"], None: ["/awards/", "/awards/2022/"]}
    problems = []
    for user, paths in pages.items():
        for size in SIZES:
            tab = Tab(browser, size=size)
            if user is not None:
                client = Client()
                client.force_login(user)
                cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
                tab.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": data}])
            for path in paths:
                tab.goto(data + path)
                assert tab.page.url.startswith(data + path), f"{path}: sent to {tab.page.url}"
                if (extra := overflow(tab.page)) > 0:
                    problems.append(f"{path} at {size}: {extra} px too wide")
                name = path.strip("/").replace("/", "-")
                screenshot(tab.page, f"analyst_{name}_{size}")
            tab.close()
    assert problems == []


def test_controls_update_the_chart_and_the_address_without_a_submit(browser, data):  # noqa: F811
    tab = Tab(browser, data + "/compare/?regions=25,00")
    page = tab.page
    tab.mark()
    before = figure(page)[0]["x"]
    page.locator("#c-from").select_option("2018")
    page.wait_for_url("**from=2018**")
    page.wait_for_function("() => document.querySelector('[data-figure=fig-compare]').data[0].x[0] === 2018")
    assert before[0] != 2018 and tab.not_reloaded()
    page.get_by_label("Förändring under perioden").check()
    page.wait_for_url("**view=growth**")
    wait_for_charts(page)
    bars = figure(page)[0]
    assert "Sverige" in bars["y"] and tab.not_reloaded()  # Sweden, the reference bar

    tab.goto(data + "/regions/25/?from=2016&to=2023")
    tab.mark()
    page.locator("#d-to").select_option("2021")
    page.wait_for_url("**to=2021**")
    page.wait_for_function("() => document.querySelector('#facts-title').textContent.includes('2021')")
    wait_for_charts(page)
    assert tab.not_reloaded()

    tab.goto(data + "/regions/")
    tab.mark()
    page.locator("#r-from").select_option("2016")
    page.wait_for_url("**from=2016**")
    page.wait_for_function("() => document.querySelector('#regions-table caption').textContent.includes('2016')")
    assert tab.not_reloaded()
    page.go_back()
    page.wait_for_function("() => !location.search.includes('from=2016')")

    tab.goto(data + "/map/?year=2021")
    tab.mark()
    slider = page.locator("#m-timeline")
    slider.focus()
    page.keyboard.press("Home")
    page.wait_for_url("**year=2016**")
    wait_for_charts(page)
    assert "2016" in page.locator(".chart-title").inner_text()
    page.keyboard.press("End")
    page.wait_for_url("**year=2023**")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**year=2022**")
    assert page.locator("#m-year").input_value() == "2022"
    play = page.locator("[data-play]")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    page.wait_for_url("**year=2023**", timeout=5000)
    page.wait_for_function("() => document.querySelector('[data-play]').getAttribute('aria-pressed') === 'false'")
    assert slider.input_value() == "2023" and tab.not_reloaded()
    assert tab.errors == []
    tab.close()


def test_the_map_table_is_a_tab_beside_the_map_on_a_phone(browser, data):  # noqa: F811
    tab = Tab(browser, data + "/map/", "phone")
    page = tab.page
    assert page.locator("#map-table").is_hidden()
    page.get_by_role("tab", name="Tabell").click()
    assert page.locator("#map-table").is_visible() and page.locator("#map-panel").is_hidden()
    assert page.locator("#map-table tbody tr").first.inner_text().split("\t")[:2] == ["Norrbotten", "1"]
    page.get_by_role("tab", name="Tabell").press("ArrowLeft")
    assert page.locator("#map-panel").is_visible()
    hover_norrbotten(page)
    tab.close()


def test_the_picker_finds_norr_and_quick_picks_apply_at_once(browser, data):  # noqa: F811
    tab = Tab(browser, data + "/compare/?regions=01,00")
    page = tab.page
    tab.mark()
    search = page.get_by_label("Sök region")
    search.fill("norr")
    visible = page.locator(".checks label.check:visible")
    assert visible.all_inner_texts() == ["Norrbotten", "Västernorrland"]
    search.press("Enter")
    page.wait_for_url("**regions=01,00,25**")
    wait_for_charts(page)
    assert [t["name"] for t in figure(page)] == ["Stockholm", "Sverige", "Norrbotten"]
    page.get_by_role("link", name="Grannlän till Stockholm").click()
    page.wait_for_url("**regions=01,03,04,00**")
    wait_for_charts(page)
    assert page.locator("input[name=regions][value='03']").is_checked()
    page.get_by_role("link", name="Liknande län som Stockholm").click()
    page.wait_for_url(re.compile(r"regions=01,\d\d,\d\d,\d\d,00"))
    wait_for_charts(page)
    assert tab.not_reloaded()
    # Many lines: each named at its end, the legend gone, the line under the pointer highlighted.
    page.get_by_role("link", name="Alla län").click()
    page.wait_for_url("**regions=01,03,04,05**")
    plot = page.locator("[data-figure='fig-compare']")
    page.wait_for_function("() => document.querySelector('[data-figure=fig-compare]').dataset.labelled === '22'")
    assert plot.locator(".annotation-text", has_text="Norrbotten").count() == 1
    assert plot.locator(".legend").count() == 0
    plot.scroll_into_view_if_needed()
    point = page.evaluate("""() => {
        const el = document.querySelector('[data-figure=fig-compare]');
        const i = el.data.findIndex(t => t.name === 'Norrbotten');
        const last = el.data[i].x.length - 1;
        const fl = el._fullLayout, box = el.getBoundingClientRect();
        return {x: box.left + fl._size.l + fl.xaxis.d2p(el.data[i].x[last]),
                y: box.top + fl._size.t + fl.yaxis.d2p(el.data[i].y[last])};
    }""")
    page.mouse.move(point["x"], point["y"])
    page.wait_for_function("() => document.querySelector('[data-figure=fig-compare]').dataset.highlighted === 'Norrbotten'")
    screenshot(page, "analyst_compare-highlight_wide")
    assert tab.errors == []
    tab.close()


def test_an_embedded_chart_sizes_its_iframe(browser, data):  # noqa: F811
    # Another site framing ours: a page the test answers itself at another origin. Chromium's local network
    # access checks would block a page it cannot place from framing a loopback address, hence the flag.
    other = browser.browser_type.launch(executable_path=CHROMIUM,
                                        args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"])
    tab = Tab(other, data + "/compare/?regions=25,00")
    snippet = tab.page.locator("#embed-html").input_value()
    assert "postMessage" not in snippet and 'addEventListener("message"' in snippet
    host = tab.context.new_page()
    host_url = data.replace("localhost", "127.0.0.1") + "/host-page"
    host.route(host_url, lambda route: route.fulfill(
        content_type="text/html", body=f"<!DOCTYPE html><html><body><h1>Host</h1>{snippet}<p>after</p></body></html>"))
    host.goto(host_url)
    host.wait_for_function("() => document.querySelector('iframe').style.height !== ''", timeout=20000)
    frame = next(f for f in host.frames if f.url.startswith(data))
    frame.wait_for_function("() => document.querySelector('[data-figure]').dataset.drawn === '1'")
    host.wait_for_timeout(300)
    inner = frame.evaluate("() => document.documentElement.scrollHeight")
    outer = host.evaluate("() => document.querySelector('iframe').getBoundingClientRect().height")
    assert abs(inner - outer) <= 2, (inner, outer)
    assert inner != 680  # not the snippet's first guess
    tab.close()
    other.close()


# --- These depend on items 1, 2 and 7 of issue 11 (built on another branch): the region page's
# "Jämför med Sverige" link, one colour per region, and the PNG/SVG/ZIP downloads.

def test_norrbotten_against_sweden_2016_2021_with_its_data_in_four_interactions(browser, data):  # noqa: F811
    tab = Tab(browser, data + "/regions/25/")
    page = tab.page
    interactions = 0
    page.get_by_role("link", name=re.compile("Jämför med Sverige")).first.click()
    interactions += 1
    page.wait_for_url("**/compare/**")
    wait_for_charts(page)
    for control, year in (("#c-from", "2016"), ("#c-to", "2021")):
        if page.locator(control).input_value() != year:
            page.locator(control).select_option(year)
            interactions += 1
            page.wait_for_url(f"**{control[3:]}={year}**")
    wait_for_charts(page)
    assert re.search(r"regions=25,00&", page.url) and "from=2016" in page.url and "to=2021" in page.url
    assert sorted(t["name"] for t in figure(page)) == ["Norrbotten", "Sverige"]
    with page.expect_download() as download:
        page.locator("#fig-compare-block [data-download='csv']").click()
    interactions += 1
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Norrbotten" in text and "Sverige" in text and "2016" in text and "2021" in text and "2022" not in text
    assert interactions <= 4, interactions
    tab.close()


def test_norrbotten_has_one_colour_and_sweden_is_grey_everywhere(browser, data):  # noqa: F811
    tab = Tab(browser, data + "/compare/?regions=25,00")
    colours = {}
    for url in ("/compare/?regions=25,00", "/compare/?regions=01,12,14,25,00", "/compare/?regions=14,25,24,00&view=index"):
        tab.goto(data + url)
        traces = {t["name"]: t["colour"] for t in figure(tab.page)}
        colours[url] = traces["Norrbotten"]
        assert traces["Sverige"] == SWEDEN_GREY
    tab.goto(data + "/regions/25/")
    trend = figure(tab.page, "fig-trend")
    colours["region"] = next(t["colour"] for t in trend if t["name"].startswith("Norrbotten"))
    tab.goto(data + "/map/")
    colours["map-hover"] = hover_colour(tab.page)
    tab.goto(data + "/awards/2022/")
    sme = figure(tab.page, "fig-sme")
    colours["award"] = next(t["colour"] for t in sme if t["name"].startswith("Norrbotten"))
    assert len({c.lower() for c in colours.values()}) == 1, colours
    tab.close()


def hover_norrbotten(page) -> None:
    """The pointer on Norrbotten on the map, until its hover label shows."""
    page.locator("[data-figure='fig-map']").scroll_into_view_if_needed()
    box = page.evaluate("""() => {  // Norrbotten: the largest shape, in the north
        const shapes = [...document.querySelectorAll("[data-figure='fig-map'] path.choroplethlocation")];
        const r = shapes.map(p => p.getBoundingClientRect()).sort((a, b) => b.width * b.height - a.width * a.height)[0];
        return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    }""")
    page.mouse.move(box["x"], box["y"])
    page.wait_for_function("() => document.querySelector(\"[data-figure='fig-map'] .hoverlayer\").textContent.includes('Norrbotten')")


def hover_colour(page) -> str:
    """The background of the label the map shows for Norrbotten under the pointer, as #rrggbb."""
    hover_norrbotten(page)
    fill = page.evaluate("""() => getComputedStyle(document.querySelector("[data-figure='fig-map'] .hoverlayer .hovertext path")).fill""")
    red, green, blue = (int(n) for n in re.findall(r"\d+", fill)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def test_norrbottens_sme_panel_spans_its_own_values_and_the_summary_names_the_2020_dip(browser, data):  # noqa: F811
    tab = Tab(browser, data + "/regions/25/")
    low, high = tab.page.evaluate("() => document.querySelector('[data-figure=fig-trend]')._fullLayout.yaxis3.range")
    assert 15_000 <= low <= 25_000 and 45_000 <= high <= 55_000, (low, high)  # about 20 000–50 000 kr as drawn
    ticks = tab.page.evaluate("""() => [...document.querySelectorAll("[data-figure='fig-trend'] g.y3tick text")]
        .map(t => t.textContent.replace(/\\s/g, ' '))""")
    assert "30 000" in ticks and "40 000" in ticks, ticks  # kronor, the Swedish way
    tab.goto(data + "/regions/25/?from=2016&to=2021")
    facts = tab.page.locator(".key-facts").inner_text()
    assert "en nedgång 2020 med 7,5" in facts, facts
    assert tab.errors == []
    tab.close()


def test_png_svg_and_zip_downloads_arrive_and_open(browser, data):  # noqa: F811
    tab = Tab(browser, data + "/compare/?regions=25,00&from=2016&to=2021")
    page = tab.page
    files = {}
    buttons = {"png": "[data-image-format='png']", "svg": "[data-image-format='svg']", "zip": "a[data-download='zip']"}
    for kind, button in buttons.items():
        with page.expect_download() as download:
            page.locator(f"#fig-compare-block {button}").click()
        files[kind] = Path(download.value.path()).read_bytes()
    assert files["png"].startswith(b"\x89PNG")
    assert b"<svg" in files["svg"][:500]
    names = zipfile.ZipFile(io.BytesIO(files["zip"])).namelist()
    assert any(n.endswith(".csv") for n in names) and "metadata.json" in names
    tab.close()
