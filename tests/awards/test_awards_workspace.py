"""The jury workspace /awards/<year>/: nominees side by side, conflicts, scoring, and scores kept private
until the chair closes the round."""

import pytest

from awards import services
from awards.models import AwardYear, Score
from tests.awards.conftest import nomination, score_all

Status = AwardYear.Status


def _page(client, user, award_year) -> str:
    client.force_login(user)
    response = client.get(f"/awards/{award_year.year}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_nominees_and_statements_side_by_side(client, juror, award_year):
    body = _page(client, juror, award_year)
    for name in ("Norrbotten", "Halland", "Skåne"):
        assert f"Motivering {name} 2024" in body  # the page's language: Swedish by default
    assert 'id="work-' in body and 'name="value_' in body


def test_it_picks_the_statement_in_the_visitors_language(client, juror, award_year):
    client.force_login(juror)
    client.cookies["django_language"] = "en"
    assert "Statement Norrbotten 2024" in client.get("/awards/2024/").content.decode()
    client.cookies["django_language"] = "sv"
    assert "Motivering Norrbotten 2024" in client.get("/awards/2024/").content.decode()


def test_a_juror_sees_only_their_own_scores_while_scoring_is_open(client, juror, juror2, award_year):
    score_all(award_year, juror2, 2, comment="SECRET-COMMENT-OF-JUROR-2")
    score_all(award_year, juror, 5, comment="my-own-comment")
    body = _page(client, juror, award_year)
    assert "my-own-comment" in body
    assert "SECRET-COMMENT-OF-JUROR-2" not in body
    assert 'value="2" checked' not in body  # juror2's marks are not pre-selected anywhere


def test_the_chair_sees_who_has_submitted_but_not_what(client, juror, juror2, chair, award_year):
    score_all(award_year, juror, 5, comment="SECRET-COMMENT")
    score_all(award_year, juror2, 3, submitted=False)
    body = _page(client, chair, award_year)
    assert "jo-juror" in body and "jane-juror" in body
    assert body.count("status done") >= 3  # juror's three nominees (and "done")
    assert "SECRET-COMMENT" not in body
    assert 'name="value_' not in body  # the chair does not score
    results = client.get("/awards/2024/results/")
    assert results.status_code == 403


def test_a_statistics_admin_cannot_see_the_scores_while_open(client, juror, stats_admin, award_year):
    score_all(award_year, juror, 5, comment="SECRET-COMMENT")
    client.force_login(stats_admin)
    assert "SECRET-COMMENT" not in client.get("/awards/2024/").content.decode()
    assert client.get("/awards/2024/results/").status_code == 403
    audit = client.get("/awards/2024/audit.csv").content.decode()
    assert "SECRET-COMMENT" not in audit


def test_after_closing_the_jury_sees_averages_and_every_comment(client, juror, juror2, chair, award_year):
    score_all(award_year, juror, {"25": 5, "13": 3, "12": 2}, comment="from-juror-1")
    score_all(award_year, juror2, {"25": 4, "13": 4, "12": 2}, comment="from-juror-2")
    services.scoring_close(award_year=award_year, actor=chair)
    client.force_login(juror)
    body = client.get("/awards/2024/results/").content.decode()
    assert "from-juror-1" in body and "from-juror-2" in body
    assert "4,50" in body  # Norrbotten's average in Swedish format
    assert body.index("Norrbotten") < body.index("Halland") < body.index("Skåne")


def test_a_conflicted_juror_gets_no_form_for_that_nominee(client, juror, award_year):
    services.conflict_declare(nomination=nomination(award_year, "25"), juror=juror, reason="Jäv")
    client.force_login(juror)
    response = client.get("/awards/2024/")
    panels = response.context["panels"]
    assert [p.state for p in panels] == ["conflict", "not_started", "not_started"]
    body = response.content.decode()
    norrbotten = body[body.index(f'id="work-{nomination(award_year, "25").pk}"'):body.index(
        f'id="work-{nomination(award_year, "13").pk}"')]
    assert 'name="value_' not in norrbotten and "Jäv" in norrbotten


def test_scoring_through_the_form_draft_then_submit(client, juror, award_year):
    client.force_login(juror)
    norrbotten = nomination(award_year, "25")
    criteria = list(award_year.criteria.all())
    url = f"/awards/2024/nominations/{norrbotten.pk}/score/"
    response = client.post(url, {f"value_{criteria[0].pk}": "3", f"comment_{criteria[0].pk}": "=cmd()"})
    assert response.status_code == 302 and response["Location"].endswith(f"#work-{norrbotten.pk}")
    assert Score.objects.get().is_draft
    response = client.post(url, {"submit": "1", **{f"value_{c.pk}": "4" for c in criteria}})
    assert Score.objects.filter(submitted_at__isnull=False).count() == 5
    page = client.get("/awards/2024/")
    assert [p.state for p in page.context["panels"]][0] == "submitted"


@pytest.mark.parametrize("value", ["0", "6", "x", "3.5"])
def test_bad_marks_are_refused_with_a_message(client, juror, award_year, value):
    client.force_login(juror)
    criterion = award_year.criteria.first()
    response = client.post(f"/awards/2024/nominations/{nomination(award_year, '25').pk}/score/",
                           {f"value_{criterion.pk}": value}, follow=True)
    assert response.status_code == 200
    assert not Score.objects.exists()
    panel = next(p for p in response.context["panels"] if p.nomination.region.code == "25")
    assert panel.is_open and "heltal från 1 till 5" in panel.error


def test_a_nomination_of_another_year_is_not_found(client, juror, award_year, other_year):
    client.force_login(juror)
    foreign = other_year.nominations.first()
    response = client.post(f"/awards/2024/nominations/{foreign.pk}/score/", {})
    assert response.status_code == 404


def test_the_workspace_has_a_fixed_query_budget(client, juror, award_year, django_assert_max_num_queries):
    client.force_login(juror)
    client.get("/awards/2024/")  # warm the statistics cache and the session
    with django_assert_max_num_queries(16):
        client.get("/awards/2024/")


def test_the_chair_view_has_a_fixed_query_budget(client, juror, juror2, chair, award_year,
                                                 django_assert_max_num_queries):
    score_all(award_year, juror, 4)
    client.force_login(chair)
    client.get("/awards/2024/")
    with django_assert_max_num_queries(18):
        client.get("/awards/2024/")
