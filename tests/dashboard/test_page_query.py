"""The one page query: every analyst page parses its parameters with the same parser, which knows the
years the sources cover, and builds its links with PageQuery.url."""

import re

import pytest

from dashboard.query import Period, nearest_period, parse_page_query
from dashboard.reference import PageCache


@pytest.mark.parametrize("url", [
    "/regions/25/?from=0001&to=9999",  # was a 200 of 12 MB after ~10 s, and cached
    "/regions/25/?from=2016&to=9999",
    "/regions/25/?from=1990",
    "/regions/25/data.csv?from=0001&to=9999",
    "/regions/?from=0001&to=9999",
    "/compare/?from=0001&to=9999",
    "/compare.csv?from=2010&to=2099",
    "/map/?year=9999",
])
def test_a_period_no_source_covers_is_a_friendly_400(client, demo, url):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "2023" in html  # the message names the years there are


def test_a_period_partly_outside_the_source_is_still_shown(client, demo):
    assert client.get("/regions/25/", {"from": "2010", "to": "2023"}).status_code == 200
    html = client.get("/compare/", {"from": "2010", "to": "2023"}).content.decode()
    assert 'source=scb-head-office&amp;from=2010&amp;to=2015' in html  # the other source, linked


def test_the_parser_fills_in_the_defaults_from_the_years_of_the_source(demo):
    cache = PageCache()
    q = parse_page_query({}, page="compare", reference=cache.reference, language="sv")
    assert q.period == Period(2016, 2023) and q.regions == ("01", "12", "14", "25", "00")
    assert q.indicator.code == "goods_export_per_capita_sek" and q.source.slug == "scb-workplace"
    old = parse_page_query({"source": "scb-head-office"}, page="compare", reference=cache.reference, language="sv")
    assert old.period == Period(2010, 2015)
    table = parse_page_query({}, page="regions", reference=cache.reference, language="sv")
    assert table.period == Period(2018, 2023) and len(table.regions) == 21


def test_one_url_builder_links_every_page(demo):
    cache = PageCache()
    q = parse_page_query({"regions": "25,14", "sector": "Skog", "view": "index"}, page="compare",
                         reference=cache.reference, language="sv")
    assert q.url() == ("/compare/?regions=25,14&indicator=goods_export_per_capita_sek&firm_size=all"
                       "&source=scb-workplace&from=2016&to=2023&view=index&scale=linear&sector=Skog")
    assert q.url("map", period=Period(2020, 2020)) == (
        "/map/?indicator=goods_export_per_capita_sek&firm_size=all&source=scb-workplace&year=2020&sector=Skog")
    assert q.url("compare_csv", embed=True).startswith("/compare.csv?regions=25,14&")
    assert q.url(embed=True).endswith("&embed=1")


def test_the_canonical_url_ignores_what_the_page_does_not_read(demo):
    cache = PageCache()
    plain = parse_page_query({"regions": "25"}, page="compare", reference=cache.reference, language="sv")
    tagged = parse_page_query({"regions": "25", "utm_source": "x", "year": "2020", "sort": "name"},
                              page="compare", reference=cache.reference, language="sv")
    assert plain.canonical_url() == tagged.canonical_url()


def test_a_nul_byte_is_a_400(client, demo):
    assert client.get("/compare/?sector=%00").status_code == 400
    assert client.get("/regions/25/?source=%00").status_code == 400


def test_the_nearest_covered_period_keeps_the_length_asked_for():
    head_office, workplace = list(range(2010, 2016)), list(range(2016, 2024))
    assert nearest_period(Period(2005, 2010), head_office) == Period(2010, 2015)
    assert nearest_period(Period(2005, 2010), workplace) == Period(2016, 2021)
    assert nearest_period(Period(1, 9999), workplace) == Period(2016, 2023)
    assert nearest_period(Period(2020, 2030), workplace) == Period(2016, 2023)
    assert nearest_period(Period(2024, 2026), workplace) == Period(2021, 2023)


def test_a_period_beyond_the_sources_repeats_it_and_links_the_nearest_covered_period(client, demo):
    response = client.get("/regions/25/", {"from": "2005", "to": "2010"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Du bad om 2005–2010; statistiken täcker de här åren:" in html
    assert "2016–2023" in html and "2010–2015" in html  # each source's years, named
    links = re.findall(r'<a href="([^"]+)">Visa närmaste period, (\d{4}–\d{4})</a>', html)
    assert links[0] == ("/regions/25/?source=scb-head-office&amp;from=2010&amp;to=2015", "2010–2015")  # nearest
    assert links[1] == ("/regions/25/?source=scb-workplace&amp;from=2016&amp;to=2021", "2016–2021")
    assert client.get(links[0][0].replace("&amp;", "&")).status_code == 200
    chart = client.get("/regions/25/data.csv", {"from": "2005", "to": "2010", "chart": "goods-per-capita"})
    assert chart.status_code == 400 and "/regions/25/?source=scb-head-office&amp;from=2010&amp;to=2015&amp;chart=goods-per-capita" in (
        chart.content.decode())  # a download's 400 links the page it belongs to
    compare = client.get("/compare/", {"regions": "25,00", "from": "2005", "to": "2010", "view": "index"})
    assert compare.status_code == 400
    assert "/compare/?regions=25,00&amp;indicator=goods_export_per_capita_sek&amp;firm_size=all&amp;" \
           "source=scb-head-office&amp;from=2010&amp;to=2015&amp;view=index" in compare.content.decode()


def test_the_whole_range_asked_for_is_still_a_400_that_offers_every_covered_year(client, demo):
    response = client.get("/regions/25/?from=0001&to=9999")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Du bad om 0001–9999" in html
    assert "/regions/25/?source=scb-workplace&amp;from=2016&amp;to=2023" in html


def test_any_other_bad_parameter_is_the_plain_friendly_400(client, demo):
    html = client.get("/regions/25/", {"from": "20x6"}).content.decode()
    assert "Det urvalet kan inte visas" in html and "Du bad om" not in html
