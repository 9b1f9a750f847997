"""Who may see and do what in one award year: groups (statistics admins) plus object checks (jurors, chair).

Visibility and permission are kept apart from state: these functions answer "may this person ever do
this in this year", the services answer "is it possible now" (e.g. scoring is open).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from awards.models import AwardYear
from exportregion.permissions import is_statistics_admin

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class AwardRole:
    """One user's standing in one award year; computed once per request (two queries at most)."""

    is_admin: bool = False
    is_juror: bool = False
    is_chair: bool = False

    @property
    def in_jury(self) -> bool:
        return self.is_juror or self.is_chair

    @property
    def is_insider(self) -> bool:
        return self.in_jury or self.is_admin


def award_role(user: AnyUser, award_year: AwardYear) -> AwardRole:
    if not user.is_authenticated:
        return AwardRole()
    return AwardRole(
        is_admin=is_statistics_admin(user),
        is_juror=award_year.jurors.filter(pk=user.pk).exists(),
        is_chair=award_year.chair_id is not None and award_year.chair_id == user.pk,
    )


def can_view(role: AwardRole, award_year: AwardYear) -> bool:
    """A published year is public; before that, nothing of it exists for anyone outside its jury and the admins."""
    return award_year.is_published or role.is_insider


def can_manage_nominations(role: AwardRole) -> bool:
    return role.is_admin


def can_open_scoring(role: AwardRole) -> bool:
    return role.is_admin or role.is_chair


def can_declare_conflict(role: AwardRole) -> bool:
    return role.is_juror


def can_score(role: AwardRole) -> bool:
    return role.is_juror


def can_see_submissions(role: AwardRole) -> bool:
    """Who has submitted, never what: the chair runs the round, the admins support it."""
    return role.is_chair or role.is_admin


def can_see_results(role: AwardRole, award_year: AwardYear) -> bool:
    return role.is_insider and award_year.is_scoring_closed


def can_decide(role: AwardRole) -> bool:
    """Closing the round, recording the winner and publishing are the chair's alone."""
    return role.is_chair


def can_read_audit(role: AwardRole) -> bool:
    return role.is_chair or role.is_admin


def score_values_visible(award_year: AwardYear) -> bool:
    """Score values and comments stay sealed, even in the audit log, until the round is closed."""
    return award_year.is_scoring_closed
