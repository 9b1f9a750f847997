"""/compare/: any regions, indicator, firm size, source, sector and period; views value, index, growth.

Every control is a GET parameter, so the URL is the state. The page is a slice of the cached data set
of its indicator, source, firm size and sector (stats.selectors.dataset): the chosen regions' lines,
and the change over the period of every county (stats.growth, the arithmetic of /api/v1/growth), so
the ranks are ranks among the 21 counties, the same as the API's and the region page's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboard import summaries
from dashboard.blocks import (
    ChartBlock,
    about_data,
    absent_counts,
    chart_block,
    chart_title,
    with_import_date,
    year_choices,
)
from dashboard.picker import quick_picks
from dashboard.query import PageQuery, Period
from dashboard.reference import PageCache, Reference, options, sector_options
from regions.data import COUNTRY_CODE
from stats import charts, labels, selectors
from stats.datasets import Dataset
from stats.flags import Flag
from stats.formatting import MISSING_MARK, format_number, format_percent, format_value
from stats.growth import GrowthRow, growth_rows, ranked_count
from stats.tables import DataTable

SENTENCES = 5  # regions summarised one by one; with more, the top three, the last one and Sweden


@dataclass(frozen=True)
class Series:
    """One chosen region's values over the shown years (None: missing)."""

    code: str
    name: str
    years: list[int]
    values: list[float | None]
    flags: list[str | None]


@dataclass(frozen=True)
class Texts:
    name: str
    unit: str
    source_line: str
    breakdown: str
    source: str


def _texts(q: PageQuery, lang: str) -> Texts:
    return Texts(
        name=labels.indicator_name(q.indicator, lang),
        unit=labels.indicator_unit(q.indicator, lang),
        source_line=labels.source_line(q.source, q.firm_size, q.sector, lang, q.indicator),
        breakdown=labels.breakdown_label(q.firm_size, q.sector, q.indicator),
        source=labels.source_label(q.source, lang),
    )


def _dataset(q: PageQuery, cache: PageCache) -> Dataset:
    return cache.dataset(q.indicator, q.source, q.firm_size, q.sector)


def growth_all_counties(q: PageQuery, cache: PageCache) -> list[GrowthRow]:
    """The change over the period of every county (and Sweden), rounded as /api/v1/growth reports it."""
    return growth_rows(_dataset(q, cache), start=q.period.start, end=q.period.end,
                       counties=cache.reference.county_codes(), decimals=q.indicator.decimals)


def _series(q: PageQuery, cache: PageCache) -> list[Series]:
    """The chosen regions' values, trimmed to the years where one of them has a value (the leading and
    trailing years outside the source's series go); a missing year inside is a gap, never absent."""
    data = _dataset(q, cache)
    names = cache.reference.region_names()
    years = q.period.years()
    shown = [y for y in years if any(data.value(code, y) is not None for code in q.regions)]
    if shown:
        years = list(range(shown[0], shown[-1] + 1))
    return [Series(code, labels.region_label(code, names[code], cache.lang), years,
                   [data.value(code, y) for y in years], [data.flag(code, y) for y in years])
            for code in q.regions]


def _years_with_values(series: list[Series]) -> list[int]:
    return sorted({y for s in series for y, v in zip(s.years, s.values, strict=True) if v is not None})


def _as_index(series: list[Series]) -> tuple[list[Series], int | None, list[str]]:
    """value / value in the first year * 100 per region; regions without a first-year value get no line."""
    years = _years_with_values(series)
    if not years:
        return [Series(s.code, s.name, s.years, [None] * len(s.years), s.flags) for s in series], None, []
    base_year = years[0]
    out, no_base = [], set()
    for s in series:
        base = s.values[s.years.index(base_year)]
        if base is None:
            no_base.add(s.name)
        values = [None if v is None or not base else v / base * 100.0 for v in s.values]
        out.append(Series(s.code, s.name, s.years, values, s.flags))
    return out, base_year, sorted(no_base)


