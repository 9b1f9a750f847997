from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from exportregion.permissions import is_statistics_admin
from regions.selectors import region_names
from stats import import_batches
from stats.batch_page import STATUS_EXPLANATIONS, Names, revision_rows, revisions_table, summary_rows
from stats.forms import IndicatorChoiceForm, UploadForm
from stats.labels import current_lang
from stats.models import ImportBatch, Indicator
from stats.tables import csv_response


def _require_admin(request: HttpRequest) -> None:
    if not is_statistics_admin(request.user):
        raise PermissionDenied


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = import_batches.import_batch_create(
            content=data["file"].read(),
            original_name=data["file"].name,
            source=data["source"],
            user=request.user,
            indicator=data["indicator"],
            firm_size=data["firm_size"],
            sheet=data["sheet"],
            language=request.LANGUAGE_CODE[:2],
        )
        messages.success(request, _("The file is stored and queued; it is checked in the background."))
        return redirect("stats:import_detail", batch_id=batch.pk)
    batches = ImportBatch.objects.select_related("source", "uploaded_by")
    page = Paginator(batches, 25).get_page(request.GET.get("page"))
    status = 400 if form.is_bound else 200  # a refused upload is a bad request, with the form telling why
    return render(request, "stats/imports.html", {"form": form, "page": page}, status=status)


def _names() -> Names:
    return Names(regions=region_names(), indicators={i.code: i for i in Indicator.objects.all()}, lang=current_lang())


@login_required
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require_admin(request)
    batch = get_object_or_404(ImportBatch.objects.select_related("source", "uploaded_by"), pk=batch_id)
    same_file = ImportBatch.objects.filter(sha256=batch.sha256, pk__lt=batch.pk).order_by("-pk").first()
    names = _names()
    needs_indicator = batch.status == ImportBatch.Status.REJECTED and any(
        p.get("code") == "wide_without_indicator" for p in batch.problems
    )
    context = {
        "batch": batch,
        "status_explanation": STATUS_EXPLANATIONS.get(batch.status, ""),
        "same_file": same_file,
        "revisions": revision_rows(batch.revisions, names),
        "by_indicator": summary_rows(batch.summary, "indicator", names, source_slug=batch.source.slug),
        "by_region": summary_rows(batch.summary, "region", names),
        "becomes_missing": sum(int(row.get("missing", 0)) for row in batch.summary),
        "indicator_form": IndicatorChoiceForm() if needs_indicator else None,
        "problems": [p for p in batch.problems if not (needs_indicator and p.get("code") == "wide_without_indicator")],
    }
    return render(request, "stats/import_detail.html", context)


@login_required
def import_revisions_csv(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Every value the batch revises or revised, not only the first ones the page lists."""
    _require_admin(request)
    batch = get_object_or_404(ImportBatch.objects.select_related("source"), pk=batch_id)
    table = revisions_table(import_batches.import_batch_revisions(batch), _names(), batch_id=batch.pk,
                            file_name=batch.original_name)
    return csv_response(table)


@login_required
def import_status(request: HttpRequest, batch_id: int) -> JsonResponse:
    _require_admin(request)
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    return JsonResponse({"status": batch.status, "progress": batch.progress, "finished": batch.is_finished})


ACTIONS = {
    "confirm": (import_batches.import_batch_confirm, gettext_lazy("The import is confirmed and loading.")),
    "discard": (import_batches.import_batch_discard, gettext_lazy("The import is discarded; nothing was changed.")),
    "retry": (import_batches.import_batch_retry, gettext_lazy("The import is queued again.")),
    "cancel": (import_batches.import_batch_cancel, gettext_lazy("The import is cancelled; nothing of it was stored.")),
}


def _revert(request: HttpRequest, batch_id: int) -> None:
    try:
        import_batches.import_batch_revert(batch_id=batch_id)
        messages.success(request, _("The import is reverted: the values before it are restored."))
    except import_batches.RevertRefused as exc:
        if exc.later is not None:
            messages.error(request, _("Batch %(later)s revised values of this import: revert batch %(later)s first.")
                           % {"later": exc.later})
        else:
            messages.error(request, _("Only a finished import can be reverted."))


def _choose_indicator(request: HttpRequest, batch_id: int) -> None:
    form = IndicatorChoiceForm(request.POST)
    if form.is_valid() and import_batches.import_batch_retry_with_indicator(
        batch_id=batch_id, indicator=form.cleaned_data["indicator"]
    ):
        messages.success(request, _("The file is read again with the chosen indicator."))
    else:
        messages.error(request, _("Choose one of the indicators in the list."))


@login_required
@require_POST
def import_action(request: HttpRequest, batch_id: int, action: str) -> HttpResponse:
    _require_admin(request)
    get_object_or_404(ImportBatch, pk=batch_id)
    if action == "revert":
        _revert(request, batch_id)
    elif action == "indicator":
        _choose_indicator(request, batch_id)
    elif action in ACTIONS:
        service, done_message = ACTIONS[action]
        if service(batch_id=batch_id):
            messages.success(request, done_message)
        else:
            messages.error(request, _("That is not possible in the batch's current state."))
    else:
        raise PermissionDenied
    return redirect("stats:import_detail", batch_id=batch_id)
