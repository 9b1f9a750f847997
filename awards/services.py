"""The only writers of award data. Each write checks the year's state and leaves an audit entry.

Every service locks the award year's row first, so a score saved at the moment the chair closes the
round either lands before the close or is refused; never after it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awards.defaults import DEFAULT_CRITERIA, CriterionSpec
from awards.models import (
    SCORE_MAX,
    SCORE_MIN,
    AuditEntry,
    AwardYear,
    ConflictDeclaration,
    Criterion,
    JurorReminder,
    Nomination,
    Score,
)
from regions.models import Region

Status = AwardYear.Status
Action = AuditEntry.Action
MAX_NOMINEES = 6


class AwardError(Exception):
    """A write that the year's state or the input does not allow; the message is shown to the user."""


@dataclass(frozen=True)
class ScoreEntry:
    value: int | None
    comment: str = ""


def _audit(
    *, award_year: AwardYear, actor: User | None, action: str, object_repr: str,
    old: Any = None, new: Any = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        award_year=award_year, actor=actor, actor_name=actor.get_username() if actor else "",
        action=action, object_repr=object_repr[:300], old=old, new=new,
    )


def _locked(award_year: AwardYear) -> AwardYear:
    return AwardYear.objects.select_for_update().get(pk=award_year.pk)


def _require_status(award_year: AwardYear, *allowed: str) -> None:
    if award_year.status not in allowed:
        raise AwardError(
            _("Not possible while the award year is %(status)s.") % {"status": award_year.get_status_display()}
        )


def _set_status(award_year: AwardYear, status: str, actor: User | None) -> None:
    old = award_year.status
    award_year.status = status
    award_year.save(update_fields=["status", "scoring_closed_at", "published_at", "updated_at"])
    _audit(award_year=award_year, actor=actor, action=Action.STATUS_CHANGED, object_repr=str(award_year.year),
           old={"status": old}, new={"status": status})


# --- award years -------------------------------------------------------------------------


def award_year_create(
    *, year: int, period_from: int, period_to: int, announced_on: datetime.date | None = None,
    criteria: Iterable[CriterionSpec] = DEFAULT_CRITERIA,
) -> AwardYear:
    if period_from > period_to:
        raise AwardError(_("The period must start before it ends."))
    with transaction.atomic():
        award_year = AwardYear.objects.create(
            year=year, period_from=period_from, period_to=period_to, announced_on=announced_on
        )
        Criterion.objects.bulk_create(
            Criterion(award_year=award_year, order=i, **spec) for i, spec in enumerate(criteria, start=1)
        )
    return award_year


def award_year_setup_state(award_year: AwardYear) -> dict[str, str]:
    """The set-up that the Django admin edits, as the audit log shows it."""
    criteria = Criterion.objects.filter(award_year=award_year)
    return {
        "year": str(award_year.year),
        "period": f"{award_year.period_from}–{award_year.period_to}",
        "announced_on": award_year.announced_on.isoformat() if award_year.announced_on else "",
        "scoring_deadline": _schedule_state(award_year)["scoring_deadline"],
        "jurors": ", ".join(sorted(u.get_username() for u in award_year.jurors.all())),
        "chair": award_year.chair.get_username() if award_year.chair else "",
        "criteria": " | ".join(
            f"{c.order}. {c.name_sv} / {c.name_en} ×{c.weight}: {c.description_sv} / {c.description_en}"
            for c in criteria
        ),
    }


def award_year_setup_begin(award_year: AwardYear) -> dict[str, str]:
    """Lock the year for an edit of its set-up in the admin (inside the admin's transaction) and return the
    state before it. Refused if the status moved on since the form was loaded: what is editable depends on it."""
    locked = _locked(award_year)
    if locked.status != award_year.status:
        raise AwardError(_("The award year's status changed meanwhile; reload the page."))
    return award_year_setup_state(locked)


