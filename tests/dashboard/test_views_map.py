"""/map/: a choropleth of the 21 counties with a year stepper, hover values, a legend with units,
a ranked table and summary beside it; our own shapes; a fixed number of queries."""

import json
import re

import pytest

from regions.data import COUNTY_CODES
from stats.selectors import clear_caches


def figure(html: str, figure_id: str = "fig-map") -> dict:
    blob = re.search(rf'<script id="{figure_id}" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(blob)


def test_it_maps_the_21_counties_for_the_latest_year(client, demo):
    html = client.get("/map/").content.decode()
    fig = figure(html)
    trace = fig["data"][0]
    assert trace["type"] == "choropleth" and sorted(trace["locations"]) == sorted(COUNTY_CODES)
    assert trace["geojson"].startswith("/static/geo/lan") and trace["featureidkey"] == "properties.code"
    assert fig["layout"]["geo"]["projection"]["type"] == "mercator"
    assert trace["colorbar"]["title"]["text"] == "kr"  # the legend names the unit
    norrbotten = trace["customdata"][trace["locations"].index("25")]
    assert norrbotten == "263\xa0480\xa0kr"  # hover values the Swedish way
    assert 'data-topojson-url="/static/geo/"' in html  # no request leaves our host
    assert "Varuexport per invånare (kr): samtliga företag, alla sektorer, arbetsställebaserad, 2023" in html


def test_the_year_stepper_and_the_year_parameter(client, demo):
    html = client.get("/map/", {"year": "2020"}).content.decode()
    assert 'href="/map/?indicator=goods_export_per_capita_sek&amp;firm_size=all&amp;source=scb-workplace&amp;year=2019"' in html
    assert "year=2021" in html
    fig = figure(html)
    assert fig["data"][0]["customdata"][fig["data"][0]["locations"].index("25")] == "190\xa0000\xa0kr"


def test_the_table_ranks_the_counties_and_names_sweden(client, demo):
    html = client.get("/map/", {"year": "2020"}).content.decode()
    assert re.search(r'<th scope="row">Norrbotten</th><td class="num">1</td><td class="num">190\xa0000</td>', html)
    assert "År 2020 hade Norrbotten det högsta värdet av de 21 länen, 190\xa0000\xa0kr" in html
    assert "Riket som helhet 2020:" in html


def test_a_county_without_a_value_is_grey_and_says_so(client, demo):
    from stats.models import Observation

    Observation.objects.filter(region__code="09", year=2022, indicator__code="goods_export_per_capita_sek",
                               firm_size="all").update(value=None, flag="confidential")
    fig = figure(client.get("/map/", {"year": "2022"}).content.decode())
    assert len(fig["data"]) == 2
    grey = fig["data"][1]
    assert grey["locations"] == ["09"] and grey["customdata"] == ["sekretess"] and grey["showscale"] is False
    assert "09" not in fig["data"][0]["locations"]


def test_english(client, demo):
    html = client.get("/map/", {"year": "2020"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    fig = figure(html)
    assert fig["data"][0]["customdata"][fig["data"][0]["locations"].index("25")] == "190,000\xa0SEK"
    assert "Map of the counties" in html


@pytest.mark.parametrize("query", ["year=1999", "year=20x0", "indicator=x", "firm_size=tiny", "source=x"])
def test_bad_parameters_give_a_friendly_400(client, demo, query):
    response = client.get(f"/map/?{query}")
    assert response.status_code == 400 and 'href="/map/"' in response.content.decode()


def test_the_page_sends_the_geo_bundle(client, demo):
    html = client.get("/map/").content.decode()
    assert "plotly-geo" in html and "plotly-basic" not in html


def test_embed(client, demo):
    response = client.get("/map/", {"embed": "1"})
    assert 'class="nav"' not in response.content.decode() and "frame-ancestors *" in response[
        "Content-Security-Policy"]


def test_the_download_link_gives_the_map_data(client, demo):
    html = client.get("/map/", {"year": "2020"}).content.decode()
    link = re.search(r'href="(/compare\.csv\?[^"]+)"', html).group(1).replace("&amp;", "&")
    text = client.get(link).content.decode("utf-8")
    assert "25,Norrbotten,2020,190000," in text


# generation; the reference data (years per source, regions, indicators, sources); the source's data sets.
# Before the dashboard app: 9.
MAP_QUERIES = 6


def test_the_query_count_is_the_same_for_2_and_21_regions(client, demo, django_assert_num_queries):
    from stats.models import CacheGeneration, Observation

    clear_caches()
    with django_assert_num_queries(MAP_QUERIES):
        assert client.get("/map/").status_code == 200
    Observation.objects.exclude(region__code__in=("00", "25", "14")).delete()
    CacheGeneration.objects.update(value=CacheGeneration.objects.get().value + 1)
    clear_caches()
    with django_assert_num_queries(MAP_QUERIES):
        html = client.get("/map/").content.decode()
    fig = figure(html)
    assert len(fig["data"][0]["locations"]) + len(fig["data"][1]["locations"]) == 21  # all shapes, 19 grey


def test_the_summary_names_confidential_counties_apart_from_missing_ones(client, demo):
    from stats.models import Observation

    for code, flag in (("10", "confidential"), ("09", "missing")):
        Observation.objects.filter(region__code=code, year=2022, indicator__code="goods_export_per_capita_sek",
                                   firm_size="all").update(value=None, flag=flag)
    html = client.get("/map/", {"year": "2022"}).content.decode()
    assert "Sekretessbelagt, publiceras inte av SCB: Blekinge (" in html
    assert "Inget värde för: Gotland (" in html and "Inget värde för: Blekinge" not in html
    en = client.get("/map/", {"year": "2022"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Confidential, not published by Statistics Sweden: Blekinge (" in en and "No value for: Gotland (" in en


def test_population_is_described_as_the_whole_population(client, demo):
    html = client.get("/map/", {"indicator": "population", "year": "2022"}).content.decode()
    assert "Urval: hela befolkningen" in html and "samtliga företag, alla sektorer" not in html.split("<main")[-1]
    sme = client.get("/map/", {"indicator": "population", "year": "2022", "firm_size": "sme"}).content.decode()
    assert figure(sme)["data"][0]["locations"] == figure(html)["data"][0]["locations"]  # firm size ignored
    assert len(figure(sme)["data"][0]["locations"]) == 21
