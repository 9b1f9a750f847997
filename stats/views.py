from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exportregion.permissions import is_statistics_admin
from stats import imports
from stats.forms import UploadForm
from stats.models import ImportBatch


def _require_admin(request: HttpRequest) -> None:
    if not is_statistics_admin(request.user):
        raise PermissionDenied


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = imports.import_batch_create(
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


@login_required
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require_admin(request)
    batch = get_object_or_404(ImportBatch.objects.select_related("source", "uploaded_by"), pk=batch_id)
    same_file = ImportBatch.objects.filter(sha256=batch.sha256, pk__lt=batch.pk).order_by("-pk").first()
    return render(request, "stats/import_detail.html", {"batch": batch, "same_file": same_file})


@login_required
def import_status(request: HttpRequest, batch_id: int) -> JsonResponse:
    _require_admin(request)
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    return JsonResponse({"status": batch.status, "progress": batch.progress, "finished": batch.is_finished})


ACTIONS = {
    "confirm": (imports.import_batch_confirm, "The import is confirmed and loading."),
    "discard": (imports.import_batch_discard, "The import is discarded; nothing was changed."),
    "retry": (imports.import_batch_retry, "The import is queued again."),
    "cancel": (imports.import_batch_cancel, "The import is cancelled; nothing of it was stored."),
}


@login_required
@require_POST
def import_action(request: HttpRequest, batch_id: int, action: str) -> HttpResponse:
    _require_admin(request)
    get_object_or_404(ImportBatch, pk=batch_id)
    if action == "revert":
        try:
            imports.import_batch_revert(batch_id=batch_id)
            messages.success(request, _("The import is reverted: the values before it are restored."))
        except imports.RevertRefused as exc:
            messages.error(request, str(exc))
    elif action in ACTIONS:
        service, done_message = ACTIONS[action]
        if service(batch_id=batch_id):
            messages.success(request, _(done_message))
        else:
            messages.error(request, _("That is not possible in the batch's current state."))
    else:
        raise PermissionDenied
    return redirect("stats:import_detail", batch_id=batch_id)
