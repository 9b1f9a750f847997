"""The Django admin for awards: years and juries are set up there; scores and the log are read-only."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db.models import Q

from awards.models import AuditEntry, AwardYear, Score
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


# --- sealed scores: no filtering, searching or titles that reveal values or comments ---------------


@pytest.fixture
def staff_admin_client(client, stats_admin):
    """A statistics admin who may also use the Django admin (view rights on the awards models)."""
    stats_admin.is_staff = True
    stats_admin.save()
    stats_admin.user_permissions.set(Permission.objects.filter(
        Q(content_type__app_label="awards") | Q(codename="view_user"), codename__startswith="view_"))
    client.force_login(stats_admin)
    return client


def _scored(award_year, juror, juror2):
    score_all(award_year, juror, 5, comment="secret praise")
    score_all(award_year, juror2, 2)
    # The audit log holds the same values and comments, as the services write them.
    for score in Score.objects.filter(nomination__award_year=award_year):
        AuditEntry.objects.create(award_year=award_year, actor=score.juror, action=AuditEntry.Action.SCORE_SUBMITTED,
                                  object_repr=str(score), new={"value": score.value, "comment": score.comment})


SEALED_LOOKUPS = [
    "/admin/awards/score/?nomination__award_year__id__exact={pk}&value=5",
    "/admin/awards/score/?nomination__award_year__id__exact={pk}&value=2",
    "/admin/awards/score/?value__gte=4",
    "/admin/awards/score/?comment__icontains=secret",
    "/admin/awards/score/?nomination__award_year__id__exact={pk}&comment=secret+praise",
    "/admin/awards/auditentry/?new__icontains=secret",
    "/admin/awards/auditentry/?new__value=5",
    "/admin/awards/auditentry/?award_year__id__exact={pk}&old__isnull=False",
    "/admin/awards/awardyear/?nominations__scores__value=5",
    "/admin/awards/conflictdeclaration/?nomination__scores__value=5",
    "/admin/auth/user/?award_scores__value=5",
]


@pytest.mark.parametrize("url", SEALED_LOOKUPS)
@pytest.mark.parametrize("who", ["staff_admin_client", "superuser_client"])
def test_no_lookup_on_score_values_or_comments_while_scoring_is_open(request, who, url, award_year, juror, juror2):
    http = request.getfixturevalue(who)
    _scored(award_year, juror, juror2)
    response = http.get(url.format(pk=award_year.pk))
    assert response.status_code == 400
    assert b"secret" not in response.content


@pytest.mark.parametrize("status", [AwardYear.Status.SCORING, AwardYear.Status.DECIDED])
def test_the_lookups_stay_refused_after_the_close_too(superuser_client, award_year, juror, juror2, status):
    # One changelist lists every year; a lookup allowed for a closed year would also count an open one's.
    _scored(award_year, juror, juror2)
    AwardYear.objects.filter(pk=award_year.pk).update(status=status)
    assert superuser_client.get("/admin/awards/score/?value=5").status_code == 400


def test_the_year_filter_and_the_lists_still_work_without_revealing_values(staff_admin_client, award_year, juror,
                                                                         juror2):
    _scored(award_year, juror, juror2)
    response = staff_admin_client.get(f"/admin/awards/score/?nomination__award_year__id__exact={award_year.pk}")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 30  # who has scored, never what
    body = response.content.decode()
    assert "secret" not in body and "field-value" not in body
    body = staff_admin_client.get(f"/admin/awards/auditentry/?award_year__id__exact={award_year.pk}").content.decode()
    assert "secret" not in body


def test_a_sealed_score_page_shows_neither_value_nor_comment(staff_admin_client, award_year, juror, juror2):
    _scored(award_year, juror, juror2)
    score = Score.objects.filter(juror=juror).first()
    body = staff_admin_client.get(f"/admin/awards/score/{score.pk}/change/").content.decode()
    assert response_ok(body) and "secret" not in body and f": {score.value}" not in body
    entry = AuditEntry.objects.filter(actor=juror).first()
    body = staff_admin_client.get(f"/admin/awards/auditentry/{entry.pk}/change/").content.decode()
    assert response_ok(body) and "secret" not in body


def test_after_the_close_the_score_page_shows_the_value_and_comment(staff_admin_client, award_year, juror, juror2):
    _scored(award_year, juror, juror2)
    AwardYear.objects.filter(pk=award_year.pk).update(status=AwardYear.Status.DECIDED)
    score = Score.objects.filter(juror=juror).first()
    body = staff_admin_client.get(f"/admin/awards/score/{score.pk}/change/").content.decode()
    assert "field-value" in body and "secret praise" in body


def response_ok(body: str) -> bool:
    return "field-juror" in body or "field-actor_name" in body
