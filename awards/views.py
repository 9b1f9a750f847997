"""Thin views: look the year up with the viewer's role, check, call one service or page builder, answer.

Outside an unpublished year's jury and the statistics admins the year does not exist (404); an anonymous
visitor is sent to log in instead, for existing and non-existing years alike, so nothing leaks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from awards import exports, pages, permissions, selectors, services
from awards.forms import ConflictForm, NominationForm, ScoreForm, ShortlistForm, WinnerForm
from awards.models import AwardYear, Nomination
from awards.permissions import AwardRole
from exportregion.permissions import is_statistics_admin

View = Callable[..., HttpResponse]


class _LoginNeeded(Exception):
    pass


def _award_view(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    return wrapper


def _lang(request: HttpRequest) -> str:
    return "sv" if (getattr(request, "LANGUAGE_CODE", "sv") or "sv").startswith("sv") else "en"


# Outside these, a lookup would overflow the database's integer columns (a 500 on PostgreSQL).
YEAR_RANGE = range(1000, 10000)
PK_MAX = 2**63 - 1


def _get_year_for_user(request: HttpRequest, year: int | str) -> tuple[AwardYear, AwardRole]:
    award_year = AwardYear.objects.filter(year=int(year)).first() if int(year) in YEAR_RANGE else None
    if award_year is not None:
        role = permissions.award_role(request.user, award_year)
        if permissions.can_view(role, award_year):
            return award_year, role
    if not request.user.is_authenticated:
        raise _LoginNeeded
    raise Http404(_("No such award year."))


def _require(request: HttpRequest, allowed: bool) -> None:
    if not allowed:
        if not request.user.is_authenticated:
            raise _LoginNeeded
        raise PermissionDenied


def _get_nomination(award_year: AwardYear, pk: int) -> Nomination:
    if pk > PK_MAX:
        raise Http404
    return get_object_or_404(Nomination.objects.select_related("region", "award_year"), pk=pk, award_year=award_year)


def _posted(request: HttpRequest):
    """The POST data, even when empty (`request.POST or None` would leave an empty submission unbound)."""
    return request.POST if request.method == "POST" else None


def _year_url(award_year: AwardYear, anchor: str = "") -> str:
    return reverse("awards:year", kwargs={"year": award_year.year}) + (f"#{anchor}" if anchor else "")


def _run(request: HttpRequest, service: Callable[[], object], done: str) -> bool:
    """Call a service; its refusal becomes a message, never an error page."""
    try:
        service()
    except services.AwardError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, done)
    return True


# --- public and jury pages -----------------------------------------------------------------


@require_safe
def award_index(request: HttpRequest) -> HttpResponse:
    context: dict = {"years": selectors.published_years()}
    if request.user.is_authenticated:
        is_admin = is_statistics_admin(request.user)
        context["own_years"] = selectors.years_for_insider(request.user, is_admin=is_admin)
    return render(request, "awards/index.html", context)


@require_safe
@_award_view
def award_year_detail(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    context = pages.year_page_context(award_year=award_year, role=role, user=request.user, lang=_lang(request))
    template = "awards/year_public.html" if award_year.is_published else "awards/workspace.html"
    return render(request, template, context)


@require_safe
@_award_view
def award_results(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_see_results(role, award_year))
    context = pages.results_context(award_year=award_year, role=role, lang=_lang(request))
    if context["can_decide"]:
        winner = context["winner"]
        initial = {"nomination": winner, "motivation_sv": winner.motivation_sv, "motivation_en": winner.motivation_en} if winner else {}
        context["winner_form"] = WinnerForm(initial=initial, nominations=award_year.nominations.select_related("region"))
    return render(request, "awards/results.html", context)


# --- statistics admins: the shortlist and the statements -----------------------------------


@require_http_methods(["GET", "POST"])
@_award_view
def shortlist(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_manage_nominations(role))
    suggestion = selectors.shortlist_suggestion(award_year=award_year)
    current = list(award_year.nominations.values_list("region__code", flat=True))
    initial = current or (suggestion.top_codes if suggestion else [])
    form = ShortlistForm(_posted(request), initial={"regions": initial})
    if request.method == "POST" and form.is_valid():
        statements = {r.code: (r.sentence_sv, r.sentence_en) for r in suggestion.rows} if suggestion else {}
        done = _run(request, lambda: services.nominations_set(
            award_year=award_year, region_codes=form.cleaned_data["regions"], actor=request.user,
            statements=statements), _("The nominees are saved. Write or check each statement of reasons."))
        if done:
            return redirect(_year_url(award_year, "nominees"))
    return render(request, "awards/shortlist.html", {
        "award_year": award_year, "suggestion": suggestion, "form": form, "lang": _lang(request),
        "editable": award_year.nominations_editable,
    })


@require_http_methods(["GET", "POST"])
@_award_view
def nomination_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_manage_nominations(role))
    nomination = _get_nomination(award_year, pk)
    initial = {"statement_sv": nomination.statement_sv, "statement_en": nomination.statement_en}
    form = NominationForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        if _run(request, lambda: services.nomination_update(nomination=nomination, actor=request.user,
                                                            **form.cleaned_data),
                _("The statement of reasons is saved.")):
            return redirect(_year_url(award_year, f"nominee-{nomination.pk}"))
    return render(request, "awards/nomination_edit.html",
                  {"award_year": award_year, "nomination": nomination, "form": form})


# --- jurors: conflicts and scores ----------------------------------------------------------


@require_POST
@_award_view
def conflict(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_declare_conflict(role))
    nomination = _get_nomination(award_year, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason is too long."))
    elif form.cleaned_data["withdraw"]:
        _run(request, lambda: services.conflict_withdraw(nomination=nomination, juror=request.user),
             _("Your declaration of a conflict of interest is withdrawn."))
    else:
        _run(request, lambda: services.conflict_declare(nomination=nomination, juror=request.user,
                                                        reason=form.cleaned_data["reason"]),
             _("Your conflict of interest is declared: you do not score %(region)s.") % {"region": nomination.region.name})
    return redirect(_year_url(award_year, f"work-{nomination.pk}"))


@require_POST
@_award_view
def score(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_score(role))
    nomination = _get_nomination(award_year, pk)
    form = ScoreForm(request.POST, criteria=list(award_year.criteria.all()))
    if not form.is_valid():
        messages.error(request, _("Each score is a whole number from 1 to 5, each comment at most 2 000 characters."))
        return redirect(_year_url(award_year, f"work-{nomination.pk}"))
    submit = form.cleaned_data["submit"]
    done = (_("Your scores for %(region)s are submitted.") if submit
            else _("Your scores for %(region)s are saved as a draft.")) % {"region": nomination.region.name}
    _run(request, lambda: services.scores_save(nomination=nomination, juror=request.user, entries=form.entries(),
                                               submit=submit), done)
    return redirect(_year_url(award_year, f"work-{nomination.pk}"))


# --- the round: open, close, decide, publish ----------------------------------------------


@require_POST
@_award_view
def open_scoring(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_open_scoring(role))
    _run(request, lambda: services.scoring_open(award_year=award_year, actor=request.user),
         _("Scoring is open: the jurors can now score the nominees."))
    return redirect(_year_url(award_year))


@require_POST
@_award_view
def close_scoring(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_decide(role))
    if _run(request, lambda: services.scoring_close(award_year=award_year, actor=request.user),
            _("The round is closed. The results are below.")):
        return redirect("awards:results", year=award_year.year)
    return redirect(_year_url(award_year))


@require_POST
@_award_view
def record_winner(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_decide(role))
    form = WinnerForm(request.POST, nominations=award_year.nominations.select_related("region"))
    if form.is_valid():
        _run(request, lambda: services.winner_record(award_year=award_year, actor=request.user, **form.cleaned_data),
             _("The winner and the motivation are recorded. Publish when you are ready."))
    else:
        messages.error(request, _("Choose the winner and write the motivation in Swedish and English."))
    return redirect("awards:results", year=award_year.year)


@require_POST
@_award_view
def publish(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_decide(role))
    if _run(request, lambda: services.award_year_publish(award_year=award_year, actor=request.user),
            _("Published: the award page is now public.")):
        return redirect(_year_url(award_year))
    return redirect("awards:results", year=award_year.year)


# --- audit log -----------------------------------------------------------------------------


def _audit_data(award_year: AwardYear) -> tuple[list[exports.AuditRow], list | None]:
    reveal = permissions.score_values_visible(award_year)
    rows = exports.audit_rows(selectors.audit_entries(award_year=award_year), reveal_scores=reveal)
    return rows, selectors.export_scores(award_year=award_year) if reveal else None


@require_safe
@_award_view
def audit_log(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_read_audit(role))
    rows, _scores = _audit_data(award_year)
    return render(request, "awards/audit.html", {"award_year": award_year, "rows": rows,
                                                 "sealed": not permissions.score_values_visible(award_year)})


@require_safe
@_award_view
def audit_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_read_audit(role))
    rows, scores = _audit_data(award_year)
    name = f"exportregion-{award_year.year}-audit"
    if fmt == "csv":
        response = HttpResponse(exports.audit_csv(rows, scores, _lang(request)), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.audit_xlsx(award_year, rows, scores, _lang(request)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
