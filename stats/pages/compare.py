"""/compare/: any regions, indicator, firm size, source, sector and period; views value, index, growth.

Every control is a GET parameter, so the URL is the state. The growth view reads
selectors.growth_frame over all counties, exactly like /api/v1/growth, and then shows the chosen
regions: the ranks are ranks among the 21 counties, the same as the API's and the region page's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from regions.data import COUNTRY_CODE
from regions.selectors import region_names
from stats import charts, selectors, summaries
from stats.downloads import DataTable
from stats.formatting import MISSING_MARK, format_number, format_percent, format_value
from stats.models import Source
from stats.pages import labels
from stats.pages.common import ChartBlock, chart_block, for_page, parse_choice
from stats.pages.common_data import Dimensions, PageCache, dimensions, options, sector_options
from stats.params import BadParameter, parse_series_query
from stats.selectors import SeriesQuery

VIEWS = ("value", "index", "growth")
SCALES = ("linear", "log")
DEFAULT_INDICATOR = "goods_export_per_capita_sek"
DEFAULT_REGIONS = "01,12,14,25,00"


@dataclass(frozen=True)
class CompareState:
    query: SeriesQuery  # regions always set; year_from and year_to always set
    view: str
    scale: str

    def params(self, **changes: str) -> dict[str, str]:
        q = self.query
        params = {
            "regions": ",".join(q.regions or ()),
            "indicator": q.indicator.code,
            "firm_size": q.firm_size,
            "source": q.source.slug,
            "from": str(q.year_from),
            "to": str(q.year_to),
            "view": self.view,
            "scale": self.scale,
        }
        if q.sector:
            params["sector"] = q.sector
        params.update(changes)
        return params

    def querystring(self, **changes: str) -> str:
        return urlencode(self.params(**changes), safe=",")

    def url(self, name: str = "dashboard:compare", **changes: str) -> str:
        return f"{reverse(name)}?{self.querystring(**changes)}"


def parse_compare(params: Mapping[str, str], cache: PageCache) -> CompareState:
    """Hostile GET parameters -> a complete state (defaults filled in), or BadParameter."""
    view = parse_choice(params, "view", VIEWS, "value")
    scale = parse_choice(params, "scale", SCALES, "linear")
    raw = dict(params)
    if not (raw.get("regions") or "").strip():
        raw["regions"] = DEFAULT_REGIONS
    q = for_page(parse_series_query(raw, default_indicator=DEFAULT_INDICATOR))
    years = dimensions(cache).years_of(q.source) or dimensions(cache).all_years()
    if not years:
        years = [0]
    year_from = q.year_from if q.year_from is not None else years[0]
    year_to = q.year_to if q.year_to is not None else years[-1]
    if year_from > year_to:
        raise BadParameter(_("from must not be after to"))
    if view == "growth" and year_from == year_to:
        raise BadParameter(_("a change needs a period of at least two years: choose a first year before the "
                             "last year"))
    return CompareState(replace(q, year_from=year_from, year_to=year_to), view, scale)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def growth_all_counties(q: SeriesQuery) -> pd.DataFrame:
    """growth_frame over every county (and Sweden), as /api/v1/growth computes and rounds it: ranks among
    all counties."""
    return selectors.rounded_growth(selectors.growth_frame(replace(q, regions=None)), q.indicator.decimals)


def _series(state: CompareState, lang: str) -> pd.DataFrame:
    """The chosen regions' values on the full year grid: a missing year is a NaN row (a gap), never absent."""
    q = state.query
    frame = selectors.series_frame(q, include_country=False)
    names = region_names()
    codes = list(q.regions or ())
    years = list(range(q.year_from, q.year_to + 1))
    grid = pd.MultiIndex.from_product([codes, years], names=["region", "year"]).to_frame(index=False)
    frame = grid.merge(frame.drop(columns="name"), on=["region", "year"], how="left")
    frame["name"] = [labels.region_label(c, names[c], lang) for c in frame["region"]]
    frame["series"] = frame["name"]
    return frame


def _years_with_values(frame: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in frame.loc[frame["value"].notna(), "year"].tolist()})


