"""What the region page shows: every indicator over the years, per inhabitant (with Sweden as the
reference) and in total, for all firms and SMEs; the region's rank among the counties over time; its
award nominations and wins marked; and plain-language summaries computed from the data.

Reads: one query for every value of the source (all regions, so ranks can be computed), cached by
the generation and shared by all 22 region pages; the arithmetic of change and rank is
selectors.growth_from_series, the same as /api/v1/growth's, so the sentences agree with the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from regions.data import COUNTRY_CODE
from regions.models import Region
from regions.selectors import region_names
from stats import charts, selectors, summaries
from stats.downloads import DataTable
from stats.formatting import MISSING_MARK, format_number, format_percent
from stats.models import Indicator, Source
from stats.pages import awards_adapter, labels
from stats.pages.common import ChartBlock, chart_block, parse_year
from stats.pages.common_data import PageCache, dimensions, options
from stats.params import BadParameter, parse_source
from stats.selectors import SeriesQuery

TREND_INDICATOR = "goods_export_per_capita_sek"
POPULATION = "population"
SIZES = ("all", "sme")


@dataclass(frozen=True)
class Measure:
    """One chart of the region page: a stored indicator, or one divided by the population."""

    key: str
    indicator: str
    per: float = 0.0  # 0: as stored; else value * per / population (1e6: mnkr -> kr; 1e5: per 100 000)
    sizes: tuple[str, ...] = SIZES
    reference: bool = True  # Sweden drawn alongside (per-inhabitant measures); totals give Sweden's share
    chart_id: str = ""

    @property
    def id(self) -> str:
        return self.chart_id or f"fig-{self.key}"


SECTIONS: tuple[tuple[str, tuple[Measure, ...]], ...] = (
    ("goods", (Measure("goods-per-capita", TREND_INDICATOR, chart_id="fig-trend"),
               Measure("goods-total", "goods_export_msek", reference=False))),
    ("services", (Measure("services-per-capita", "services_export_msek", per=1e6),
                  Measure("services-total", "services_export_msek", reference=False))),
    ("exporting", (Measure("exporting-per-100k", "exporting_firms", per=1e5),
                   Measure("exporting-total", "exporting_firms", reference=False))),
    ("participating", (Measure("participating-per-100k", "participating_firms", per=1e5, sizes=("all",)),
                       Measure("participating-total", "participating_firms", sizes=("all",), reference=False))),
    ("population", (Measure("population", POPULATION, sizes=("all",), reference=False),)),
)
MEASURES = {m.key: m for _section, measures in SECTIONS for m in measures}
RANK_KEY = "rank"


def section_title(key: str) -> str:
    return {
        "goods": _("Goods exports"),
        "services": _("Services exports"),
        "exporting": _("Exporting firms"),
        "participating": _("Firms in regional export collaboration"),
        "population": _("Population"),
        "rank": _("Rank among the counties"),
    }[key]


@dataclass(frozen=True)
class RegionState:
    region: Region
    source: Source
    year_from: int
    year_to: int
    default_period: bool = True

    def params(self, **changes: str) -> dict[str, str]:
        params = {"source": self.source.slug, "from": str(self.year_from), "to": str(self.year_to)}
        params.update(changes)
        return params

    def querystring(self, **changes: str) -> str:
        return urlencode(self.params(**changes))

    def url(self, name: str = "regions:detail", **changes: str) -> str:
        return f"{reverse(name, args=[self.region.code])}?{self.querystring(**changes)}"


def parse_region_state(region: Region, params: Mapping[str, str], cache: PageCache) -> RegionState:
    source = parse_source(params.get("source"))
    years = dimensions(cache).years_of(source) or [0]
    year_from = parse_year(params, "from")
    year_to = parse_year(params, "to")
    default = year_from is None and year_to is None
    year_from = years[0] if year_from is None else year_from
    year_to = years[-1] if year_to is None else year_to
    if year_from > year_to:
        raise BadParameter(_("from must not be after to"))
    chart = params.get("chart")
    if chart and chart not in MEASURES and chart != RANK_KEY:
        raise BadParameter(_("unknown chart %(chart)r") % {"chart": chart[:40]})
    return RegionState(region, source, year_from, year_to, default)


# --- data --------------------------------------------------------------------------------------


def source_observations(source: Source, cache: PageCache) -> pd.DataFrame:
    """Every value of the source for all firms and SMEs, all regions: one query per generation."""
    return selectors.cached("region-observations", source.slug,
                            lambda: selectors.observations_frame(source=source, firm_sizes=SIZES),
                            generation=cache.generation)


def measure_frame(obs: pd.DataFrame, measure: Measure, year_from: int, year_to: int) -> pd.DataFrame:
    """The measure for every region, firm size and year of the period (region, name, firm_size, year,
    value, flag); per-inhabitant measures are derived from the same year's population (all firms)."""
    period = obs[(obs["year"] >= year_from) & (obs["year"] <= year_to)]
    frame = period[(period["indicator"] == measure.indicator) & period["firm_size"].isin(measure.sizes)]
    frame = frame[["region", "name", "firm_size", "year", "value", "flag"]].copy()
    if measure.per:
        population = period[(period["indicator"] == POPULATION) & (period["firm_size"] == "all")]
        population = population[["region", "year", "value", "flag"]].rename(columns={"value": "pop", "flag": "pop_flag"})
        frame = frame.merge(population, on=["region", "year"], how="left")
        frame["value"] = frame["value"] * measure.per / frame["pop"].where(frame["pop"] > 0)
        secret = (frame["flag"] == "confidential") | (frame["pop_flag"] == "confidential")
        frame["flag"] = frame["flag"].where(secret, "derived").where(~secret, "confidential")
        frame = frame.drop(columns=["pop", "pop_flag"])
    return frame


