"""What each award page shows, assembled from selectors for one viewer (their role decides what is in it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from awards import exports, permissions, selectors
from awards.charts import ScoreSummary, score_bars
from awards.models import AuditEntry, AwardYear, Criterion, Nomination
from awards.nominee_stats import nominee_statistics
from awards.permissions import AwardRole
from awards.ranking import DECIDED_BY_LABELS, TIE_RULE, Ranking, rank_results

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
    is_open: bool = False
    error: str = ""


@dataclass(frozen=True)
class Progress:
    submitted: int
    total: int  # the nominees this juror scores: all but those with a declared conflict
    conflicts: int

    @property
    def done(self) -> bool:
        return self.submitted == self.total


@dataclass(frozen=True)
class ScoreFormState:
    """What to show in one nominee's form after a refused submit: the error and what the juror entered."""

    nomination_id: int
    error: str
    values: Mapping[int, int | None]
    comments: Mapping[int, str]


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


def _panels(
    work: list[selectors.NomineeWork], criteria: list[Criterion], lang: str, *, open_pk: int | None,
    refused: ScoreFormState | None,
) -> list[NomineePanel]:
    """One panel per nominee; one is open: the one asked for, else the first the juror has still to submit."""
    todo = [item.nomination.pk for item in work if item.state not in ("submitted", "conflict")]
    known = {item.nomination.pk for item in work}
    current = refused.nomination_id if refused else open_pk if open_pk in known else (todo[0] if todo else None)
    panels = []
    for item in work:
        entered = refused if refused and refused.nomination_id == item.nomination.pk else None
        rows = [
            CriterionRow(
                c, c.name(lang), c.description(lang),
                entered.values.get(c.pk) if entered else getattr(item.scores.get(c.pk), "value", None),
                entered.comments.get(c.pk, "") if entered else getattr(item.scores.get(c.pk), "comment", ""),
            )
            for c in criteria
        ]
        reason = item.conflict.reason if item.conflict else None
        panels.append(NomineePanel(item.nomination, item.state, reason, rows, item.nomination.pk == current,
                                   entered.error if entered else ""))
    return panels


def _progress(work: list[selectors.NomineeWork]) -> Progress:
    conflicts = sum(item.state == "conflict" for item in work)
    submitted = sum(item.state == "submitted" for item in work)
    return Progress(submitted, len(work) - conflicts, conflicts)


def next_to_score(work: list[selectors.NomineeWork], after: int) -> int | None:
    """The next nominee (after `after`, wrapping round) that the juror has still to submit; None when done."""
    pks = [item.nomination.pk for item in work]
    start = pks.index(after) + 1 if after in pks else 0
    for item in work[start:] + work[:start]:
        if item.state not in ("submitted", "conflict"):
            return item.nomination.pk
    return None


def year_page_context(
    *, award_year: AwardYear, role: AwardRole, user: User | AnonymousUser, lang: str, open_pk: int | None = None,
    refused: ScoreFormState | None = None,
) -> dict:
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
        "can_schedule": permissions.can_decide(role) and award_year.status != Status.PUBLISHED,
    }
    if award_year.is_published:
        return context
    if role.is_juror and isinstance(user, User) and award_year.status in (Status.NOMINATING, Status.SCORING):
        work = selectors.juror_work(award_year=award_year, juror=user, nominations=nominations)
        context["panels"] = _panels(work, criteria, lang, open_pk=open_pk, refused=refused)
        context["progress"] = _progress(work)
        context["scoring_open"] = award_year.status == Status.SCORING
    if permissions.can_see_submissions(role) and award_year.status == Status.SCORING:
        context["submissions"] = selectors.submission_overview(award_year=award_year, nominations=nominations)
    return context


def score_chart(results: list[selectors.NomineeResult], lang: str) -> dict:
    summaries = [
        ScoreSummary(r.nomination.region.name, c.criterion.name(lang), c.mean, c.median, c.minimum, c.maximum, c.count)
        for r in results for c in r.criteria
    ]
    nominees = [r.nomination.region.name for r in results]
    criteria = [c.criterion.name(lang) for c in results[0].criteria] if results else []
    codes = [r.nomination.region.code for r in results]
    return score_bars(summaries, nominees=nominees, criteria=criteria, lang=lang, codes=codes)


def ranking_for(award_year: AwardYear) -> Ranking:
    """The results ordered by the written tie rule, with the chair's casting vote if one is recorded."""
    return rank_results(selectors.score_results(award_year=award_year), casting_vote_id=award_year.casting_vote_id)


def results_context(*, award_year: AwardYear, role: AwardRole, lang: str) -> dict:
    ranking = ranking_for(award_year)
    results = [row.result for row in ranking.rows]
    return {
        "award_year": award_year, "role": role, "ranking": ranking,
        "results": [
            {"row": row, "result": row.result, "criteria": [(c, c.criterion.name(lang)) for c in row.result.criteria],
             "tied_with": ", ".join(row.tied_with), "decided_by": DECIDED_BY_LABELS.get(row.decided_by, "")}
            for row in ranking.rows
        ],
        "tie_rule": TIE_RULE,
        "top_level_names": ", ".join(r.nomination.region.name for r in ranking.top_level),
        "chart": score_chart(results, lang) if results else None,
        "winner": next((r.nomination for r in results if r.nomination.is_winner), None),
        "can_decide": permissions.can_decide(role) and award_year.status == Status.DECIDED,
        "can_schedule": permissions.can_decide(role) and award_year.status != Status.PUBLISHED,
        "can_audit": permissions.can_read_audit(role),
    }


def decision_record_context(*, award_year: AwardYear, lang: str) -> dict:
    """The decision on record: nominees ranked with their scores, conflicts with reasons, the winner and
    the motivation, and who recorded, decided and published it, when."""
    ranking = ranking_for(award_year)
    nominations = [row.result.nomination for row in ranking.rows]
    entries = selectors.decision_entries(award_year=award_year)
    criteria = [c.criterion.name(lang) for c in ranking.rows[0].result.criteria] if ranking.rows else []
    return {
        "award_year": award_year, "ranking": ranking, "lang": lang, "tie_rule": TIE_RULE,
        "rows": [{"row": row, "decided_by": DECIDED_BY_LABELS.get(row.decided_by, "")} for row in ranking.rows],
        "criteria": criteria,
        # Transposed for the page: per criterion, each nominee's result in the ranking's order.
        "criterion_rows": [(name, [row.result.criteria[i] for row in ranking.rows]) for i, name in enumerate(criteria)],
        "conflicts": selectors.conflicts_with_reasons(award_year=award_year),
        "winner": next((n for n in nominations if n.is_winner), None),
        "entries": entries,
        "steps": exports.audit_rows(entries, reveal_scores=True),
        "decided": next((e for e in entries if e.action == AuditEntry.Action.WINNER_RECORDED), None),
        "published": next((e for e in entries if e.action == AuditEntry.Action.PUBLISHED), None),
    }
