"""The JSON API as DESIGN.md defines it: shapes, demo facts, errors as 400 JSON."""

import pytest

SERIES = "/api/v1/series"
GROWTH = "/api/v1/growth"


def test_indicators_lists_the_six_codes(client, db):
    body = client.get("/api/v1/indicators").json()
    assert [i["code"] for i in body] == [
        "goods_export_msek", "goods_export_per_capita_sek", "services_export_msek",
        "exporting_firms", "participating_firms", "population",
    ]
    assert set(body[0]) == {"code", "name", "unit"}


def test_regions_lists_sweden_and_21_counties(client, db):
    body = client.get("/api/v1/regions").json()
    assert len(body) == 22
    assert body[0] == {"code": "00", "name": "Sverige", "slug": "sverige", "level": "country"}
    assert {r["level"] for r in body[1:]} == {"county"}
    assert {"code": "25", "name": "Norrbotten", "slug": "norrbotten", "level": "county"} in body


def test_series_gives_norrbottens_sme_story(client, demo):
    response = client.get(SERIES, {"indicator": "goods_export_per_capita_sek", "regions": "25",
                                   "firm_size": "sme", "from": "2016", "to": "2021"})
    assert response.status_code == 200
    body = response.json()
    assert body["indicator"] == "goods_export_per_capita_sek"
    assert body["firm_size"] == "sme" and body["source"] == "scb-workplace" and body["unit"] == "SEK"
    [series] = body["series"]
    assert series["region"] == "25" and series["name"] == "Norrbotten"
    values = {p["year"]: p["value"] for p in series["points"]}
    assert list(values) == [2016, 2017, 2018, 2019, 2020, 2021]
    assert 24_500 <= values[2016] < 25_500
    assert 43_500 <= values[2021] < 44_500
    assert 1.795 <= values[2021] / values[2016] <= 1.805
    assert values[2020] < values[2019]


def test_series_without_regions_gives_every_county(client, demo):
    body = client.get(SERIES, {"indicator": "population", "from": "2020", "to": "2020"}).json()
    assert len(body["series"]) == 21
    assert "00" not in {s["region"] for s in body["series"]}


def test_series_missing_years_are_null(client, demo):
    # The default (workplace) source starts in 2016: earlier years are gaps, not zeros.
    body = client.get(SERIES, {"indicator": "goods_export_msek", "regions": "25", "from": "2014", "to": "2016"}).json()
    points = body["series"][0]["points"]
    assert [p["value"] for p in points][:2] == [None, None]
    assert points[2]["value"] > 0


def test_series_of_the_other_source_is_separate(client, demo):
    body = client.get(SERIES, {"indicator": "goods_export_msek", "regions": "25", "source": "scb-head-office"}).json()
    assert [p["year"] for p in body["series"][0]["points"]] == list(range(2010, 2016))


def test_growth_ranks_norrbotten_first_and_sweden_about_36(client, demo):
    body = client.get(GROWTH, {"indicator": "goods_export_msek", "from": "2016", "to": "2021"}).json()
    assert body["indicator"] == "goods_export_msek" and body["from"] == 2016 and body["to"] == 2021
    assert len(body["rows"]) == 21
    first = body["rows"][0]
    assert first["region"] == "25" and first["rank"] == 1
    assert first["change"] == pytest.approx(first["end"] - first["start"])
    assert 35.0 <= body["national"]["change_pct"] <= 37.0
    pcts = [r["change_pct"] for r in body["rows"]]
    assert pcts == sorted(pcts, reverse=True)
    assert [r["rank"] for r in body["rows"]] == list(range(1, 22))


def test_growth_puts_a_county_missing_an_end_last(client, demo):
    body = client.get(GROWTH, {"indicator": "participating_firms", "from": "2015", "to": "2021"}).json()
    # Participating firms start in 2016 in the default source: every county lacks 2015.
    assert all(r["rank"] is None and r["change_pct"] is None and r["start"] is None for r in body["rows"])


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (SERIES, {}),
        (SERIES, {"indicator": "nope"}),
        (SERIES, {"indicator": "population", "regions": "99"}),
        (SERIES, {"indicator": "population", "from": "20x9"}),
        (SERIES, {"indicator": "population", "from": "2021", "to": "2016"}),
        (SERIES, {"indicator": "population", "firm_size": "huge"}),
        (SERIES, {"indicator": "population", "source": "<script>"}),
        (GROWTH, {"indicator": "population"}),
        (GROWTH, {"indicator": "population", "from": "1066", "to": "2020"}),
    ],
)
def test_bad_parameters_are_400_with_an_error(client, db, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert isinstance(response.json()["error"], str) and response.json()["error"]


def test_openapi_document_names_the_endpoints(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/series", "/api/v1/growth", "/api/v1/regions", "/api/v1/indicators"} <= set(doc["paths"])


def _queries(client, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stats.selectors import clear_caches

    clear_caches()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(SERIES, params).status_code == 200
    return len(ctx.captured_queries)


def test_series_query_count_is_the_same_for_2_and_21_regions(client, demo):
    two = _queries(client, {"indicator": "goods_export_msek", "regions": "25,14"})
    every = _queries(client, {"indicator": "goods_export_msek"})
    assert two == every <= 6


def test_growth_is_rounded_and_keeps_its_shape(client, demo):
    body = client.get(GROWTH, {"indicator": "goods_export_msek", "from": "2016", "to": "2023"}).json()
    assert set(body) == {"indicator", "from", "to", "national", "rows"}
    assert set(body["rows"][0]) == {"region", "name", "start", "end", "change", "change_pct", "rank"}
    for row in body["rows"] + [body["national"]]:
        assert isinstance(row["change"], float) and isinstance(row["change_pct"], float)
        assert row["change"] == round(row["change"], 1)  # the indicator's one decimal: no 225516.80000000005
        assert row["change_pct"] == round(row["change_pct"], 2)
        assert row["change"] == pytest.approx(row["end"] - row["start"], abs=0.05)
    assert [r["rank"] for r in body["rows"]] == sorted(r["rank"] for r in body["rows"])