def growth_of(frame: pd.DataFrame, size: str, year_from: int, year_to: int, indicator: Indicator,
              source: Source) -> pd.DataFrame:
    """Change over the period per region for one firm size: selectors.growth_from_series, as the API."""
    q = SeriesQuery(indicator, source, size, "", None, year_from, year_to)
    return selectors.growth_from_series(frame[frame["firm_size"] == size], q)


def ranks_over_years(frame: pd.DataFrame, size: str) -> pd.DataFrame:
    """Each county's rank per year (1 = highest value), counties with a value only."""
    part = frame[(frame["firm_size"] == size) & (frame["region"] != COUNTRY_CODE) & frame["value"].notna()].copy()
    part["rank"] = part.groupby("year")["value"].rank(ascending=False, method="min")
    part["counted"] = part.groupby("year")["value"].transform("count")
    return part


# --- texts -------------------------------------------------------------------------------------


def measure_title(measure: Measure, indicator: Indicator, lang: str) -> str:
    if measure.key == "services-per-capita":
        return _("Services exports per inhabitant")
    if measure.key == "exporting-per-100k":
        return _("Exporting firms per 100,000 inhabitants")
    if measure.key == "participating-per-100k":
        return _("Firms in regional export collaboration per 100,000 inhabitants")
    return labels.indicator_name(indicator, lang)


def measure_unit(measure: Measure, indicator: Indicator, indicators: dict[str, Indicator], lang: str) -> str:
    if measure.per == 1e6:
        return labels.indicator_unit(indicators[TREND_INDICATOR], lang)
    if measure.per == 1e5:
        return _("per 100,000 inhabitants")
    return labels.indicator_unit(indicator, lang)


def measure_decimals(measure: Measure, indicator: Indicator) -> int:
    if measure.per == 1e6:
        return 0
    if measure.per == 1e5:
        return 1
    return indicator.decimals


def _breakdown(measure: Measure) -> str:
    if measure.indicator == POPULATION:
        return labels.population_breakdown()
    return " / ".join(labels.firm_size_label(s).lower() for s in measure.sizes) + ", " + labels.sector_label("")


def _series_label(name: str, size: str) -> str:
    return f"{name} – {labels.firm_size_label(size).lower()}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- the page ----------------------------------------------------------------------------------


@dataclass
class RegionPage:
    sections: list[tuple[str, list[ChartBlock]]] = field(default_factory=list)
    key_facts: list[str] = field(default_factory=list)
    award_sentence: str = ""
    years: list[int] = field(default_factory=list)
    empty: bool = False


def _award_markers(awards: list[tuple[int, bool]]) -> list[tuple[int, str]]:
    return [(year, (_("Winner %(year)s") if won else _("Nominated %(year)s")) % {"year": year})
            for year, won in awards]


