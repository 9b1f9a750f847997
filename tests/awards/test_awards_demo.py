"""The demo award years: 2021 and 2022 published as they were, 2023 open for the demo jury."""

from django.contrib.auth.models import User
from django.core.management import call_command

from awards.models import AuditEntry, AwardYear, Nomination
from awards.selectors import shortlist_suggestion

Status = AwardYear.Status


def _winner(year: int) -> str:
    return Nomination.objects.get(award_year__year=year, is_winner=True).region.name


def test_2021_and_2022_are_published_with_their_winners(demo):
    assert AwardYear.objects.get(year=2021).status == Status.PUBLISHED
    assert AwardYear.objects.get(year=2022).status == Status.PUBLISHED
    assert _winner(2021) == "Halland"
    assert _winner(2022) == "Norrbotten"


def test_the_published_pages_name_the_winner_and_the_nominees(client, demo):
    for year, winner, nominees in ((2021, "Halland", ("Norrbotten", "Skåne")),
                                   (2022, "Norrbotten", ("Skåne", "Uppsala"))):
        response = client.get(f"/awards/{year}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert response.context["winner"].region.name == winner
        assert winner in body and all(n in body for n in nominees)
        assert response.context["stats"] is not None  # the nominees' statistics are shown
    body = client.get("/awards/2022/").content.decode()
    assert "Norrbotten visar att geografin inte behöver sätta gränser för exporten" in body
    assert "31 augusti 2022" in body


def test_the_english_page_shows_the_english_texts(client, demo):
    client.cookies["django_language"] = "en"
    body = client.get("/awards/2022/").content.decode()
    assert "Norrbotten shows that geography need not set limits to exports" in body
    assert "31 August 2022" in body


def test_the_index_lists_the_published_years_and_not_the_open_one(client, demo):
    body = client.get("/awards/").content.decode()
    assert "/awards/2021/" in body and "/awards/2022/" in body
    assert "/awards/2023/" not in body
    response = client.get("/awards/2023/")
    assert response.status_code == 404 and "inte publicerat" in response.content.decode()


def test_the_2022_suggestion_contains_norrbotten(demo):
    suggestion = shortlist_suggestion(award_year=AwardYear.objects.get(year=2022))
    assert "25" in suggestion.top_codes
    norrbotten = next(r for r in suggestion.rows if r.code == "25")
    assert norrbotten.goods_rank == 1  # FACTS: the largest increase in goods export value 2016–2021
    assert round(norrbotten.goods_pct) == 98
    assert round(norrbotten.sme_pct, 1) == 80.0  # 24 560 -> 44 210 SEK per inhabitant
    assert norrbotten.participating_rank == 4  # FACTS: the fourth-highest number of participating firms


def test_2023_is_open_for_the_demo_jury(client, demo):
    award_year = AwardYear.objects.get(year=2023)
    assert award_year.status == Status.SCORING
    assert (award_year.period_from, award_year.period_to) == (2017, 2022)
    assert sorted(award_year.jurors.values_list("username", flat=True)) == ["juror1", "juror2", "juror3"]
    assert award_year.chair.username == "chair"
    assert award_year.nominations.count() == 3 and award_year.criteria.count() == 5
    assert all(n.statement_sv and n.statement_en for n in award_year.nominations.all())
    client.force_login(User.objects.get(username="juror1"))
    assert client.get("/awards/2023/").status_code == 200


def test_loading_the_demo_twice_changes_nothing(demo):
    before = (Nomination.objects.count(), AuditEntry.objects.count(), AwardYear.objects.count())
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
    assert (Nomination.objects.count(), AuditEntry.objects.count(), AwardYear.objects.count()) == before
    assert _winner(2021) == "Halland" and _winner(2022) == "Norrbotten"


def test_the_demo_without_users_has_no_jury(db):
    from awards.demo import awards_demo_load

    awards_demo_load(users={})
    assert _winner(2022) == "Norrbotten"
    open_year = AwardYear.objects.get(year=2023)
    assert not open_year.jurors.exists() and open_year.chair is None
    assert open_year.status == Status.NOMINATING
