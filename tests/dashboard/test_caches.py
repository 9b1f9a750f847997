"""Caches that cannot go stale: saving a region, source or indicator bumps the cache generation, so a
change in the admin shows on every page at once; the page cache's key is the parsed query."""

import pytest
from django.contrib.auth.models import User

from regions.models import Region
from stats.models import CacheGeneration, Indicator, Source

PAGES = ["/", "/regions/", "/regions/25/", "/compare/?regions=25,14", "/map/", "/awards/2022/"]


def _generation() -> int:
    return CacheGeneration.objects.get().value


@pytest.mark.parametrize("model, field, key", [(Region, "name", "25"), (Source, "name", "scb-workplace"),
                                                (Indicator, "name_sv", "population")])
def test_saving_reference_data_in_code_bumps_the_generation(db, model, field, key):
    lookup = {"code": key} if model is not Source else {"slug": key}
    row = model.objects.get(**lookup)
    before = _generation()
    setattr(row, field, "Nytt namn")
    row.save()
    assert _generation() == before + 1


def test_a_region_renamed_in_the_admin_shows_on_every_page_at_once(client, demo):
    for page in PAGES:  # every page cached, by the page cache and the data and reference caches
        assert "Norrbotten" in client.get(page).content.decode()
    admin = User.objects.create_superuser("root", password="pw-for-the-test-123")
    client.force_login(admin)
    region = Region.objects.get(code="25")
    response = client.post(f"/admin/regions/region/{region.pk}/change/", {
        "code": "25", "name": "Norrbottens län", "official_name": region.official_name, "slug": region.slug,
        "level": region.level, "nuts_code": region.nuts_code, "aliases": '["Region Norrbotten"]',
    })
    assert response.status_code == 302
    client.logout()
    for page in PAGES:
        html = client.get(page).content.decode()
        assert "Norrbottens län" in html, page
    assert client.get("/api/v1/regions").json()[-1]["name"] == "Norrbottens län"


def test_unknown_parameters_never_make_a_new_page_cache_entry(client, demo, monkeypatch):
    from dashboard import page_cache

    stored: list[str] = []
    store = page_cache.cache.set
    monkeypatch.setattr(page_cache.cache, "set", lambda key, *args, **kwargs: (stored.append(key),
                                                                               store(key, *args, **kwargs)))
    assert client.get("/compare/", {"regions": "25,14"}).status_code == 200
    for n in range(1, 2001):
        assert client.get("/compare/", {"regions": "25,14", "utm": str(n)}).status_code == 200
    pages = [key for key in stored if ":page:" in key]
    assert len(pages) == 1  # the first request's; the 2 000 others were answered from it
    client.get("/compare/", {"regions": "25,14", "view": "index"})  # a query the page reads: its own entry
    assert len([key for key in stored if ":page:" in key]) == 2


def test_the_generation_is_read_once_per_request(client, demo, django_assert_num_queries):
    client.get("/compare/")
    with django_assert_num_queries(1):  # cached page: the generation only, not again for the header's demo flag
        assert "Illustrativa demodata" in client.get("/compare/").content.decode()


def test_a_repeated_page_query_is_parsed_once_per_generation(client, demo, monkeypatch):
    from dashboard import views

    parsed: list[str] = []
    parse = views.parse_page_query
    monkeypatch.setattr(views, "parse_page_query", lambda params, **kwargs: (parsed.append(kwargs["page"]),
                                                                             parse(params, **kwargs))[1])
    for _ in range(3):
        assert client.get("/compare/", {"regions": "25,14"}).status_code == 200
        assert client.get("/regions/25/", {"from": "2018"}).status_code == 200
    assert parsed == ["compare", "region"]
    assert client.get("/compare/", {"regions": "25,14", "view": "index"}).status_code == 200  # another query
    assert client.get("/compare/", {"regions": "25,14"}, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert parsed == ["compare", "region", "compare", "compare"]
    Region.objects.filter(code="14").update(name="Västra Götaland")  # no signal: bump by hand, as an import does
    from stats.selectors import bump_cache_generation

    bump_cache_generation()
    assert "Västra Götaland" in client.get("/compare/", {"regions": "25,14"}).content.decode()
    assert parsed[-1] == "compare" and len(parsed) == 5


def test_a_bad_query_is_answered_400_every_time(client, demo):
    for _ in range(2):
        response = client.get("/compare/", {"regions": "25,99"})
        assert response.status_code == 400 and "99" in response.content.decode()