def compare_context(q: PageQuery, cache: PageCache) -> dict:
    return cache.get("compare", q.canonical_url(), lambda: _compute(q, cache))


def _compute(q: PageQuery, cache: PageCache) -> dict:
    lang = cache.lang
    ref = cache.reference
    text = _texts(q, lang)
    growth = growth_all_counties(q, cache)
    if q.view == "growth":
        chart, notes = _growth_chart(q, growth, text, cache)
    else:
        chart, notes = _lines_chart(q, growth, text, cache)
    last_import = ref.last_imports.get(q.source.slug)
    chart.source_line = with_import_date(chart.source_line, last_import)
    chart.about = about_data(source=q.source, last_import=last_import,
                             unit=text.unit if q.view != "index" else _("index"), derived=view_formula(q.view),
                             counts=_absent(q, cache))
    if not q.regions:
        # `regions=` chose none: said, not five regions nobody chose.
        chart.empty = _("No region is chosen: choose one or more regions to compare.")
    elif chart.empty or not any(row[1:] and any(cell != MISSING_MARK for cell in row[1:]) for row in chart.rows):
        chart.empty = _("There are no values for the chosen regions in %(period)s from this source.") % {
            "period": q.period}
    if not chart.empty:
        chart.downloads = {"CSV": q.url("compare_csv", embed=False), "XLSX": q.url("compare_xlsx", embed=False),
                           "ZIP": q.url("compare_zip", embed=False)}
    return {
        "chart": chart,
        "notes": notes + other_source_notes(q, ref, lang, q.url),
        "options": options(cache),
        "quick_picks": quick_picks(q, cache),
        "sector_options": sector_options(ref, q.source),
        "years": year_choices(ref.years_of(q.source), q.period.start, q.period.end),
        "source_years": ref.years_of(q.source),
        "heading": text.name,
        "subheading": f"{text.breakdown} · {q.period}",
    }


def _absent(q: PageQuery, cache: PageCache) -> tuple[int, int]:
    """Missing and confidential values among the chosen regions over the period."""
    data = _dataset(q, cache)
    years = q.period.years()
    return absent_counts([([data.value(c, y) for y in years], [data.flag(c, y) for y in years]) for c in q.regions])


def other_source_notes(q: PageQuery, ref: Reference, lang: str, url: Callable[..., str]) -> list[dict]:
    """Years of the period that only another source (another method) covers: a link, never a joined line.
    `url(**changes)` is the page's own address with the source and the period changed."""
    own = set(ref.years_of(q.source))
    wanted = set(q.period.years())
    notes = []
    for source in ref.sources.values():
        if source.pk == q.source.pk:
            continue
        extra = sorted((wanted & set(ref.years_of(source))) - own)
        if extra:
            years = f"{extra[0]}–{extra[-1]}"
            notes.append({
                "text": _("%(years)s is covered only by another source, %(source)s, which allocates exports by a "
                          "different method; its values are never joined to this series.")
                % {"years": years, "source": labels.source_label(source, lang)},
                "link": url(source=source, period=Period(extra[0], extra[-1])),
                "link_text": _("Show %(years)s from that source") % {"years": years},
            })
    return notes


def _change_of(row: GrowthRow, q: PageQuery, ranked: int) -> summaries.Change:
    return summaries.Change(q.period.start, q.period.end, row.start, row.end, row.change_pct, row.rank, ranked)


def _summarised(q: PageQuery, growth: list[GrowthRow]) -> list[GrowthRow]:
    chosen = [r for r in growth if r.region in q.regions and r.region != COUNTRY_CODE]  # by change
    if len(chosen) > SENTENCES:
        chosen = chosen[:3] + chosen[-1:]
    return chosen + [r for r in growth if r.region == COUNTRY_CODE and COUNTRY_CODE in q.regions]


