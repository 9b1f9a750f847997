"""/regions/: every county in one sortable table for the chosen indicator: the value at the end of
the period, the change over the period and the ranks. Sorting is a GET parameter (links in the
column headers), so it works without JavaScript and the URL keeps it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from regions.data import COUNTRY_CODE
from regions.selectors import region_names
from stats import selectors
from stats.formatting import MISSING_MARK, format_number, format_percent
from stats.pages import labels
from stats.pages.common import for_page, parse_choice
from stats.pages.common_data import PageCache, dimensions, options, sector_options
from stats.pages.compare import other_source_notes
from stats.params import BadParameter, parse_series_query
from stats.selectors import SeriesQuery

DEFAULT_INDICATOR = "goods_export_per_capita_sek"
SORTS = ("name", "value", "change")
ORDERS = ("asc", "desc")


@dataclass(frozen=True)
class TableState:
    query: SeriesQuery
    sort: str
    order: str

    def params(self, **changes: str) -> dict[str, str]:
        q = self.query
        params = {"indicator": q.indicator.code, "firm_size": q.firm_size, "source": q.source.slug,
                  "from": str(q.year_from), "to": str(q.year_to), "sort": self.sort, "order": self.order}
        if q.sector:
            params["sector"] = q.sector
        params.update(changes)
        return params

    def querystring(self, **changes: str) -> str:
        return urlencode(self.params(**changes))

    def url(self, **changes: str) -> str:
        return f"{reverse('regions:list')}?{self.querystring(**changes)}"


def parse_table(params: Mapping[str, str], cache: PageCache) -> TableState:
    sort = parse_choice(params, "sort", SORTS, "value")
    order = parse_choice(params, "order", ORDERS, "asc" if sort == "name" else "desc")
    raw = {k: v for k, v in params.items() if k in ("indicator", "firm_size", "source", "sector", "from", "to")}
    q = for_page(parse_series_query(raw, default_indicator=DEFAULT_INDICATOR))
    years = dimensions(cache).years_of(q.source) or [0]
    year_to = q.year_to if q.year_to is not None else years[-1]
    year_from = q.year_from if q.year_from is not None else max(years[0], year_to - 5)
    if year_from > year_to:
        raise BadParameter(_("from must not be after to"))
    return TableState(replace(q, regions=None, year_from=year_from, year_to=year_to), sort, order)


_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def swedish_collation(name: str) -> str:
    """Sort key in Swedish alphabetical order: … x, y, z, å, ä, ö (code points put ä before å)."""
    return name.lower().translate(_SWEDISH_ORDER)


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    end: str
    start: str
    change_pct: str
    change_rank: str
    value_rank: str


def _rows(state: TableState, lang: str) -> tuple[list[Row], Row | None, int]:
    q = state.query
    growth = selectors.growth_frame(q)
    decimals = q.indicator.decimals
    counties = growth[growth["region"] != COUNTRY_CODE].copy()
    counties["value_rank"] = counties["end"].rank(ascending=False, method="min")
    counties["collation"] = counties["name"].map(swedish_collation)
    key = {"name": "collation", "value": "end", "change": "change_pct"}[state.sort]
    counties = counties.sort_values([key, "collation"], ascending=[state.order == "asc", True],
                                    na_position="last")

    def value(v, flag) -> str:
        # Confidential is not the same as missing: the label the compare and map tables use.
        return _("conf.") if flag == "confidential" else format_number(v, decimals, lang)

    def row(r, *, ranked: bool = True) -> Row:
        return Row(r.region, labels.region_label(r.region, r.name, lang), value(r.end, r.end_flag),
                   value(r.start, r.start_flag), format_percent(r.change_pct, 1, lang),
                   str(int(r.rank)) if ranked and pd.notna(r.rank) else MISSING_MARK,
                   str(int(r.value_rank)) if ranked and pd.notna(r.value_rank) else MISSING_MARK)

    national = growth[growth["region"] == COUNTRY_CODE].assign(value_rank=float("nan"))
    sweden = row(next(national.itertuples()), ranked=False) if len(national) else None
    return [row(r) for r in counties.itertuples()], sweden, int(counties["rank"].notna().sum())


def table_context(state: TableState, cache: PageCache) -> dict:
    lang = cache.lang

    def compute() -> dict:
        q = state.query
        rows, sweden, ranked = _rows(state, lang)
        dims = dimensions(cache)
        unit = labels.indicator_unit(q.indicator, lang)
        headers = []
        for key, label in (("name", _("County")), ("value", f"{q.year_to} ({unit})"),
                           ("change", _("Change %(from)s–%(to)s") % {"from": q.year_from, "to": q.year_to})):
            active = state.sort == key
            order = ("desc" if state.order == "asc" else "asc") if active else ("asc" if key == "name" else "desc")
            headers.append({"key": key, "label": label, "url": state.url(sort=key, order=order),
                            "aria_sort": ("ascending" if state.order == "asc" else "descending") if active else ""})
        compare = {"regions": ",".join(c for c in region_names() if c != COUNTRY_CODE),
                   "indicator": q.indicator.code, "firm_size": q.firm_size, "source": q.source.slug,
                   "from": q.year_from, "to": q.year_to, "view": "growth"}
        if q.sector:
            compare["sector"] = q.sector  # every control of the table travels to the chart and the downloads
        query = urlencode(compare, safe=",")
        # Years of the period the source does not cover: the compare page's pointer to the other source
        # (looked up only then, so an ordinary table costs no query for it).
        outside = set(range(q.year_from, q.year_to + 1)) - set(dims.years_of(q.source))
        notes = other_source_notes(q, dims, lang, state.url) if outside else []
        if not ranked and not notes and all(r.end == MISSING_MARK and r.start == MISSING_MARK for r in rows):
            notes = [{"text": _("There are no values for this selection.")}]
        return {
            "rows": rows, "sweden": sweden, "ranked": ranked, "headers": headers, "notes": notes,
            "options": options(cache), "sector_options": sector_options(dims, q.source), "years": dims.all_years(),
            "heading": labels.indicator_name(q.indicator, lang), "unit": unit,
            "source_line": labels.source_line(q.source, q.firm_size, q.sector, lang, q.indicator),
            "compare_url": f"{reverse('dashboard:compare')}?{query}",
            "downloads": {"CSV": f"{reverse('dashboard:compare_csv')}?{query}",
                          "XLSX": f"{reverse('dashboard:compare_xlsx')}?{query}"},
        }

    return cache.get("regions-table", state.querystring(), compute)
