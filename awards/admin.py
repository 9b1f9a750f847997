"""Django admin: set up years, criteria and juries. Scores and the audit log are read-only here: every
change to them goes through awards.services so it is audited."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models.constants import LOOKUP_SEP

from awards import services
from awards.defaults import DEFAULT_CRITERIA
from awards.models import AuditEntry, AwardYear, ConflictDeclaration, Criterion, JurorReminder, Nomination, Score

Status = AwardYear.Status


def setup_editable(award_year: AwardYear | None) -> bool:
    """Year, period and criteria are fixed once scoring opens: the scores are given against them."""
    return award_year is None or award_year.status in (Status.PREPARING, Status.NOMINATING)


def jury_editable(award_year: AwardYear | None) -> bool:
    """Jurors and chair may change (audited) until the round is closed; then the result rests on them."""
    return award_year is None or not award_year.is_scoring_closed


class CriterionInline(admin.TabularInline):
    """Editable (audited) until scoring opens; after that weights, names and the set are fixed, and
    deleting one, which would delete its scores, is impossible."""

    model = Criterion
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return setup_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return setup_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return setup_editable(obj) and super().has_delete_permission(request, obj)


class NominationInline(admin.StackedInline):
    """Read-only: nominees and statements change on the award pages, where each change is audited."""

    model = Nomination
    extra = 0
    fields = ("region", "order", "statement_sv", "statement_en", "is_winner", "motivation_sv", "motivation_en")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return setup_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AwardYear)
class AwardYearAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "period_from", "period_to", "announced_on", "chair")
    list_filter = ("status",)
    filter_horizontal = ("jurors",)
    # Status changes are the services' (they are audited and check the lifecycle).
    # The casting vote is the chair's, on the results page, where it is audited.
    readonly_fields = ("status", "casting_vote", "casting_vote_reason", "scoring_closed_at", "published_at")
    inlines = [CriterionInline, NominationInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not setup_editable(obj):
            fields += ["year", "period_from", "period_to"]
        if not jury_editable(obj):
            fields += ["jurors", "chair", "scoring_deadline"]
        if obj is not None and obj.is_published:
            fields.append("announced_on")  # the public page shows it
        return fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting a year deletes its scores and its audit log. (The bulk action asks this for each year.)
        return setup_editable(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            try:
                form.setup_before = services.award_year_setup_begin(obj)
            except services.AwardError as error:
                raise PermissionDenied(str(error)) from error
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # A new year without criteria of its own gets the five default ones.
        if not change and not form.instance.criteria.exists():
            Criterion.objects.bulk_create(
                Criterion(award_year=form.instance, order=i, **spec) for i, spec in enumerate(DEFAULT_CRITERIA, 1)
            )
        if change:
            services.award_year_setup_record(award_year=form.instance, actor=request.user, old=form.setup_before)


class ReadOnlyAdmin(admin.ModelAdmin):
    # Fields that hold score values or comments: sealed while a round is open, so the changelist must not
    # filter, search or order on them (Django allows lookups on a model's own fields by default, which
    # would let `?value=5` count the fives of an open round).
    sealed_fields: tuple[str, ...] = ()

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        if not set(self.sealed_fields).isdisjoint(lookup.split(LOOKUP_SEP)):
            return False  # the changelist answers 400
        return super().lookup_allowed(lookup, value, request)


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ("nomination", "criterion", "juror", "submitted_at")
    list_filter = ("nomination__award_year",)
    sealed_fields = ("value", "comment")

    def get_fields(self, request, obj=None):
        # The value and comment stay sealed in the admin too while the round is open.
        fields = ["nomination", "criterion", "juror", "submitted_at", "updated_at"]
        if obj is not None and obj.nomination.award_year.is_scoring_closed:
            fields[3:3] = ["value", "comment"]
        return fields


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("nomination", "juror", "declared_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "award_year", "actor_name", "action", "object_repr")
    list_filter = ("award_year", "action")
    sealed_fields = ("old", "new")
    fields = ("at", "award_year", "actor_name", "action", "object_repr")


@admin.register(JurorReminder)
class JurorReminderAdmin(ReadOnlyAdmin):
    """Which reminder e-mails went out: written by awards.services.jury_reminders_send only."""

    list_display = ("award_year", "juror", "days_before", "sent_at")
    list_filter = ("award_year",)
