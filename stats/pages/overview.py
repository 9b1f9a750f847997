"""/: the latest year's headline figures for Sweden, the ranking and the map of goods exports per
inhabitant, the biggest movers over the last five years and the current award year."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from regions.data import COUNTRY_CODE
from regions.selectors import region_names
from stats import charts, selectors, summaries
from stats.formatting import MISSING_MARK, format_number, format_percent, format_value
from stats.models import Indicator, Source
from stats.pages import awards_adapter, labels
from stats.pages.common import chart_block
from stats.pages.common_data import PageCache, dimensions
from stats.pages.map import county_ranking, county_values, map_chart
from stats.selectors import SeriesQuery

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


def _headlines(frame: pd.DataFrame, indicators: dict[str, Indicator], year: int, lang: str) -> list[Headline]:
    out = []
    sweden = frame[(frame["region"] == COUNTRY_CODE) & (frame["firm_size"] == "all")]
    for code in HEADLINES:
        ind = indicators[code]
        series = sweden[sweden["indicator"] == code].set_index("year")["value"]
        now, before = series.get(year), series.get(year - 1)
        pct = (now / before - 1) * 100 if now is not None and before and pd.notna(before) else None
        unit = labels.indicator_unit(ind, lang)
        out.append(Headline(
            label=labels.indicator_name(ind, lang),
            # Headline figures are big: whole units read better than 1 815 592,3 mnkr.
            value=format_value(now, 0 if now is not None and abs(now) >= 10_000 else ind.decimals, unit, lang),
            change=format_percent(pct, 1, lang),
            change_text=_("%(change)s from %(year)s") % {"change": format_percent(pct, 1, lang), "year": year - 1},
            url=f"{reverse('dashboard:compare')}?indicator={code}&regions=00",
        ))
    return out


def _ranking(q: SeriesQuery, lang: str):
    counties, national = county_values(q, lang)
    name = labels.indicator_name(q.indicator, lang)
    unit = labels.indicator_unit(q.indicator, lang)
    decimals = q.indicator.decimals
    source_line = labels.source_line(q.source, q.firm_size, q.sector, lang)
    sweden = labels.region_label(COUNTRY_CODE, region_names()[COUNTRY_CODE], lang)
    figure = charts.ranking_dots(counties, unit=unit, decimals=decimals, lang=lang, x_title=f"{name} ({unit})",
                                 reference_value=national, reference_label=sweden, note=source_line)
    ranked = county_ranking(counties)
    rows = [[r.name, str(int(r.rank)) if pd.notna(r.rank) else MISSING_MARK, format_number(r.value, decimals, lang)]
            for r in ranked.itertuples()]
    valued = ranked[ranked["value"].notna()]
    summary = []
    if len(valued):
        summary.append(summaries.extremes_sentence(
            year=q.year_to, top=(valued.iloc[0]["name"], valued.iloc[0]["value"]),
            bottom=(valued.iloc[-1]["name"], valued.iloc[-1]["value"]), n=len(valued), unit=unit,
            decimals=decimals, lang=lang))
    national_text = summaries.national_sentence(national, q.year_to, unit=unit, decimals=decimals, lang=lang)
    if national_text:
        summary.append(national_text)
    chart = chart_block(id="fig-ranking", title=_("%(name)s, %(year)s: the counties ranked")
                        % {"name": name, "year": q.year_to}, source_line=source_line, figure=figure,
                        summary=summary, columns=[_("County"), _("Rank"), f"{name} ({unit})"], rows=rows,
                        kind="dots")
    chart.downloads = _downloads(f"regions={','.join(region_names())}&indicator={q.indicator.code}"
                                 f"&firm_size={q.firm_size}&source={q.source.slug}&from={q.year_to}&to={q.year_to}")
    return chart


def _downloads(query: str) -> dict[str, str]:
    return {"CSV": f"{reverse('dashboard:compare_csv')}?{query}",
            "XLSX": f"{reverse('dashboard:compare_xlsx')}?{query}"}


@dataclass(frozen=True)
class Mover:
    rank: str
    name: str
    code: str
    start: str
    end: str
    change_pct: str


def _movers(q: SeriesQuery, lang: str) -> dict:
    growth = selectors.growth_frame(q)
    counties = growth[(growth["region"] != COUNTRY_CODE) & growth["rank"].notna()]
    decimals = q.indicator.decimals

    def row(r) -> Mover:
        return Mover(str(int(r.rank)), r.name, r.region, format_number(r.start, decimals, lang),
                     format_number(r.end, decimals, lang), format_percent(r.change_pct, 1, lang))

    rising = [row(r) for r in counties.head(3).itertuples()]
    falling = [row(r) for r in counties.tail(3).iloc[::-1].itertuples()]
    unit = labels.indicator_unit(q.indicator, lang)
    name = labels.indicator_name(q.indicator, lang)
    summary = ""
    if len(counties):
        top, bottom = counties.iloc[0], counties.iloc[-1]
        summary = _("%(name)s %(from)s–%(to)s: %(top)s grew the most, %(top_pct)s; %(bottom)s the least, "
                    "%(bottom_pct)s.") % {
            "name": name, "from": q.year_from, "to": q.year_to, "top": top["name"], "bottom": bottom["name"],
            "top_pct": format_percent(top["change_pct"], 1, lang),
            "bottom_pct": format_percent(bottom["change_pct"], 1, lang)}
    national = growth[growth["region"] == COUNTRY_CODE]
    if len(national) and pd.notna(national.iloc[0]["change_pct"]):
        summary += " " + _("Sweden: %(pct)s.") % {"pct": format_percent(national.iloc[0]["change_pct"], 1, lang)}
    return {
        "title": _("Biggest movers %(from)s–%(to)s: %(name)s (%(unit)s)")
        % {"from": q.year_from, "to": q.year_to, "name": name, "unit": unit},
        "rising": rising, "falling": falling, "summary": summary, "ranked": len(counties),
        "source_line": labels.source_line(q.source, q.firm_size, q.sector, lang),
        "url": f"{reverse('dashboard:compare')}?view=growth&indicator={q.indicator.code}&firm_size={q.firm_size}"
               f"&source={q.source.slug}&from={q.year_from}&to={q.year_to}&regions="
               + ",".join(c for c in region_names() if c != COUNTRY_CODE),
    }


def overview_context(cache: PageCache) -> dict:
    lang = cache.lang

    def compute() -> dict:
        source = Source.objects.filter(is_default=True).first()
        years = dimensions(cache).years_of(source) if source else []
        if source is None or not years:
            return {"empty": True}
        latest = years[-1]
        indicators = {i.code: i for i in Indicator.objects.all()}
        frame = selectors.observations_frame(source=source, firm_sizes=("all",))
        ranked_q = SeriesQuery(indicators[RANKED], source, "all", "", None, latest, latest)
        first = max(years[0], latest - MOVER_YEARS)
        movers_q = replace(ranked_q, indicator=indicators[MOVERS], year_from=first, year_to=latest)
        map_block = map_chart(ranked_q, latest, lang)
        map_block.downloads = {}
        return {
            "empty": False,
            "year": latest,
            "headlines": _headlines(frame, indicators, latest, lang),
            "ranking": _ranking(ranked_q, lang),
            "map": map_block,
            "map_url": f"{reverse('dashboard:map')}?indicator={RANKED}&year={latest}",
            "movers": _movers(movers_q, lang),
            "source_line": labels.source_line(source, "all", "", lang),
        }

    return {**cache.get("overview", "", compute), "award": awards_adapter.current_award()}
