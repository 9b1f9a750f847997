"""Reads for the award pages: the suggested shortlist, the jury's own work, who has submitted, the
aggregated scores and the audit log. Each names its query budget; none grows with the data."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from fractions import Fraction

from django.contrib.auth.models import User
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy

from awards.models import AuditEntry, AwardYear, ConflictDeclaration, Criterion, Nomination, Score
from awards.statistics import StatisticsBasis, period_ranking
from stats.formatting import as_number, format_number, format_percent

SHORTLIST_SIZE = 3
# How awards.statistics.rank_counties orders counties with the same mean rank, as the shortlist page states it.
SHORTLIST_TIE_RULE = gettext_lazy(
    "Counties with the same mean rank are ordered by their rank on the growth of the goods export value (the "
    "prize's headline figure), then by their rank on the SMEs' growth per inhabitant. Level on all three, they "
    "stand side by side and you choose."
)

# --- the suggested shortlist ----------------------------------------------------------------

# Stored in both languages on a nomination when an admin accepts the suggestion, so these are content
# templates (like the statements themselves), not interface strings: both are needed at once.
SENTENCE = {
    "sv": (
        "{name} {goods} {year_from}–{year_to} (plats {goods_rank} av {n} län). De små och medelstora "
        "företagens varuexport per invånare {sme} (plats {sme_rank}), och {participating} företag deltog i "
        "regional exportsamverkan {year_to} (plats {participating_rank})."
    ),
    "en": (
        "{name} {goods} in {year_from}–{year_to} (rank {goods_rank} of {n} counties). Small and medium-sized "
        "firms' goods export per inhabitant {sme} (rank {sme_rank}), and {participating} firms took part in "
        "regional export collaboration in {year_to} (rank {participating_rank})."
    ),
}
# (rise, fall, no figure) for each measure and language; the per cent is printed without its sign.
GOODS_PHRASES = {
    "sv": ("ökade sitt varuexportvärde med {p}", "minskade sitt varuexportvärde med {p}",
           "saknar uppgift om varuexportvärdet"),
    "en": ("increased its goods export value by {p}", "saw its goods export value fall by {p}",
           "has no figure for its goods export value"),
}
SME_PHRASES = {
    "sv": ("ökade med {p}", "minskade med {p}", "saknar uppgift"),
    "en": ("rose by {p}", "fell by {p}", "has no figure"),
}


def _change_phrase(value: float | None, phrases: tuple[str, str, str], lang: str) -> str:
    if value is None:
        return phrases[2]
    text = format_percent(abs(value), 1, lang, signed=False)
    return (phrases[0] if value >= 0 else phrases[1]).format(p=text)


@dataclass(frozen=True)
class SuggestionRow:
    code: str
    name: str
    rank: int
    goods_start: float | None
    goods_end: float | None
    goods_pct: float | None
    goods_rank: int | None
    sme_start: float | None
    sme_end: float | None
    sme_pct: float | None
    sme_rank: int | None
    participating: float | None
    participating_rank: int | None
    composite: float
    sentence_sv: str = ""
    sentence_en: str = ""
    # Other counties with the same mean rank (the tie rule ordered them; see SHORTLIST_TIE_RULE).
    tied_with: tuple[str, ...] = ()

    def sentence(self, lang: str) -> str:
        return self.sentence_sv if lang == "sv" else self.sentence_en


@dataclass(frozen=True)
class Suggestion:
    year_from: int
    year_to: int
    rows: list[SuggestionRow]  # every county, best first
    national: SuggestionRow | None

    @property
    def top(self) -> list[SuggestionRow]:
        return self.rows[:SHORTLIST_SIZE]

    @property
    def top_codes(self) -> list[str]:
        return [row.code for row in self.top]


def _rank(value: object) -> int | None:
    number = as_number(value)
    return None if number is None else int(number)


def _sentence(row: dict, lang: str, *, year_from: int, year_to: int, n: int) -> str:
    def rank(key: str) -> str:
        return "–" if row[key] is None else str(row[key])

    return SENTENCE[lang].format(
        name=row["name"], year_from=year_from, year_to=year_to, n=n,
        goods=_change_phrase(row["goods_pct"], GOODS_PHRASES[lang], lang), goods_rank=rank("goods_rank"),
        sme=_change_phrase(row["sme_pct"], SME_PHRASES[lang], lang), sme_rank=rank("sme_rank"),
        participating=format_number(row["participating"], 0, lang), participating_rank=rank("participating_rank"),
    )


def _suggestion_row(record: dict, *, year_from: int, year_to: int, n: int) -> SuggestionRow:
    row = {
        "code": record["region"], "name": record["name"], "rank": _rank(record.get("composite_rank")) or 0,
        "goods_start": as_number(record["goods_start"]), "goods_end": as_number(record["goods_end"]),
        "goods_pct": as_number(record["goods_pct"]), "goods_rank": _rank(record.get("goods_pct_rank")),
        "sme_start": as_number(record["sme_start"]), "sme_end": as_number(record["sme_end"]),
        "sme_pct": as_number(record["sme_pct"]), "sme_rank": _rank(record.get("sme_pct_rank")),
        "participating": as_number(record["participating"]),
        "participating_rank": _rank(record.get("participating_rank")),
        "composite": as_number(record.get("composite")) or 0.0,
    }
    texts = {lang: _sentence(row, lang, year_from=year_from, year_to=year_to, n=n) for lang in ("sv", "en")}
    return SuggestionRow(**row, sentence_sv=texts["sv"], sentence_en=texts["en"])


def shortlist_suggestion(
    *, award_year: AwardYear, basis: StatisticsBasis | None = None, generation: int | None = None
) -> Suggestion | None:
    """All 21 counties ranked on the statistical criteria over the year's period; the top three proposed.
    None when there are no statistics for the period. At most six queries (three when cached)."""
    frame = period_ranking(year_from=award_year.period_from, year_to=award_year.period_to, basis=basis,
                           generation=generation)
    if frame is None:
        return None
    counties = frame[frame["composite_rank"].notna()]
    n = len(counties)
    kwargs = {"year_from": award_year.period_from, "year_to": award_year.period_to, "n": n}
    rows = _mark_ties([_suggestion_row(r, **kwargs) for r in counties.to_dict("records")])
    national = [_suggestion_row(r, **kwargs) for r in frame[frame["composite_rank"].isna()].to_dict("records")]
    return Suggestion(award_year.period_from, award_year.period_to, rows, national[0] if national else None)


def _mark_ties(rows: list[SuggestionRow]) -> list[SuggestionRow]:
    """Name, on each row, the other counties with the same mean rank (sums of three whole ranks: exact)."""
    by_composite: dict[float, list[str]] = defaultdict(list)
    for row in rows:
        by_composite[row.composite].append(row.name)
    return [
        replace(row, tied_with=tuple(n for n in by_composite[row.composite] if n != row.name)) for row in rows
    ]


# --- award years ---------------------------------------------------------------------------


def published_years() -> QuerySet[AwardYear]:
    """The public list: published years with their nominations and regions (three queries)."""
    return AwardYear.objects.filter(status=AwardYear.Status.PUBLISHED).prefetch_related(
        _nominations_prefetch()
    )


def _nominations_prefetch():
    from django.db.models import Prefetch

    return Prefetch("nominations", queryset=Nomination.objects.select_related("region"))


def years_for_insider(user: User, *, is_admin: bool) -> QuerySet[AwardYear]:
    """Unpublished years this user may open: all for statistics admins, else the years they judge or chair."""
    years = AwardYear.objects.exclude(status=AwardYear.Status.PUBLISHED)
    if not is_admin:
        years = years.filter(Q(jurors=user) | Q(chair=user)).distinct()
    return years


# --- the jury workspace ---------------------------------------------------------------------


@dataclass
class NomineeWork:
    """One juror's own standing on one nominee: conflict, and their scores per criterion id."""

    nomination: Nomination
    conflict: ConflictDeclaration | None = None
    scores: dict[int, Score] = field(default_factory=dict)

    @property
    def submitted(self) -> bool:
        return bool(self.scores) and all(s.submitted_at is not None for s in self.scores.values())

    @property
    def state(self) -> str:
        if self.conflict is not None:
            return "conflict"
        if not self.scores:
            return "not_started"
        return "submitted" if self.submitted else "draft"


