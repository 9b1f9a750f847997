"""Hostile names: a region renamed to `"><script>alert(1)</script>`, another to a spreadsheet formula, and
sectors imported from a file with such names are escaped on every page, in the JSON API (served as
JSON, never sniffed as HTML) and in the CSV/XLSX downloads (no formula cell, ever)."""

import csv
import io
import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from regions.models import Region
from stats.import_batches import import_file_now
from stats.models import ImportBatch, Source

PAYLOAD = "<script>alert(1)</script>"
REGION_HTML = '"><' + PAYLOAD[1:]  # breaks out of an attribute, then a script element
REGION_FORMULA = '=HYPERLINK("http://evil.example","' + PAYLOAD + '")'
SECTOR_HTML = "Skog " + PAYLOAD
SECTOR_FORMULA = "@SUM(1+1)" + PAYLOAD
FILE_NAME = PAYLOAD + ".csv"
COUNTIES = ("25", "14", "01", "12")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sector_file() -> bytes:
    lines = ["Län;År;Bransch;Varuexport, mnkr"]
    for n, code in enumerate(COUNTIES):
        for year in (2019, 2020, 2021):
            for k, sector in enumerate((SECTOR_HTML, SECTOR_FORMULA)):
                lines.append(f"{code};{year};{sector};{100 + 10 * n + year - 2019 + k}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def hostile(demo, stats_admin, settings):
    settings.DEBUG = False
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    Region.objects.filter(code="25").update(name=REGION_HTML, official_name=REGION_HTML + " län")
    Region.objects.filter(code="14").update(name=REGION_FORMULA)
    source = Source.objects.get(is_default=True)
    result, batch, _ = import_file_now(content=sector_file(), original_name=FILE_NAME, source=source, user=stats_admin)
    assert result.ok and batch is not None, [p.message for p in result.problems]
    cache.clear()
    return batch


def q(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}"


SECTOR_QUERY = {"indicator": "goods_export_msek", "from": "2019", "to": "2021"}
PAGES = [
    "/",
    "/regions/",
    q("/regions/", **SECTOR_QUERY, sector=SECTOR_HTML),
    "/regions/25/",
    "/regions/14/",
    q("/regions/25/", embed="1"),
    q("/compare/", regions="25,14,01"),
    q("/compare/", regions="25,14,01", view="growth"),
    q("/compare/", regions="25,14,01", embed="1"),
    q("/compare/", regions="25,14", **SECTOR_QUERY, sector=SECTOR_HTML),
    q("/compare/", regions="25,14", **SECTOR_QUERY, sector=SECTOR_FORMULA),
    "/map/",
    q("/map/", embed="1"),
    q("/map/", indicator="goods_export_msek", year="2021", sector=SECTOR_HTML),
    "/awards/",
    "/awards/2021/",
    "/awards/2022/",
    # hostile parameters reflected in the friendly 400 pages
    q("/compare/", regions=PAYLOAD),
    q("/compare/", indicator=PAYLOAD),
    q("/map/", year=PAYLOAD),
    q("/regions/25/", chart=PAYLOAD, **{"from": PAYLOAD}),
]
# Pages that must show the hostile names (escaped), so that the test proves they were rendered at all.
MUST_SHOW = {
    "/regions/25/": [REGION_HTML],
    q("/compare/", regions="25,14,01"): [REGION_HTML, REGION_FORMULA],
    q("/compare/", regions="25,14", **SECTOR_QUERY, sector=SECTOR_HTML): [REGION_HTML, SECTOR_HTML, SECTOR_FORMULA],
    q("/map/", indicator="goods_export_msek", year="2021", sector=SECTOR_HTML): [SECTOR_HTML],
    "/regions/": [REGION_HTML, REGION_FORMULA],
}


def html_forms(text: str) -> list[str]:
    """The ways a text may appear escaped: HTML text or attribute, or JSON inside a json_script block."""
    from django.utils.html import escape

    json_escaped = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return [escape(text), json_escaped, json_escaped.replace('"', '\\"')]


def assert_escaped(path: str, html: str) -> None:
    assert "<script>alert" not in html.lower(), f"{path}: an unescaped <script> from the data or the query"
    assert '"><script' not in html.lower(), path
    for block in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S | re.I):
        assert "</script" not in block.lower() and "<script" not in block.lower(), path