def _join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _award_sentence(region_name: str, awards: list[tuple[int, bool]]) -> str:
    if not awards:
        return ""
    nominated = _join([str(y) for y, _won in sorted(awards)])
    won = [str(y) for y, w in sorted(awards) if w]
    text = _("%(region)s was nominated for the Export Region of the Year in %(years)s.") % {
        "region": region_name, "years": nominated}
    if won:
        text += " " + _("It won the prize in %(years)s.") % {"years": _join(won)}
    return text


def _measure_chart(state: RegionState, measure: Measure, obs: pd.DataFrame, indicators: dict[str, Indicator],
                   markers: list[tuple[int, str]], lang: str) -> tuple[ChartBlock, list[str]]:
    region = state.region
    indicator = indicators[measure.indicator]
    frame = measure_frame(obs, measure, state.year_from, state.year_to)
    title = measure_title(measure, indicator, lang)
    unit = measure_unit(measure, indicator, indicators, lang)
    decimals = measure_decimals(measure, indicator)
    is_country = region.code == COUNTRY_CODE
    codes = [region.code] + ([COUNTRY_CODE] if measure.reference and not is_country else [])
    years = list(range(state.year_from, state.year_to + 1))
    names = {region.code: labels.region_label(region.code, region.name, lang),
             COUNTRY_CODE: labels.region_label(COUNTRY_CODE, region_names()[COUNTRY_CODE], lang)}
    lines = []
    for code in codes:
        for size in measure.sizes:
            part = frame[(frame["region"] == code) & (frame["firm_size"] == size)].set_index("year")
            lines.append(pd.DataFrame({
                "series": _series_label(names[code], size), "region": code, "firm_size": size, "year": years,
                "value": [part["value"].get(y, float("nan")) for y in years],
                "flag": [part["flag"].get(y) for y in years],
            }))
    long = pd.concat(lines, ignore_index=True)
    source_line = _("Source: %(source)s · Breakdown: %(breakdown)s") % {
        "source": labels.source_label(state.source, lang), "breakdown": _breakdown(measure)}
    if measure.per:
        source_line += " · " + _("computed from the population")
    figure = charts.lines_over_years(
        long, y_title=unit, unit=unit, lang=lang, reference=names[COUNTRY_CODE] if not is_country else None,
        note=source_line, decimals=decimals, markers=markers,
    )
    series = list(dict.fromkeys(long["series"]))
    cells = {(r.series, int(r.year)): (_("conf.") if r.flag == "confidential" else
                                       format_number(r.value, decimals, lang)) for r in long.itertuples()}
    rows = [[str(y)] + [cells[(s, y)] for s in series] for y in years]
    summary, facts = _measure_summary(state, measure, frame, indicator, title, unit, decimals, lang)
    full_title = title if measure.per == 1e5 else f"{title} ({unit})"  # "… per 100 000 invånare" says its unit
    chart = chart_block(id=measure.id, title=full_title, source_line=source_line, figure=figure,
                        summary=summary, columns=[_("Year")] + series, rows=rows, kind="lines")
    chart.downloads = {"CSV": state.url("regions:data_csv", chart=measure.key),
                       "XLSX": state.url("regions:data_xlsx", chart=measure.key)}
    if long["value"].notna().sum() == 0:
        chart.notes.append(_("There are no values for this region and period."))
    return chart, facts


def _measure_summary(state: RegionState, measure: Measure, frame: pd.DataFrame, indicator: Indicator,
                     title: str, unit: str, decimals: int, lang: str) -> tuple[list[str], list[str]]:
    region = state.region
    out: list[str] = []
    facts: list[str] = []
    if state.year_from == state.year_to:
        return out, facts
    for size in measure.sizes:
        growth = growth_of(frame, size, state.year_from, state.year_to, indicator, state.source)
        row = growth[growth["region"] == region.code]
        if row.empty:
            continue
        r = row.iloc[0]
        change = summaries.Change(
            state.year_from, state.year_to, _num(r["start"]), _num(r["end"]), _num(r["change_pct"]),
            None if pd.isna(r["rank"]) else int(r["rank"]), int(growth["rank"].notna().sum()),
        )
        subject = f"{title} {labels.firm_size_phrase(size)}" if len(measure.sizes) > 1 or size != "all" else title
        sentence = summaries.change_sentence(subject, change, unit=unit, decimals=decimals, lang=lang)
        out.append(sentence)
        if measure.key in ("goods-per-capita", "goods-total"):
            facts.append(sentence)
    if not measure.reference and region.code != COUNTRY_CODE:
        share = _share_sentence(frame, region, state.year_to, lang, population=measure.indicator == POPULATION)
        if share:
            out.append(share)
    return out, facts