def award_year_setup_record(
    *, award_year: AwardYear, actor: User | None, old: Mapping[str, str]
) -> AuditEntry | None:
    """Log an admin edit of the set-up (period, jurors, chair, criteria): the changed parts, old → new."""
    new = award_year_setup_state(award_year)
    changed = [key for key in new if old.get(key) != new[key]]
    if not changed:
        return None
    return _audit(award_year=award_year, actor=actor, action=Action.SETUP_CHANGED, object_repr=str(award_year.year),
                  old={key: old.get(key) for key in changed}, new={key: new[key] for key in changed})


# --- nominations -------------------------------------------------------------------------


def nominations_set(
    *, award_year: AwardYear, region_codes: Sequence[str], actor: User | None,
    statements: Mapping[str, tuple[str, str]] | None = None,
) -> list[Nomination]:
    """Make the nominees exactly `region_codes` (in that order); new ones start from `statements` (sv, en)."""
    codes = list(dict.fromkeys(region_codes))
    if not 1 <= len(codes) <= MAX_NOMINEES:
        raise AwardError(_("Choose between 1 and %(max)s nominees.") % {"max": MAX_NOMINEES})
    regions = {r.code: r for r in Region.objects.filter(code__in=codes, level=Region.Level.COUNTY)}
    if len(regions) != len(codes):
        raise AwardError(_("Only counties can be nominated."))
    with transaction.atomic():
        award_year = _locked(award_year)
        _require_status(award_year, Status.PREPARING, Status.NOMINATING)
        _remove_nominations(award_year, keep=codes, actor=actor)
        _add_nominations(award_year, codes, regions, statements or {}, actor=actor)
        if award_year.status == Status.PREPARING:
            _set_status(award_year, Status.NOMINATING, actor)
    return list(award_year.nominations.select_related("region"))


def _remove_nominations(award_year: AwardYear, *, keep: list[str], actor: User | None) -> None:
    for nomination in award_year.nominations.select_related("region").exclude(region__code__in=keep):
        _audit(award_year=award_year, actor=actor, action=Action.NOMINATION_REMOVED,
               object_repr=nomination.region.name,
               old={"statement_sv": nomination.statement_sv, "statement_en": nomination.statement_en})
        nomination.delete()


def _add_nominations(
    award_year: AwardYear, codes: list[str], regions: dict[str, Region],
    statements: Mapping[str, tuple[str, str]], *, actor: User | None,
) -> None:
    existing = {n.region.code: n for n in award_year.nominations.select_related("region")}
    for order, code in enumerate(codes, start=1):
        nomination = existing.get(code)
        if nomination is not None:
            if nomination.order != order:
                nomination.order = order
                nomination.save(update_fields=["order", "updated_at"])
            continue
        statement_sv, statement_en = statements.get(code, ("", ""))
        Nomination.objects.create(award_year=award_year, region=regions[code], order=order,
                                  statement_sv=statement_sv, statement_en=statement_en)
        _audit(award_year=award_year, actor=actor, action=Action.NOMINATION_ADDED, object_repr=regions[code].name,
               new={"statement_sv": statement_sv, "statement_en": statement_en})


def nomination_update(
    *, nomination: Nomination, statement_sv: str, statement_en: str, actor: User
) -> Nomination:
    """Statements can be corrected until publication; each change is logged old → new."""
    with transaction.atomic():
        award_year = _locked(nomination.award_year)
        _require_status(award_year, Status.PREPARING, Status.NOMINATING, Status.SCORING, Status.DECIDED)
        nomination = Nomination.objects.select_related("region").get(pk=nomination.pk)
        old = {"statement_sv": nomination.statement_sv, "statement_en": nomination.statement_en}
        new = {"statement_sv": statement_sv.strip(), "statement_en": statement_en.strip()}
        if old == new:
            return nomination
        nomination.statement_sv, nomination.statement_en = new["statement_sv"], new["statement_en"]
        nomination.save(update_fields=["statement_sv", "statement_en", "updated_at"])
        _audit(award_year=award_year, actor=actor, action=Action.NOMINATION_CHANGED,
               object_repr=nomination.region.name, old=old, new=new)
    return nomination


# --- conflicts of interest ---------------------------------------------------------------


def _require_juror(award_year: AwardYear, juror: User) -> None:
    if not award_year.jurors.filter(pk=juror.pk).exists():
        raise AwardError(_("Only this year's jurors can do that."))


