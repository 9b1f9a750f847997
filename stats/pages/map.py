"""/map/: a choropleth of the 21 counties for one indicator and year, with a year stepper, a ranked
table and a text summary beside it. The county shapes are our own static GeoJSON (no request leaves
our host; plotly's topojsonURL points at our stub world map)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import pandas as pd
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from regions.data import COUNTRY_CODE
from regions.selectors import region_names
from stats import charts, selectors, summaries
from stats.formatting import MISSING_MARK, format_number
from stats.pages import labels
from stats.pages.common import ChartBlock, chart_block, for_page, parse_year
from stats.pages.common_data import PageCache, dimensions, options, sector_options
from stats.params import BadParameter, parse_series_query
from stats.selectors import SeriesQuery

DEFAULT_INDICATOR = "goods_export_per_capita_sek"
GEOJSON = "geo/lan.geojson"


@dataclass(frozen=True)
class MapState:
    query: SeriesQuery  # regions None (all counties); year_from == year_to == year
    year: int

    def params(self, **changes: str) -> dict[str, str]:
        q = self.query
        params = {"indicator": q.indicator.code, "firm_size": q.firm_size, "source": q.source.slug,
                  "year": str(self.year)}
        if q.sector:
            params["sector"] = q.sector
        params.update(changes)
        return params

    def querystring(self, **changes: str) -> str:
        return urlencode(self.params(**changes))

    def url(self, **changes: str) -> str:
        return f"{reverse('dashboard:map')}?{self.querystring(**changes)}"


def parse_map(params: Mapping[str, str], cache: PageCache) -> MapState:
    year = parse_year(params, "year")
    raw = {k: v for k, v in params.items() if k in ("indicator", "firm_size", "source", "sector")}
    q = for_page(parse_series_query(raw, default_indicator=DEFAULT_INDICATOR))
    years = dimensions(cache).years_of(q.source)
    if year is None:
        if not years:
            raise BadParameter(_("there are no statistics for this source yet"))
        year = years[-1]
    elif years and year not in years:
        raise BadParameter(_("year must be one of the years with statistics: %(first)s–%(last)s")
                           % {"first": years[0], "last": years[-1]})
    return MapState(replace(q, regions=None, year_from=year, year_to=year), year)


def county_values(q: SeriesQuery, lang: str) -> tuple[pd.DataFrame, float | None]:
    """Every county's value in the year (a missing county is a NaN row) and Sweden's. One query."""
    frame = selectors.series_frame(q, include_country=True)
    names = region_names()
    national = frame.loc[frame["region"] == COUNTRY_CODE, "value"]
    counties = pd.DataFrame({"region": [c for c in names if c != COUNTRY_CODE]})
    counties = counties.merge(frame[frame["region"] != COUNTRY_CODE].drop(columns="name"), on="region", how="left")
    counties["name"] = [names[c] for c in counties["region"]]
    value = float(national.iloc[0]) if len(national) and pd.notna(national.iloc[0]) else None
    return counties, value


def county_ranking(counties: pd.DataFrame) -> pd.DataFrame:
    out = counties.copy()
    out["rank"] = out["value"].rank(ascending=False, method="min")
    return out.sort_values(["value", "name"], ascending=[False, True], na_position="last")


def map_chart(q: SeriesQuery, year: int, lang: str, *, chart_id: str = "fig-map") -> ChartBlock:
    counties, national = county_values(q, lang)
    name = labels.indicator_name(q.indicator, lang)
    unit = labels.indicator_unit(q.indicator, lang)
    decimals = q.indicator.decimals
    source_line = labels.source_line(q.source, q.firm_size, q.sector, lang, q.indicator)
    figure = charts.county_choropleth(counties, geojson_url=static(GEOJSON), unit=unit, lang=lang,
                                      decimals=decimals, title=unit, note=source_line)
    ranked = county_ranking(counties)
    n = int(ranked["value"].notna().sum())
    rows = [[r.name, str(int(r.rank)) if pd.notna(r.rank) else MISSING_MARK,
             (_("conf.") if r.flag == "confidential" else format_number(r.value, decimals, lang))]
            for r in ranked.itertuples()]
    sweden = labels.region_label(COUNTRY_CODE, region_names()[COUNTRY_CODE], lang)
    rows.append([sweden, "", format_number(national, decimals, lang)])
    summary = []
    valued = ranked[ranked["value"].notna()]
    if len(valued):
        top, bottom = valued.iloc[0], valued.iloc[-1]
        summary.append(summaries.extremes_sentence(year=year, top=(top["name"], top["value"]),
                                                   bottom=(bottom["name"], bottom["value"]), n=n, unit=unit,
                                                   decimals=decimals, lang=lang))
    else:
        summary.append(_("There are no values for this selection."))
    national_text = summaries.national_sentence(national, year, unit=unit, decimals=decimals, lang=lang)
    if national_text:
        summary.append(national_text)
    absent = ranked[ranked["value"].isna()]
    secret = absent["flag"] == "confidential"
    summary += summaries.absent_sentences(absent.loc[secret, "name"].tolist(), absent.loc[~secret, "name"].tolist())
    return chart_block(
        id=chart_id, title=f"{name}, {year} ({unit})", source_line=source_line, figure=figure, summary=summary,
        columns=[_("County"), _("Rank"), f"{name} ({unit})"], rows=rows, kind="map",
    )


def map_context(state: MapState, cache: PageCache) -> dict:
    def compute() -> dict:
        q = state.query
        dims = dimensions(cache)
        chart = map_chart(q, state.year, cache.lang)
        chart.downloads = {
            "CSV": f"{reverse('dashboard:compare_csv')}?{_compare_query(state)}",
            "XLSX": f"{reverse('dashboard:compare_xlsx')}?{_compare_query(state)}",
        }
        years = dims.years_of(q.source)
        i = years.index(state.year) if state.year in years else -1
        return {
            "chart": chart,
            "options": options(cache),
            "sector_options": sector_options(dims, q.source),
            "years": years,
            "prev_url": state.url(year=str(years[i - 1])) if i > 0 else "",
            "next_url": state.url(year=str(years[i + 1])) if 0 <= i < len(years) - 1 else "",
            "prev_year": years[i - 1] if i > 0 else None,
            "next_year": years[i + 1] if 0 <= i < len(years) - 1 else None,
            "heading": labels.indicator_name(q.indicator, cache.lang),
        }

    return cache.get("map", state.querystring(), compute)


def _compare_query(state: MapState) -> str:
    """The map's data is the compare table of every county for the one year."""
    from regions.data import COUNTY_CODES

    q = state.query
    params = {"regions": ",".join(COUNTY_CODES + (COUNTRY_CODE,)), "indicator": q.indicator.code,
              "firm_size": q.firm_size, "source": q.source.slug, "from": str(state.year), "to": str(state.year),
              "view": "value"}
    if q.sector:
        params["sector"] = q.sector
    return urlencode(params, safe=",")
