"""/regions/ (the sortable county table) and /regions/<code>/ (every indicator with Sweden as the
reference, rank over time, awards marked, plain-language summaries that agree with the API)."""

import json
import re

import pytest

from stats.selectors import clear_caches

GROWTH = {"indicator": "goods_export_per_capita_sek", "firm_size": "sme", "from": "2016", "to": "2021"}


def figure(html: str, figure_id: str) -> dict:
    blob = re.search(rf'<script id="{figure_id}" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(blob)


def _keep_only(codes):
    from stats.models import CacheGeneration, Observation

    Observation.objects.exclude(region__code__in=codes).delete()
    CacheGeneration.objects.update(value=CacheGeneration.objects.get().value + 1)


# --- the region page -------------------------------------------------------------------------


def test_the_summary_agrees_with_the_api_and_the_compare_page(client, demo):
    api = client.get("/api/v1/growth", GROWTH).json()
    row = next(r for r in api["rows"] if r["region"] == "25")
    html = client.get("/regions/25/", {"from": "2016", "to": "2021"}).content.decode()
    sentence = ("Varuexport per invånare i små och medelstora företag ökade från 24\xa0560\xa0kr 2016 till "
                "44\xa0210\xa0kr 2021, +80,0\xa0%")
    assert sentence in html
    assert row["change_pct"] == 80.01  # two decimals, no float noise
    assert row["rank"] == 1 and "den största ökningen av de 21 länen" in html
    compare = client.get("/compare/", {**GROWTH, "regions": "25", "view": "growth"}).content.decode()
    assert f"{row['rank']} av 21" in compare and "+80,0\xa0%" in compare


def test_a_lower_rank_reads_as_an_ordinal(client, demo):
    api = client.get("/api/v1/growth", GROWTH).json()
    third = next(r for r in api["rows"] if r["rank"] == 3)
    html = client.get(f"/regions/{third['region']}/", {"from": "2016", "to": "2021"}).content.decode()
    assert "den tredje största ökningen av de 21 länen" in html
    en = client.get(f"/regions/{third['region']}/", {"from": "2016", "to": "2021"},
                    HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the 3rd largest increase of the 21 counties" in en


def test_the_english_page_formats_numbers_the_english_way(client, demo):
    html = client.get("/regions/25/", {"from": "2016", "to": "2021"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ("Goods exports per inhabitant in small and medium-sized firms rose from 24,560\xa0SEK in 2016 to "
            "44,210\xa0SEK in 2021, +80.0%, the largest increase of the 21 counties.") in html


def test_every_indicator_is_shown_per_inhabitant_and_in_total(client, demo):
    html = client.get("/regions/25/").content.decode()
    trend = figure(html, "fig-trend")
    names = [t["name"] for t in trend["data"]]
    assert names == ["Norrbotten", "Norrbotten", "Sverige", "Sverige"]  # one legend entry per region
    hovers = [t["hovertemplate"] for t in trend["data"]]
    assert "Norrbotten – små och medelstora företag" in hovers[1] and "Sverige – samtliga företag" in hovers[2]
    assert [t.get("yaxis", "y") for t in trend["data"]] == ["y", "y3", "y", "y3"]  # SMEs on their own panel
    assert trend["data"][2]["line"]["color"] == "#595959"  # Sweden as the grey reference
    for chart_id in ("fig-goods-total", "fig-services-per-capita", "fig-services-total", "fig-exporting-per-100k",
                     "fig-exporting-total", "fig-participating-per-100k", "fig-participating-total",
                     "fig-population", "fig-rank"):
        assert figure(html, chart_id)["data"], chart_id
    assert "beräknat med folkmängden" in html  # derived per-inhabitant figures say so


def test_nominations_and_wins_are_marked_on_the_charts(client, demo):
    html = client.get("/regions/25/").content.decode()
    trend = figure(html, "fig-trend")
    marks = {a["text"] for a in trend["layout"]["annotations"]}
    assert {"Nominerad 2021", "Vinnare 2022"} <= marks
    assert {s["x0"] for s in trend["layout"]["shapes"] if s["type"] == "line"} == {2021, 2022}
    assert any(s["type"] == "rect" and s["x0"] == 2020.5 and s["x1"] == 2022.5 for s in trend["layout"]["shapes"])
    assert "Norrbotten nominerades till Årets Exportregion 2021 och 2022." in html


def test_the_rank_over_time_has_one_at_the_top(client, demo):
    rank = figure(client.get("/regions/25/").content.decode(), "fig-rank")
    low, high = rank["layout"]["yaxis"]["range"]
    assert low == 21.5 and high <= 0.5
    assert len(rank["data"]) == 2 and all(1 <= r <= 21 for r in rank["data"][0]["y"])


def test_the_two_sources_are_never_joined(client, demo):
    html = client.get("/regions/25/", {"source": "scb-head-office"}).content.decode()
    assert figure(html, "fig-trend")["data"][0]["x"] == [2010, 2011, 2012, 2013, 2014, 2015]
    new = figure(client.get("/regions/25/").content.decode(), "fig-trend")
    assert new["data"][0]["x"][0] == 2016


def test_a_missing_value_is_a_gap(client, demo):
    from stats.models import Observation

    Observation.objects.filter(region__code="25", year=2019, indicator__code="goods_export_per_capita_sek",
                               firm_size="sme").update(value=None, flag="missing")
    trend = figure(client.get("/regions/25/").content.decode(), "fig-trend")
    sme = trend["data"][1]
    assert sme["y"][sme["x"].index(2019)] is None and sme["connectgaps"] is False


def test_sweden_has_its_own_page_without_ranks(client, demo):
    html = client.get("/regions/00/").content.decode()
    assert "fig-rank" not in html
    trend = figure(html, "fig-trend")["data"]
    assert [t["name"] for t in trend] == ["Sverige", "Sverige"] and trend[1]["yaxis"] == "y3"


def test_a_slug_redirects_to_the_code_and_an_unknown_region_is_404(client, demo):
    response = client.get("/regions/norrbotten/")
    assert response.status_code == 302 and response["Location"] == "/regions/25/"
    assert client.get("/regions/99/").status_code == 404
    assert client.get("/regions/lappland/").status_code == 404


@pytest.mark.parametrize("query", ["from=abc", "from=2020&to=2016", "source=nope", "chart=nope&embed=1"])
def test_bad_parameters_give_a_friendly_400(client, demo, query):
    response = client.get(f"/regions/25/?{query}")
    assert response.status_code == 400
    assert 'href="/regions/25/"' in response.content.decode()


def test_the_embed_mode_shows_one_chart(client, demo):
    response = client.get("/regions/25/", {"embed": "1", "chart": "rank"})
    html = response.content.decode()
    assert 'id="fig-rank"' in html and 'id="fig-trend"' not in html and 'class="nav"' not in html
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_each_chart_has_its_downloads(client, demo):
    html = client.get("/regions/25/").content.decode()
    assert "/regions/25/data.csv?source=scb-workplace&amp;from=2016&amp;to=2023&amp;chart=goods-per-capita" in html
    response = client.get("/regions/25/data.csv", {"chart": "goods-per-capita", "from": "2016", "to": "2021"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("Regionkod,Region,Företagsstorlek,År,Värde (kr),Anmärkning\r\n")  # tidy
    assert "25,Norrbotten,Små och medelstora företag,2016,24560," in text
    assert client.get("/regions/25/data.xlsx", {"chart": "rank"}).status_code == 200
    assert client.get("/regions/25/data.csv", {"chart": "nope"}).status_code == 400


# generation, when awards last changed; the reference data (years per source, regions, indicators,
# sources); award years and their nominations (2); the source's data sets. Before the dashboard app: 13.
REGION_QUERIES = 9


def test_the_query_count_is_the_same_for_2_and_21_regions(client, demo, django_assert_num_queries):
    clear_caches()
    with django_assert_num_queries(REGION_QUERIES):
        assert client.get("/regions/25/").status_code == 200
    _keep_only(("00", "25", "14"))
    clear_caches()
    with django_assert_num_queries(REGION_QUERIES):
        assert client.get("/regions/25/").status_code == 200


# --- the regions table -----------------------------------------------------------------------


def test_the_table_lists_every_county_with_value_change_and_rank(client, demo):
    html = client.get("/regions/", {**GROWTH, "sort": "change"}).content.decode()
    rows = re.findall(r'<th scope="row"><a href="/regions/(\d\d)/">', html)
    api = client.get("/api/v1/growth", GROWTH).json()
    assert rows[:21] == [r["region"] for r in api["rows"]]  # sorted by change, as the API
    assert rows[-1] == "00"  # Sweden last, as the reference
    assert 'aria-sort="descending"' in html and "+80,0\xa0%" in html


def test_sorting_by_name_and_value(client, demo):
    by_name = client.get("/regions/", {"sort": "name", "order": "asc"}).content.decode()
    names = re.findall(r'<th scope="row"><a href="/regions/\d\d/">([^<]+)</a>', by_name)[:21]
    assert names[:2] == ["Blekinge", "Dalarna"] and names[-2:] == ["Örebro", "Östergötland"]
    assert names.index("Västra Götaland") < names.index("Örebro")
    assert 'aria-sort="ascending"' in by_name
    by_value = client.get("/regions/", {"sort": "value", "order": "asc"}).content.decode()
    assert re.findall(r'<th scope="row"><a href="/regions/(\d\d)/">', by_value)[0] == "12"  # Skåne, lowest


@pytest.mark.parametrize("query", ["sort=size", "order=up", "indicator=x", "from=2020&to=2010"])
def test_bad_table_parameters_give_a_400(client, demo, query):
    assert client.get(f"/regions/?{query}").status_code == 400


def test_the_table_query_count_is_the_same_for_2_and_21_regions(client, demo, django_assert_num_queries):
    clear_caches()
    with django_assert_num_queries(6):  # generation, the reference data (4), the data sets; before: 9
        client.get("/regions/")
    _keep_only(("00", "25", "14"))
    clear_caches()
    with django_assert_num_queries(6):  # generation, the reference data (4), the data sets; before: 9
        client.get("/regions/")


def test_an_unknown_region_gets_our_own_404_page(client, db, settings):
    settings.DEBUG = False
    missing = client.get("/regions/99/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "Sidan finns inte" in html and 'href="/regions/"' in html and 'href="/compare/"' in html


def _set_flag(region: str, year: int, flag: str, indicator: str = "goods_export_per_capita_sek", size: str = "sme"):
    from stats.models import Observation

    Observation.objects.filter(region__code=region, year=year, indicator__code=indicator,
                               firm_size=size).update(value=None, flag=flag)
    clear_caches()


def _table_row(html: str, code: str) -> list[str]:
    row = re.search(rf'<a href="/regions/{code}/">[^<]+</a></th>(.*?)</tr>', html, re.S).group(1)
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_the_table_tells_a_confidential_value_from_a_missing_one(client, demo):
    _set_flag("10", 2021, "confidential")
    _set_flag("14", 2021, "missing")
    html = client.get("/regions/", GROWTH).content.decode()
    assert _table_row(html, "10")[0] == "sekr." and _table_row(html, "14")[0] == ".."
    en = client.get("/regions/", GROWTH, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _table_row(en, "10")[0] == "conf." and _table_row(en, "14")[0] == ".."


def test_population_is_the_whole_population_not_a_firm_size(client, demo):
    params = {"indicator": "population", "from": "2016", "to": "2021"}
    html = client.get("/regions/", params).content.decode()
    assert "Urval: hela befolkningen" in html and "samtliga företag" not in html.split("<table")[1]
    en = client.get("/regions/", params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Breakdown: whole population" in en
    # A firm size kept from the form is ignored for population: the same table, not an empty one.
    sme = client.get("/regions/", {**params, "firm_size": "sme"}).content.decode()
    assert sme.count('<td class="num">..</td>') == html.count('<td class="num">..</td>')
    assert _table_row(sme, "25") == _table_row(html, "25")


def test_the_table_links_keep_every_control(client, demo):
    html = client.get("/regions/", GROWTH).content.decode()
    links = re.findall(r'href="(/compare[^"]*\?[^"]*)"', html)
    assert links and all("from=2016" in link and "firm_size=sme" in link for link in links)
    assert len([link for link in links if "/compare.csv" in link or "/compare.xlsx" in link]) == 2


def test_a_sector_without_values_is_a_message_not_a_table_of_dots(client, demo):
    html = client.get("/regions/", {**GROWTH, "sector": "Tillverkning"}).content.decode()
    assert "Det finns inga värden för 2016–2021 i den här källan" in html
    assert 'id="regions-table"' not in html and "/compare.csv" not in html


def test_a_period_the_source_does_not_cover_points_to_the_other_source(client, demo):
    html = client.get("/regions/", {"from": "2010", "to": "2015"}).content.decode()
    assert "finns bara i en annan källa" in html
    assert re.search(r'href="/regions/\?[^"]*source=scb-head-office[^"]*from=2010', html.replace("&amp;", "&"))
    # A table of nothing but ".." is a message naming the period asked for (and the link above).
    assert "Det finns inga värden för 2010–2015 i den här källan" in html
    assert "(av 0)" not in html and 'id="regions-table"' not in html
