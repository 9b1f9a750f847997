"""PURE: change over a period per region, ranked among the counties, from a Dataset (plain Python).

The one definition, shared by the API (selectors.growth_from_series) and the pages: change = end - start,
change_pct = (end / start - 1) * 100 (none when start is 0 or either end is missing), counties sorted
by change_pct descending then code, ranked with ties sharing the lower rank; Sweden last, unranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from regions.data import COUNTRY_CODE
from stats.datasets import Dataset

PERCENT_DECIMALS = 2  # change_pct in the API and the figures: 80.01, never 80.00797646374404


def change_pct(start: float | None, end: float | None) -> float | None:
    """The one definition of change in per cent: (end / start - 1) * 100; None when either end is missing
    or start is 0 (no finite change from nothing)."""
    if start is None or end is None or not start:
        return None
    return (end / start - 1.0) * 100.0


@dataclass(frozen=True)
class GrowthRow:
    region: str
    start: float | None
    end: float | None
    start_flag: str | None
    end_flag: str | None
    change: float | None
    change_pct: float | None
    rank: int | None  # among the counties with a change; None for Sweden and for a missing end


def growth_rows(data: Dataset, *, start: int, end: int, counties: Sequence[str],
                decimals: int | None = None) -> list[GrowthRow]:
    """Every county in `counties` ranked by change (a county missing either end last, unranked), then
    Sweden. With `decimals`, change is rounded to them and change_pct to PERCENT_DECIMALS, as
    /api/v1/growth reports them; the ranks are always those of the exact values."""
    exact: list[tuple[str, float | None, float | None, float | None]] = []
    for code in [*counties, COUNTRY_CODE]:
        first, last = data.value(code, start), data.value(code, end)
        exact.append((code, first, last, change_pct(first, last)))
    county_rows = [row for row in exact if row[0] != COUNTRY_CODE]
    county_rows.sort(key=lambda row: (row[3] is None, -(row[3] or 0.0), row[0]))
    ranks: dict[str, int] = {}
    previous: float | None = None
    for position, (code, _first, _last, pct) in enumerate(county_rows, start=1):
        if pct is None:
            break
        ranks[code] = ranks[county_rows[position - 2][0]] if position > 1 and pct == previous else position
        previous = pct
    national = [row for row in exact if row[0] == COUNTRY_CODE]

    def build(code: str, first: float | None, last: float | None, pct: float | None) -> GrowthRow:
        change = None if first is None or last is None else last - first
        if decimals is not None:
            change = None if change is None else round(change, decimals)
            pct = None if pct is None else round(pct, PERCENT_DECIMALS)
        return GrowthRow(code, first, last, data.flag(code, start), data.flag(code, end), change, pct,
                         ranks.get(code))

    return [build(*row) for row in county_rows + national]


def ranked_count(rows: Sequence[GrowthRow]) -> int:
    return sum(1 for row in rows if row.rank is not None)
