"""Thin views: look the year up with the viewer's role, check, call one service or page builder, answer.

Outside an unpublished year's jury and the statistics admins the year does not exist (404); an anonymous
visitor is sent to log in instead, for existing and non-existing years alike, so nothing leaks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from awards import exports, pages, permissions, selectors, services
from awards.forms import (
    COMMENT_MAX,
    CastingVoteForm,
    ConflictForm,
    NominationForm,
    ScheduleForm,
    ScoreForm,
    ShortlistForm,
    WinnerForm,
)
from awards.models import SCORE_MAX, SCORE_MIN, AwardYear, Criterion, Nomination
from awards.permissions import AwardRole
from exportregion.permissions import is_statistics_admin

View = Callable[..., HttpResponse]


class _LoginNeeded(Exception):
    pass


class _NotPublished(_LoginNeeded):
    """An anonymous visitor asked for a year that has no public page (unpublished, or none at all)."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


def _award_view(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _NotPublished as refused:
            # The same answer for an unpublished and a non-existing year, so nothing leaks; 404: no public page.
            return render(request, "awards/not_published.html", {"year": refused.year,
                                                                 "next": request.get_full_path()}, status=404)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    return wrapper


class JuryLoginView(LoginView):
    """The site's login: a juror with a round waiting for them lands in it (unless `next` says otherwise)."""

    def get_default_redirect_url(self) -> str:
        award_year = selectors.open_round_for(_user(self.request))
        return _year_url(award_year) if award_year else super().get_default_redirect_url()


def _user(request: HttpRequest) -> User:
    """The logged-in user of a view whose role check (_get_year_for_user, _require) let it through."""
    user = request.user
    assert isinstance(user, User), "a role check lets only logged-in users through"
    return user


def _lang(request: HttpRequest) -> str:
    return "sv" if (getattr(request, "LANGUAGE_CODE", "sv") or "sv").startswith("sv") else "en"


# Outside these, a lookup would overflow the database's integer columns (a 500 on PostgreSQL).
YEAR_RANGE = range(1000, 10000)
PK_MAX = 2**63 - 1


def _get_year_for_user(
    request: HttpRequest, year: int | str, *, public_page: bool = False
) -> tuple[AwardYear, AwardRole]:
    """`public_page`: the year's own URL, which an anonymous visitor may have been given: it says the year is
    not published yet (for any year, existing or not) rather than asking for a login."""
    award_year = AwardYear.objects.filter(year=int(year)).first() if int(year) in YEAR_RANGE else None
    if award_year is not None:
        role = permissions.award_role(request.user, award_year)
        if permissions.can_view(role, award_year):
            return award_year, role
    if not request.user.is_authenticated:
        raise _NotPublished(int(year)) if public_page and int(year) in YEAR_RANGE else _LoginNeeded
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


def _year_url(award_year: AwardYear, anchor: str = "", *, open_pk: int | None = None) -> str:
    query = f"?open={open_pk}" if open_pk else ""
    return reverse("awards:year", kwargs={"year": award_year.year}) + query + (f"#{anchor}" if anchor else "")


def _open_param(request: HttpRequest) -> int | None:
    """`?open=<nomination id>`: the nominee whose form is open; anything else is ignored."""
    raw = request.GET.get("open", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


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
    award_year, role = _get_year_for_user(request, year, public_page=True)
    context = pages.year_page_context(award_year=award_year, role=role, user=request.user, lang=_lang(request),
                                      open_pk=_open_param(request))
    template = "awards/year_public.html" if award_year.is_published else "awards/workspace.html"
    if context.get("can_schedule"):
        context["schedule_form"] = _schedule_form(award_year)
    return render(request, template, context)


def _schedule_form(award_year: AwardYear) -> ScheduleForm:
    deadline = award_year.scoring_deadline
    return ScheduleForm(initial={"announced_on": award_year.announced_on,
                                 "scoring_deadline": timezone.localtime(deadline) if deadline else None})


@require_safe
@_award_view
def award_results(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_see_results(role, award_year))
    context = pages.results_context(award_year=award_year, role=role, lang=_lang(request))
    if context["can_schedule"]:
        context["schedule_form"] = _schedule_form(award_year)
    if context["can_decide"] and context["ranking"].top_level:
        initial = {"nomination": award_year.casting_vote, "reason": award_year.casting_vote_reason}
        context["casting_form"] = CastingVoteForm(initial=initial, nominations=award_year.nominations.filter(
            pk__in=[r.nomination.pk for r in context["ranking"].top_level]).select_related("region"))
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
            award_year=award_year, region_codes=form.cleaned_data["regions"], actor=_user(request),
            statements=statements), _("The nominees are saved. Write or check each statement of reasons."))
        if done:
            return redirect(_year_url(award_year, "nominees"))
    return render(request, "awards/shortlist.html", {
        "award_year": award_year, "suggestion": suggestion, "form": form, "lang": _lang(request),
        "editable": award_year.nominations_editable, "tie_rule": selectors.SHORTLIST_TIE_RULE,
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
        if _run(request, lambda: services.nomination_update(nomination=nomination, actor=_user(request),
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
        _run(request, lambda: services.conflict_withdraw(nomination=nomination, juror=_user(request)),
             _("Your declaration of a conflict of interest is withdrawn."))
    else:
        _run(request, lambda: services.conflict_declare(nomination=nomination, juror=_user(request),
                                                        reason=form.cleaned_data["reason"]),
             _("Your conflict of interest is declared: you do not score %(region)s.") % {"region": nomination.region.name})
    return redirect(_year_url(award_year, f"work-{nomination.pk}"))


@require_POST
@_award_view
def score(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_score(role))
    nomination = _get_nomination(award_year, pk)
    criteria = list(award_year.criteria.all())
    form = ScoreForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _score_refused(request, award_year, role, nomination, criteria, _(
            "Each score is a whole number from 1 to 5, each comment at most 2 000 characters."))
    submit, entries = form.cleaned_data["submit"], form.entries()
    missing = [c for c in criteria if entries[c.pk].value is None]
    try:
        # An incomplete submission is kept as a draft: nothing the juror entered is lost.
        services.scores_save(nomination=nomination, juror=_user(request), entries=entries,
                             submit=submit and not missing)
    except services.AwardError as exc:
        return _score_refused(request, award_year, role, nomination, criteria, str(exc))
    if submit and missing:
        return _score_refused(request, award_year, role, nomination, criteria, _(
            "Not submitted yet: %(missing)s of %(total)s criteria have no score (%(names)s). What you entered "
            "is saved as a draft; score the rest and submit again.") % {
            "missing": len(missing), "total": len(criteria),
            "names": ", ".join(c.name(_lang(request)) for c in missing)})
    region = nomination.region.name
    if not submit:
        messages.success(request, _("Your scores for %(region)s are saved as a draft.") % {"region": region})
        return redirect(_year_url(award_year, f"work-{nomination.pk}", open_pk=nomination.pk))
    messages.success(request, _("Your scores for %(region)s are submitted.") % {"region": region})
    work = selectors.juror_work(award_year=award_year, juror=_user(request),
                                nominations=list(award_year.nominations.select_related("region")))
    following = pages.next_to_score(work, nomination.pk)
    if following is None:
        return redirect(_year_url(award_year, "progress"))
    return redirect(_year_url(award_year, f"work-{following}", open_pk=following))


def _posted_score(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and SCORE_MIN <= int(raw) <= SCORE_MAX else None


def _score_refused(
    request: HttpRequest, award_year: AwardYear, role: permissions.AwardRole, nomination: Nomination,
    criteria: list[Criterion], error: str,
) -> HttpResponse:
    """The workspace again, this nominee's form open with what the juror entered and the error beside it
    (the form's action carries the panel's anchor, so the browser scrolls to it). Outside an open round
    there is no form to show it beside: the error becomes a message on the year's page."""
    if award_year.status != AwardYear.Status.SCORING:
        messages.error(request, error)
        return redirect(_year_url(award_year))
    refused = pages.ScoreFormState(
        nomination.pk, error,
        values={c.pk: _posted_score(request.POST.get(f"value_{c.pk}", "")) for c in criteria},
        comments={c.pk: request.POST.get(f"comment_{c.pk}", "")[:COMMENT_MAX] for c in criteria},
    )
    context = pages.year_page_context(award_year=award_year, role=role, user=request.user, lang=_lang(request),
                                      refused=refused)
    return render(request, "awards/workspace.html", context)


# --- the round: open, close, decide, publish ----------------------------------------------


@require_POST
@_award_view
def open_scoring(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_open_scoring(role))
    _run(request, lambda: services.scoring_open(award_year=award_year, actor=_user(request)),
         _("Scoring is open: the jurors can now score the nominees."))
    return redirect(_year_url(award_year))


@require_POST
@_award_view
def close_scoring(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_decide(role))
    if _run(request, lambda: services.scoring_close(award_year=award_year, actor=_user(request)),
            _("The round is closed. The results are below.")):
        return redirect("awards:results", year=award_year.year)
    return redirect(_year_url(award_year))


@require_POST
@_award_view
def schedule(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_decide(role))
    form = ScheduleForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.award_year_schedule_set(award_year=award_year, actor=_user(request),
                                                               **form.cleaned_data),
             _("The dates are saved."))
    else:
        messages.error(request, _("Give the dates as a calendar date and a time."))
    back = request.POST.get("back", "")
    if back == "results" and award_year.is_scoring_closed:
        return redirect("awards:results", year=award_year.year)
    return redirect(_year_url(award_year, "schedule"))


@require_POST
@_award_view
def casting_vote(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_decide(role))
    tied = [r.nomination for r in pages.ranking_for(award_year).top_level]
    form = CastingVoteForm(request.POST, nominations=award_year.nominations.select_related("region"))
    if form.is_valid():
        _run(request, lambda: services.casting_vote_record(award_year=award_year, tied=tied, actor=_user(request),
                                                           **form.cleaned_data),
             _("The casting vote and its reason are recorded."))
    else:
        messages.error(request, _("Choose one of the level nominees and write the reason."))
    return redirect(reverse("awards:results", kwargs={"year": award_year.year}) + "#tie")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _decision_record(request: HttpRequest, year: int) -> dict:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_see_results(role, award_year))
    return pages.decision_record_context(award_year=award_year, lang=_lang(request))


@require_safe
@_award_view
def decision_record(request: HttpRequest, year: int) -> HttpResponse:
    return render(request, "awards/decision.html", _decision_record(request, year))


@require_safe
@_award_view
def decision_record_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    record = _decision_record(request, year)
    return _download(exports.decision_xlsx(record), XLSX, f"exportregion-{record['award_year'].year}-decision.xlsx")


@require_POST
@_award_view
def record_winner(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_decide(role))
    form = WinnerForm(request.POST, nominations=award_year.nominations.select_related("region"))
    if form.is_valid() and pages.ranking_for(award_year).needs_casting_vote:
        messages.error(request, _("The top nominees are level: record the chair's casting vote first (tie rule)."))
    elif form.is_valid():
        _run(request, lambda: services.winner_record(award_year=award_year, actor=_user(request), **form.cleaned_data),
             _("The winner and the motivation are recorded. Publish when you are ready."))
    else:
        messages.error(request, _("Choose the winner and write the motivation in Swedish and English."))
    return redirect("awards:results", year=award_year.year)


@require_POST
@_award_view
def publish(request: HttpRequest, year: int) -> HttpResponse:
    award_year, role = _get_year_for_user(request, year)
    _require(request, permissions.can_decide(role))
    if _run(request, lambda: services.award_year_publish(award_year=award_year, actor=_user(request)),
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
    name = f"exportregion-{award_year.year}-audit.{fmt}"
    if fmt == "csv":
        return _download(exports.audit_csv(award_year, rows), "text/csv; charset=utf-8", name)
    return _download(exports.audit_xlsx(award_year, rows, scores, _lang(request)), XLSX, name)
