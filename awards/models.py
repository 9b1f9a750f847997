"""Årets Exportregion: award years, criteria, nominations, jury scores, conflicts and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from regions.models import Region

SCORE_MIN, SCORE_MAX = 1, 5


def get_language_code() -> str:
    return "sv" if (get_language() or "sv").startswith("sv") else "en"


class AwardYear(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("preparing")
        NOMINATING = "nominating", _("nominating")
        SCORING = "scoring", _("scoring")
        DECIDED = "decided", _("decided")
        PUBLISHED = "published", _("published")

    year = models.PositiveSmallIntegerField(_("award year"), unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREPARING)
    period_from = models.PositiveSmallIntegerField(_("statistics from"))
    period_to = models.PositiveSmallIntegerField(_("statistics to"))
    announced_on = models.DateField(_("announcement date"), null=True, blank=True)
    jurors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="award_years_as_juror", verbose_name=_("jurors")
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="award_years_as_chair", verbose_name=_("jury chair"),
    )
    scoring_deadline = models.DateTimeField(
        _("scoring deadline"), null=True, blank=True,
        help_text=_("Jurors who have not submitted are reminded by e-mail before it."),
    )
    # The tie rule's last step: when the weighted averages and the heaviest criterion leave the top
    # nominees level, the chair's casting vote decides, with a written reason.
    casting_vote = models.ForeignKey(
        "Nomination", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("chair's casting vote"),
    )
    casting_vote_reason = models.TextField(_("reason for the casting vote"), blank=True)
    scoring_closed_at = models.DateTimeField(_("scoring closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("award year")
        verbose_name_plural = _("award years")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_from__lte=models.F("period_to")), name="award_period_order"),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_scoring_closed(self) -> bool:
        """Scores become visible to the jury (never to the public) once the chair has closed the round."""
        return self.status in (self.Status.DECIDED, self.Status.PUBLISHED)

    @property
    def nominations_editable(self) -> bool:
        return self.status in (self.Status.PREPARING, self.Status.NOMINATING)


class Criterion(models.Model):
    award_year = models.ForeignKey(
        AwardYear, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("award year")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["award_year", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.CheckConstraint(condition=models.Q(weight__gte=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return f"{self.award_year.year}: {self.name(get_language_code())}"

    def name(self, lang: str) -> str:
        return self.name_sv if lang == "sv" else self.name_en

    def description(self, lang: str) -> str:
        return self.description_sv if lang == "sv" else self.description_en


class Nomination(models.Model):
    award_year = models.ForeignKey(
        AwardYear, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("award year")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("region"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    statement_sv = models.TextField(_("statement of reasons (Swedish)"), blank=True)
    statement_en = models.TextField(_("statement of reasons (English)"), blank=True)
    is_winner = models.BooleanField(_("winner"), default=False)
    motivation_sv = models.TextField(_("winning motivation (Swedish)"), blank=True)
    motivation_en = models.TextField(_("winning motivation (English)"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["award_year", "order", "region__code"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(fields=["award_year", "region"], name="one_nomination_per_region"),
            models.UniqueConstraint(
                fields=["award_year"], condition=models.Q(is_winner=True), name="one_winner_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_year.year}: {self.region.name}"

    def statement(self, lang: str) -> str:
        return self.statement_sv if lang == "sv" else self.statement_en

    def motivation(self, lang: str) -> str:
        return self.motivation_sv if lang == "sv" else self.motivation_en


class Score(models.Model):
    """One juror's mark for one nominee on one criterion; a draft until `submitted_at` is set."""

    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_scores", verbose_name=_("juror")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="scores", verbose_name=_("nomination")
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion"))
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["nomination", "criterion__order", "juror_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["juror", "nomination", "criterion"], name="one_score_per_juror"),
            models.CheckConstraint(
                condition=models.Q(value__gte=SCORE_MIN, value__lte=SCORE_MAX), name="score_in_range"
            ),
        ]

    def __str__(self) -> str:
        # No value: the admin shows this in titles and breadcrumbs, also while the round is sealed.
        return f"{self.juror_id}/{self.nomination_id}/{self.criterion_id}"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


class ConflictDeclaration(models.Model):
    """A juror's declared conflict of interest: no scoring form, and excluded from that nominee's averages."""

    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_conflicts", verbose_name=_("juror")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("nomination")
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        ordering = ["nomination", "juror_id"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["juror", "nomination"], name="one_conflict_per_juror")]

    def __str__(self) -> str:
        return f"{self.juror_id} ⟂ {self.nomination_id}"


class AuditEntry(models.Model):
    """Append-only: who changed what, when, old → new. Written by awards.services only."""

    class Action(models.TextChoices):
        NOMINATION_ADDED = "nomination_added", _("nomination added")
        NOMINATION_REMOVED = "nomination_removed", _("nomination removed")
        NOMINATION_CHANGED = "nomination_changed", _("statement of reasons changed")
        CONFLICT_DECLARED = "conflict_declared", _("conflict of interest declared")
        CONFLICT_WITHDRAWN = "conflict_withdrawn", _("conflict of interest withdrawn")
        SCORE_SAVED = "score_saved", _("score saved as draft")
        SCORE_SUBMITTED = "score_submitted", _("score submitted")
        SCORE_CLEARED = "score_cleared", _("score cleared")
        STATUS_CHANGED = "status_changed", _("status changed")
        WINNER_RECORDED = "winner_recorded", _("winner recorded")
        PUBLISHED = "published", _("published")
        SETUP_CHANGED = "setup_changed", _("set-up changed (period, jury, criteria)")
        SCHEDULE_CHANGED = "schedule_changed", _("dates changed (deadline, announcement)")
        CASTING_VOTE = "casting_vote", _("casting vote recorded")

    SCORE_ACTIONS = (Action.SCORE_SAVED, Action.SCORE_SUBMITTED, Action.SCORE_CLEARED)

    award_year = models.ForeignKey(
        AwardYear, on_delete=models.CASCADE, related_name="audit_entries", verbose_name=_("award year")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("user")
    )
    # Kept as text so the log still reads after a user is deleted.
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    object_repr = models.CharField(_("concerns"), max_length=300)
    old = models.JSONField(_("before"), null=True, blank=True)
    new = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def is_score_change(self) -> bool:
        return self.action in self.SCORE_ACTIONS


class JurorReminder(models.Model):
    """One reminder e-mail sent to one juror: recorded so that each reminder goes out at most once."""

    award_year = models.ForeignKey(
        AwardYear, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("award year")
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="award_reminders", verbose_name=_("juror")
    )
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["award_year", "days_before", "juror_id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["award_year", "juror", "days_before"], name="one_reminder_per_juror"),
        ]

    def __str__(self) -> str:
        return f"{self.award_year.year} · {self.juror_id} · {self.days_before}"
