"""Issue 11: the region page tells the story, one colour per region everywhere, self-describing charts,
honest empty states and the data downloads (ZIP, the county's workbook)."""

import io
import json
import re
import zipfile

import pytest
from openpyxl import load_workbook

from stats import charts


def figure(html: str, figure_id: str) -> dict:
    blob = re.search(rf'<script id="{figure_id}" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(blob)


def _trace_colour(fig: dict, name: str) -> str:
    return next(t["line"]["color"] for t in fig["data"] if t["name"].startswith(name))


# --- 1. the region page tells the story ----------------------------------------------------------


def test_the_sme_panel_of_norrbotten_spans_its_own_values(client, demo):
    html = client.get("/regions/25/").content.decode()
    trend = figure(html, "fig-trend")
    lo, hi = trend["layout"]["yaxis3"]["range"]
    assert 15_000 <= lo <= 25_000 and 45_000 <= hi <= 55_000  # about 20 000–50 000 kr, not 0–300 000
    top_lo, _top_hi = trend["layout"]["yaxis"]["range"]
    assert top_lo >= 50_000  # the all-firm panel does not start at zero either
    panel_titles = [a["text"] for a in trend["layout"]["annotations"] if a.get("name") == "panel-title"]
    assert panel_titles == ["<b>Samtliga företag</b>", "<b>Små och medelstora företag</b>"]


def test_the_summary_names_the_2020_dip_computed_from_the_values(client, demo):
    html = client.get("/regions/25/", {"from": "2016", "to": "2021"}).content.decode()
    facts = html[html.index('class="key-facts"'):html.index("</section>", html.index('class="key-facts"'))]
    assert "Norrbotten, små och medelstora företag: en nedgång 2020 med 7,5\xa0%, sedan +22,7\xa0% 2021." in facts
    en = client.get("/regions/25/", {"from": "2016", "to": "2021"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a fall of 7.5% in 2020, then +22.7% in 2021" in en


def test_the_award_period_is_shaded_and_compare_with_sweden_is_one_click(client, demo):
    html = client.get("/regions/25/", {"from": "2016", "to": "2021"}).content.decode()
    shapes = figure(html, "fig-trend")["layout"]["shapes"]
    assert any(s["type"] == "rect" and s["x0"] == 2020.5 for s in shapes)
    link = re.search(r'<a class="button-link" href="([^"]+)">Jämför med Sverige</a>', html).group(1)
    link = link.replace("&amp;", "&")
    assert link.startswith("/compare/?regions=25,00&indicator=goods_export_per_capita_sek&firm_size=sme")
    assert "from=2016&to=2021" in link
    compare = client.get(link).content.decode()
    assert "Norrbotten" in compare and client.get(link).status_code == 200


def test_the_county_workbook_has_every_series_and_a_metadata_sheet(client, demo):
    html = client.get("/regions/25/").content.decode()
    url = re.search(r'href="(/regions/25/all\.xlsx[^"]*)"', html).group(1).replace("&amp;", "&")
    response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 11 and book.sheetnames[-1] == "Metadata"  # ten charts and the metadata
    first = book.worksheets[0]
    assert first["A1"].value == "Regionkod"
    metadata = [c for row in book["Metadata"].iter_rows(values_only=True) for c in row if c]
    assert "Formel" in metadata and "Norrbotten (25)" in metadata


# --- 2. one colour per region ------------------------------------------------------------------


def test_region_colour_is_one_per_county_and_sweden_grey():
    assert charts.region_colour("00") == charts.REFERENCE_COLOUR
    counties = ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20",
                "21", "22", "23", "24", "25"]
    looks = {(charts.region_colour(c), charts.region_dash(c)) for c in counties}
    assert len(looks) == 21  # colour and dash tell every county apart
    assert all(charts.region_colour(c) != charts.REFERENCE_COLOUR for c in counties)
    assert charts.region_dash("25") == "solid"


def test_norrbotten_has_the_same_colour_on_every_page(client, demo):
    colour = charts.region_colour("25")
    region = figure(client.get("/regions/25/").content.decode(), "fig-trend")
    assert _trace_colour(region, "Norrbotten") == colour
    for regions in ("25,00", "01,12,14,25,00", "14,25"):
        compare = figure(client.get("/compare/", {"regions": regions}).content.decode(), "fig-compare")
        assert _trace_colour(compare, "Norrbotten") == colour
        assert _trace_colour(compare, "Sverige") == charts.REFERENCE_COLOUR if "00" in regions else True
    growth = figure(client.get("/compare/", {"regions": "14,25,00", "view": "growth"}).content.decode(),
                    "fig-compare")["data"][0]
    assert growth["marker"]["color"][growth["y"].index("Norrbotten")] == colour
    map_fig = figure(client.get("/map/").content.decode(), "fig-map")["data"][0]
    assert map_fig["hoverlabel"]["bgcolor"][map_fig["locations"].index("25")] == colour


def test_nominees_are_marked_by_a_label_not_a_status_colour():
    import pandas as pd

    frame = pd.DataFrame({"region": ["25", "12", "01"], "name": ["Norrbotten", "Skåne", "Stockholm"],
                          "change_pct": [98.0, 30.0, 20.0]})
    bars = charts.growth_bars(frame, x_title="%", lang="sv", highlight=("25", "12"),
                              marks={"25": "nominerad", "12": "nominerad"})["data"][0]
    colours = dict(zip(bars["y"], bars["marker"]["color"], strict=True))
    assert colours["<b>Norrbotten</b> (nominerad)"] == charts.region_colour("25")
    assert colours["<b>Skåne</b> (nominerad)"] == charts.region_colour("12")
    assert colours["Stockholm"] == charts.OTHER_COLOUR


def test_the_jury_score_bars_use_the_nominees_colours():
    from awards.charts import ScoreSummary, score_bars

    rows = [ScoreSummary("Norrbotten", "A", 4.0, 4.0, 3, 5, 3), ScoreSummary("Skåne", "A", 3.0, 3.0, 2, 4, 3)]
    fig = score_bars(rows, nominees=["Norrbotten", "Skåne"], criteria=["A"], lang="sv", codes=["25", "12"])
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [b["marker"]["color"] for b in bars] == [charts.region_colour("25"), charts.region_colour("12")]


def test_nominees_sharing_a_colour_are_told_apart_by_a_pattern():
    from awards.charts import ScoreSummary, score_bars

    assert charts.region_colour("06") == charts.region_colour("25")  # Jönköping and Norrbotten
    rows = [ScoreSummary(n, "A", 3.0, 3.0, 2, 4, 3) for n in ("Halland", "Jönköping", "Norrbotten")]
    fig = score_bars(rows, nominees=["Halland", "Jönköping", "Norrbotten"], criteria=["A"], lang="sv",
                     codes=["13", "06", "25"])
    bars = [t["marker"] for t in fig["data"] if t["type"] == "bar"]
    looks = {(m["color"], m.get("pattern", {}).get("shape", "")) for m in bars}
    assert len(looks) == 3, bars
    assert bars[1]["pattern"]["fillmode"] == "overlay"  # the pattern over the colour, which still shows
    assert "pattern" not in bars[2]  # Norrbotten: its plain colour, as on every page


# --- 3. self-describing charts -----------------------------------------------------------------


def test_a_chart_names_indicator_breakdown_method_and_period(client, demo):
    html = client.get("/compare/", {"regions": "25,00", "firm_size": "sme", "from": "2016", "to": "2021",
                                    "scale": "log"}).content.decode()
    assert ("Varuexport per invånare (kr): små och medelstora företag, alla sektorer, arbetsställebaserad, "
            "2016–2021") in html
    fig = figure(html, "fig-compare")
    assert fig["layout"]["yaxis"]["title"]["text"] == "kr (logaritmisk skala)"
    assert html.count('<p class="source">') == 1  # the source line once, under the chart
    assert html.index('data-figure="fig-compare"') < html.index('<p class="source">')
    assert "Senast importerad 20" in html


def test_every_chart_has_an_about_the_data_panel(client, demo):
    html = client.get("/regions/25/").content.decode()
    assert html.count('<details class="about-data">') == 10
    assert "Varuexport, mnkr (mnkr) × 1\xa0000\xa0000 / folkmängden" in html or "× 1\xa0000\xa0000" in html
    assert "SCB (Statistics Sweden) for Tillväxtverket, arbetsställebaserad" in html
    assert not re.search(r"/imports/\d+/", html)  # the batch link is for statistics admins only


def test_staff_see_the_link_to_the_last_batch(admin_client, demo):
    staff = admin_client.get("/regions/25/").content.decode()
    assert re.search(r'<a href="/imports/\d+/">importen</a>', staff)


# --- 4. honest empty states --------------------------------------------------------------------


def test_an_empty_selection_is_a_message(client, demo):
    html = client.get("/compare/", {"regions": ""}).content.decode()
    assert "Ingen region är vald" in html and 'data-figure="fig-compare"' not in html
    assert "Sverige" not in html[html.index('id="fig-compare-block"'):html.index("</figure>")]


def test_a_period_without_values_repeats_the_period_and_draws_no_chart(client, demo):
    html = client.get("/compare/", {"from": "2010", "to": "2012"}).content.decode()
    assert "Det finns inga värden för de valda regionerna 2010–2012 i den här källan." in html
    assert 'data-figure="fig-compare"' not in html


@pytest.mark.parametrize("path", ["/compare/", "/regions/", "/regions/25/"])
def test_year_controls_offer_only_the_sources_years(client, demo, path):
    html = client.get(path).content.decode()
    select = re.search(r'<select id="[a-z]-from" name="from">(.*?)</select>', html, re.S).group(1)
    years = [int(y) for y in re.findall(r"<option[^>]*>(\d{4})</option>", select)]
    assert years == list(range(2016, 2024))  # the workplace source; 2010–2015 are the other source's
    other = client.get(path, {"source": "scb-head-office"}).content.decode()
    select = re.search(r'<select id="[a-z]-from" name="from">(.*?)</select>', other, re.S).group(1)
    assert [int(y) for y in re.findall(r"<option[^>]*>(\d{4})</option>", select)] == list(range(2010, 2016))


# --- 7. downloads ------------------------------------------------------------------------------


def test_the_region_zip_holds_the_csv_metadata_and_readme(client, demo):
    response = client.get("/regions/25/data.zip", {"chart": "goods-per-capita", "from": "2016", "to": "2021"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["README.txt", "exportregion-25-goods-per-capita-2016-2021.csv",
                                          "metadata.json"]
    text = archive.read("exportregion-25-goods-per-capita-2016-2021.csv").decode()
    assert text.splitlines()[0] == "Regionkod,Region,Företagsstorlek,År,Värde (kr),Anmärkning"
    assert "25,Norrbotten,Små och medelstora företag,2016,24560," in text
    meta = json.loads(archive.read("metadata.json"))
    assert meta["unit"] == "kr" and meta["method"] == "workplace-based" and meta["region"] == "25"
    derived = json.loads(zipfile.ZipFile(io.BytesIO(client.get(
        "/regions/25/data.zip", {"chart": "services-per-capita"}).content)).read("metadata.json"))
    assert "folkmängden" in derived["formula"]


def test_every_chart_offers_png_and_svg_made_in_the_browser(client, demo):
    html = client.get("/regions/25/").content.decode()
    assert html.count('data-image-format="png"') == 10 and html.count('data-image-format="svg"') == 10
    assert "js/dashboard/chart_images" in html
