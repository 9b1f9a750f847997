"""The Django admin for awards: years and juries are set up there; scores and the log are read-only."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.db.models import Q

from awards.models import AuditEntry, AwardYear, Score
from awards.selectors import score_results
from tests.awards.conftest import make_year, score_all

Status = AwardYear.Status


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


# --- the set-up: fixed once scoring opens, the jury once the round is closed; every edit audited -----


def _change_url(award_year) -> str:
    return f"/admin/awards/awardyear/{award_year.pk}/change/"


def _form_data(http, award_year) -> dict:
    """What the change page would post back unchanged: the year's form and every inline formset."""
    response = http.get(_change_url(award_year))
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[bound.html_name] = "on" if value is True else str(getattr(value, "pk", value))
    return data


def _editable_fields(http, award_year) -> set[str]:
    response = http.get(_change_url(award_year))
    return set(response.context["adminform"].form.fields)


def _setup_entries(award_year):
    return AuditEntry.objects.filter(award_year=award_year, action=AuditEntry.Action.SETUP_CHANGED)


@pytest.mark.parametrize("status, editable", [
    (Status.PREPARING, {"year", "period_from", "period_to", "announced_on", "scoring_deadline", "jurors", "chair"}),
    (Status.NOMINATING, {"year", "period_from", "period_to", "announced_on", "scoring_deadline", "jurors", "chair"}),
    (Status.SCORING, {"announced_on", "scoring_deadline", "jurors", "chair"}),
    (Status.DECIDED, {"announced_on"}),
    (Status.PUBLISHED, set()),
])
def test_what_the_year_form_may_change_depends_on_the_status(superuser_client, juror, status, editable):
    award_year = make_year(2024, status=status, jurors=(juror,))
    assert _editable_fields(superuser_client, award_year) == editable


@pytest.mark.parametrize("status", [Status.SCORING, Status.DECIDED, Status.PUBLISHED])
def test_from_scoring_on_criteria_are_read_only_and_cannot_be_deleted(superuser_client, juror, juror2, status):
    award_year = make_year(2024, status=status, jurors=(juror,))
    score_all(award_year, juror, 4)
    criterion = award_year.criteria.first()
    data = _form_data(superuser_client, award_year)
    page = superuser_client.get(_change_url(award_year)).content.decode()
    assert 'name="criteria-0-weight"' not in page and 'name="criteria-0-DELETE"' not in page
    data.update({"period_from": "2010", "year": "1999", "criteria-0-weight": "9", "criteria-0-name_sv": "Ny",
                 "criteria-0-DELETE": "on", "criteria-0-id": str(criterion.pk), "jurors": [str(juror2.pk)]})
    response = superuser_client.post(_change_url(award_year), data)
    assert response.status_code in (200, 302)
    criterion.refresh_from_db()
    award_year.refresh_from_db()
    assert (criterion.weight, criterion.name_sv) != (9, "Ny")
    assert award_year.criteria.count() == 5 and Score.objects.filter(criterion=criterion).count() == 3
    assert (award_year.year, award_year.period_from) == (2024, 2016)
    if status != Status.SCORING:
        assert list(award_year.jurors.all()) == [juror]


@pytest.mark.parametrize("status", [Status.SCORING, Status.DECIDED, Status.PUBLISHED])
def test_from_scoring_on_a_year_cannot_be_deleted(superuser_client, status):
    award_year = make_year(2024, status=status)
    assert superuser_client.get(f"/admin/awards/awardyear/{award_year.pk}/delete/").status_code == 403
    superuser_client.post("/admin/awards/awardyear/", {"action": "delete_selected", "_selected_action": [award_year.pk],
                                                       "post": "yes"})
    assert AwardYear.objects.filter(pk=award_year.pk).exists()


def test_a_jury_change_while_scoring_is_audited(superuser_client, award_year, juror, juror2, other_juror, chair):
    data = _form_data(superuser_client, award_year)
    data.update({"jurors": [str(juror.pk), str(other_juror.pk)], "chair": str(juror2.pk)})
    response = superuser_client.post(_change_url(award_year), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(award_year.jurors.all()) == {juror, other_juror}
    (entry,) = _setup_entries(award_year)
    assert entry.actor_name == "root"
    assert entry.old == {"jurors": "jane-juror, jo-juror", "chair": "cecilia-chair"}
    assert entry.new == {"jurors": "jo-juror, olle-other-juror", "chair": "jane-juror"}
    log = superuser_client.get("/awards/2024/audit/").content.decode()
    assert "olle-other-juror" in log and "cecilia-chair" in log


def test_a_criteria_and_period_change_before_scoring_is_audited(superuser_client, juror):
    award_year = make_year(2024, status=Status.NOMINATING, jurors=(juror,))
    criterion = award_year.criteria.get(order=1)
    data = _form_data(superuser_client, award_year)
    data.update({"period_to": "2022", "criteria-0-weight": "2.5"})
    assert data["criteria-0-id"] == str(criterion.pk)
    response = superuser_client.post(_change_url(award_year), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("2.5")
    (entry,) = _setup_entries(award_year)
    assert set(entry.old) == set(entry.new) == {"period", "criteria"}
    assert entry.old["period"] == "2016–2021" and entry.new["period"] == "2016–2022"
    assert "×1.00" in entry.old["criteria"].split(" | ")[0] and "×2.50" in entry.new["criteria"].split(" | ")[0]


def test_saving_the_form_unchanged_writes_no_audit_entry(superuser_client, award_year):
    assert superuser_client.post(_change_url(award_year), _form_data(superuser_client, award_year)).status_code == 302
    assert not _setup_entries(award_year).exists()


def test_a_closed_round_cannot_change_its_jury_in_the_admin(superuser_client, award_year, juror, juror2, other_juror):
    score_all(award_year, juror, 5)
    score_all(award_year, juror2, 1)
    AwardYear.objects.filter(pk=award_year.pk).update(status=Status.DECIDED)
    data = _form_data(superuser_client, award_year)
    data.update({"jurors": [str(juror.pk)], "chair": str(other_juror.pk)})
    superuser_client.post(_change_url(award_year), data)
    award_year.refresh_from_db()
    assert set(award_year.jurors.all()) == {juror, juror2} and award_year.chair.username == "cecilia-chair"
    assert [r.weighted_mean for r in score_results(award_year=award_year)] == [3.0, 3.0, 3.0]
