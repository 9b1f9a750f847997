"""What each award page shows, assembled from selectors for one viewer (their role decides what is in it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from awards import permissions, selectors
from awards.models import AwardYear, Criterion, Nomination
from awards.nominee_stats import nominee_statistics
from awards.permissions import AwardRole

Status = AwardYear.Status


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    name: str
    description: str
    value: int | None
    comment: str


@dataclass(frozen=True)
class NomineePanel:
    """One nominee in the juror's own workspace: their conflict, their form, their marks."""

    nomination: Nomination
    state: str
    conflict_reason: str | None
    rows: list[CriterionRow]


STEPS = (Status.PREPARING, Status.NOMINATING, Status.SCORING, Status.DECIDED, Status.PUBLISHED)


def _steps(award_year: AwardYear) -> list[dict]:
    current = STEPS.index(award_year.status)
    return [
        {"label": Status(s).label, "done": i < current, "current": i == current} for i, s in enumerate(STEPS)
    ]


def _nominee_cards(nominations: list[Nomination], lang: str, stats) -> list[dict]:
    figures = {row.code: row for row in stats.rows} if stats else {}
    return [
        {"nomination": n, "region": n.region, "statement": n.statement(lang), "motivation": n.motivation(lang),
         "figures": figures.get(n.region.code)}
        for n in nominations
    ]


def _panels(work: list[selectors.NomineeWork], criteria: list[Criterion], lang: str) -> list[NomineePanel]:
    panels = []
    for item in work:
        rows = [
            CriterionRow(c, c.name(lang), c.description(lang), getattr(item.scores.get(c.pk), "value", None),
                         getattr(item.scores.get(c.pk), "comment", ""))
            for c in criteria
        ]
        reason = item.conflict.reason if item.conflict else None
        panels.append(NomineePanel(item.nomination, item.state, reason, rows))
    return panels


def year_page_context(*, award_year: AwardYear, role: AwardRole, user: AbstractBaseUser, lang: str) -> dict:
    nominations = list(award_year.nominations.select_related("region"))
    criteria = list(award_year.criteria.all())
    codes = tuple(n.region.code for n in nominations)
    stats = nominee_statistics(award_year=award_year, codes=codes, lang=lang)
    context: dict = {
        "award_year": award_year, "role": role, "nominations": nominations, "stats": stats,
        "cards": _nominee_cards(nominations, lang, stats), "steps": _steps(award_year),
        "criteria": [(c, c.name(lang), c.description(lang)) for c in criteria],
        "winner": next((n for n in nominations if n.is_winner), None),
        "can_results": permissions.can_see_results(role, award_year),
        "can_audit": permissions.can_read_audit(role),
        "can_manage": permissions.can_manage_nominations(role) and award_year.status != Status.PUBLISHED,
        "can_open": permissions.can_open_scoring(role) and award_year.status == Status.NOMINATING,
        "can_close": permissions.can_decide(role) and award_year.status == Status.SCORING,
    }
    if award_year.is_published:
        return context
    if role.is_juror and award_year.status in (Status.NOMINATING, Status.SCORING):
        work = selectors.juror_work(award_year=award_year, juror=user, nominations=nominations)
        context["panels"] = _panels(work, criteria, lang)
        context["scoring_open"] = award_year.status == Status.SCORING
    if permissions.can_see_submissions(role) and award_year.status == Status.SCORING:
        context["submissions"] = selectors.submission_overview(award_year=award_year, nominations=nominations)
    return context


def results_context(*, award_year: AwardYear, role: AwardRole, lang: str) -> dict:
    results = selectors.score_results(award_year=award_year)
    return {
        "award_year": award_year, "role": role,
        "results": [
            {"result": r, "criteria": [(c, c.criterion.name(lang)) for c in r.criteria]} for r in results
        ],
        "winner": next((r.nomination for r in results if r.nomination.is_winner), None),
        "can_decide": permissions.can_decide(role) and award_year.status == Status.DECIDED,
        "can_audit": permissions.can_read_audit(role),
    }
