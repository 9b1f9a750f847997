"""Django admin for the statistics: import batches are read-only here (uploads, confirmations, retries
and reverts go through /imports/, which keeps the ledger consistent); a failed task's error shows in
the list and on the batch."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from stats.models import ImportBatch, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "publisher", "is_default")
    search_fields = ("slug", "name", "publisher")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "original_name", "source", "status", "progress", "new_count", "revised_count",
                    "unchanged_count", "short_error", "attempts", "uploaded_by", "created_at")
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

    @admin.display(description=_("error"))
    def short_error(self, obj: ImportBatch) -> str:
        return Truncator(obj.error).chars(120)

    @admin.display(description=_("batch page"))
    def batch_page(self, obj: ImportBatch) -> str:
        url = reverse("stats:import_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, url)

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

