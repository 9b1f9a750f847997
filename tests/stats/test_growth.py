"""stats.growth: change and rank over a period from a Dataset, the one definition the API and pages share."""

import pytest

from stats.datasets import dataset_of_rows
from stats.growth import growth_rows, ranked_count


def _data(rows):
    return dataset_of_rows((code, year, value, flag) for code, year, value, flag in rows)


def test_counties_are_ranked_by_change_ties_share_the_better_rank_and_sweden_comes_last():
    data = _data([
        ("01", 2016, 100.0, "given"), ("01", 2021, 150.0, "given"),
        ("03", 2016, 200.0, "given"), ("03", 2021, 300.0, "given"),  # +50 %, as 01
        ("04", 2016, 100.0, "given"), ("04", 2021, 90.0, "given"),
        ("05", 2016, 0.0, "zero"), ("05", 2021, 10.0, "given"),  # from zero: no per cent
        ("06", 2016, None, "confidential"), ("06", 2021, 10.0, "given"),
        ("00", 2016, 1000.0, "given"), ("00", 2021, 1100.0, "given"),
    ])
    rows = growth_rows(data, start=2016, end=2021, counties=["06", "05", "04", "03", "01", "07"])
    assert [(r.region, r.rank) for r in rows] == [
        ("01", 1), ("03", 1), ("04", 3), ("05", None), ("06", None), ("07", None), ("00", None)]
    assert rows[0].change == 50.0 and rows[0].change_pct == 50.0
    assert rows[3].change == 10.0 and rows[3].change_pct is None  # a change, but no per cent from zero
    assert rows[4].start is None and rows[4].start_flag == "confidential" and rows[4].change is None
    assert rows[-1].change_pct == pytest.approx(10.0) and ranked_count(rows) == 3


def test_rounding_keeps_the_ranks_of_the_exact_values():
    data = _data([("01", 2016, 3.0, None), ("01", 2021, 4.0, None), ("03", 2016, 3.0, None),
                  ("03", 2021, 3.9999999, None), ("00", 2016, 1.0, None), ("00", 2021, 1.0, None)])
    rows = growth_rows(data, start=2016, end=2021, counties=["01", "03"], decimals=1)
    assert [(r.region, r.rank, r.change_pct) for r in rows] == [("01", 1, 33.33), ("03", 2, 33.33), ("00", None, 0.0)]
