"""What the region page shows: every indicator over the years, per inhabitant (with Sweden as the
reference) and in total, for all firms and SMEs; the region's rank among the counties over time; its
award nominations and wins marked; and plain-language summaries computed from the data.

Reads: the cached data sets of the source (stats.selectors.dataset: one query per source and
generation, shared by all 22 region pages and the other pages); the arithmetic of change and rank
is stats.growth, the same as /api/v1/growth's, so the sentences agree with the API. Built with plain
Python over the few hundred values a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dashboard import blocks, summaries
from dashboard.awards import AwardInfo, region_awards
from dashboard.blocks import ChartBlock, about_data, absent_counts, chart_block, with_import_date
from dashboard.query import PageQuery
from dashboard.reference import PageCache, options
from regions.data import COUNTRY_CODE
from regions.models import Region
from stats import charts, labels, selectors
from stats.datasets import Dataset
from stats.flags import Flag
from stats.formatting import MISSING_MARK, format_number, format_percent
from stats.growth import growth_rows, ranked_count
from stats.models import Indicator
from stats.tables import DataTable

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


def section_title(key: str) -> str:
    return {
        "goods": _("Goods exports"),
        "services": _("Services exports"),
        "exporting": _("Exporting firms"),
        "participating": _("Firms in regional export collaboration"),
        "population": _("Population"),
        "rank": _("Rank among the counties"),
    }[key]


RANK_KEY = "rank"
DEFAULT_CHART = "goods-per-capita"
CHART_KEYS = (*MEASURES, RANK_KEY)


# --- data --------------------------------------------------------------------------------------


def measure_data(q: PageQuery, measure: Measure, size: str, cache: PageCache) -> Dataset:
    """The measure for every region and year of one firm size; a per-inhabitant measure is derived
    from the same year's population (all firms), flagged derived (confidential if either is)."""
    ref = cache.reference
    stored = cache.dataset(ref.indicators[measure.indicator], q.source, size, "")
    if not measure.per:
        return stored
    population = cache.dataset(ref.indicators[POPULATION], q.source, "all", "")
    return selectors.cached("derived", f"{q.source.slug}|{measure.key}|{size}",
                            lambda: _per_inhabitant(stored, population, measure.per), generation=cache.generation,
                            local=True)


def _per_inhabitant(stored: Dataset, population: Dataset, per: float) -> Dataset:
    values: dict[str, dict[int, float | None]] = {}
    flags: dict[str, dict[int, str]] = {}
    for code, by_year in stored.values.items():
        for year, value in by_year.items():
            people = population.value(code, year)
            values.setdefault(code, {})[year] = (value * per / people
                                                 if value is not None and people is not None and people > 0 else None)
            secret = Flag.CONFIDENTIAL in (stored.flag(code, year), population.flag(code, year))
            flags.setdefault(code, {})[year] = Flag.CONFIDENTIAL if secret else Flag.DERIVED
    return Dataset(values, flags)


def ranks_over_years(data: Dataset, code: str, years: list[int], counties: list[str]) -> list[tuple[int, int, int]]:
    """(year, the county's rank, counties ranked) for each year the county has a value; 1 = highest, ties
    share the better rank."""
    out = []
    for year in years:
        mine = data.value(code, year)
        if mine is None:
            continue
        valued = [v for v in (data.value(c, year) for c in counties) if v is not None]
        out.append((year, 1 + sum(1 for v in valued if v > mine), len(valued)))
    return out


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
    return labels.sizes_breakdown(measure.sizes)


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


def _names(q: PageQuery, cache: PageCache) -> dict[str, str]:
    region = _the_region(q)
    return {region.code: labels.region_label(region.code, region.name, cache.lang),
            COUNTRY_CODE: labels.region_label(COUNTRY_CODE, cache.reference.regions[COUNTRY_CODE].name, cache.lang)}


def _the_region(q: PageQuery) -> Region:
    assert q.region is not None, "the region page's query names its region"
    return q.region


