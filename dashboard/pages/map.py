"""/map/: a choropleth of the 21 counties for one indicator and year, with a year stepper, a ranked
table and a text summary beside it. The county shapes are our own static GeoJSON (no request leaves
our host; plotly's topojsonURL points at our stub world map)."""

from __future__ import annotations

import pandas as pd
from django.templatetags.static import static
from django.utils.translation import gettext as _

from dashboard import summaries
from dashboard.blocks import ChartBlock, chart_block, chart_title, describe
from dashboard.query import PageQuery, Period
from dashboard.reference import PageCache, options, sector_options
from regions.data import COUNTRY_CODE
from stats import charts, labels
from stats.flags import Flag
from stats.formatting import format_number, format_rank

GEOJSON = "geo/lan.geojson"


def county_values(q: PageQuery, cache: PageCache) -> tuple[pd.DataFrame, float | None]:
    """Every county's value in the period's last year (a missing county is a NaN row) and Sweden's:
    a slice of the cached data set."""
    data = cache.dataset(q.indicator, q.source, q.firm_size, q.sector)
    year = q.period.end
    names = cache.reference.region_names()
    codes = cache.reference.county_codes()
    counties = pd.DataFrame({
        "region": codes, "name": [names[c] for c in codes], "year": year,
        "value": [data.value(c, year) for c in codes], "flag": [data.flag(c, year) for c in codes],
    })
    counties["value"] = counties["value"].astype("float64")
    return counties, data.value(COUNTRY_CODE, year)


def county_ranking(counties: pd.DataFrame) -> pd.DataFrame:
    out = counties.copy()
    out["rank"] = out["value"].rank(ascending=False, method="min")
    return out.sort_values(["value", "name"], ascending=[False, True], na_position="last")


def map_chart(q: PageQuery, cache: PageCache, *, chart_id: str = "fig-map") -> ChartBlock:
    lang = cache.lang
    year = q.period.end
    counties, national = county_values(q, cache)
    name = labels.indicator_name(q.indicator, lang)
    unit = labels.indicator_unit(q.indicator, lang)
    decimals = q.indicator.decimals
    source_line = labels.source_line(q.source, q.firm_size, q.sector, lang, q.indicator)
    figure = charts.county_choropleth(counties, geojson_url=static(GEOJSON), unit=unit, lang=lang,
                                      decimals=decimals, title=unit, note=source_line)
    ranked = county_ranking(counties)
    n = int(ranked["value"].notna().sum())
    rows = [[r.name, format_rank(r.rank),
             (_("conf.") if r.flag == Flag.CONFIDENTIAL else format_number(r.value, decimals, lang))]
            for r in ranked.itertuples()]
    sweden = labels.region_label(COUNTRY_CODE, cache.reference.regions[COUNTRY_CODE].name, lang)
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
    secret = absent["flag"] == Flag.CONFIDENTIAL
    summary += summaries.absent_sentences(absent.loc[secret, "name"].tolist(), absent.loc[~secret, "name"].tolist())
    chart = chart_block(
        id=chart_id, title=chart_title(f"{name} ({unit})", _lower_first(labels.breakdown_label(
            q.firm_size, q.sector, q.indicator)), labels.method_label(q.source), str(year)),
        source_line=source_line, figure=figure, summary=summary,
        columns=[_("County"), _("Rank"), f"{name} ({unit})"], rows=rows, kind="map",
    )
    return describe(chart, source=q.source, last_import=cache.reference.last_imports.get(q.source.slug), unit=unit,
                    counts=(int((~secret).sum()), int(secret.sum())))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def map_context(q: PageQuery, cache: PageCache) -> dict:
    def compute() -> dict:
        ref = cache.reference
        chart = map_chart(q, cache)
        # The map's data is the compare table of every county and Sweden for the one year.
        table = {"regions": (*ref.county_codes(), COUNTRY_CODE), "view": "value", "embed": False}
        chart.downloads = {"CSV": q.url("compare_csv", **table), "XLSX": q.url("compare_xlsx", **table),
                           "ZIP": q.url("compare_zip", **table)}
        years = ref.years_of(q.source)
        year = q.period.end
        i = years.index(year) if year in years else -1
        before = years[i - 1] if i > 0 else None
        after = years[i + 1] if 0 <= i < len(years) - 1 else None
        return {
            "chart": chart,
            "options": options(cache),
            "sector_options": sector_options(ref, q.source),
            "years": years,
            "prev_url": q.url(period=Period(before, before)) if before else "",
            "next_url": q.url(period=Period(after, after)) if after else "",
            "prev_year": before,
            "next_year": after,
            "heading": labels.indicator_name(q.indicator, cache.lang),
        }

    return cache.get("map", q.canonical_url(), compute)