def _change_sentences(q: PageQuery, growth: list[GrowthRow], text: Texts, cache: PageCache) -> list[str]:
    names = cache.reference.region_names()
    ranked = ranked_count(growth)
    phrase = labels.firm_size_phrase(q.firm_size, q.indicator)
    out = []
    for row in _summarised(q, growth):
        subject = f"{labels.region_label(row.region, names[row.region], cache.lang)}: {_lower_first(text.name)}"
        subject = f"{subject} {phrase}" if phrase else subject
        out.append(summaries.change_sentence(subject, _change_of(row, q, ranked), unit=text.unit,
                                             decimals=q.indicator.decimals, lang=cache.lang))
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _cell(value: float | None, flag: str | None, decimals: int, lang: str) -> str:
    if flag == Flag.CONFIDENTIAL:
        return _("conf.")
    return format_number(value, decimals, lang)


def _lines_chart(q: PageQuery, growth: list[GrowthRow], text: Texts, cache: PageCache) -> tuple[ChartBlock, list]:
    lang = cache.lang
    series = _series(q, cache)
    notes: list[dict] = []
    sweden = labels.region_label(COUNTRY_CODE, cache.reference.regions[COUNTRY_CODE].name, lang)
    if q.view == "index":
        series, base_year, no_base = _as_index(series)
        unit, decimals = "", 1
        y_title = _("Index (%(year)s = 100)") % {"year": base_year} if base_year else _("Index")
        title = _("%(name)s, index (%(year)s = 100)") % {"name": text.name, "year": base_year}
        title = chart_title(title, _lower_first(text.breakdown),
                            labels.method_label(q.source), str(q.period))
        if no_base:
            notes.append({"text": _("No value in %(year)s, so no index line: %(names)s.")
                          % {"year": base_year, "names": ", ".join(no_base)}})
    else:
        unit, decimals = text.unit, q.indicator.decimals
        y_title = text.unit
        title = chart_title(f"{text.name} ({text.unit})", _lower_first(text.breakdown),
                            labels.method_label(q.source), str(q.period))
    figure = charts.lines_chart(
        [charts.Line(s.name, s.years, s.values, s.flags, s.code) for s in series], y_title=y_title, unit=unit, lang=lang,
        log=q.scale == "log", reference=sweden, note=text.source_line, decimals=decimals,
        baseline=100.0 if q.view == "index" else None,
    )
    years = series[0].years if series else []
    rows = [[str(y)] + [_cell(s.values[i], s.flags[i], decimals, lang) for s in series] for i, y in enumerate(years)]
    chart = chart_block(
        id="fig-compare", title=title, source_line=text.source_line, figure=figure,
        summary=_lines_summary(q, series, growth, text, cache, decimals, unit),
        columns=[_("Year")] + [s.name for s in series], rows=rows, kind="lines",
    )
    return chart, notes


def _lines_summary(q: PageQuery, series: list[Series], growth: list[GrowthRow], text: Texts, cache: PageCache,
                   decimals: int, unit: str) -> list[str]:
    lang = cache.lang
    years = _years_with_values(series)
    if not years:
        return [_("There are no values for the chosen regions in %(period)s from this source.") % {
            "period": q.period}]
    last = [(s.name, s.values[s.years.index(years[-1])]) for s in series if s.code != COUNTRY_CODE]
    valued = [(name, value) for name, value in last if value is not None]
    out = []
    if len(valued) >= 2:
        top = max(valued, key=lambda item: item[1])  # the first of equals, in the chosen order
        bottom = min(valued, key=lambda item: item[1])
        if q.view == "index":
            out.append(_("With %(base)s = 100, %(top)s reached %(top_value)s in %(year)s, the highest of the "
                         "chosen regions, and %(bottom)s %(bottom_value)s, the lowest.") % {
                "base": years[0], "year": years[-1], "top": top[0], "bottom": bottom[0],
                "top_value": format_number(top[1], 1, lang), "bottom_value": format_number(bottom[1], 1, lang)})
        else:
            out.append(_("In %(year)s, %(top)s had the highest value of the chosen regions, %(top_value)s, and "
                         "%(bottom)s the lowest, %(bottom_value)s.") % {
                "year": years[-1], "top": top[0], "bottom": bottom[0],
                "top_value": _fmt(top[1], decimals, unit, lang), "bottom_value": _fmt(bottom[1], decimals, unit, lang)})
    if q.period.start != q.period.end:
        out.extend(_change_sentences(q, growth, text, cache))
    missing = sorted({s.name for s in series if all(v is None for v in s.values)})
    if missing:
        out.append(summaries.missing_sentence(missing))
    return out