def derived_formula(measure: Measure, indicator: Indicator, lang: str) -> str:
    """How a per-inhabitant value is computed from the stored ones ('' for a stored value)."""
    if not measure.per:
        return ""
    return _("%(name)s (%(unit)s) × %(per)s / population, same region and year") % {
        "name": labels.indicator_name(indicator, lang), "unit": labels.indicator_unit(indicator, lang),
        "per": format_number(measure.per, 0, lang)}


def chart_title(title: str, unit: str, breakdown: str, q: PageQuery, *, unit_in_title: bool = True) -> str:
    """'<indicator> (<unit>): <breakdown>, <method>, <period>': a chart names itself when shared or embedded."""
    name = f"{title} ({unit})" if unit_in_title else title
    return blocks.chart_title(name, breakdown, labels.method_label(q.source), str(q.period))


def _measure_chart(q: PageQuery, measure: Measure, markers: list[tuple[int, str]],
                   cache: PageCache) -> tuple[ChartBlock, list[str]]:
    lang = cache.lang
    region = _the_region(q)
    indicators = cache.reference.indicators
    indicator = indicators[measure.indicator]
    data = {size: measure_data(q, measure, size, cache) for size in measure.sizes}
    title = measure_title(measure, indicator, lang)
    unit = measure_unit(measure, indicator, indicators, lang)
    decimals = measure_decimals(measure, indicator)
    is_country = region.code == COUNTRY_CODE
    codes = [region.code] + ([COUNTRY_CODE] if measure.reference and not is_country else [])
    years = q.period.years()
    names = _names(q, cache)
    split = len(measure.sizes) > 1  # all firms and SMEs differ tenfold: a panel (and an axis) each
    lines = [charts.Line(_series_label(names[code], size), years, [data[size].value(code, y) for y in years],
                         [data[size].flag(code, y) for y in years], code, measure.sizes.index(size) if split else 0,
                         names[code] if split else "")
             for code in codes for size in measure.sizes]
    last_import = cache.reference.last_imports.get(q.source.slug)
    source_line = labels.source_line_of(q.source, _breakdown(measure), lang)
    if measure.per:
        source_line += " · " + _("computed from the population")
    source_line = with_import_date(source_line, last_import)
    panels = [labels.firm_size_label(size) for size in measure.sizes] if split else []
    figure = charts.lines_chart(lines, y_title=unit, unit=unit, lang=lang, note=source_line, decimals=decimals,
                                reference=names[COUNTRY_CODE] if not is_country else None, markers=markers,
                                panels=panels)
    rows = [[str(y)] + [_("conf.") if line.flags[i] == Flag.CONFIDENTIAL else format_number(line.values[i], decimals, lang)
                        for line in lines] for i, y in enumerate(years)]
    summary, facts = _measure_summary(q, measure, data, title, unit, decimals, cache)
    breakdown = _breakdown(measure) if measure.indicator == POPULATION else \
        _join([labels.firm_size_label(s).lower() for s in measure.sizes])
    full_title = chart_title(title, unit, breakdown, q, unit_in_title=measure.per != 1e5)  # "… per 100 000 invånare"
    about = about_data(source=q.source, last_import=last_import, unit=unit,
                       derived=derived_formula(measure, indicator, lang),
                       counts=absent_counts([(line.values, line.flags) for line in lines]))
    chart = chart_block(id=measure.id, title=full_title, source_line=source_line, figure=figure, summary=summary,
                        columns=[_("Year")] + [line.series for line in lines], rows=rows, kind="lines", about=about)
    chart.downloads = {"CSV": q.url("region_csv", chart=measure.key, embed=False),
                       "XLSX": q.url("region_xlsx", chart=measure.key, embed=False),
                       "ZIP": q.url("region_zip", chart=measure.key, embed=False)}
    if all(v is None for line in lines for v in line.values):
        chart.empty = _("There are no values for this region in %(period)s.") % {"period": q.period}
    return chart, facts