def _share_sentence(frame: pd.DataFrame, region: Region, year: int, lang: str, *, population: bool) -> str:
    part = frame[(frame["firm_size"] == "all") & (frame["year"] == year)].set_index("region")["value"]
    mine, sweden = part.get(region.code), part.get(COUNTRY_CODE)
    if mine is None or sweden is None or pd.isna(mine) or pd.isna(sweden) or not sweden:
        return ""
    values = {"year": year, "region": region.name, "share": format_percent(mine / sweden * 100, 1, lang, signed=False)}
    if population:
        return _("In %(year)s, %(share)s of Sweden's inhabitants lived in %(region)s.") % values
    return _("In %(year)s, %(region)s accounted for %(share)s of Sweden's total (all firms).") % values


def _rank_chart(state: RegionState, obs: pd.DataFrame, indicators: dict[str, Indicator],
                markers: list[tuple[int, str]], lang: str) -> ChartBlock:
    measure = MEASURES["goods-per-capita"]
    indicator = indicators[measure.indicator]
    frame = measure_frame(obs, measure, state.year_from, state.year_to)
    parts = []
    summary = []
    counties = sum(1 for c in frame["region"].unique() if c != COUNTRY_CODE) or 21
    name = labels.indicator_name(indicator, lang)
    for size in SIZES:
        ranks = ranks_over_years(frame, size)
        mine = ranks[ranks["region"] == state.region.code]
        label = labels.firm_size_label(size)
        parts.append(pd.DataFrame({"series": label, "year": mine["year"], "rank": mine["rank"]}))
        if len(mine):
            first, last = mine.iloc[0], mine.iloc[-1]
            summary.append(_("%(name)s %(size)s: rank %(first)s of %(n)s counties in %(y1)s and %(last)s in "
                             "%(y2)s.") % {"name": name, "size": labels.firm_size_phrase(size),
                                           "first": int(first["rank"]), "last": int(last["rank"]),
                                           "n": int(last["counted"]), "y1": int(first["year"]),
                                           "y2": int(last["year"])})
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["series", "year", "rank"])
    source_line = _("Source: %(source)s · Breakdown: %(breakdown)s") % {
        "source": labels.source_label(state.source, lang),
        "breakdown": " / ".join(labels.firm_size_label(s).lower() for s in SIZES) + ", " + labels.sector_label(""),
    }
    figure = charts.rank_over_years(long, counties=counties, lang=lang, note=source_line, markers=markers)
    years = list(range(state.year_from, state.year_to + 1))
    cells = {(r.series, int(r.year)): str(int(r.rank)) for r in long.itertuples() if pd.notna(r.rank)}
    series = [labels.firm_size_label(s) for s in SIZES]
    rows = [[str(y)] + [cells.get((s, y), MISSING_MARK) for s in series] for y in years]
    chart = chart_block(id="fig-rank", title=_("Rank in %(name)s among the %(n)s counties (1 = highest)")
                        % {"name": _lower_first(name), "n": counties}, source_line=source_line,
                        figure=figure, summary=summary, columns=[_("Year")] + series, rows=rows, kind="rank")
    chart.downloads = {"CSV": state.url("regions:data_csv", chart=RANK_KEY),
                       "XLSX": state.url("regions:data_xlsx", chart=RANK_KEY)}
    return chart


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def region_context(*, region: Region, lang: str | None = None, state: RegionState | None = None,
                   cache: PageCache | None = None) -> dict:
    cache = cache or PageCache()
    state = state or parse_region_state(region, {}, cache)
    awards = awards_adapter.region_awards(awards_adapter.published_awards(), region.code)
    marks = ",".join(f"{year}{'w' if won else 'n'}" for year, won in awards)
    key = f"{region.code}|{state.querystring()}|{marks}"

    def compute() -> RegionPage:
        return _compute(state, awards, cache)

    page = cache.get("region-page", key, compute)
    return {"page": page, "state": state, "source": state.source, "awards": awards,
            "source_label": labels.source_label(state.source, cache.lang),
            "options_sources": options(cache)["sources"], "all_years": dimensions(cache).all_years()}


