"""/compare/: views value, index and growth, every control a GET parameter, friendly 400s, a fixed
number of queries whatever the number of regions, and agreement with /api/v1/growth."""

import json
import re

import pytest

from regions.data import COUNTY_CODES
from stats.selectors import clear_caches

ALL = ",".join(COUNTY_CODES)
GROWTH = {"indicator": "goods_export_per_capita_sek", "firm_size": "sme", "from": "2016", "to": "2021"}


def figure(html: str, figure_id: str = "fig-compare") -> dict:
    blob = re.search(rf'<script id="{figure_id}" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(blob)


def test_it_shows_the_default_selection_as_lines(client, demo):
    response = client.get("/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    fig = figure(html)
    names = [t["name"] for t in fig["data"]]
    assert names == ["Stockholm", "Skåne", "Västra Götaland", "Norrbotten", "Sverige"]
    norrbotten = fig["data"][3]
    assert norrbotten["x"][0] == 2016 and norrbotten["connectgaps"] is False
    assert "Varuexport per invånare" in html and "arbetsställebaserad" in html  # indicator and source named
    assert "Samtliga företag" in html  # breakdown named
    assert fig["data"][-1]["line"]["color"] == "#595959"  # Sweden: the grey reference


def test_every_control_is_a_get_parameter(client, demo):
    response = client.get("/compare/", {"regions": "25,13", "indicator": "goods_export_msek", "firm_size": "sme",
                                         "source": "scb-workplace", "from": "2017", "to": "2019", "view": "value",
                                         "scale": "log"})
    fig = figure(response.content.decode())
    assert [t["name"] for t in fig["data"]] == ["Norrbotten", "Halland"]  # in the order the query names them
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert fig["data"][0]["x"] == [2017, 2018, 2019]


def test_repeated_regions_parameters_from_the_plain_form_work(client, demo):
    response = client.get("/compare/?regions=25&regions=13&view=value")
    assert [t["name"] for t in figure(response.content.decode())["data"]] == ["Norrbotten", "Halland"]


def test_the_index_view_starts_at_100(client, demo):
    fig = figure(client.get("/compare/", {"regions": "25,00", "view": "index", "from": "2016"}).content.decode())
    for trace in fig["data"]:
        assert trace["y"][0] == pytest.approx(100.0)
    assert fig["layout"]["yaxis"]["title"]["text"].startswith("Index (2016 = 100)")


def test_the_growth_view_agrees_with_the_api(client, demo):
    api = client.get("/api/v1/growth", GROWTH).json()
    html = client.get("/compare/", {**GROWTH, "regions": ALL, "view": "growth"}).content.decode()
    bars = figure(html)["data"][0]
    by_name = dict(zip(bars["y"], bars["x"], strict=True))
    for row in api["rows"]:
        assert by_name[row["name"]] == pytest.approx(row["change_pct"])
    top = api["rows"][0]
    assert bars["y"][-1] == top["name"]  # largest on top
    assert "1 av 21" in html
    assert "+80,0\xa0%" in html  # Norrbotten's SME goods export per inhabitant 2016–2021


def test_growth_ranks_are_among_all_counties_even_for_two_regions(client, demo):
    api = {r["region"]: r for r in client.get("/api/v1/growth", GROWTH).json()["rows"]}
    html = client.get("/compare/", {**GROWTH, "regions": "25,14", "view": "growth"}).content.decode()
    assert f"{api['14']['rank']} av 21" in html
    assert f"{api['25']['rank']} av 21" in html


def test_numbers_are_swedish_in_swedish_and_english_in_english(client, demo):
    sv = client.get("/compare/", {"regions": "25", "from": "2021", "to": "2021"}).content.decode()
    assert "251\xa0014" in sv  # table: thin space as thousands separator
    en = client.get("/compare/", {"regions": "25", "from": "2021", "to": "2021"},
                    HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "251,014" in en and "Compare regions" in en
    assert figure(sv)["layout"]["separators"] == ",\xa0"
    assert figure(en)["layout"]["separators"] == ".,"


def test_a_period_outside_the_source_points_to_the_other_source_never_joins_it(client, demo):
    html = client.get("/compare/", {"regions": "25", "from": "2010", "to": "2023"}).content.decode()
    fig = figure(html)
    assert fig["data"][0]["x"][0] == 2016  # workplace-based values only
    assert "source=scb-head-office" in html  # a link to the head-office series
    old = figure(client.get("/compare/", {"regions": "25", "source": "scb-head-office", "from": "2010",
                                          "to": "2023"}).content.decode())
    assert old["data"][0]["x"][-1] == 2015


def test_a_missing_value_is_a_gap_not_a_zero(client, demo):
    from stats.models import Observation

    Observation.objects.filter(region__code="25", year=2020, indicator__code="goods_export_per_capita_sek",
                               firm_size="all").update(value=None, flag="missing")
    html = client.get("/compare/", {"regions": "25", "from": "2016", "to": "2023"}).content.decode()
    trace = figure(html)["data"][0]
    assert trace["y"][trace["x"].index(2020)] is None
    assert trace["connectgaps"] is False
    # Statistics Sweden's ".." (not available): its dash would read as zero.
    assert re.search(r'<th scope="row">2020</th><td class="num">\.\.</td>', html)


def test_a_confidential_value_is_marked(client, demo):
    from stats.models import Observation

    Observation.objects.filter(region__code="25", year=2019, indicator__code="goods_export_per_capita_sek",
                               firm_size="all").update(value=None, flag="confidential")
    html = client.get("/compare/", {"regions": "25"}).content.decode()
    traces = figure(html)["data"]
    assert traces[-1]["name"].startswith("Sekretessbelagt") and traces[-1]["x"] == [2019]
    assert "sekr." in html


@pytest.mark.parametrize("query", [
    "indicator=nope", "from=abc", "from=2019&to=2016", "view=pie", "scale=cubic", "regions=99",
    "regions=25,,14", "firm_size=huge", "source=x",
    "from=99999", "sector=" + "x" * 200, "to=%00", "regions=%3Cscript%3E",
])
def test_bad_parameters_give_a_friendly_400(client, demo, query):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>" not in html.split("</header>")[1]
    assert 'href="/compare/"' in html  # the way back to a working selection


def test_bad_parameters_of_the_downloads_give_a_400_too(client, demo):
    assert client.get("/compare.csv?from=abc").status_code == 400
    assert client.get("/compare.xlsx?view=pie").status_code == 400


def test_the_results_fragment_for_the_controls_script(client, demo):
    response = client.get("/compare/", {"regions": "25"}, HTTP_X_FRAGMENT="results")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="fig-compare"' in html
    assert "X-Fragment" in response["Vary"]
    bad = client.get("/compare/?view=pie", HTTP_X_FRAGMENT="results")
    assert bad.status_code == 400 and "<html" not in bad.content.decode()


def test_embed_mode_shows_the_chart_alone_and_may_be_framed(client, demo):
    response = client.get("/compare/", {"regions": "25", "embed": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="nav"' not in html and 'id="fig-compare"' in html
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    normal = client.get("/compare/")
    assert normal["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in normal["Content-Security-Policy"]


def test_no_inline_script(client, demo):
    html = client.get("/compare/").content.decode()
    inline = [tag for tag in re.findall(r"<script[^>]*>", html) if "src=" not in tag]
    assert inline and all('type="application/json"' in tag for tag in inline)  # data only, never code
    assert " onclick=" not in html and " onchange=" not in html


def test_the_page_sends_the_basic_plotly_bundle(client, demo):
    html = client.get("/compare/").content.decode()
    assert "plotly-basic" in html and "plotly-geo" not in html


def _keep_only(codes):
    from stats.models import CacheGeneration, Observation

    Observation.objects.exclude(region__code__in=codes).delete()
    CacheGeneration.objects.update(value=CacheGeneration.objects.get().value + 1)


# generation; the reference data (years per source, regions, indicators, sources); the source's data sets
# (every view and any regions is a slice of them). Before the dashboard app: 11, 11 and 10.
COMPARE_QUERIES = {"value": 6, "index": 6, "growth": 6}


def test_the_query_count_is_the_same_for_2_and_21_regions(client, demo, django_assert_num_queries):
    clear_caches()
    for view, queries in COMPARE_QUERIES.items():
        clear_caches()
        with django_assert_num_queries(queries):
            assert client.get("/compare/", {"regions": "25,14", "view": view}).status_code == 200
        clear_caches()
        with django_assert_num_queries(queries):
            assert client.get("/compare/", {"regions": ALL, "view": view, "from": "2010"}).status_code == 200
    _keep_only(("00", "25", "14"))
    clear_caches()
    with django_assert_num_queries(COMPARE_QUERIES["value"]):
        assert client.get("/compare/", {"regions": "25,14"}).status_code == 200


def test_a_repeat_request_is_one_query(client, demo, django_assert_num_queries):
    first = client.get("/compare/", {"regions": ALL})
    with django_assert_num_queries(1):  # the cache generation: nothing parsed, read or rendered
        again = client.get("/compare/", {"regions": ALL})
    assert first.content == again.content


def test_logged_in_users_get_a_fresh_page(client, demo, analyst):
    client.force_login(analyst)
    client.get("/compare/")
    html = client.get("/compare/").content.decode()
    assert "ann-analyst" in html


def test_the_cache_holds_a_bad_request_never(client, demo):
    assert client.get("/compare/?view=pie").status_code == 400
    assert client.get("/compare/?view=pie").status_code == 400


def test_an_import_shows_at_once(client, demo):
    from stats.models import CacheGeneration, Observation

    client.get("/compare/", {"regions": "25", "from": "2021", "to": "2021"})
    Observation.objects.filter(region__code="25", year=2021, indicator__code="goods_export_per_capita_sek",
                               firm_size="all").update(value=12345.0)
    CacheGeneration.objects.update(value=CacheGeneration.objects.get().value + 1)  # what every import does
    html = client.get("/compare/", {"regions": "25", "from": "2021", "to": "2021"}).content.decode()
    assert "12\xa0345" in html


def test_the_language_switch_is_a_link_that_keeps_the_state(client, demo):
    html = client.get("/compare/", {"regions": "25", "view": "index"}).content.decode()
    assert 'href="/language/en/?next=/compare/%3Fregions%3D25%26view%3Dindex"' in html
    response = client.get("/language/en/", {"next": "/compare/?regions=25&view=index"})
    assert response.status_code == 302 and response["Location"] == "/compare/?regions=25&view=index"
    assert response.cookies["django_language"].value == "en"
    assert "Compare regions" in client.get("/compare/", {"regions": "25", "view": "index"}).content.decode()
    assert client.get("/language/en/", {"next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/language/xx/").status_code == 404


def test_the_growth_table_marks_a_confidential_end(client, demo):
    from stats.models import Observation

    Observation.objects.filter(region__code="10", year=2021, indicator__code="goods_export_per_capita_sek",
                               firm_size="sme").update(value=None, flag="confidential")
    html = client.get("/compare/", {**GROWTH, "regions": "10,14", "view": "growth"}).content.decode()
    assert re.search(r'<th scope="row">Blekinge</th><td class="num">[^<]+</td><td class="num">sekr\.</td>', html)
    assert "Sekretessbelagt, publiceras inte av SCB: Blekinge" in html


def test_population_is_the_whole_population_not_a_firm_size(client, demo):
    params = {"regions": "25,14", "indicator": "population", "from": "2016", "to": "2021"}
    html = client.get("/compare/", params).content.decode()
    assert "Urval: hela befolkningen" in html
    assert "folkmängd i samtliga företag" not in html and "Norrbotten: folkmängd minskade" in html
    en = client.get("/compare/", params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Breakdown: whole population" in en and "population in all firms" not in en
    # A firm size kept from the form is ignored for population: the same lines, not an empty chart.
    sme = client.get("/compare/", {**params, "firm_size": "sme"}).content.decode()
    assert figure(sme)["data"] == figure(html)["data"]


def test_a_change_needs_at_least_two_years(client, demo):
    response = client.get("/compare/", {"regions": "25", "view": "growth", "from": "2023", "to": "2023"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "minst två år" in html and "både 2023 och 2023" not in html and 'href="/compare/"' in html
    assert client.get("/compare/", {"regions": "25", "from": "2023", "to": "2023"}).status_code == 200