def juror_work(*, award_year: AwardYear, juror: User, nominations: list[Nomination]) -> list[NomineeWork]:
    """The juror's OWN conflicts and scores only (two queries): never another juror's."""
    work = {n.pk: NomineeWork(n) for n in nominations}
    for conflict in ConflictDeclaration.objects.filter(juror=juror, nomination__award_year=award_year):
        work[conflict.nomination_id].conflict = conflict
    for score in Score.objects.filter(juror=juror, nomination__award_year=award_year):
        work[score.nomination_id].scores[score.criterion_id] = score
    return list(work.values())


@dataclass(frozen=True)
class SubmissionRow:
    juror_name: str
    states: list[str]  # per nomination: conflict / submitted / draft / not_started

    @property
    def done(self) -> bool:
        return all(s in ("conflict", "submitted") for s in self.states)


def _juror_states(award_year: AwardYear, nominations: list[Nomination]) -> list[tuple[User, list[str]]]:
    """Each juror with their state per nomination (conflict / submitted / draft / not_started). Three queries."""
    jurors = list(award_year.jurors.order_by("username"))
    conflicts = set(
        ConflictDeclaration.objects.filter(nomination__award_year=award_year).values_list("juror_id", "nomination_id")
    )
    states: dict[tuple[int, int], set[bool]] = defaultdict(set)
    for juror_id, nomination_id, submitted_at in Score.objects.filter(nomination__award_year=award_year).values_list(
        "juror_id", "nomination_id", "submitted_at"
    ):
        states[(juror_id, nomination_id)].add(submitted_at is not None)
    return [(juror, [_state(juror.pk, n.pk, conflicts, states) for n in nominations]) for juror in jurors]