def _trim_years(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the leading and trailing years where no chosen region has a value (outside the source's series)."""
    years = _years_with_values(frame)
    if not years:
        return frame
    return frame[(frame["year"] >= years[0]) & (frame["year"] <= years[-1])]


def _as_index(frame: pd.DataFrame) -> tuple[pd.DataFrame, int | None, list[str]]:
    """value / value in the first year * 100 per region; regions without a first-year value get no line."""
    years = _years_with_values(frame)
    if not years:
        return frame.assign(value=float("nan")), None, []
    base_year = years[0]
    base = frame[frame["year"] == base_year].set_index("region")["value"]
    out = frame.copy()
    out["value"] = out["value"] / out["region"].map(base).where(lambda s: s != 0) * 100.0
    no_base = sorted({n for c, n in zip(frame["region"], frame["name"], strict=True) if pd.isna(base.get(c))})
    return out, base_year, no_base


def compare_context(state: CompareState, cache: PageCache) -> dict:
    return cache.get("compare", state.querystring(), lambda: _compute(state, cache))


def _labels(state: CompareState, lang: str) -> dict[str, str]:
    q = state.query
    return {
        "name": labels.indicator_name(q.indicator, lang),
        "unit": labels.indicator_unit(q.indicator, lang),
        "source_line": labels.source_line(q.source, q.firm_size, q.sector, lang, q.indicator),
        "breakdown": labels.breakdown_label(q.firm_size, q.sector, q.indicator),
        "source": labels.source_label(q.source, lang),
    }


def _compute(state: CompareState, cache: PageCache) -> dict:
    lang = cache.lang
    q = state.query
    dims = dimensions(cache)
    text = _labels(state, lang)
    growth = growth_all_counties(q)
    if state.view == "growth":
        chart, notes = _growth_chart(state, growth, text, lang)
    else:
        chart, notes = _lines_chart(state, growth, text, lang)
    chart.downloads = {"CSV": state.url("dashboard:compare_csv"), "XLSX": state.url("dashboard:compare_xlsx")}
    return {
        "chart": chart,
        "notes": notes + other_source_notes(q, dims, lang, state.url),
        "options": options(cache),
        "sector_options": sector_options(dims, q.source),
        "years": dims.all_years(),
        "source_years": dims.years_of(q.source),
        "heading": text["name"],
        "subheading": f"{text['breakdown']} · {q.year_from}–{q.year_to}",
    }


def other_source_notes(q: SeriesQuery, dims: Dimensions, lang: str, url: Callable[..., str]) -> list[dict]:
    """Years of the period that only another source (another method) covers: a link, never a joined line.
    `url(**changes)` is the page's own address with the source and the period changed."""
    own = set(dims.years_of(q.source))
    wanted = set(range(q.year_from, q.year_to + 1))
    notes = []
    for source in Source.objects.exclude(pk=q.source.pk):
        extra = sorted((wanted & set(dims.years_of(source))) - own)
        if extra:
            notes.append({
                "text": _("%(years)s is covered only by another source, %(source)s, which allocates exports by a "
                          "different method; its values are never joined to this series.")
                % {"years": f"{extra[0]}–{extra[-1]}", "source": labels.source_label(source, lang)},
                "link": url(source=source.slug, **{"from": str(extra[0]), "to": str(extra[-1])}),
                "link_text": _("Show %(years)s from that source") % {"years": f"{extra[0]}–{extra[-1]}"},
            })
    return notes


def _change_of(growth: pd.DataFrame, code: str, q: SeriesQuery) -> summaries.Change | None:
    rows = growth[growth["region"] == code]
    if rows.empty:
        return None
    r = rows.iloc[0]
    ranked = int(growth["rank"].notna().sum())
    rank = None if pd.isna(r["rank"]) else int(r["rank"])
    return summaries.Change(q.year_from, q.year_to, _num(r["start"]), _num(r["end"]), _num(r["change_pct"]),
                            rank, ranked)


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


SENTENCES = 5  # regions summarised one by one; with more, the top three, the last one and Sweden


def _summarised_codes(q: SeriesQuery, growth: pd.DataFrame) -> list[str]:
    order = growth[growth["region"].isin(q.regions or ())]
    codes = [c for c in order["region"].tolist() if c != COUNTRY_CODE]  # growth_frame's order: by change
    if len(codes) > SENTENCES:
        codes = codes[:3] + codes[-1:]
    return codes + ([COUNTRY_CODE] if COUNTRY_CODE in (q.regions or ()) else [])


def _change_sentences(state: CompareState, growth: pd.DataFrame, text: dict, lang: str) -> list[str]:
    q = state.query
    names = region_names()
    out = []
    for code in _summarised_codes(q, growth):
        change = _change_of(growth, code, q)
        if change is None:
            continue
        phrase = labels.firm_size_phrase(q.firm_size, q.indicator)
        subject = f"{labels.region_label(code, names[code], lang)}: {_lower_first(text['name'])}"
        subject = f"{subject} {phrase}" if phrase else subject
        out.append(summaries.change_sentence(subject, change, unit=text["unit"], decimals=q.indicator.decimals,
                                             lang=lang))
    return out


def _lines_chart(state: CompareState, growth: pd.DataFrame, text: dict, lang: str) -> tuple[ChartBlock, list]:
    q = state.query
    frame = _trim_years(_series(state, lang))
    decimals = q.indicator.decimals
    notes: list[dict] = []
    sweden = labels.region_label(COUNTRY_CODE, region_names()[COUNTRY_CODE], lang)
    if state.view == "index":
        frame, base_year, no_base = _as_index(frame)
        unit, shown_decimals = "", 1
        y_title = _("Index (%(year)s = 100)") % {"year": base_year} if base_year else _("Index")
        title = _("%(name)s, index (%(year)s = 100)") % {"name": text["name"], "year": base_year}
        if no_base:
            notes.append({"text": _("No value in %(year)s, so no index line: %(names)s.")
                          % {"year": base_year, "names": ", ".join(no_base)}})
    else:
        unit, shown_decimals = text["unit"], decimals
        y_title = text["unit"]
        title = f"{text['name']} ({text['unit']})"
    figure = charts.lines_over_years(
        frame, y_title=y_title, unit=unit, lang=lang, log=state.scale == "log", reference=sweden,
        note=text["source_line"], decimals=shown_decimals, baseline=100.0 if state.view == "index" else None,
    )
    years = sorted({int(y) for y in frame["year"].tolist()})
    codes = list(dict.fromkeys(frame["region"].tolist()))
    names = dict(zip(frame["region"], frame["name"], strict=True))
    cells = {(r.region, int(r.year)): _cell(r.value, r.flag, shown_decimals, lang) for r in frame.itertuples()}
    rows = [[str(y)] + [cells.get((c, y), MISSING_MARK) for c in codes] for y in years]
    summary = _lines_summary(state, frame, growth, text, lang, shown_decimals, unit)
    chart = chart_block(
        id="fig-compare", title=title, source_line=text["source_line"], figure=figure, summary=summary,
        columns=[_("Year")] + [names[c] for c in codes], rows=rows, kind="lines",
    )
    return chart, notes


def _cell(value, flag, decimals: int, lang: str) -> str:
    if flag == "confidential":
        return _("conf.")
    return format_number(value, decimals, lang)


def _lines_summary(state: CompareState, frame: pd.DataFrame, growth: pd.DataFrame, text: dict, lang: str,
                   decimals: int, unit: str) -> list[str]:
    q = state.query
    years = _years_with_values(frame)
    if not years:
        return [_("There are no values for this selection.")]
    last = frame[(frame["year"] == years[-1]) & frame["value"].notna() & (frame["region"] != COUNTRY_CODE)]
    out = []
    if state.view == "index" and len(last) >= 2:
        top = last.loc[last["value"].idxmax()]
        bottom = last.loc[last["value"].idxmin()]
        out.append(_("With %(base)s = 100, %(top)s reached %(top_value)s in %(year)s, the highest of the chosen "
                     "regions, and %(bottom)s %(bottom_value)s, the lowest.") % {
            "base": years[0], "year": years[-1], "top": top["name"], "bottom": bottom["name"],
            "top_value": format_number(top["value"], 1, lang), "bottom_value": format_number(bottom["value"], 1, lang)})
    elif len(last) >= 2:
        top = last.loc[last["value"].idxmax()]
        bottom = last.loc[last["value"].idxmin()]
        out.append(_("In %(year)s, %(top)s had the highest value of the chosen regions, %(top_value)s, and "
                     "%(bottom)s the lowest, %(bottom_value)s.") % {
            "year": years[-1], "top": top["name"], "bottom": bottom["name"],
            "top_value": _fmt(top["value"], decimals, unit, lang),
            "bottom_value": _fmt(bottom["value"], decimals, unit, lang)})
    if q.year_from != q.year_to:
        out.extend(_change_sentences(state, growth, text, lang))
    missing = sorted({n for n, part in frame.groupby("name") if part["value"].isna().all()})
    if missing:
        out.append(summaries.missing_sentence(missing))
    return out


def _fmt(value, decimals: int, unit: str, lang: str) -> str:
    return format_value(value, decimals, unit, lang) if unit else format_number(value, decimals, lang)


def _growth_chart(state: CompareState, growth: pd.DataFrame, text: dict, lang: str) -> tuple[ChartBlock, list]:
    q = state.query
    names = region_names()
    chosen = growth[growth["region"].isin(q.regions or ())].copy()
    chosen["name"] = [labels.region_label(c, names[c], lang) for c in chosen["region"]]
    x_title = _("Change %(from)s–%(to)s, %%") % {"from": q.year_from, "to": q.year_to}
    figure = charts.growth_bars(chosen, x_title=x_title, lang=lang, reference=COUNTRY_CODE,
                                note=text["source_line"])
    ranked = int(growth["rank"].notna().sum())
    order = chosen.sort_values(["change_pct", "region"], ascending=[False, True], na_position="last")
    decimals = q.indicator.decimals
    rows = [
        [r.name, _cell(r.start, r.start_flag, decimals, lang), _cell(r.end, r.end_flag, decimals, lang),
         _signed(r.change, decimals, lang), format_percent(r.change_pct, 1, lang),
         (_("%(rank)s of %(n)s") % {"rank": int(r.rank), "n": ranked}) if not pd.isna(r.rank) else MISSING_MARK]
        for r in order.itertuples()
    ]
    columns = [_("Region"), f"{q.year_from} ({text['unit']})", f"{q.year_to} ({text['unit']})",
               _("Change (%(unit)s)") % {"unit": text["unit"]}, _("Change, %"), _("Rank among the counties")]
    title = _("%(name)s: change %(from)s–%(to)s") % {"name": text["name"], "from": q.year_from, "to": q.year_to}
    summary = _change_sentences(state, growth, text, lang)
    if len(chosen) > SENTENCES:
        summary.append(_("The table below gives every chosen region's change and rank."))
    absent = [r for r in order.itertuples() if pd.isna(r.change_pct)]
    secret = [r.name for r in absent if "confidential" in (r.start_flag, r.end_flag)]
    summary += summaries.absent_sentences(secret, [r.name for r in absent if r.name not in secret])
    chart = chart_block(id="fig-compare", title=title, source_line=text["source_line"], figure=figure,
                        summary=summary, columns=columns, rows=rows, kind="bars")
    return chart, []


def _signed(value, decimals: int, lang: str) -> str:
    if value is None or pd.isna(value):
        return MISSING_MARK
    text = format_number(value, decimals, lang)
    return text if value < 0 else "+" + text


def compare_table(state: CompareState, cache: PageCache) -> DataTable:
    """The chart's data for /compare.csv and /compare.xlsx: raw numbers, units and source in the header."""
    lang = cache.lang
    q = state.query
    text = _labels(state, lang)
    meta = [
        (_("Indicator"), text["name"]),
        (_("Unit"), text["unit"] if state.view != "index" else _("index")),
        (_("Source"), text["source"]),
        (_("Breakdown"), text["breakdown"]),
        (_("Period"), f"{q.year_from}–{q.year_to}"),
        (_("View"), state.view),
    ]
    if selectors.demo_data_loaded():
        meta.append((_("Note"), _("Illustrative demo data: the figures are partly invented and are not official "
                                 "statistics.")))
    filename = f"exportregion-{q.indicator.code}-{q.firm_size}-{q.year_from}-{q.year_to}-{state.view}"
    if state.view == "growth":
        growth = growth_all_counties(q)
        names = region_names()
        chosen = growth[growth["region"].isin(q.regions or ())]
        chosen = chosen.sort_values(["change_pct", "region"], ascending=[False, True], na_position="last")
        columns = [_("Region code"), _("Region"), f"{q.year_from}", f"{q.year_to}",
                   _("Change (%(unit)s)") % {"unit": text["unit"]}, _("Change, %"), _("Rank among the counties"),
                   _("Note")]
        rows = [[r.region, labels.region_label(r.region, names[r.region], lang), _num(r.start), _num(r.end),
                 _num(r.change), _rounded(r.change_pct, 1), None if pd.isna(r.rank) else int(r.rank),
                 _growth_note(r, q)]
                for r in chosen.itertuples()]
        decimals = {2: q.indicator.decimals, 3: q.indicator.decimals, 4: q.indicator.decimals, 5: 1}
        return DataTable(text["name"], meta, columns, rows, decimals, filename)
    frame = _trim_years(_series(state, lang))
    value_title = _("Value (%(unit)s)") % {"unit": text["unit"]}
    if state.view == "index":
        frame, base_year, _no_base = _as_index(frame)
        value_title = _("Index (%(year)s = 100)") % {"year": base_year}
    flags = _flag_notes()
    value = _num if state.view != "index" else (lambda v: _rounded(v, 1))
    rows = [[r.region, r.name, int(r.year), value(r.value), flags.get(r.flag, "") if isinstance(r.flag, str) else ""]
            for r in frame.itertuples()]
    columns = [_("Region code"), _("Region"), _("Year"), value_title, _("Note")]
    decimals = {3: 1 if state.view == "index" else q.indicator.decimals}
    return DataTable(text["name"], meta, columns, rows, decimals, filename)


def _flag_notes() -> dict[str, str]:
    """The Note column of the downloads: a confidential value is marked, never just an empty cell."""
    return {"confidential": _("confidential"), "derived": _("derived")}


def _growth_note(r, q: SeriesQuery) -> str:
    """'confidential (2019)': which end of the change is flagged (a growth row has two values)."""
    flags = _flag_notes()
    notes = [f"{flags[flag]} ({year})" for flag, year in ((r.start_flag, q.year_from), (r.end_flag, q.year_to))
             if isinstance(flag, str) and flag in flags]
    return "; ".join(dict.fromkeys(notes))


def _rounded(value, decimals: int) -> float | None:
    number = _num(value)
    return None if number is None else round(number, decimals)
