"""/: the latest year's headline figures for Sweden, the ranking and the map of goods exports per
inhabitant, the biggest movers over the last five years and the current award year."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from dashboard import summaries
from dashboard.awards import AwardInfo, current_award
from dashboard.blocks import ChartBlock, chart_block, describe
from dashboard.pages.map import county_ranking, county_values, map_chart
from dashboard.query import PageQuery, Period
from dashboard.reference import PageCache
from regions.data import COUNTRY_CODE
from stats import charts, labels
from stats.formatting import format_number, format_percent, format_rank, format_value
from stats.growth import GrowthRow, change_pct, growth_rows

HEADLINES = ("goods_export_msek", "services_export_msek", "goods_export_per_capita_sek", "exporting_firms")
RANKED = "goods_export_per_capita_sek"
MOVERS = "goods_export_msek"
MOVER_YEARS = 5


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    change: str
    change_text: str
    url: str


def _headlines(q: PageQuery, cache: PageCache) -> list[Headline]:
    """Sweden's latest value of each headline indicator and its change from the year before."""
    lang = cache.lang
    year = q.period.end
    out = []
    for code in HEADLINES:
        ind = cache.reference.indicators[code]
        data = cache.dataset(ind, q.source, "all", "")
        now, before = data.value(COUNTRY_CODE, year), data.value(COUNTRY_CODE, year - 1)
        pct = change_pct(before, now)
        unit = labels.indicator_unit(ind, lang)
        out.append(Headline(
            label=labels.indicator_name(ind, lang),
            # Headline figures are big: whole units read better than 1 815 592,3 mnkr.
            value=format_value(now, 0 if now is not None and abs(now) >= 10_000 else ind.decimals, unit, lang),
            change=format_percent(pct, 1, lang),
            change_text=_("%(change)s from %(year)s") % {"change": format_percent(pct, 1, lang), "year": year - 1},
            url=q.url("compare", indicator=ind, regions=(COUNTRY_CODE,)),
        ))
    return out


def _ranking(q: PageQuery, cache: PageCache) -> ChartBlock:
    lang = cache.lang
    counties, national = county_values(q, cache)
    name = labels.indicator_name(q.indicator, lang)
    unit = labels.indicator_unit(q.indicator, lang)
    decimals = q.indicator.decimals
    source_line = labels.source_line(q.source, q.firm_size, q.sector, lang)
    sweden = labels.region_label(COUNTRY_CODE, cache.reference.regions[COUNTRY_CODE].name, lang)
    figure = charts.ranking_dots(counties, unit=unit, decimals=decimals, lang=lang, x_title=f"{name} ({unit})",
                                 reference_value=national, reference_label=sweden, note=source_line)
    ranked = county_ranking(counties)
    rows = [[r.name, format_rank(r.rank), format_number(r.value, decimals, lang)]
            for r in ranked.itertuples()]
    valued = ranked[ranked["value"].notna()]
    summary = []
    if len(valued):
        summary.append(summaries.extremes_sentence(
            year=q.period.end, top=(valued.iloc[0]["name"], valued.iloc[0]["value"]),
            bottom=(valued.iloc[-1]["name"], valued.iloc[-1]["value"]), n=len(valued), unit=unit,
            decimals=decimals, lang=lang))
    national_text = summaries.national_sentence(national, q.period.end, unit=unit, decimals=decimals, lang=lang)
    if national_text:
        summary.append(national_text)
    chart = chart_block(id="fig-ranking", title=_("%(name)s, %(year)s: the counties ranked")
                        % {"name": name, "year": q.period.end}, source_line=source_line, figure=figure,
                        summary=summary, columns=[_("County"), _("Rank"), f"{name} ({unit})"], rows=rows,
                        kind="dots")
    table = {"regions": tuple(cache.reference.regions), "view": "value"}
    chart.downloads = {"CSV": q.url("compare_csv", **table), "XLSX": q.url("compare_xlsx", **table),
                       "ZIP": q.url("compare_zip", **table)}
    absent = ranked[ranked["value"].isna()]
    secret = int((absent["flag"] == "confidential").sum()) if "flag" in absent.columns else 0
    return describe(chart, source=q.source, last_import=cache.reference.last_imports.get(q.source.slug), unit=unit,
                    counts=(len(absent) - secret, secret))


@dataclass(frozen=True)
class Mover:
    rank: str
    name: str
    code: str
    start: str
    end: str
    change_pct: str


def _movers(q: PageQuery, cache: PageCache) -> dict:
    lang = cache.lang
    names = cache.reference.region_names()
    growth = growth_rows(cache.dataset(q.indicator, q.source, q.firm_size, q.sector), start=q.period.start,
                         end=q.period.end, counties=cache.reference.county_codes())
    counties = [r for r in growth if r.region != COUNTRY_CODE and r.rank is not None]
    decimals = q.indicator.decimals

    def row(r: GrowthRow) -> Mover:
        return Mover(str(r.rank), names[r.region], r.region, format_number(r.start, decimals, lang),
                     format_number(r.end, decimals, lang), format_percent(r.change_pct, 1, lang))

    rising = [row(r) for r in counties[:3]]
    falling = [row(r) for r in counties[-3:][::-1]]
    unit = labels.indicator_unit(q.indicator, lang)
    name = labels.indicator_name(q.indicator, lang)
    summary = ""
    if counties:
        top, bottom = counties[0], counties[-1]
        summary = _("%(name)s %(from)s–%(to)s: %(top)s grew the most, %(top_pct)s; %(bottom)s the least, "
                    "%(bottom_pct)s.") % {
            "name": name, "from": q.period.start, "to": q.period.end, "top": names[top.region],
            "bottom": names[bottom.region], "top_pct": format_percent(top.change_pct, 1, lang),
            "bottom_pct": format_percent(bottom.change_pct, 1, lang)}
    national = next((r for r in growth if r.region == COUNTRY_CODE), None)
    if national is not None and national.change_pct is not None:
        summary += " " + _("Sweden: %(pct)s.") % {"pct": format_percent(national.change_pct, 1, lang)}
    return {
        "title": _("Biggest movers %(from)s–%(to)s: %(name)s (%(unit)s)")
        % {"from": q.period.start, "to": q.period.end, "name": name, "unit": unit},
        "rising": rising, "falling": falling, "summary": summary, "ranked": len(counties),
        "source_line": labels.source_line(q.source, q.firm_size, q.sector, lang),
        "url": q.url("compare", view="growth"),
    }


def overview_context(cache: PageCache, published: list[AwardInfo]) -> dict:
    def compute() -> dict:
        ref = cache.reference
        source = ref.default_source
        years = ref.years_of(source) if source else []
        if source is None or not years:
            return {"empty": True}
        latest = years[-1]
        ranked_q = PageQuery(page="map", regions=tuple(ref.county_codes()), indicator=ref.indicators[RANKED],
                             firm_size="all", sector="", source=source, period=Period(latest, latest),
                             language=cache.lang)
        movers_q = replace(ranked_q, page="compare", indicator=ref.indicators[MOVERS],
                           period=Period(max(years[0], latest - MOVER_YEARS), latest))
        map_block = map_chart(ranked_q, cache)
        map_block.downloads = {}
        return {
            "empty": False,
            "year": latest,
            "headlines": _headlines(ranked_q, cache),
            "ranking": _ranking(ranked_q, cache),
            "map": map_block,
            "map_url": ranked_q.url("map"),
            "movers": _movers(movers_q, cache),
            "source_line": labels.source_line(source, "all", "", cache.lang),
        }

    return {**cache.get("overview", "", compute), "award": current_award(published)}
