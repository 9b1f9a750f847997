"""The juror's way through a round without losing an input, and the chair's decision on record."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from openpyxl import load_workbook

from awards import services
from awards.context_processors import open_round
from awards.models import AuditEntry, AwardYear, Score
from tests.awards.conftest import PASSWORD, nomination, score_all

Status = AwardYear.Status


def _score_url(award_year: AwardYear, code: str) -> str:
    return f"/awards/{award_year.year}/nominations/{nomination(award_year, code).pk}/score/"


def _criteria(award_year: AwardYear) -> list:
    return list(award_year.criteria.order_by("order"))


def test_an_incomplete_submission_keeps_every_input_and_says_what_is_missing(client, juror, award_year):
    client.force_login(juror)
    first, second, *rest = _criteria(award_year)
    data = {"submit": "1", f"value_{first.pk}": "4", f"comment_{first.pk}": "Stark tillväxt",
            f"value_{second.pk}": "2", f"comment_{second.pk}": ""}
    response = client.post(_score_url(award_year, "25"), data)
    assert response.status_code == 200
    panel = next(p for p in response.context["panels"] if p.nomination.region.code == "25")
    assert panel.is_open and "3 av 5 kriterier saknar poäng" in panel.error
    assert [r.value for r in panel.rows] == [4, 2, None, None, None]
    assert panel.rows[0].comment == "Stark tillväxt"
    body = response.content.decode()
    assert f'action="/awards/2024/nominations/{panel.nomination.pk}/score/#work-{panel.nomination.pk}"' in body
    assert f'name="value_{first.pk}" value="4" checked' in body
    # Kept on the server too, as a draft: leaving the page loses nothing.
    saved = Score.objects.filter(juror=juror, nomination=panel.nomination)
    assert sorted(saved.values_list("value", flat=True)) == [2, 4]
    assert not saved.filter(submitted_at__isnull=False).exists()


def test_after_a_submission_the_next_unscored_nominee_opens(client, juror, award_year):
    client.force_login(juror)
    data = {"submit": "1"} | {f"value_{c.pk}": "3" for c in _criteria(award_year)}
    response = client.post(_score_url(award_year, "25"), data)
    following = nomination(award_year, "13")
    assert response.status_code == 302
    assert response["Location"] == f"/awards/2024/?open={following.pk}#work-{following.pk}"
    page = client.get(response["Location"])
    panels = {p.nomination.region.code: p for p in page.context["panels"]}
    assert panels["13"].is_open and not panels["25"].is_open
    assert "1 av 3 inskickade" in page.content.decode()


def test_the_last_submission_leads_to_the_progress_line(client, juror, award_year):
    client.force_login(juror)
    for code in ("25", "13", "12"):
        response = client.post(_score_url(award_year, code),
                               {"submit": "1"} | {f"value_{c.pk}": "4" for c in _criteria(award_year)})
    assert response["Location"] == "/awards/2024/#progress"
    assert "3 av 3 inskickade" in client.get("/awards/2024/").content.decode()


def test_a_refusal_after_the_close_is_a_message_not_a_form(client, juror, award_year):
    client.force_login(juror)
    AwardYear.objects.filter(pk=award_year.pk).update(status=Status.DECIDED)
    response = client.post(_score_url(award_year, "25"), {"submit": "1"})
    assert response.status_code == 302 and not Score.objects.exists()


@pytest.mark.parametrize("open_param", ["abc", "-1", "9" * 40, ""])
def test_a_hostile_open_parameter_is_ignored(client, juror, award_year, open_param):
    client.force_login(juror)
    response = client.get(f"/awards/2024/?open={open_param}")
    assert response.status_code == 200
    assert [p.is_open for p in response.context["panels"]] == [True, False, False]


def test_a_juror_logging_in_lands_in_the_round_waiting_for_them(award_year, juror):
    client = Client()
    response = client.post("/accounts/login/", {"username": juror.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/awards/2024/"


def test_with_everything_submitted_the_login_goes_to_the_overview(award_year, juror):
    score_all(award_year, juror, 4)
    response = Client().post("/accounts/login/", {"username": juror.username, "password": PASSWORD})
    assert response["Location"] == "/"


def test_next_still_wins_over_the_open_round(award_year, juror):
    response = Client().post("/accounts/login/?next=/map/", {"username": juror.username, "password": PASSWORD})
    assert response["Location"] == "/map/"


def test_the_awards_index_points_a_juror_to_the_open_round(client, juror, analyst, award_year):
    client.force_login(juror)
    body = client.get("/awards/").content.decode()
    assert "En juryomgång väntar på dig: Årets Exportregion 2024." in body and 'href="/awards/2024/"' in body
    client.force_login(analyst)
    assert "juryomgång väntar" not in client.get("/awards/").content.decode()


def test_the_pointer_costs_no_query_until_a_page_shows_it(juror, award_year, django_assert_num_queries):
    request = RequestFactory().get("/regions/")
    request.user = juror
    with django_assert_num_queries(0):
        context = open_round(request)
    with django_assert_num_queries(4):
        assert context["open_round"].year == 2024


# --- the chair ----------------------------------------------------------------------------


def test_the_chair_sets_the_dates_and_the_change_is_audited(client, chair, award_year):
    client.force_login(chair)
    response = client.post("/awards/2024/schedule/", {"announced_on": "2024-09-12",
                                                      "scoring_deadline": "2024-06-01T17:00"})
    assert response.status_code == 302
    award_year.refresh_from_db()
    assert award_year.announced_on == datetime.date(2024, 9, 12)
    assert award_year.scoring_deadline.isoformat().startswith("2024-06-01T")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SCHEDULE_CHANGED)
    assert entry.new == {"announced_on": "2024-09-12", "scoring_deadline": "2024-06-01 17:00"}
    assert 'value="2024-06-01T17:00"' in client.get("/awards/2024/").content.decode()


def test_a_juror_cannot_set_the_dates(client, juror, award_year):
    client.force_login(juror)
    assert client.post("/awards/2024/schedule/", {"announced_on": "2024-09-12"}).status_code == 403


def test_publishing_keeps_the_chairs_announcement_date(chair, award_year, juror):
    services.award_year_schedule_set(award_year=award_year, announced_on=datetime.date(2024, 10, 1),
                                     scoring_deadline=None, actor=chair)
    score_all(award_year, juror, 4)
    services.scoring_close(award_year=award_year, actor=chair)
    services.winner_record(award_year=award_year, nomination=nomination(award_year, "25"), motivation_sv="sv",
                           motivation_en="en", actor=chair)
    services.award_year_publish(award_year=award_year, actor=chair)
    assert AwardYear.objects.get(pk=award_year.pk).announced_on == datetime.date(2024, 10, 1)


@pytest.fixture
def tied_round(award_year, juror, juror2, chair) -> AwardYear:
    """Closed; Norrbotten and Halland level at 4,00 on every criterion, Skåne 3,00."""
    score_all(award_year, juror, {"25": 4, "13": 5, "12": 3})
    score_all(award_year, juror2, {"25": 4, "13": 3, "12": 3})
    services.scoring_close(award_year=award_year, actor=chair)
    return AwardYear.objects.get(pk=award_year.pk)


def test_a_tie_at_the_top_needs_the_chairs_casting_vote_before_the_winner(client, chair, tied_round):
    client.force_login(chair)
    page = client.get("/awards/2024/results/")
    body = page.content.decode()
    assert "Lika i toppen efter steg 1 och 2: Norrbotten, Halland." in body
    assert "Regel vid lika resultat" in body and page.context["casting_form"] is not None
    winner = {"nomination": nomination(tied_round, "13").pk, "motivation_sv": "sv", "motivation_en": "en"}
    client.post("/awards/2024/winner/", winner)
    assert not tied_round.nominations.filter(is_winner=True).exists()

    client.post("/awards/2024/casting-vote/", {"nomination": nomination(tied_round, "13").pk, "reason": ""})
    assert AwardYear.objects.get(pk=tied_round.pk).casting_vote is None  # a reason is required
    client.post("/awards/2024/casting-vote/", {"nomination": nomination(tied_round, "12").pk, "reason": "x"})
    assert AwardYear.objects.get(pk=tied_round.pk).casting_vote is None  # Skåne is not level at the top
    client.post("/awards/2024/casting-vote/", {"nomination": nomination(tied_round, "13").pk,
                                               "reason": "Bredare samverkan mellan främjaraktörerna"})
    year = AwardYear.objects.get(pk=tied_round.pk)
    assert year.casting_vote.region.code == "13"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CASTING_VOTE)
    assert entry.actor == chair and entry.new["reason"].startswith("Bredare")

    places = [(item["row"].place, item["result"].nomination.region.code, item["row"].decided_by)
              for item in client.get("/awards/2024/results/").context["results"]]
    assert places == [(1, "13", "casting_vote"), (2, "25", "casting_vote"), (3, "12", "")]
    client.post("/awards/2024/winner/", winner)
    assert tied_round.nominations.get(is_winner=True).region.code == "13"


def test_the_results_page_carries_the_score_chart(client, chair, tied_round):
    client.force_login(chair)
    page = client.get("/awards/2024/results/")
    chart = page.context["chart"]
    assert [t["name"] for t in chart["data"] if t["type"] == "bar"] == ["Norrbotten", "Halland", "Skåne"]
    assert "plotly-basic" in page.content.decode() and 'data-figure="fig-scores"' in page.content.decode()


def test_the_decision_record_page_and_xlsx(client, chair, juror, tied_round):
    from awards.models import ConflictDeclaration

    ConflictDeclaration.objects.create(juror=juror, nomination=nomination(tied_round, "12"), reason="Styrelseuppdrag")
    services.casting_vote_record(award_year=tied_round, nomination=nomination(tied_round, "25"), reason="Exporten",
                                 tied=[nomination(tied_round, "25"), nomination(tied_round, "13")], actor=chair)
    services.winner_record(award_year=tied_round, nomination=nomination(tied_round, "25"),
                           motivation_sv="Norrbotten visar vägen.", motivation_en="Norrbotten leads.", actor=chair)
    client.force_login(chair)
    body = client.get("/awards/2024/decision/").content.decode()
    for text in ("Beslutsprotokoll", "Norrbotten visar vägen.", "Styrelseuppdrag", "Exporten", "cecilia-chair",
                 "Regel vid lika resultat", "4,00"):
        assert text in body, text
    response = client.get("/awards/2024/decision.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Beslut", "Poäng", "Jäv"]
    decision = {row[0]: row[1:] for row in book["Beslut"].iter_rows(values_only=True) if row and row[0]}
    assert decision["Vinnare"][0] == "Norrbotten" and decision["Registrerat av"][0] == "cecilia-chair"
    scores = list(book["Poäng"].iter_rows(values_only=True))
    assert scores[1][:3] == (1, "Norrbotten", 4.0) and scores[2][:3] == (2, "Halland", 4.0)
    assert list(book["Jäv"].iter_rows(values_only=True))[1][:3] == ("Skåne", juror.username, "Styrelseuppdrag")


def test_the_decision_record_is_for_the_jury_only(client, analyst, tied_round):
    client.force_login(analyst)
    assert client.get("/awards/2024/decision/").status_code == 404
    assert Client().get("/awards/2024/decision.xlsx").status_code == 302


def test_a_stranger_on_an_unpublished_year_reads_that_it_is_not_published_yet(award_year):
    response = Client().get("/awards/2024/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Resultatet för 2024 är inte publicerat ännu." in body and "Norrbotten" not in body


def test_login_with_a_user_of_the_demo_password(db):
    # The cast's password works with the login view that replaced Django's (a smoke test of the URL).
    User.objects.create_user("x", password=PASSWORD)
    assert Client().post("/accounts/login/", {"username": "x", "password": PASSWORD})["Location"] == "/"


def test_the_overview_points_a_juror_to_the_open_round(client, juror, award_year):
    client.force_login(juror)
    body = client.get("/").content.decode()
    assert "En juryomgång väntar på dig: Årets Exportregion 2024." in body
    score_all(award_year, juror, 4)
    assert "juryomgång väntar" not in client.get("/").content.decode()