def _measure_summary(q: PageQuery, measure: Measure, data: dict[str, Dataset], title: str, unit: str,
                     decimals: int, cache: PageCache) -> tuple[list[str], list[str]]:
    region = _the_region(q)
    out: list[str] = []
    facts: list[str] = []
    if q.period.start == q.period.end:
        return out, facts
    counties = cache.reference.county_codes()
    years = q.period.years()
    name = labels.region_label(region.code, region.name, cache.lang)
    for size in measure.sizes:
        growth = growth_rows(data[size], start=q.period.start, end=q.period.end, counties=counties)
        row = next((r for r in growth if r.region == region.code), None)
        if row is None:
            continue
        change = summaries.Change(q.period.start, q.period.end, row.start, row.end, row.change_pct, row.rank,
                                  ranked_count(growth))
        subject = f"{title} {labels.firm_size_phrase(size)}" if len(measure.sizes) > 1 or size != "all" else title
        sentence = summaries.change_sentence(subject, change, unit=unit, decimals=decimals, lang=cache.lang)
        out.append(sentence)
        # The turning points of the region's own line, computed from its values (the 2020 dip).
        who = f"{name}, {labels.firm_size_label(size).lower()}" if len(measure.sizes) > 1 else name
        turns = summaries.turning_sentence(who, years, [data[size].value(region.code, y) for y in years], cache.lang)
        if turns:
            out.append(turns)
        if measure.key in ("goods-per-capita", "goods-total"):
            facts.append(sentence)
            if turns and measure.key == "goods-per-capita":
                facts.append(turns)
    if not measure.reference and region.code != COUNTRY_CODE:
        share = _share_sentence(data["all"], region, q.period.end, cache.lang,
                                population=measure.indicator == POPULATION)
        if share:
            out.append(share)
    return out, facts


def _share_sentence(data: Dataset, region: Region, year: int, lang: str, *, population: bool) -> str:
    mine, sweden = data.value(region.code, year), data.value(COUNTRY_CODE, year)
    if mine is None or not sweden:
        return ""
    values = {"year": year, "region": region.name, "share": format_percent(mine / sweden * 100, 1, lang, signed=False)}
    if population:
        return _("In %(year)s, %(share)s of Sweden's inhabitants lived in %(region)s.") % values
    return _("In %(year)s, %(region)s accounted for %(share)s of Sweden's total (all firms).") % values


def _rank_data(q: PageQuery, cache: PageCache) -> tuple[dict[str, Dataset], int]:
    """The ranked measure per firm size, and how many counties it covers in the period (21 if none)."""
    measure = MEASURES[DEFAULT_CHART]
    data = {size: measure_data(q, measure, size, cache) for size in SIZES}
    years = set(q.period.years())
    present = {code for d in data.values() for code, by_year in d.values.items()
               if code != COUNTRY_CODE and years & by_year.keys()}
    return data, len(present) or 21


def _rank_chart(q: PageQuery, markers: list[tuple[int, str]], cache: PageCache) -> ChartBlock:
    lang = cache.lang
    region = _the_region(q)
    indicator = cache.reference.indicators[MEASURES[DEFAULT_CHART].indicator]
    data, counties = _rank_data(q, cache)
    name = labels.indicator_name(indicator, lang)
    years = q.period.years()
    county_codes = cache.reference.county_codes()
    lines, summary = [], []
    for size in SIZES:
        ranks = ranks_over_years(data[size], region.code, years, county_codes)
        label = labels.firm_size_label(size)
        lines.append(charts.Line(label, [y for y, _r, _n in ranks], [float(r) for _y, r, _n in ranks],
                                 [None] * len(ranks), region.code))
        if ranks:
            (y1, first, _n1), (y2, last, counted) = ranks[0], ranks[-1]
            summary.append(_("%(name)s %(size)s: rank %(first)s of %(n)s counties in %(y1)s and %(last)s in "
                             "%(y2)s.") % {"name": name, "size": labels.firm_size_phrase(size), "first": first,
                                           "last": last, "n": counted, "y1": y1, "y2": y2})
    last_import = cache.reference.last_imports.get(q.source.slug)
    source_line = with_import_date(labels.source_line_of(q.source, labels.sizes_breakdown(SIZES), lang), last_import)
    figure = charts.rank_chart(lines, counties=counties, lang=lang, note=source_line, markers=markers)
    cells = {(line.series, y): str(int(r)) for line in lines for y, r in zip(line.years, line.values, strict=True)
             if r is not None}
    rows = [[str(y)] + [cells.get((line.series, y), MISSING_MARK) for line in lines] for y in years]
    title = _("Rank in %(name)s among the %(n)s counties (1 = highest)") % {"name": _lower_first(name), "n": counties}
    about = about_data(source=q.source, last_import=last_import, unit=_("rank"),
                       derived=_("1 + the number of counties with a higher value the same year"))
    chart = chart_block(id="fig-rank", title=chart_title(title, "", _join([labels.firm_size_label(s).lower()
                                                                            for s in SIZES]), q, unit_in_title=False),
                        source_line=source_line, figure=figure, summary=summary,
                        columns=[_("Year")] + [line.series for line in lines], rows=rows, kind="rank", about=about)
    chart.downloads = {"CSV": q.url("region_csv", chart=RANK_KEY, embed=False),
                       "XLSX": q.url("region_xlsx", chart=RANK_KEY, embed=False),
                       "ZIP": q.url("region_zip", chart=RANK_KEY, embed=False)}
    return chart


