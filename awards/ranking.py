"""The jury's written tie rule, applied to the results (pure: results in, ordered places out).

1. The higher weighted average of the submitted scores ranks first.
2. Level on that: the higher average on the criteria with the highest weight ranks first
   (when every criterion weighs the same, this step cannot separate anyone).
3. Still level at the top: the chair's casting vote decides, with a written reason (recorded and audited).
   Level below the top: the nominees share the place.

Averages are compared exactly (fractions), so two nominees are level only when their averages are equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from awards.selectors import NomineeResult

# The rule as the results page, the decision record and its XLSX state it.
TIE_RULE = (
    _("The higher weighted average of the submitted scores ranks first."),
    _("Level on that: the higher average on the most heavily weighted criteria ranks first."),
    _("Still level at the top: the chair's casting vote decides, with a written reason that is recorded. "
      "Level below the top: the nominees share the place."),
)
DECIDED_BY_LABELS = {
    "heaviest": _("the most heavily weighted criteria decided"),
    "casting_vote": _("the chair's casting vote decided"),
    "shared": _("shared place"),
}


class DecidedBy:
    SCORE = ""  # not level with anyone: the weighted average placed it
    HEAVIEST = "heaviest"
    CASTING_VOTE = "casting_vote"
    SHARED = "shared"


@dataclass(frozen=True)
class RankedResult:
    result: NomineeResult
    place: int
    tied_with: tuple[str, ...]  # the nominees with the same weighted average
    decided_by: str


@dataclass(frozen=True)
class Ranking:
    rows: list[RankedResult]
    top_level: list[NomineeResult]  # nominees still level at the top after steps 1 and 2 (empty when none)
    casting_vote_id: int | None  # the casting vote, when it went to one of `top_level`

    @property
    def needs_casting_vote(self) -> bool:
        return bool(self.top_level) and self.casting_vote_id is None

    @property
    def first(self) -> NomineeResult | None:
        """The nominee the rule places first; None while the casting vote is missing."""
        if not self.rows or self.needs_casting_vote:
            return None
        return self.rows[0].result


Key = tuple[bool, Fraction, Fraction]


def _key(result: NomineeResult) -> Key:
    """Higher is better; a nominee without scores comes last."""
    mean, heaviest = result.exact_weighted_mean, result.exact_heaviest_mean
    return (mean is not None, mean or Fraction(0), heaviest or Fraction(0))


def rank_results(results: list[NomineeResult], *, casting_vote_id: int | None = None) -> Ranking:
    ordered = sorted(results, key=lambda r: (_key(r), -r.nomination.order), reverse=True)
    if not ordered:
        return Ranking([], [], None)
    top = [r for r in ordered if _key(r) == _key(ordered[0])] if ordered[0].exact_weighted_mean is not None else []
    top_level = top if len(top) > 1 else []
    vote = casting_vote_id if any(r.nomination.pk == casting_vote_id for r in top_level) else None
    if vote is not None:  # the casting vote's nominee first among the level ones
        ordered.sort(key=lambda r: (_key(r), r.nomination.pk == vote, -r.nomination.order), reverse=True)
    def ahead(other: NomineeResult, result: NomineeResult) -> bool:
        if other is result:
            return False
        if _key(other) != _key(result):
            return _key(other) > _key(result)
        return vote is not None and other.nomination.pk == vote and result in top_level

    rows = [
        RankedResult(result, 1 + sum(ahead(o, result) for o in ordered), _level_names(result, ordered),
                     _decided_by(result, ordered, vote))
        for result in ordered
    ]
    return Ranking(rows, top_level, vote)


def _level_names(result: NomineeResult, ordered: list[NomineeResult]) -> tuple[str, ...]:
    mean = result.exact_weighted_mean
    if mean is None:
        return ()
    return tuple(r.nomination.region.name for r in ordered if r is not result and r.exact_weighted_mean == mean)


def _decided_by(result: NomineeResult, ordered: list[NomineeResult], vote: int | None) -> str:
    level = [r for r in ordered if r is not result and r.exact_weighted_mean is not None
             and r.exact_weighted_mean == result.exact_weighted_mean]
    if not level:
        return DecidedBy.SCORE
    if all(r.exact_heaviest_mean != result.exact_heaviest_mean for r in level):
        return DecidedBy.HEAVIEST
    same = [r for r in level if _key(r) == _key(result)]
    if vote is not None and any(r.nomination.pk == vote for r in [result, *same]):
        return DecidedBy.CASTING_VOTE
    return DecidedBy.SHARED
