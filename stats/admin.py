"""Django admin for the statistics: import batches are read-only here (uploads, confirmations, retries
and reverts go through /imports/, which keeps the ledger consistent); a failed task's error shows in
the list and on the batch."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from stats import subscriptions
from stats.forms import indicator_choices
from stats.models import ImportBatch, Indicator, Source, Subscription


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Statistics sources: their names and methods appear on every chart; exactly one is the default."""

    list_display = ("name", "slug", "publisher", "is_default")
    list_display_links = ("name",)
    search_fields = ("name", "slug", "publisher")
    fields = ("name", "slug", "publisher", "method", "description", "is_default")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # every value points at its source (PROTECT): a delete could only fail


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Read-only: the indicator codes are part of the CLI, the API and the files (DESIGN.md)."""

    list_display = ("code", "name_sv", "unit_sv", "decimals")
    search_fields = ("code", "name_sv", "name_en")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    # Fits a 1 366 px screen: new and revised values and the error's start; the source is a filter, and
    # the unchanged count, progress, attempts and the rest are on the batch.
    list_display = ("id", "original_name", "status", "new_count", "revised_count", "short_error", "created")
    list_display_links = ("id", "original_name")
    list_filter = ("status", "source")
    search_fields = ("original_name", "sha256", "error")
    date_hierarchy = "created_at"
    list_select_related = ("source", "uploaded_by")
    fields = ("batch_page", "original_name", "source", "status", "progress", "error", "new_count", "revised_count",
              "unchanged_count", "rows", "attempts", "problems_table", "sha256", "size_bytes", "indicator",
              "firm_size", "sheet", "language", "auto_commit", "uploaded_by", "created_at", "updated_at",
              "started_at", "finished_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, obj: ImportBatch) -> str:
        return date_format(localtime(obj.created_at), "SHORT_DATETIME_FORMAT")  # 2026-12-03 09:02 in Swedish

    @admin.display(description=_("error"))
    def short_error(self, obj: ImportBatch) -> str:
        return Truncator(obj.error).chars(60)

    @admin.display(description=_("batch page"))
    def batch_page(self, obj: ImportBatch) -> str:
        url = reverse("stats:import_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the batch's page (preview, confirm, revert)"))

    @admin.display(description=_("problems"))
    def problems_table(self, obj: ImportBatch) -> str:
        if not obj.problems:
            return "–"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((p.get("severity", ""), "" if p.get("line") is None else p["line"], p.get("column") or "",
              p.get("message", "")) for p in obj.problems),
        )
        return format_html("<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
                           "<tbody>{}</tbody></table>", _("severity"), _("line"), _("column"), _("message"), rows)



def _from_metadata_or_indicator() -> list[tuple[str, str]]:
    return [("", "–"), *indicator_choices()]


class SubscriptionForm(forms.ModelForm):
    url = Subscription._meta.get_field("url").formfield(assume_scheme="https",
                                                        widget=forms.URLInput(attrs={"size": 100}))
    indicator = forms.ChoiceField(
        label=_("indicator"), required=False, choices=_from_metadata_or_indicator,
        help_text=_("Empty: taken from the table's metadata, as for an uploaded file."),
    )

    class Meta:
        model = Subscription
        fields = ("name", "url", "query", "indicator", "firm_size", "source", "every", "enabled", "auto_confirm")
        widgets = {"query": forms.Textarea(attrs={"rows": 8, "cols": 100, "spellcheck": "false"})}

    def clean_url(self) -> str:
        return _allowed(self.cleaned_data["url"], subscriptions.url_refusal)

    def clean_query(self) -> str:
        return _allowed(self.cleaned_data["query"], subscriptions.query_refusal)


def _allowed(value: str, refusal: Callable[[str], str | None]) -> str:
    reason = refusal(value)
    if reason:
        raise forms.ValidationError(reason)
    return value


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Table subscriptions: nothing is fetched here; "run now" queues a run for the worker."""

    form = SubscriptionForm
    list_display = ("name", "enabled", "every", "last_run_at", "last_result", "short_message", "next_run_at")
    list_filter = ("enabled", "every", "last_result", "source")
    search_fields = ("name", "url")
    actions = ("run_now",)
    readonly_fields = ("last_run_at", "last_result", "last_message", "next_run_at", "history")
    fieldsets = (
        (None, {"fields": ("name", "url", "query", "indicator", "firm_size", "source", "every", "enabled",
                           "auto_confirm")}),
        (_("runs"), {"fields": ("last_run_at", "last_result", "last_message", "next_run_at", "history")}),
    )

    @admin.display(description=_("message"))
    def short_message(self, obj: Subscription) -> str:
        return Truncator(obj.last_message).chars(60)

    @admin.display(description=_("history"))
    def history(self, obj: Subscription) -> str:
        runs = obj.runs.select_related("batch")[:20] if obj.pk else []
        if not runs:
            return "–"
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
            (date_format(localtime(run.started_at), "SHORT_DATETIME_FORMAT"), run.get_result_display() or "…",
             self._batch_link(run.batch), run.message) for run in runs))
        return format_html("<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
                           "<tbody>{}</tbody></table>", _("started at"), _("result"), _("import batch"),
                           _("message"), rows)

    @staticmethod
    def _batch_link(batch: ImportBatch | None) -> str:
        if batch is None:
            return "–"
        return format_html('<a href="{}">{} ({})</a>', reverse("stats:import_detail", args=[batch.pk]), batch.pk,
                           batch.get_status_display())

    @admin.action(description=_("Run now (in the background)"))
    def run_now(self, request, queryset) -> None:
        queued = [s.name for s in queryset if subscriptions.subscription_run_soon(subscription=s)]
        if queued:
            self.message_user(request, _("Queued: %(names)s. The result shows here when the run is done.")
                              % {"names": ", ".join(queued)}, messages.SUCCESS)
        if len(queued) < len(queryset):
            self.message_user(request, _("The task queue is unavailable; a switched-on subscription runs at the "
                                         "next check."), messages.WARNING)