def _compute(state: RegionState, awards: list[tuple[int, bool]], cache: PageCache) -> RegionPage:
    lang = cache.lang
    obs = source_observations(state.source, cache)
    indicators = {i.code: i for i in Indicator.objects.all()}
    markers = _award_markers(awards)
    page = RegionPage(years=dimensions(cache).years_of(state.source))
    region_name = labels.region_label(state.region.code, state.region.name, lang)
    for key, measures in SECTIONS:
        blocks = []
        for measure in measures:
            chart, facts = _measure_chart(state, measure, obs, indicators, markers, lang)
            blocks.append(chart)
            page.key_facts.extend(facts)
        page.sections.append((key, blocks))
    if state.region.code != COUNTRY_CODE:
        page.sections.append((RANK_KEY, [_rank_chart(state, obs, indicators, markers, lang)]))
    page.award_sentence = _award_sentence(region_name, awards)
    page.sections = [(section_title(k), blocks) for k, blocks in page.sections]
    page.empty = obs[obs["region"] == state.region.code].empty
    return page


def find_chart(page: RegionPage, key: str) -> ChartBlock | None:
    wanted = MEASURES[key].id if key in MEASURES else "fig-rank"
    return next((c for _title, blocks in page.sections for c in blocks if c.id == wanted), None)


def region_chart_table(state: RegionState, key: str, cache: PageCache) -> DataTable:
    """One region chart's data for the CSV and XLSX downloads (raw numbers, header rows as compare's)."""
    lang = cache.lang
    obs = source_observations(state.source, cache)
    indicators = {i.code: i for i in Indicator.objects.all()}
    region = state.region
    meta_source = labels.source_label(state.source, lang)
    notes = []
    if selectors.demo_data_loaded():
        notes.append((_("Note"), _("Illustrative demo data: the figures are partly invented and are not official "
                                   "statistics.")))
    filename = f"exportregion-{region.code}-{key}-{state.year_from}-{state.year_to}"
    if key == RANK_KEY:
        frame = measure_frame(obs, MEASURES["goods-per-capita"], state.year_from, state.year_to)
        rows = []
        for size in SIZES:
            ranks = ranks_over_years(frame, size)
            mine = ranks[ranks["region"] == region.code]
            rows.extend([[region.code, region.name, labels.firm_size_label(size), int(r.year), int(r.rank),
                          int(r.counted)] for r in mine.itertuples()])
        name = labels.indicator_name(indicators[TREND_INDICATOR], lang)
        meta = [(_("Indicator"), _("Rank in %(name)s") % {"name": _lower_first(name)}), (_("Unit"), _("rank")),
                (_("Source"), meta_source), (_("Breakdown"), ", ".join(labels.firm_size_label(s) for s in SIZES)),
                (_("Period"), f"{state.year_from}–{state.year_to}")] + notes
        columns = [_("Region code"), _("Region"), _("Firm size"), _("Year"), _("Rank"), _("Counties ranked")]
        return DataTable(_("Rank among the counties"), meta, columns, rows, {}, filename)
    measure = MEASURES[key]
    indicator = indicators[measure.indicator]
    frame = measure_frame(obs, measure, state.year_from, state.year_to)
    codes = [region.code] + ([COUNTRY_CODE] if measure.reference and region.code != COUNTRY_CODE else [])
    frame = frame[frame["region"].isin(codes)].sort_values(["region", "firm_size", "year"])
    title = measure_title(measure, indicator, lang)
    unit = measure_unit(measure, indicator, indicators, lang)
    flags = {"confidential": _("confidential"), "derived": _("computed from the population")}
    rows = [[r.region, labels.region_label(r.region, r.name, lang), labels.firm_size_label(r.firm_size), int(r.year),
             _num(r.value), flags.get(r.flag, "") if isinstance(r.flag, str) else ""] for r in frame.itertuples()]
    meta = [(_("Indicator"), title), (_("Unit"), unit), (_("Source"), meta_source),
            (_("Breakdown"), ", ".join(labels.firm_size_label(s) for s in measure.sizes) + ", "
             + labels.sector_label("")), (_("Period"), f"{state.year_from}–{state.year_to}")] + notes
    columns = [_("Region code"), _("Region"), _("Firm size"), _("Year"), _("Value (%(unit)s)") % {"unit": unit},
               _("Note")]
    return DataTable(title, meta, columns, rows, {4: measure_decimals(measure, indicator)}, filename)
