"""The role × URL × action matrix: allowed actions work, the rest answer 403 or a login redirect (404 for
an unpublished year outside its jury), never a 500 and never a leak.

Roles: stranger (anonymous), analyst (logged in, no role), juror of this year, juror of another year,
the chair (chairs this year, does not score) and a statistics admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.utils import timezone

from awards.models import AuditEntry, AwardYear, ConflictDeclaration, Score
from tests.awards.conftest import make_year, nomination

Status = AwardYear.Status
ROLES = ("stranger", "analyst", "juror", "other_juror", "chair", "admin")
LOGIN, REFUSED, OK = "login", "refused", "ok"
# An unpublished year does not exist for anyone outside its jury and the statistics admins.
OUTSIDERS = {"stranger": LOGIN, "analyst": 404, "other_juror": 404}
# A published year is public, but its jury's pages and actions are not.
PUBLIC = {"stranger": LOGIN, "analyst": 403, "other_juror": 403}


@dataclass(frozen=True)
class Case:
    name: str
    status: str
    method: str
    path: Callable[[AwardYear], str]
    expect: dict
    data: Callable[[AwardYear], dict] = field(default=lambda ay: {})
    effect: Callable[[AwardYear], bool] | None = None
    with_winner: bool = False


def _score_data(ay: AwardYear) -> dict:
    data = {"submit": "1"}
    for c in ay.criteria.all():
        data |= {f"value_{c.pk}": "4", f"comment_{c.pk}": "Stark"}
    return data


def _status_is(status: str) -> Callable[[AwardYear], bool]:
    return lambda ay: AwardYear.objects.get(pk=ay.pk).status == status


def _url(suffix: str) -> Callable[[AwardYear], str]:
    return lambda ay: f"/awards/{ay.year}/{suffix}"


def _nom(suffix: str) -> Callable[[AwardYear], str]:
    return lambda ay: f"/awards/{ay.year}/nominations/{nomination(ay, '25').pk}/{suffix}"


CASES = (
    Case("index", Status.SCORING, "get", lambda ay: "/awards/", {r: 200 for r in ROLES}),
    # The year's own URL tells a stranger it is not published yet (404, and no login wall), as for a missing year.
    Case("workspace", Status.SCORING, "get", _url(""),
         {**OUTSIDERS, "stranger": 404, "juror": 200, "chair": 200, "admin": 200}),
    Case("missing year", Status.SCORING, "get", lambda ay: "/awards/1999/",
         {**OUTSIDERS, "stranger": 404, "juror": 404, "chair": 404, "admin": 404}),
    Case("absurd year", Status.SCORING, "get", lambda ay: "/awards/99999999999999999999/",
         {**OUTSIDERS, "juror": 404, "chair": 404, "admin": 404}),
    Case("shortlist", Status.NOMINATING, "get", _url("shortlist/"),
         {**OUTSIDERS, "juror": 403, "chair": 403, "admin": 200}),
    Case("shortlist save", Status.NOMINATING, "post", _url("shortlist/"),
         {**OUTSIDERS, "juror": 403, "chair": 403, "admin": OK},
         data=lambda ay: {"regions": ["25", "13", "03"]},
         effect=lambda ay: set(ay.nominations.values_list("region__code", flat=True)) == {"25", "13", "03"}),
    Case("statement form", Status.SCORING, "get", _nom(""),
         {**OUTSIDERS, "juror": 403, "chair": 403, "admin": 200}),
    Case("statement save", Status.SCORING, "post", _nom(""),
         {**OUTSIDERS, "juror": 403, "chair": 403, "admin": OK},
         data=lambda ay: {"statement_sv": "Ny text", "statement_en": "New text"},
         effect=lambda ay: nomination(ay, "25").statement_en == "New text"),
    Case("statement of absurd id", Status.SCORING, "get", _url("nominations/99999999999999999999/"),
         {**OUTSIDERS, "juror": 403, "chair": 403, "admin": 404}),
    Case("conflict", Status.SCORING, "post", _nom("conflict/"),
         {**OUTSIDERS, "juror": OK, "chair": 403, "admin": 403},
         data=lambda ay: {"reason": "Styrelseledamot"}, effect=lambda ay: ConflictDeclaration.objects.exists()),
    Case("score", Status.SCORING, "post", _nom("score/"),
         {**OUTSIDERS, "juror": OK, "chair": 403, "admin": 403},
         data=_score_data, effect=lambda ay: Score.objects.filter(submitted_at__isnull=False).count() == 5),
    Case("open scoring", Status.NOMINATING, "post", _url("open-scoring/"),
         {**OUTSIDERS, "juror": 403, "chair": OK, "admin": OK}, effect=_status_is(Status.SCORING)),
    Case("close", Status.SCORING, "post", _url("close/"),
         {**OUTSIDERS, "juror": 403, "chair": OK, "admin": 403}, effect=_status_is(Status.DECIDED)),
    Case("results while scoring", Status.SCORING, "get", _url("results/"),
         {**OUTSIDERS, "juror": 403, "chair": 403, "admin": 403}),
    Case("results when closed", Status.DECIDED, "get", _url("results/"),
         {**OUTSIDERS, "juror": 200, "chair": 200, "admin": 200}),
    Case("winner", Status.DECIDED, "post", _url("winner/"),
         {**OUTSIDERS, "juror": 403, "chair": OK, "admin": 403},
         data=lambda ay: {"nomination": nomination(ay, "25").pk, "motivation_sv": "sv", "motivation_en": "en"},
         effect=lambda ay: nomination(ay, "25").is_winner),
    Case("publish", Status.DECIDED, "post", _url("publish/"),
         {**OUTSIDERS, "juror": 403, "chair": OK, "admin": 403}, effect=_status_is(Status.PUBLISHED),
         with_winner=True),
    Case("audit", Status.SCORING, "get", _url("audit/"), {**OUTSIDERS, "juror": 403, "chair": 200, "admin": 200}),
    Case("audit csv", Status.SCORING, "get", lambda ay: f"/awards/{ay.year}/audit.csv",
         {**OUTSIDERS, "juror": 403, "chair": 200, "admin": 200}),
    Case("audit xlsx", Status.SCORING, "get", lambda ay: f"/awards/{ay.year}/audit.xlsx",
         {**OUTSIDERS, "juror": 403, "chair": 200, "admin": 200}),
    # Published: the page is public, the jury's pages and actions are not.
    Case("published page", Status.PUBLISHED, "get", _url(""), {r: 200 for r in ROLES}, with_winner=True),
    Case("published results", Status.PUBLISHED, "get", _url("results/"),
         {**PUBLIC, "juror": 200, "chair": 200, "admin": 200}, with_winner=True),
    Case("published audit", Status.PUBLISHED, "get", _url("audit/"),
         {**PUBLIC, "juror": 403, "chair": 200, "admin": 200}, with_winner=True),
    Case("published shortlist", Status.PUBLISHED, "get", _url("shortlist/"),
         {**PUBLIC, "juror": 403, "chair": 403, "admin": 200}, with_winner=True),
    Case("published score", Status.PUBLISHED, "post", _nom("score/"),
         {**PUBLIC, "juror": REFUSED, "chair": 403, "admin": 403}, data=_score_data,
         effect=lambda ay: Score.objects.exists(), with_winner=True),
    Case("published conflict", Status.PUBLISHED, "post", _nom("conflict/"),
         {**PUBLIC, "juror": REFUSED, "chair": 403, "admin": 403},
         effect=lambda ay: ConflictDeclaration.objects.exists(), with_winner=True),
    Case("published close", Status.PUBLISHED, "post", _url("close/"),
         {**PUBLIC, "juror": 403, "chair": REFUSED, "admin": 403},
         effect=lambda ay: AuditEntry.objects.filter(action=AuditEntry.Action.STATUS_CHANGED).exists(),
         with_winner=True),
)


@pytest.fixture
def cast(analyst, juror, juror2, other_juror, other_year, chair, stats_admin) -> dict[str, Client]:
    users = {"analyst": analyst, "juror": juror, "other_juror": other_juror, "chair": chair, "admin": stats_admin}
    clients = {"stranger": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _year(case: Case, juror, juror2, chair) -> AwardYear:
    award_year = make_year(2024, status=case.status, jurors=(juror, juror2), chair=chair)
    if case.with_winner:
        award_year.nominations.filter(region__code="25").update(is_winner=True, motivation_sv="sv", motivation_en="en")
    if case.status == Status.PUBLISHED:
        AwardYear.objects.filter(pk=award_year.pk).update(published_at=timezone.now())
    return award_year


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix(case: Case, role: str, cast, juror, juror2, chair):
    award_year = _year(case, juror, juror2, chair)
    client = cast[role]
    response = getattr(client, case.method)(case.path(award_year), case.data(award_year))
    expected = case.expect[role]
    assert response.status_code < 500
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif expected in (OK, REFUSED) and case.method == "post":
        assert response.status_code == 302 and not response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    if case.effect is not None:
        assert case.effect(award_year) is (expected == OK)
    if expected in (LOGIN, 404):
        _assert_no_leak(response, award_year)


def _assert_no_leak(response, award_year: AwardYear) -> None:
    body = response.content.decode()
    assert "Motivering" not in body and "Statement" not in body
    assert "Norrbotten" not in body and "Halland" not in body


def test_a_stranger_cannot_tell_an_unpublished_year_from_a_missing_one(db, juror, chair):
    make_year(2024, status=Status.SCORING, jurors=(juror,), chair=chair)
    client = Client()
    existing, missing = client.get("/awards/2024/"), client.get("/awards/2099/")
    assert existing.status_code == missing.status_code == 404
    assert existing.content.decode().replace("2024", "") == missing.content.decode().replace("2099", "")
    body = existing.content.decode()
    assert "Årets Exportregion 2024" in body and "inte publicerat" in body
    assert "/accounts/login/?next=/awards/2024/" in body  # the jury's way in


def test_get_on_an_action_url_is_not_allowed(db, juror, chair):
    award_year = make_year(2024, status=Status.SCORING, jurors=(juror,), chair=chair)
    client = Client()
    client.force_login(chair)
    assert client.get(f"/awards/{award_year.year}/close/").status_code == 405
    assert AwardYear.objects.get(pk=award_year.pk).status == Status.SCORING


HOSTILE_POSTS = (
    ("shortlist/", {"regions": ["xx", "00"]}),
    ("shortlist/", {"regions": "1" * 5000}),
    ("winner/", {"nomination": "abc", "motivation_sv": "x", "motivation_en": "y"}),
    ("winner/", {"nomination": "99999999999999999999", "motivation_sv": "x", "motivation_en": "y"}),
)


@pytest.mark.parametrize(("suffix", "data"), HOSTILE_POSTS)
def test_hostile_input_is_refused_without_an_error_page(db, juror, chair, stats_admin, suffix, data):
    award_year = make_year(2024, status=Status.DECIDED if suffix == "winner/" else Status.NOMINATING,
                           jurors=(juror,), chair=chair)
    client = Client()
    client.force_login(chair if suffix == "winner/" else stats_admin)
    response = client.post(f"/awards/{award_year.year}/{suffix}", data)
    assert response.status_code in (200, 302)
    assert not award_year.nominations.filter(is_winner=True).exists()
    assert set(award_year.nominations.values_list("region__code", flat=True)) == {"25", "13", "12"}


def test_hostile_juror_input_is_refused_without_an_error_page(db, juror, chair):
    award_year = make_year(2024, jurors=(juror,), chair=chair)
    client = Client()
    client.force_login(juror)
    pk = nomination(award_year, "25").pk
    for data in ({"reason": "x" * 3000}, {"withdraw": "maybe"}):
        assert client.post(f"/awards/2024/nominations/{pk}/conflict/", data).status_code == 302
    criterion = award_year.criteria.first()
    for data in ({f"value_{criterion.pk}": "1e9"}, {f"comment_{criterion.pk}": "x" * 3000},
                 {"value_999999": "3"}, {"submit": "1"}):
        # Refused beside the form (200) or nothing to save (302): never an error page.
        assert client.post(f"/awards/2024/nominations/{pk}/score/", data).status_code in (200, 302)
    assert not Score.objects.exists()
    assert not ConflictDeclaration.objects.exists()