def conflict_declare(*, nomination: Nomination, juror: User, reason: str = "") -> ConflictDeclaration:
    with transaction.atomic():
        award_year = _locked(nomination.award_year)
        _require_status(award_year, Status.NOMINATING, Status.SCORING)
        _require_juror(award_year, juror)
        declaration, created = ConflictDeclaration.objects.get_or_create(
            juror=juror, nomination=nomination, defaults={"reason": reason.strip()}
        )
        if created:
            _audit(award_year=award_year, actor=juror, action=Action.CONFLICT_DECLARED,
                   object_repr=f"{nomination.region.name} · {juror.get_username()}", new={"reason": declaration.reason})
    return declaration


def conflict_withdraw(*, nomination: Nomination, juror: User) -> None:
    with transaction.atomic():
        award_year = _locked(nomination.award_year)
        _require_status(award_year, Status.NOMINATING, Status.SCORING)
        declaration = ConflictDeclaration.objects.filter(juror=juror, nomination=nomination).first()
        if declaration is None:
            return
        declaration.delete()
        _audit(award_year=award_year, actor=juror, action=Action.CONFLICT_WITHDRAWN,
               object_repr=f"{nomination.region.name} · {juror.get_username()}", old={"reason": declaration.reason})


# --- scores ------------------------------------------------------------------------------


def scores_save(
    *, nomination: Nomination, juror: User, entries: Mapping[int, ScoreEntry], submit: bool
) -> list[Score]:
    """Save one juror's form for one nominee (criterion id -> entry). A draft may be partial; a submission
    needs every criterion. Saving a draft after submitting withdraws the submission until submitted again."""
    with transaction.atomic():
        award_year = _locked(nomination.award_year)
        _require_status(award_year, Status.SCORING)
        _require_juror(award_year, juror)
        if ConflictDeclaration.objects.filter(juror=juror, nomination=nomination).exists():
            raise AwardError(_("You have declared a conflict of interest for this nominee."))
        criteria = list(award_year.criteria.all())
        _validate_entries(criteria, entries, submit=submit)
        existing = {s.criterion_id: s for s in Score.objects.filter(juror=juror, nomination=nomination)}
        submitted_at = timezone.now() if submit else None
        for criterion in criteria:
            entry = entries.get(criterion.pk, ScoreEntry(None))
            _score_apply(award_year, nomination, criterion, juror, existing.get(criterion.pk), entry, submitted_at)
    return list(Score.objects.filter(juror=juror, nomination=nomination).select_related("criterion"))


def _validate_entries(criteria: list[Criterion], entries: Mapping[int, ScoreEntry], *, submit: bool) -> None:
    known = {c.pk for c in criteria}
    if set(entries) - known:
        raise AwardError(_("Unknown criterion."))
    for entry in entries.values():
        if entry.value is not None and not SCORE_MIN <= entry.value <= SCORE_MAX:
            raise AwardError(_("A score is a whole number from %(min)s to %(max)s.") % {"min": SCORE_MIN, "max": SCORE_MAX})
    if submit and any(entries.get(pk, ScoreEntry(None)).value is None for pk in known):
        raise AwardError(_("Give a score for every criterion before submitting."))