def _fmt(value: float | None, decimals: int, unit: str, lang: str) -> str:
    return format_value(value, decimals, unit, lang) if unit else format_number(value, decimals, lang)


def _chosen_by_change(q: PageQuery, growth: list[GrowthRow]) -> list[GrowthRow]:
    chosen = [r for r in growth if r.region in q.regions]
    return sorted(chosen, key=lambda r: (r.change_pct is None, -(r.change_pct or 0.0), r.region))


def _growth_chart(q: PageQuery, growth: list[GrowthRow], text: Texts, cache: PageCache) -> tuple[ChartBlock, list]:
    lang = cache.lang
    names = cache.reference.region_names()
    order = _chosen_by_change(q, growth)
    if COUNTRY_CODE not in q.regions:
        # Sweden is always there as the reference bar: a county's change means little without the country's.
        order += [r for r in growth if r.region == COUNTRY_CODE]
    label = {r.region: labels.region_label(r.region, names[r.region], lang) for r in order}
    x_title = _("Change %(from)s–%(to)s, %%") % {"from": q.period.start, "to": q.period.end}
    figure = charts.change_bars([charts.Bar(r.region, label[r.region], r.change_pct) for r in order],
                                x_title=x_title, lang=lang, reference=COUNTRY_CODE, note=text.source_line)
    ranked = ranked_count(growth)
    decimals = q.indicator.decimals
    rows = [
        [label[r.region], _cell(r.start, r.start_flag, decimals, lang), _cell(r.end, r.end_flag, decimals, lang),
         _signed(r.change, decimals, lang), format_percent(r.change_pct, 1, lang),
         (_("%(rank)s of %(n)s") % {"rank": r.rank, "n": ranked}) if r.rank is not None else MISSING_MARK]
        for r in order
    ]
    columns = [_("Region"), f"{q.period.start} ({text.unit})", f"{q.period.end} ({text.unit})",
               _("Change (%(unit)s)") % {"unit": text.unit}, _("Change, %"), _("Rank among the counties")]
    title = chart_title(_("%(name)s, change (%%)") % {"name": text.name}, _lower_first(text.breakdown),
                        labels.method_label(q.source), str(q.period))
    summary = _change_sentences(q, growth, text, cache)
    if len(order) > SENTENCES:
        summary.append(_("The table below gives every chosen region's change and rank."))
    absent = [r for r in order if r.change_pct is None]
    secret = [label[r.region] for r in absent if Flag.CONFIDENTIAL in (r.start_flag, r.end_flag)]
    summary += summaries.absent_sentences(secret, [label[r.region] for r in absent if label[r.region] not in secret])
    chart = chart_block(id="fig-compare", title=title, source_line=text.source_line, figure=figure,
                        summary=summary, columns=columns, rows=rows, kind="bars")
    return chart, []


def _signed(value: float | None, decimals: int, lang: str) -> str:
    if value is None:
        return MISSING_MARK
    text = format_number(value, decimals, lang)
    return text if value < 0 else "+" + text


