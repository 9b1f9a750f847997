"""The public award pages: /awards/ lists published years; /awards/<year>/ explains the result."""

from awards.models import AwardYear
from tests.awards.conftest import make_year

Status = AwardYear.Status


def _published(year: int, winner: str = "25") -> AwardYear:
    award_year = make_year(year, status=Status.PUBLISHED)
    award_year.nominations.filter(region__code=winner).update(
        is_winner=True, motivation_sv=f"Vinnarmotivering {year}", motivation_en=f"Winning motivation {year}")
    return award_year


def test_the_index_says_so_when_nothing_is_published(client, db):
    response = client.get("/awards/")
    assert response.status_code == 200
    assert list(response.context["years"]) == []


def test_the_index_lists_winners_and_nominees_with_a_fixed_query_budget(client, db, django_assert_max_num_queries):
    for year in (2019, 2020, 2021):
        _published(year)
    make_year(2024, status=Status.SCORING)
    client.get("/awards/")
    with django_assert_max_num_queries(4):
        response = client.get("/awards/")
    body = response.content.decode()
    assert "<strong>Norrbotten</strong>" in body and "Halland" in body and "Skåne" in body
    assert "/awards/2024/" not in body


def test_the_published_page_shows_the_winner_motivation_and_statements(client, db):
    _published(2021, winner="13")
    body = client.get("/awards/2021/").content.decode()
    assert "Vinnarmotivering 2021" in body
    assert "Motivering Norrbotten 2021" in body and "Motivering Skåne 2021" in body
    assert 'name="value_' not in body and "conflict" not in body.lower()


def test_the_published_page_shows_the_nominees_statistics(client, statistics):
    _published(2021)
    response = client.get("/awards/2021/")
    stats = response.context["stats"]
    assert [row.code for row in stats.rows] == ["25", "13", "12", "00"]
    body = response.content.decode()
    assert 'id="fig-sme"' in body and 'id="fig-growth"' in body
    assert "plotly-basic.min.js" in body and "<script>" not in body  # data in json_script only (CSP)


def test_the_published_page_has_a_fixed_query_budget(client, statistics, django_assert_max_num_queries):
    _published(2021)
    client.get("/awards/2021/")
    with django_assert_max_num_queries(8):
        client.get("/awards/2021/")


def test_the_jury_finds_its_open_year_on_the_index(client, juror, award_year):
    client.force_login(juror)
    body = client.get("/awards/").content.decode()
    assert "/awards/2024/" in body


def test_head_is_answered_like_get_on_the_read_pages(client, db):
    _published(2021)
    make_year(2024, status=Status.SCORING)
    for url in ("/awards/", "/awards/2021/", "/awards/2024/"):
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code != 405, url
        assert head.content == b""
    assert client.post("/awards/2021/").status_code == 405