def _score_state(score: Score | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {"value": score.value, "comment": score.comment, "submitted": score.submitted_at is not None}


def _score_apply(
    award_year: AwardYear, nomination: Nomination, criterion: Criterion, juror: User,
    score: Score | None, entry: ScoreEntry, submitted_at: datetime.datetime | None,
) -> None:
    old = _score_state(score)
    label = f"{nomination.region.name} · {criterion.name_sv} · {juror.get_username()}"
    if entry.value is None:
        if score is not None:
            score.delete()
            _audit(award_year=award_year, actor=juror, action=Action.SCORE_CLEARED, object_repr=label, old=old)
        return
    comment = entry.comment.strip()
    new = {"value": entry.value, "comment": comment, "submitted": submitted_at is not None}
    if old == new:
        return
    if score is None:
        score = Score(juror=juror, nomination=nomination, criterion=criterion)
    score.value, score.comment, score.submitted_at = entry.value, comment, submitted_at
    score.save()
    action = Action.SCORE_SUBMITTED if submitted_at else Action.SCORE_SAVED
    _audit(award_year=award_year, actor=juror, action=action, object_repr=label, old=old, new=new)


# --- the round ---------------------------------------------------------------------------


def scoring_open(*, award_year: AwardYear, actor: User | None) -> AwardYear:
    with transaction.atomic():
        award_year = _locked(award_year)
        _require_status(award_year, Status.NOMINATING)
        if not award_year.nominations.exists():
            raise AwardError(_("Nominate at least one region first."))
        if not award_year.criteria.exists():
            raise AwardError(_("The year has no scoring criteria."))
        if not award_year.jurors.exists():
            raise AwardError(_("The year has no jurors."))
        _set_status(award_year, Status.SCORING, actor)
    return award_year


def scoring_close(*, award_year: AwardYear, actor: User | None) -> AwardYear:
    """Ends scoring for everyone: drafts stay drafts and are left out of the averages."""
    with transaction.atomic():
        award_year = _locked(award_year)
        _require_status(award_year, Status.SCORING)
        award_year.scoring_closed_at = timezone.now()
        _set_status(award_year, Status.DECIDED, actor)
    return award_year


def award_year_schedule_set(
    *, award_year: AwardYear, announced_on: datetime.date | None, scoring_deadline: datetime.datetime | None,
    actor: User | None,
) -> AwardYear:
    """The chair's dates: the announcement (shown on the public page) and the jurors' deadline (the reminders
    count back from it). Both can change until publication; each change is logged old → new."""
    with transaction.atomic():
        award_year = _locked(award_year)
        _require_status(award_year, Status.PREPARING, Status.NOMINATING, Status.SCORING, Status.DECIDED)
        old = _schedule_state(award_year)
        award_year.announced_on, award_year.scoring_deadline = announced_on, scoring_deadline
        new = _schedule_state(award_year)
        if old != new:
            award_year.save(update_fields=["announced_on", "scoring_deadline", "updated_at"])
            _audit(award_year=award_year, actor=actor, action=Action.SCHEDULE_CHANGED,
                   object_repr=str(award_year.year), old=old, new=new)
    return award_year


def _schedule_state(award_year: AwardYear) -> dict[str, str]:
    deadline = award_year.scoring_deadline
    return {
        "announced_on": award_year.announced_on.isoformat() if award_year.announced_on else "",
        "scoring_deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") if deadline else "",
    }


def casting_vote_record(
    *, award_year: AwardYear, nomination: Nomination, reason: str, tied: Sequence[Nomination],
    actor: User | None,
) -> AwardYear:
    """The tie rule's last step: the chair picks one of the nominees still level at the top, with a reason."""
    reason = reason.strip()
    if not reason:
        raise AwardError(_("Write the reason for the casting vote."))
    if nomination.pk not in {n.pk for n in tied}:
        raise AwardError(_("The casting vote goes to one of the nominees that are level."))
    with transaction.atomic():
        award_year = _locked(award_year)
        _require_status(award_year, Status.DECIDED)
        old = {"region": award_year.casting_vote.region.name if award_year.casting_vote else "",
               "reason": award_year.casting_vote_reason}
        award_year.casting_vote, award_year.casting_vote_reason = nomination, reason
        award_year.save(update_fields=["casting_vote", "casting_vote_reason", "updated_at"])
        _audit(award_year=award_year, actor=actor, action=Action.CASTING_VOTE, object_repr=nomination.region.name,
               old=old, new={"region": nomination.region.name, "reason": reason})
    return award_year