def region_context(q: PageQuery, cache: PageCache, published: list[AwardInfo]) -> dict:
    awards = region_awards(published, _the_region(q).code)
    marks = ",".join(f"{year}{'w' if won else 'n'}" for year, won in awards)
    page = cache.get("region-page", f"{q.canonical_url()}|{marks}", lambda: _compute(q, awards, cache))
    code = _the_region(q).code
    # One click to the county against Sweden, SMEs' goods exports per inhabitant (the prize's headline).
    compare_url = q.url("compare", regions=(code, COUNTRY_CODE), indicator=cache.reference.indicators[TREND_INDICATOR],
                        firm_size="sme", view="value", embed=False) if code != COUNTRY_CODE else ""
    return {"page": page, "query": q, "source": q.source, "awards": awards, "compare_url": compare_url,
            "all_xlsx_url": q.url("region_all_xlsx", embed=False, chart=""),
            "source_years": blocks.year_choices(cache.reference.years_of(q.source), q.period.start, q.period.end),
            "source_label": labels.source_label(q.source, cache.lang),
            "options_sources": options(cache)["sources"]}


def _has_statistics(q: PageQuery, cache: PageCache) -> bool:
    code = _the_region(q).code
    ref = cache.reference
    return any(code in cache.dataset(indicator, q.source, size, "").values
               for indicator in ref.indicators.values() for size in SIZES)


def _compute(q: PageQuery, awards: list[tuple[int, bool]], cache: PageCache) -> RegionPage:
    region = _the_region(q)
    markers = _award_markers(awards)
    page = RegionPage(years=cache.reference.years_of(q.source))
    for key, measures in SECTIONS:
        blocks = []
        for measure in measures:
            chart, facts = _measure_chart(q, measure, markers, cache)
            blocks.append(chart)
            page.key_facts.extend(facts)
        page.sections.append((key, blocks))
    if region.code != COUNTRY_CODE:
        page.sections.append((RANK_KEY, [_rank_chart(q, markers, cache)]))
    page.award_sentence = _award_sentence(labels.region_label(region.code, region.name, cache.lang), awards)
    page.sections = [(section_title(k), blocks) for k, blocks in page.sections]
    page.empty = not _has_statistics(q, cache)
    return page


def find_chart(page: RegionPage, key: str) -> ChartBlock | None:
    wanted = MEASURES[key].id if key in MEASURES else "fig-rank"
    return next((c for _title, blocks in page.sections for c in blocks if c.id == wanted), None)


