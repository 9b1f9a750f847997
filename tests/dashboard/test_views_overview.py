"""/: the latest year's headline figures, the ranking, the map, the biggest movers, the current
award year and the demo notice."""

import json
import re

from stats.selectors import clear_caches


def figure(html: str, figure_id: str) -> dict:
    blob = re.search(rf'<script id="{figure_id}" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(blob)


def test_the_overview_tells_the_latest_year(client, demo):
    html = client.get("/").content.decode()
    assert "Riket 2023" in html
    assert "Illustrativa demodata" in html  # the demo notice
    assert "172\xa0066\xa0kr" in html  # Sweden's goods exports per inhabitant 2023
    ranking = figure(html, "fig-ranking")
    assert ranking["data"][0]["y"][-1] == "Norrbotten"  # largest on top
    assert len(ranking["data"][0]["y"]) == 21
    assert figure(html, "fig-map")["data"][0]["type"] == "choropleth"
    assert "Största förändringarna 2018–2023" in html
    assert "plotly-geo" in html and "plotly-basic" not in html  # scatter and map from the one geo bundle


def test_the_current_award_year(client, demo):
    html = client.get("/").content.decode()
    assert "Årets Exportregion 2022" in html and "Vinnare: Norrbotten." in html
    assert 'href="/awards/2022/"' in html


def test_the_movers_agree_with_the_api(client, demo):
    api = client.get("/api/v1/growth", {"indicator": "goods_export_msek", "from": "2018", "to": "2023"}).json()
    html = client.get("/").content.decode()
    top = api["rows"][0]
    assert re.search(rf'/regions/{top["region"]}/">{top["name"]}</a></th><td class="num">\+', html)


def test_english(client, demo):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sweden in 2023" in html and "172,066\xa0SEK" in html


def test_without_statistics(client, db):
    response = client.get("/")
    assert response.status_code == 200 and "Det finns ingen statistik ännu" in response.content.decode()


# generation, when awards last changed; the reference data (years per source, regions, indicators,
# sources); the source's data sets; award years and their nominations (2). Before the dashboard app: 13.
OVERVIEW_QUERIES = 9


def test_the_query_count_is_fixed(client, demo, django_assert_num_queries):
    from stats.models import CacheGeneration, Observation

    clear_caches()
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get("/")
    Observation.objects.exclude(region__code__in=("00", "25", "14")).delete()
    CacheGeneration.objects.update(value=CacheGeneration.objects.get().value + 1)
    clear_caches()
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get("/")