def winner_record(
    *, award_year: AwardYear, nomination: Nomination, motivation_sv: str, motivation_en: str,
    actor: User | None,
) -> Nomination:
    motivation_sv, motivation_en = motivation_sv.strip(), motivation_en.strip()
    if not motivation_sv or not motivation_en:
        raise AwardError(_("Write the winning motivation in Swedish and English."))
    with transaction.atomic():
        award_year = _locked(award_year)
        _require_status(award_year, Status.DECIDED)
        if nomination.award_year_id != award_year.pk:
            raise AwardError(_("That region is not nominated this year."))
        previous = award_year.nominations.select_related("region").filter(is_winner=True).first()
        old = _winner_state(previous)
        award_year.nominations.filter(is_winner=True).exclude(pk=nomination.pk).update(
            is_winner=False, motivation_sv="", motivation_en=""
        )
        nomination = Nomination.objects.select_related("region").get(pk=nomination.pk)
        nomination.is_winner, nomination.motivation_sv, nomination.motivation_en = True, motivation_sv, motivation_en
        nomination.save(update_fields=["is_winner", "motivation_sv", "motivation_en", "updated_at"])
        new = _winner_state(nomination)
        if old != new:
            _audit(award_year=award_year, actor=actor, action=Action.WINNER_RECORDED,
                   object_repr=nomination.region.name, old=old, new=new)
    return nomination


def _winner_state(nomination: Nomination | None) -> dict[str, str] | None:
    if nomination is None:
        return None
    return {"region": nomination.region.name, "motivation_sv": nomination.motivation_sv,
            "motivation_en": nomination.motivation_en}


def award_year_publish(*, award_year: AwardYear, actor: User | None) -> AwardYear:
    with transaction.atomic():
        award_year = _locked(award_year)
        _require_status(award_year, Status.DECIDED)
        if not award_year.nominations.filter(is_winner=True).exists():
            raise AwardError(_("Record the winner and the motivation before publishing."))
        award_year.published_at = timezone.now()
        if award_year.announced_on is None:
            # The public page dates the result; without a planned announcement date, that is today.
            award_year.announced_on = timezone.localdate()
            award_year.save(update_fields=["announced_on"])
        _set_status(award_year, Status.PUBLISHED, actor)
        _audit(award_year=award_year, actor=actor, action=Action.PUBLISHED, object_repr=str(award_year.year))
    return award_year


# --- reminders ---------------------------------------------------------------------------

# Days before the scoring deadline on which a juror who has not submitted everything is reminded.
REMINDER_DAYS = (7, 1)


def jury_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail each juror of an open round who has not submitted every nominee, once per reminder: the
    latest reminder that is due (a missed earlier one is not sent late). Returns the number of e-mails sent.
    A juror without an e-mail address is skipped and stays due."""
    from awards.selectors import jurors_with_open_work

    now = now or timezone.now()
    sent = 0
    years = AwardYear.objects.filter(status=Status.SCORING, scoring_deadline__gt=now)
    for award_year in years:
        deadline = award_year.scoring_deadline
        assert deadline is not None  # the filter above
        due = [days for days in REMINDER_DAYS if now >= deadline - datetime.timedelta(days=days)]
        if not due:
            continue
        for juror in jurors_with_open_work(award_year=award_year):
            if juror.email and _remind(award_year, juror, min(due)):
                sent += 1
    return sent


def _remind(award_year: AwardYear, juror: User, days_before: int) -> bool:
    """Record and send in one transaction: a failed send leaves no record, so the next run tries again;
    the unique record keeps a second run (or a second beat) from sending it twice."""
    try:
        with transaction.atomic():
            _, created = JurorReminder.objects.get_or_create(
                award_year=award_year, juror=juror, days_before=days_before
            )
            if created:
                subject, body = _reminder_text(award_year, juror)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [juror.email])
    except IntegrityError:
        return False  # recorded by a concurrent run
    return created


def _reminder_text(award_year: AwardYear, juror: User) -> tuple[str, str]:
    url = settings.SITE_URL.rstrip("/") + reverse("awards:year", kwargs={"year": award_year.year})
    with translation.override(settings.LANGUAGE_CODE):
        deadline = date_format(timezone.localtime(award_year.scoring_deadline), "j F Y H:i")
        subject = _("Export Region of the Year %(year)s: your scores are due by %(deadline)s") % {
            "year": award_year.year, "deadline": deadline}
        body = _(
            "Hello %(name)s,\n\nYou have not yet submitted your scores for every nominee of Export Region of "
            "the Year %(year)s. The round closes %(deadline)s.\n\nScore and submit here: %(url)s\n"
        ) % {"name": juror.get_username(), "year": award_year.year, "deadline": deadline, "url": url}
    return subject, body
