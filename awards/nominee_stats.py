"""What the award pages show of the nominees' statistics: the analyst pages' charts and figures on the
year's period, with Sweden as the reference (stats.selectors + stats.charts, cached per generation)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from awards.models import AwardYear
from awards.selectors import Suggestion, SuggestionRow, shortlist_suggestion
from awards.statistics import GOODS, PER_CAPITA, StatisticsBasis, statistics_basis
from regions.data import COUNTRY_CODE
from stats import charts
from stats import selectors as stats_selectors
from stats.formatting import format_percent
from stats.selectors import SeriesQuery, region_names


@dataclass(frozen=True)
class NomineeStatistics:
    rows: list[SuggestionRow]  # the nominees' figures, then Sweden's
    per_capita_sme: dict
    per_capita_all: dict
    goods_growth: dict
    source_name: str
    goods_unit: str
    per_capita_unit: str
    growth_caption: str


def _lines(basis: StatisticsBasis, codes: tuple[str, ...], firm_size: str, award_year: AwardYear, lang: str) -> dict:
    indicator = basis.indicators[PER_CAPITA]
    q = SeriesQuery(indicator, basis.source, firm_size, "", codes, award_year.period_from, award_year.period_to)
    frame = stats_selectors.series_frame(q, include_country=True)
    frame["series"] = frame["name"]
    unit = indicator.unit_sv if lang == "sv" else indicator.unit_en
    reference = region_names()[COUNTRY_CODE]
    return charts.lines_over_years(frame, y_title=unit, unit=unit, lang=lang, reference=reference)


def _growth_bars(rows: list[SuggestionRow], codes: tuple[str, ...], lang: str) -> dict:
    frame = pd.DataFrame(
        {"region": [r.code for r in rows], "name": [r.name for r in rows], "change_pct": [r.goods_pct for r in rows]},
        dtype=object,
    )
    frame["change_pct"] = pd.to_numeric(frame["change_pct"])
    # The nominees stand out by their own colours and a label, never by a colour meaning "nominated".
    marks = {code: _("nominated") for code in codes}
    return charts.growth_bars(frame, x_title=_("Change in goods export value, %"), lang=lang, highlight=codes,
                              marks=marks)


def nominee_statistics(*, award_year: AwardYear, codes: tuple[str, ...], lang: str) -> NomineeStatistics | None:
    """The nominees' figures and three charts; None when there are no statistics for the period.
    At most eight queries (three when cached)."""
    if not codes:
        return None
    basis = statistics_basis()
    generation = stats_selectors.cache_generation()[0]
    suggestion = shortlist_suggestion(award_year=award_year, basis=basis, generation=generation) if basis else None
    if basis is None or suggestion is None:
        return None
    by_code = {row.code: row for row in suggestion.rows}
    rows = [by_code[c] for c in codes if c in by_code]
    if suggestion.national is not None:
        rows.append(suggestion.national)
    key = f"{award_year.period_from}|{award_year.period_to}|{','.join(codes)}|{lang}"

    def compute() -> tuple[dict, dict]:
        return _lines(basis, codes, "sme", award_year, lang), _lines(basis, codes, "all", award_year, lang)

    sme, all_firms = stats_selectors.cached("award-nominee-lines", key, compute, generation=generation)
    goods, per_capita = basis.indicators[GOODS], basis.indicators[PER_CAPITA]
    return NomineeStatistics(
        rows, sme, all_firms, _growth_bars(suggestion.rows, codes, lang), basis.source.name,
        goods.unit_sv if lang == "sv" else goods.unit_en, per_capita.unit_sv if lang == "sv" else per_capita.unit_en,
        _growth_caption(suggestion, basis, lang),
    )


def _growth_caption(suggestion: Suggestion, basis: StatisticsBasis, lang: str) -> str:
    """The source, and Sweden's change as the reference the bars are read against."""
    if suggestion.national is None or suggestion.national.goods_pct is None:
        return basis.source.name
    sweden = _("%(name)s: %(change)s") % {
        "name": suggestion.national.name, "change": format_percent(suggestion.national.goods_pct, 1, lang)}
    return f"{basis.source.name} · {sweden}"
