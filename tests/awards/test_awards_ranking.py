"""The written tie rule (awards.ranking) and the score chart (awards.charts): pure, no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from awards.charts import ScoreSummary, score_bars
from awards.ranking import DecidedBy, rank_results
from awards.selectors import CriterionResult, NomineeResult


@dataclass
class _Region:
    name: str


@dataclass
class _Nomination:
    pk: int
    order: int
    region: _Region


@dataclass
class _Criterion:
    pk: int
    weight: Decimal


def _result(pk: int, name: str, marks: list[list[int]], weights: list[str]) -> NomineeResult:
    criteria = [CriterionResult(_Criterion(i, Decimal(w)), values, []) for i, (w, values) in enumerate(zip(weights, marks, strict=True))]
    return NomineeResult(_Nomination(pk, pk, _Region(name)), criteria, [], [], 0)  # type: ignore[arg-type]


def _places(ranking) -> list[tuple[int, str, str]]:
    return [(row.place, row.result.nomination.region.name, row.decided_by) for row in ranking.rows]


def test_the_weighted_average_ranks_first():
    ranking = rank_results([_result(1, "A", [[3], [3]], ["1", "1"]), _result(2, "B", [[4], [4]], ["1", "1"])])
    assert _places(ranking) == [(1, "B", DecidedBy.SCORE), (2, "A", DecidedBy.SCORE)]
    assert not ranking.needs_casting_vote and ranking.first.nomination.region.name == "B"


def test_level_on_the_average_the_heavier_criterion_decides():
    # weights 2 and 1: A = (2*4 + 1*2)/3 = 10/3, B = (2*3 + 1*4)/3 = 10/3; A is better on the heavy one.
    a = _result(1, "A", [[4], [2]], ["2", "1"])
    b = _result(2, "B", [[3], [4]], ["2", "1"])
    ranking = rank_results([b, a])
    assert _places(ranking) == [(1, "A", DecidedBy.HEAVIEST), (2, "B", DecidedBy.HEAVIEST)]
    assert ranking.rows[0].tied_with == ("B",) and not ranking.needs_casting_vote


def test_equal_weights_leave_a_top_tie_to_the_casting_vote():
    a = _result(1, "A", [[5], [3]], ["1", "1"])
    b = _result(2, "B", [[3], [5]], ["1", "1"])
    c = _result(3, "C", [[2], [2]], ["1", "1"])
    ranking = rank_results([a, b, c])
    assert ranking.needs_casting_vote and ranking.first is None
    assert [r.nomination.region.name for r in ranking.top_level] == ["A", "B"]
    assert _places(ranking) == [(1, "A", DecidedBy.SHARED), (1, "B", DecidedBy.SHARED), (3, "C", DecidedBy.SCORE)]
    decided = rank_results([a, b, c], casting_vote_id=2)
    assert _places(decided) == [(1, "B", DecidedBy.CASTING_VOTE), (2, "A", DecidedBy.CASTING_VOTE),
                                (3, "C", DecidedBy.SCORE)]
    assert decided.first.nomination.region.name == "B"


def test_a_casting_vote_for_a_nominee_outside_the_top_tie_is_ignored():
    a, b, c = (_result(1, "A", [[5]], ["1"]), _result(2, "B", [[5]], ["1"]), _result(3, "C", [[1]], ["1"]))
    assert rank_results([a, b, c], casting_vote_id=3).needs_casting_vote


def test_level_below_the_top_share_the_place():
    a, b, c = (_result(1, "A", [[5]], ["1"]), _result(2, "B", [[3]], ["1"]), _result(3, "C", [[3]], ["1"]))
    assert _places(rank_results([a, b, c])) == [(1, "A", ""), (2, "B", DecidedBy.SHARED), (2, "C", DecidedBy.SHARED)]


def test_averages_are_compared_exactly_not_as_floats():
    # Weights 0,1 and 0,2: A = (0,1×1 + 0,2×4)/0,3 and B = (0,1×3 + 0,2×3)/0,3 are both exactly 3, but in
    # floats A comes out 2,9999999999999996: a float comparison would rank B first and see no tie. Level,
    # the heavier criterion (A 4, B 3) decides.
    a = _result(1, "A", [[1], [4]], ["0.1", "0.2"])
    b = _result(2, "B", [[3], [3]], ["0.1", "0.2"])
    assert _places(rank_results([b, a])) == [(1, "A", DecidedBy.HEAVIEST), (2, "B", DecidedBy.HEAVIEST)]
    assert a.weighted_mean == b.weighted_mean == 3.0


def test_a_nominee_without_scores_comes_last_and_is_never_level_at_the_top():
    a, b = _result(1, "A", [[]], ["1"]), _result(2, "B", [[]], ["1"])
    ranking = rank_results([a, b])
    assert not ranking.top_level and ranking.rows[0].result.weighted_mean is None


ROWS = [
    ScoreSummary("Halland", "Expansion och förnyelse", 3.5, 3.5, 2, 5, 2),
    ScoreSummary("Halland", "Exportutveckling", 4.0, 4.0, 4, 4, 2),
    ScoreSummary("Norrbotten", "Expansion och förnyelse", None, None, None, None, 0),
    ScoreSummary("Norrbotten", "Exportutveckling", 4.6667, 5.0, 4, 5, 3),
]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_score_chart_is_a_valid_plotly_figure(lang):
    figure = score_bars(ROWS, nominees=["Halland", "Norrbotten"], criteria=["Expansion och förnyelse",
                                                                            "Exportutveckling"], lang=lang)
    go.Figure(figure)  # raises on anything outside plotly's schema
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    medians = [t for t in figure["data"] if t["type"] == "scatter"]
    assert [b["name"] for b in bars] == ["Halland", "Norrbotten"]
    assert bars[0]["y"] == [3.5, 4.0] and bars[0]["error_y"]["array"] == [1.5, 0.0]
    assert bars[0]["error_y"]["arrayminus"] == [1.5, 0.0]
    assert bars[1]["y"] == [None, 4.6667]  # no scores: a gap, never a zero
    assert medians[1]["y"] == [None, 5.0]
    assert bars[0]["x"] == ["Expansion och<br>förnyelse", "Exportutveckling"]


def test_the_chart_hover_reads_the_swedish_way():
    figure = score_bars(ROWS, nominees=["Norrbotten"], criteria=["Exportutveckling"], lang="sv")
    assert "medel 4,67, median 5,0, lägst–högst 4–5, poäng: 3" in figure["data"][0]["hovertext"][0]
