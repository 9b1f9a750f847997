"""awards.selectors: the suggested shortlist from the statistics, who has submitted, and the aggregated
scores (weighted, with spread, without conflicted jurors or drafts)."""

import math

import pytest

from awards import selectors, services
from awards.models import AwardYear
from awards.statistics import rank_counties
from tests.awards.conftest import make_year, nomination, score_all

Status = AwardYear.Status


def test_the_suggestion_ranks_all_21_counties_and_proposes_three(statistics, award_year):
    suggestion = selectors.shortlist_suggestion(award_year=award_year)
    assert len(suggestion.rows) == 21
    assert [r.rank for r in suggestion.rows] == list(range(1, 22))
    assert suggestion.top_codes[0] == "25"
    assert len(suggestion.top) == 3
    norrbotten = suggestion.rows[0]
    assert norrbotten.goods_rank == 1 and norrbotten.sme_rank == 1 and norrbotten.participating_rank == 4
    assert norrbotten.goods_pct == pytest.approx((1.145**5 - 1) * 100)
    assert suggestion.national is not None and suggestion.national.code == "00"


def test_each_proposal_explains_itself_in_both_languages(statistics, award_year):
    norrbotten = selectors.shortlist_suggestion(award_year=award_year).rows[0]
    assert norrbotten.sentence_sv.startswith(
        "Norrbotten ökade sitt varuexportvärde med 96,8\u00a0% 2016–2021 (plats 1 av 21 län).")
    assert "250 företag deltog i regional exportsamverkan 2021 (plats 4)" in norrbotten.sentence_sv
    assert norrbotten.sentence_en.startswith(
        "Norrbotten increased its goods export value by 96.8% in 2016–2021 (rank 1 of 21 counties).")
    assert norrbotten.sentence("en") == norrbotten.sentence_en


@pytest.mark.parametrize(("value", "sv", "en"), [
    (12.34, "ökade med 12,3\u00a0%", "rose by 12.3%"),
    (-4.0, "minskade med 4,0\u00a0%", "fell by 4.0%"),
    (None, "saknar uppgift", "has no figure"),
])
def test_a_fall_or_a_missing_figure_reads_as_such(value, sv, en):
    assert selectors._change_phrase(value, selectors.SME_PHRASES["sv"], "sv") == sv
    assert selectors._change_phrase(value, selectors.SME_PHRASES["en"], "en") == en


def test_there_is_no_suggestion_without_statistics(db, award_year):
    assert selectors.shortlist_suggestion(award_year=award_year) is None


def test_the_suggestion_has_a_fixed_query_budget(statistics, award_year, django_assert_max_num_queries):
    # basis (2), generation (1), the three series, the region names (cached for the process afterwards).
    with django_assert_max_num_queries(7):
        selectors.shortlist_suggestion(award_year=award_year)
    with django_assert_max_num_queries(3):  # cached under the statistics' generation
        selectors.shortlist_suggestion(award_year=award_year)


def test_a_county_missing_a_measure_ranks_below_those_that_have_it():
    import pandas as pd

    frame = pd.DataFrame({
        "region": ["01", "03", "04", "00"], "name": ["A", "B", "C", "Sverige"],
        "goods_pct": [10.0, math.nan, 5.0, 7.0], "sme_pct": [1.0, 9.0, 2.0, 3.0],
        "participating": [5.0, 50.0, 10.0, 65.0],
    })
    ranked = rank_counties(frame).set_index("region")
    # 03 has no goods figure: it counts as rank 4 (below all three) there, 1 and 1 elsewhere.
    assert ranked.loc["03", "composite"] == pytest.approx(2.0)
    assert ranked.loc["04", "composite"] == pytest.approx(2.0)
    assert ranked.loc["01", "composite"] == pytest.approx(7 / 3)
    # A tie goes to the larger export growth; Sweden is kept, unranked, last.
    assert list(ranked.index) == ["04", "03", "01", "00"]
    assert math.isnan(ranked.loc["00", "composite_rank"])


def test_submission_overview_shows_states_not_values(award_year, juror, juror2):
    score_all(award_year, juror, 4)
    services.conflict_declare(nomination=nomination(award_year, "13"), juror=juror2)
    nominations = list(award_year.nominations.select_related("region"))
    rows = selectors.submission_overview(award_year=award_year, nominations=nominations)
    by_name = {r.juror_name: r for r in rows}
    assert by_name["jo-juror"].states == ["submitted"] * 3 and by_name["jo-juror"].done
    assert by_name["jane-juror"].states == ["not_started", "conflict", "not_started"]
    assert not by_name["jane-juror"].done
    assert not hasattr(rows[0], "values")


def test_results_average_weigh_and_spread(award_year, juror, juror2, chair):
    score_all(award_year, juror, {"25": 5, "13": 2, "12": 3}, comment="c1")
    score_all(award_year, juror2, {"25": 3, "13": 4, "12": 3})
    first = award_year.criteria.order_by("order").first()
    first.weight = 3
    first.save()
    # juror2 gives Skåne a 5 on the heavy criterion only.
    award_year.nominations.get(region__code="12").scores.filter(juror=juror2, criterion=first).update(value=5)
    results = {r.nomination.region.code: r for r in selectors.score_results(award_year=award_year)}
    norrbotten = results["25"]
    assert norrbotten.criteria[0].mean == 4 and norrbotten.criteria[0].stdev == 1
    assert (norrbotten.criteria[0].minimum, norrbotten.criteria[0].maximum) == (3, 5)
    assert norrbotten.weighted_mean == pytest.approx(4)
    assert results["12"].weighted_mean == pytest.approx((3 * 4 + 4 * 3) / 7)
    assert norrbotten.criteria[0].comments == [("jo-juror", "c1")]
    assert norrbotten.jurors_counted == ["jane-juror", "jo-juror"]


def test_results_leave_out_conflicted_jurors_and_drafts(award_year, juror, juror2):
    score_all(award_year, juror, 5)
    score_all(award_year, juror2, 1, submitted=False)
    services.conflict_declare(nomination=nomination(award_year, "25"), juror=juror)
    results = {r.nomination.region.code: r for r in selectors.score_results(award_year=award_year)}
    assert results["25"].weighted_mean is None and results["25"].conflicted == ["jo-juror"]
    assert results["25"].drafts_left_out == 5
    assert results["13"].weighted_mean == 5 and results["13"].jurors_counted == ["jo-juror"]
    assert list(results)[-1] == "25"  # a nominee without counted scores comes last


def test_results_ignore_scores_of_a_juror_removed_from_the_jury(award_year, juror, juror2):
    score_all(award_year, juror, 5)
    score_all(award_year, juror2, 1)
    award_year.jurors.remove(juror2)
    results = selectors.score_results(award_year=award_year)
    assert all(r.weighted_mean == 5 for r in results)


def test_results_have_a_fixed_query_budget(award_year, juror, juror2, django_assert_num_queries):
    score_all(award_year, juror, 5)
    score_all(award_year, juror2, 3)
    with django_assert_num_queries(5):
        selectors.score_results(award_year=award_year)


def test_insiders_see_their_unpublished_years_only(db, juror, other_juror, chair):
    mine = make_year(2024, jurors=(juror,), chair=chair)
    make_year(2025, jurors=(other_juror,))
    make_year(2020, status=Status.PUBLISHED, jurors=(juror,))
    assert list(selectors.years_for_insider(juror, is_admin=False)) == [mine]
    assert list(selectors.years_for_insider(chair, is_admin=False)) == [mine]
    assert len(selectors.years_for_insider(chair, is_admin=True)) == 2