def region_chart_table(q: PageQuery, key: str, cache: PageCache) -> DataTable:
    """One region chart's data for the CSV and XLSX downloads (raw numbers, header rows as compare's)."""
    lang = cache.lang
    region = _the_region(q)
    indicators = cache.reference.indicators
    meta_source = labels.source_label(q.source, lang)
    period = f"{q.period.start}–{q.period.end}"
    notes = [(_("Publisher"), q.source.publisher), (_("Method"), labels.method_label(q.source))]
    last_import = cache.reference.last_imports.get(q.source.slug)
    if last_import:
        notes.append((_("Last import"), last_import.finished.isoformat()))
    info = {"region": region.code, "region_name": region.name, "source": meta_source,
            "publisher": q.source.publisher, "method": q.source.method, "period": period,
            "last_import": last_import.finished.isoformat() if last_import else ""}
    if selectors.demo_data_loaded():
        notes.append((_("Note"), _("Illustrative demo data: the figures are partly invented and are not official "
                                   "statistics.")))
        info["note"] = notes[-1][1]
    filename = f"exportregion-{region.code}-{key}-{q.period.start}-{q.period.end}"
    years = q.period.years()
    if key == RANK_KEY:
        by_size, _counties = _rank_data(q, cache)
        rows: list[list[str | int | float | None]] = [
            [region.code, region.name, labels.firm_size_label(size), year, rank, counted]
            for size in SIZES for year, rank, counted in ranks_over_years(by_size[size], region.code, years,
                                                                         cache.reference.county_codes())]
        name = labels.indicator_name(indicators[TREND_INDICATOR], lang)
        meta = [(_("Indicator"), _("Rank in %(name)s") % {"name": _lower_first(name)}), (_("Unit"), _("rank")),
                (_("Source"), meta_source), (_("Breakdown"), ", ".join(labels.firm_size_label(s) for s in SIZES)),
                (_("Period"), period)] + notes
        columns = [_("Region code"), _("Region"), _("Firm size"), _("Year"), _("Rank"), _("Counties ranked")]
        formula = _("1 + the number of counties with a higher value the same year")
        meta.append((_("Formula"), formula))
        info.update({"indicator": TREND_INDICATOR, "indicator_name": meta[0][1], "unit": _("rank"),
                     "breakdown": meta[3][1], "formula": formula})
        return DataTable(_("Rank among the counties"), meta, columns, rows, {}, filename, info)
    measure = MEASURES[key]
    indicator = indicators[measure.indicator]
    codes = [region.code] + ([COUNTRY_CODE] if measure.reference and region.code != COUNTRY_CODE else [])
    title = measure_title(measure, indicator, lang)
    unit = measure_unit(measure, indicator, indicators, lang)
    flags: dict[str, str] = {Flag.CONFIDENTIAL: _("confidential"), Flag.DERIVED: _("computed from the population")}
    names = cache.reference.region_names()
    rows = []
    for code in sorted(codes):
        for size in sorted(measure.sizes):
            data = measure_data(q, measure, size, cache)
            rows.extend([code, labels.region_label(code, names[code], lang), labels.firm_size_label(size), year,
                         data.value(code, year), flags.get(data.flag(code, year) or "", "")]
                        for year in years if year in data.values.get(code, {}))
    breakdown = _breakdown(measure) if measure.indicator == POPULATION else \
        ", ".join(labels.firm_size_label(s) for s in measure.sizes) + ", " + labels.sector_label("")
    formula = derived_formula(measure, indicator, lang)
    meta = [(_("Indicator"), title), (_("Unit"), unit), (_("Source"), meta_source),
            (_("Breakdown"), breakdown), (_("Period"), period)] + ([(_("Formula"), formula)] if formula else []) + notes
    info.update({"indicator": measure.indicator, "indicator_name": title, "measure": measure.key, "unit": unit,
                 "breakdown": breakdown, "formula": formula})
    columns = [_("Region code"), _("Region"), _("Firm size"), _("Year"), _("Value (%(unit)s)") % {"unit": unit},
               _("Note")]
    return DataTable(title, meta, columns, rows, {4: measure_decimals(measure, indicator)}, filename, info)


def region_all_tables(q: PageQuery, cache: PageCache) -> list[DataTable]:
    """Every series of the region page, one table per chart: the county's workbook."""
    return [region_chart_table(q, key, cache) for key in CHART_KEYS
            if key != RANK_KEY or _the_region(q).code != COUNTRY_CODE]
