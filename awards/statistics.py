"""The statistical side of the prize: all 21 counties ranked over an award year's period, read through
stats.selectors (a fixed number of queries, cached under the statistics' generation).

Pure pandas below `period_ranking`; the ORM is only touched through stats.selectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from regions.data import COUNTRY_CODE
from stats import selectors as stats_selectors
from stats.formatting import as_number
from stats.growth import change_pct
from stats.models import Indicator, Source
from stats.selectors import SeriesQuery, region_names

GOODS = "goods_export_msek"
PER_CAPITA = "goods_export_per_capita_sek"
PARTICIPATING = "participating_firms"
INDICATOR_CODES = (GOODS, PER_CAPITA, PARTICIPATING)


@dataclass(frozen=True)
class StatisticsBasis:
    indicators: dict[str, Indicator]
    source: Source


def statistics_basis() -> StatisticsBasis | None:
    """The indicators and the default source; None before the reference data exists. Two queries."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=INDICATOR_CODES)}
    source = Source.objects.filter(is_default=True).first()
    if source is None or len(indicators) != len(INDICATOR_CODES):
        return None
    return StatisticsBasis(indicators, source)


def _values(basis: StatisticsBasis, code: str, firm_size: str, years: tuple[int, ...]) -> pd.DataFrame:
    """Every region (Sweden included) × the given years, one query; a missing value stays NaN."""
    q = SeriesQuery(basis.indicators[code], basis.source, firm_size, "", None, min(years), max(years))
    frame = stats_selectors.series_frame(q, include_country=True)
    frame = frame[frame["year"].isin(years)]
    wide = frame.pivot_table(index="region", columns="year", values="value", aggfunc="first")
    return wide.reindex(index=list(region_names()), columns=list(years))


def _growth(basis: StatisticsBasis, code: str, firm_size: str, year_from: int, year_to: int) -> pd.DataFrame:
    """Start, end and change in per cent, computed from the stored (unrounded) values."""
    wide = _values(basis, code, firm_size, (year_from, year_to))
    start, end = wide[year_from], wide[year_to]
    change = [change_pct(as_number(s), as_number(e)) for s, e in zip(start.tolist(), end.tolist(), strict=True)]
    return pd.DataFrame({"start": start, "end": end, "change_pct": pd.Series(change, index=wide.index, dtype="float64")})


def _level(basis: StatisticsBasis, code: str, year: int) -> pd.Series:
    return _values(basis, code, "all", (year,))[year]


def _compute_ranking(basis: StatisticsBasis, year_from: int, year_to: int) -> pd.DataFrame:
    goods = _growth(basis, GOODS, "all", year_from, year_to)
    sme = _growth(basis, PER_CAPITA, "sme", year_from, year_to)
    names = pd.Series(region_names())
    frame = pd.DataFrame(
        {
            "name": names.reindex(goods.index),
            "goods_start": goods["start"], "goods_end": goods["end"], "goods_pct": goods["change_pct"],
            "sme_start": sme["start"], "sme_end": sme["end"], "sme_pct": sme["change_pct"],
        }
    )
    frame["participating"] = _level(basis, PARTICIPATING, year_to).reindex(frame.index)
    return rank_counties(frame.rename_axis("region").reset_index())


def rank_counties(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank the counties on each measure (1 = best) and on the mean of those ranks; a county missing a
    measure ranks below every county that has it. Sweden's row stays, unranked, last."""
    counties = frame[frame["region"] != COUNTRY_CODE].copy()
    worst = len(counties) + 1
    for measure in ("goods_pct", "sme_pct", "participating"):
        counties[f"{measure}_rank"] = counties[measure].rank(ascending=False, method="min")
    rank_columns = ["goods_pct_rank", "sme_pct_rank", "participating_rank"]
    counties["composite"] = counties[rank_columns].fillna(worst).mean(axis=1)
    # The tie rule (SHORTLIST_TIE_RULE): ties on the composite go to the larger export growth, the prize's
    # headline figure, then to the SMEs' growth per inhabitant; the county code only keeps the order stable.
    counties = counties.sort_values(["composite", "goods_pct_rank", "sme_pct_rank", "region"], na_position="last")
    counties["composite_rank"] = range(1, len(counties) + 1)
    national = frame[frame["region"] == COUNTRY_CODE]
    return pd.concat([counties, national], ignore_index=True)


def period_ranking(
    *, year_from: int, year_to: int, basis: StatisticsBasis | None = None, generation: int | None = None
) -> pd.DataFrame | None:
    """One row per county (ranked) and Sweden: goods export value growth, SMEs' goods export per inhabitant
    growth, participating firms at the period's end. Three statistics queries, cached under the statistics'
    generation (pass `basis` and `generation` when the caller has them: two queries fewer); None without data."""
    basis = basis or statistics_basis()
    if basis is None:
        return None
    frame = stats_selectors.cached(
        "award-ranking", f"{basis.source.slug}|{year_from}|{year_to}",
        lambda: _compute_ranking(basis, year_from, year_to), generation=generation,
    )
    if frame["goods_pct"].notna().sum() == 0 and frame["sme_pct"].notna().sum() == 0:
        return None
    return frame