def test_hostile_names_are_escaped_on_every_page(client, hostile, stats_admin):
    responses = [(path, client.get(path)) for path in PAGES]
    client.force_login(stats_admin)
    responses += [(path, client.get(path)) for path in ("/imports/", f"/imports/{hostile.pk}/", *PAGES[:6])]
    for path, response in responses:
        assert response.status_code in (200, 400), (path, response.status_code)
        html = response.content.decode()
        assert_escaped(path, html)
        for text in MUST_SHOW.get(path, []):
            assert any(form in html for form in html_forms(text)), f"{path}: {text!r} is not shown"
    assert any(form in responses[-7][1].content.decode() for form in html_forms(FILE_NAME))  # the batch page


def test_the_pages_from_the_cache_are_as_escaped(client, hostile):
    for path in PAGES[:8]:
        client.get(path)
        assert_escaped(path, client.get(path).content.decode())


def test_the_api_returns_the_names_as_json_never_as_html(client, hostile):
    response = client.get("/api/v1/regions")
    assert response["Content-Type"].startswith("application/json") and response["X-Content-Type-Options"] == "nosniff"
    names = {r["code"]: r["name"] for r in response.json()}
    assert names["25"] == REGION_HTML and names["14"] == REGION_FORMULA
    body = client.get("/api/v1/series", {"indicator": "goods_export_msek", "regions": "25", "sector": SECTOR_HTML,
                                         "from": "2019", "to": "2021"}).json()
    assert body["series"][0]["name"] == REGION_HTML and len(body["series"][0]["points"]) == 3
    error = client.get("/api/v1/series", {"indicator": PAYLOAD})
    assert error.status_code == 400 and error["Content-Type"].startswith("application/json")


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_no_formula_cell(cells) -> None:
    for cell in cells:
        if isinstance(cell, str) and cell.startswith(FORMULA_START):
            assert is_number(cell), f"a formula-like text cell left unescaped: {cell!r}"


DOWNLOADS = [
    ("/compare", {"regions": "25,14,01"}),
    ("/compare", {"regions": "25,14,01", "view": "growth"}),
    ("/compare", {"regions": "25,14", **SECTOR_QUERY, "sector": SECTOR_FORMULA}),
    ("/compare", {"regions": "25,14", **SECTOR_QUERY, "sector": SECTOR_HTML}),
    ("/regions/14/data", {}),
    ("/regions/25/data", {}),
]


@pytest.mark.parametrize(("path", "params"), DOWNLOADS)
def test_csv_downloads_escape_formula_cells_and_keep_the_names(client, hostile, path, params):
    rows = csv_rows(client.get(path + ".csv", params))
    cells = [c for row in rows for c in row]
    assert_no_formula_cell(cells)
    text = "\n".join(cells)
    if "14" in params.get("regions", "14") and path != "/regions/25/data":
        assert "'" + REGION_FORMULA in text
    if params.get("sector") == SECTOR_FORMULA:
        assert any(SECTOR_FORMULA in c for c in cells)


@pytest.mark.parametrize(("path", "params"), DOWNLOADS)
def test_xlsx_downloads_have_no_formula_cell(client, hostile, path, params):
    response = client.get(path + ".xlsx", params)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert_no_formula_cell([c.value for c in cells])
    texts = [c.value for c in cells if isinstance(c.value, str)]
    if "14" in params.get("regions", "14") and path != "/regions/25/data":
        assert "'" + REGION_FORMULA in texts
    if "25" in params.get("regions", "25") and path != "/regions/14/data":
        assert any(REGION_HTML in t for t in texts)


def test_the_import_list_escapes_a_hostile_file_name(client, hostile, stats_admin):
    client.force_login(stats_admin)
    html = client.get("/imports/").content.decode()
    assert_escaped("/imports/", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.csv" in html
    assert ImportBatch.objects.filter(original_name=FILE_NAME).exists()