def _state(juror_id: int, nomination_id: int, conflicts: set, states: dict) -> str:
    if (juror_id, nomination_id) in conflicts:
        return "conflict"
    seen = states.get((juror_id, nomination_id))
    if not seen:
        return "not_started"
    return "submitted" if seen == {True} else "draft"


def submission_overview(*, award_year: AwardYear, nominations: list[Nomination]) -> list[SubmissionRow]:
    """Who has submitted what nominee, never the values (three queries)."""
    return [SubmissionRow(juror.get_username(), states) for juror, states in _juror_states(award_year, nominations)]


def jurors_with_open_work(*, award_year: AwardYear) -> list[User]:
    """The jurors who have not submitted every nominee they have no conflict with (four queries)."""
    nominations = list(award_year.nominations.all())
    return [juror for juror, states in _juror_states(award_year, nominations)
            if not SubmissionRow("", states).done]


def open_round_for(user: User) -> AwardYear | None:
    """The open scoring round in which this juror still has a nominee to submit, or None. One query for a
    user who judges no open round, four per open round they judge."""
    if not user.is_authenticated:
        return None
    for award_year in AwardYear.objects.filter(status=AwardYear.Status.SCORING, jurors=user).order_by("year"):
        nominations = award_year.nominations.count()
        done = (
            Score.objects.filter(nomination__award_year=award_year, juror=user)
            .values("nomination_id").annotate(n=Count("id"), submitted=Count("submitted_at"))
            .filter(n=F("submitted")).count()
            + ConflictDeclaration.objects.filter(nomination__award_year=award_year, juror=user).count()
        )
        if done < nominations:
            return award_year
    return None


# --- aggregated scores (only once the round is closed) -------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    values: list[int]
    comments: list[tuple[str, str]]  # (juror, comment)

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.values) if self.values else None

    @property
    def exact_mean(self) -> Fraction | None:
        return Fraction(sum(self.values), len(self.values)) if self.values else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def minimum(self) -> int | None:
        return min(self.values) if self.values else None

    @property
    def maximum(self) -> int | None:
        return max(self.values) if self.values else None

    @property
    def stdev(self) -> float | None:
        """Population standard deviation: the spread of this jury's marks, not an estimate of anything."""
        return statistics.pstdev(self.values) if self.values else None


@dataclass(frozen=True)
class NomineeResult:
    nomination: Nomination
    criteria: list[CriterionResult]
    jurors_counted: list[str]
    conflicted: list[str]
    drafts_left_out: int

    @property
    def weighted_mean(self) -> float | None:
        """Σ weight × criterion mean / Σ weight over the criteria that have at least one submitted score."""
        exact = self.exact_weighted_mean
        return None if exact is None else float(exact)

    @property
    def exact_weighted_mean(self) -> Fraction | None:
        """As `weighted_mean`, exactly: two nominees tie only when these are equal (no float noise)."""
        return _weighted(self.criteria)

    @property
    def exact_heaviest_mean(self) -> Fraction | None:
        """The weighted mean over the criteria with the highest weight only: the tie rule's second step."""
        if not self.criteria:
            return None
        heaviest = max(r.criterion.weight for r in self.criteria)
        return _weighted([r for r in self.criteria if r.criterion.weight == heaviest])