def compare_table(q: PageQuery, cache: PageCache) -> DataTable:
    """The chart's data for /compare.csv and /compare.xlsx: raw numbers, units and source in the header."""
    lang = cache.lang
    text = _texts(q, lang)
    unit = text.unit if q.view != "index" else _("index")
    view = {"value": _("values"), "index": _("index"), "growth": _("change over the period")}[q.view]
    formula = view_formula(q.view)
    last_import = cache.reference.last_imports.get(q.source.slug)
    meta = [
        (_("Indicator"), text.name),
        (_("Unit"), unit),
        (_("Source"), text.source),
        (_("Publisher"), q.source.publisher),
        (_("Method"), labels.method_label(q.source)),
        (_("Breakdown"), text.breakdown),
        (_("Period"), str(q.period)),
        (_("View"), view),
    ]
    if formula:
        meta.append((_("Formula"), formula))
    if last_import:
        meta.append((_("Last import"), last_import.finished.isoformat()))
    info = {"indicator": q.indicator.code, "indicator_name": text.name, "unit": unit, "source": text.source,
            "publisher": q.source.publisher, "method": q.source.method, "breakdown": text.breakdown,
            "firm_size": q.firm_size, "sector": q.sector, "period": str(q.period), "view": q.view,
            "formula": formula, "last_import": last_import.finished.isoformat() if last_import else ""}
    if selectors.demo_data_loaded():
        meta.append((_("Note"), _("Illustrative demo data: the figures are partly invented and are not official "
                                 "statistics.")))
        info["note"] = meta[-1][1]
    filename = f"exportregion-{q.indicator.code}-{q.firm_size}-{q.period.start}-{q.period.end}-{q.view}"
    if q.view == "growth":
        names = cache.reference.region_names()
        columns = [_("Region code"), _("Region"), f"{q.period.start}", f"{q.period.end}",
                   _("Change (%(unit)s)") % {"unit": text.unit}, _("Change, %"), _("Rank among the counties"),
                   _("Note")]
        rows = [[r.region, labels.region_label(r.region, names[r.region], lang), r.start, r.end, r.change,
                 _rounded(r.change_pct, 1), r.rank, _growth_note(r, q)]
                for r in _chosen_by_change(q, growth_all_counties(q, cache))]
        decimals = {2: q.indicator.decimals, 3: q.indicator.decimals, 4: q.indicator.decimals, 5: 1}
        return _with_sector(DataTable(text.name, meta, columns, rows, decimals, filename, info), q.sector)
    series = _series(q, cache)
    value_title = _("Value (%(unit)s)") % {"unit": text.unit}
    round_to: int | None = None
    if q.view == "index":
        series, base_year, _no_base = _as_index(series)
        value_title = _("Index (%(year)s = 100)") % {"year": base_year}
        round_to = 1
    flags = _flag_notes()
    rows = [[s.code, s.name, y, _rounded(v, round_to), flags.get(f or "", "")]
            for s in series for y, v, f in zip(s.years, s.values, s.flags, strict=True)]
    columns = [_("Region code"), _("Region"), _("Year"), value_title, _("Note")]
    decimals = {3: 1 if q.view == "index" else q.indicator.decimals}
    return _with_sector(DataTable(text.name, meta, columns, rows, decimals, filename, info), q.sector)


def _with_sector(table: DataTable, sector: str) -> DataTable:
    """A chosen sector as a column of its own: every row of the tidy CSV says what it is."""
    if sector:
        table.columns.append(_("Sector"))
        for row in table.rows:
            row.append(sector)
    return table


def view_formula(view: str) -> str:
    """How the values of a derived view are computed ('' for the stored values)."""
    if view == "index":
        return _("index = value / value in the first year with a value × 100")
    if view == "growth":
        return _("change, % = (value at the end − value at the start) / value at the start × 100")
    return ""


def _flag_notes() -> dict[str, str]:
    """The Note column of the downloads: a confidential value is marked, never just an empty cell."""
    return {Flag.CONFIDENTIAL: _("confidential"), Flag.DERIVED: _("derived")}


def _growth_note(r: GrowthRow, q: PageQuery) -> str:
    """'confidential (2019)': which end of the change is flagged (a growth row has two values)."""
    flags = _flag_notes()
    notes = [f"{flags[flag]} ({year})" for flag, year in ((r.start_flag, q.period.start), (r.end_flag, q.period.end))
             if flag in flags]
    return "; ".join(dict.fromkeys(notes))


def _rounded(value: float | None, decimals: int | None) -> float | None:
    return value if value is None or decimals is None else round(value, decimals)
