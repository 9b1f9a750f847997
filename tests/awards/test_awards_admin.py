"""The Django admin for awards: years and juries are set up there; scores and the log are read-only."""

import pytest
from django.contrib.auth.models import User

from awards.models import AwardYear
from tests.awards.conftest import score_all


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    return client


@pytest.mark.parametrize("model", ["awardyear", "score", "conflictdeclaration", "auditentry"])
def test_every_changelist_opens(superuser_client, award_year, juror, model):
    score_all(award_year, juror, 3)
    assert superuser_client.get(f"/admin/awards/{model}/").status_code == 200


def test_a_year_created_in_the_admin_gets_the_default_criteria(superuser_client, juror):
    response = superuser_client.post("/admin/awards/awardyear/add/", {
        "year": "2030", "period_from": "2023", "period_to": "2028", "announced_on": "", "jurors": [juror.pk],
        "chair": "", "criteria-TOTAL_FORMS": "0", "criteria-INITIAL_FORMS": "0",
        "nominations-TOTAL_FORMS": "0", "nominations-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    award_year = AwardYear.objects.get(year=2030)
    assert award_year.status == AwardYear.Status.PREPARING
    assert award_year.criteria.count() == 5


def test_a_score_cannot_be_changed_in_the_admin(superuser_client, award_year, juror):
    score_all(award_year, juror, 3)
    score = award_year.nominations.first().scores.first()
    response = superuser_client.post(f"/admin/awards/score/{score.pk}/change/", {"value": "5"})
    assert response.status_code == 403
    body = superuser_client.get(f"/admin/awards/score/{score.pk}/change/").content.decode()
    assert "field-value" not in body  # sealed while scoring is open