def _weighted(criteria: list[CriterionResult]) -> Fraction | None:
    scored = [(Fraction(r.criterion.weight), r.exact_mean) for r in criteria if r.exact_mean is not None]
    total = sum(w for w, _ in scored)
    return sum(w * m for w, m in scored) / total if total else None


def score_results(*, award_year: AwardYear) -> list[NomineeResult]:
    """Weighted averages, spread and comments per nominee and criterion, best first. Submitted scores of
    current jurors without a declared conflict count; drafts and conflicted jurors are left out. Five queries."""
    nominations = list(award_year.nominations.select_related("region"))
    criteria = list(award_year.criteria.all())
    juror_ids = set(award_year.jurors.values_list("pk", flat=True))
    conflicts = _conflicted_names(award_year)
    scores = list(
        Score.objects.filter(nomination__award_year=award_year).select_related("juror").order_by("juror__username")
    )
    results = [_nominee_result(n, criteria, scores, juror_ids, conflicts.get(n.pk, {})) for n in nominations]
    return sorted(results, key=lambda r: (r.weighted_mean is None, -(r.weighted_mean or 0), r.nomination.order))


def _conflicted_names(award_year: AwardYear) -> dict[int, dict[int, str]]:
    out: dict[int, dict[int, str]] = defaultdict(dict)
    rows = ConflictDeclaration.objects.filter(nomination__award_year=award_year).values_list(
        "nomination_id", "juror_id", "juror__username"
    )
    for nomination_id, juror_id, username in rows:
        out[nomination_id][juror_id] = username
    return out


def _nominee_result(
    nomination: Nomination, criteria: list[Criterion], scores: list[Score], juror_ids: set[int],
    conflicted: dict[int, str],
) -> NomineeResult:
    mine = [s for s in scores if s.nomination_id == nomination.pk]
    counted = [s for s in mine if s.submitted_at and s.juror_id in juror_ids and s.juror_id not in conflicted]
    per_criterion = [
        CriterionResult(
            c,
            [s.value for s in counted if s.criterion_id == c.pk],
            [(s.juror.get_username(), s.comment) for s in counted if s.criterion_id == c.pk and s.comment],
        )
        for c in criteria
    ]
    names = sorted({s.juror.get_username() for s in counted})
    drafts = sum(1 for s in mine if s.submitted_at is None and s.juror_id not in conflicted)
    return NomineeResult(nomination, per_criterion, names, sorted(conflicted.values()), drafts)


# --- audit log ------------------------------------------------------------------------------


def audit_entries(*, award_year: AwardYear) -> QuerySet[AuditEntry]:
    return award_year.audit_entries.order_by("-at", "-id")


DECISION_ACTIONS = (
    AuditEntry.Action.STATUS_CHANGED, AuditEntry.Action.SCHEDULE_CHANGED, AuditEntry.Action.CASTING_VOTE,
    AuditEntry.Action.WINNER_RECORDED, AuditEntry.Action.PUBLISHED,
)


def decision_entries(*, award_year: AwardYear) -> list[AuditEntry]:
    """The steps of the decision (closing, dates, casting vote, winner, publication), newest first. One query."""
    return list(award_year.audit_entries.filter(action__in=DECISION_ACTIONS).order_by("-at", "-id"))


def conflicts_with_reasons(*, award_year: AwardYear) -> list[ConflictDeclaration]:
    """Every declared conflict of interest with its juror and nominee (one query)."""
    return list(
        ConflictDeclaration.objects.filter(nomination__award_year=award_year)
        .select_related("juror", "nomination__region").order_by("nomination__order", "juror__username")
    )


def export_scores(*, award_year: AwardYear) -> list[Score]:
    """Every score with its juror, nominee and criterion (one query), for the closed round's export."""
    return list(
        Score.objects.filter(nomination__award_year=award_year)
        .select_related("juror", "nomination__region", "criterion")
        .order_by("nomination__order", "criterion__order", "juror__username")
    )

