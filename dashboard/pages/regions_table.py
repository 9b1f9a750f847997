"""/regions/: every county in one sortable table for the chosen indicator: the value at the end of
the period, the change over the period and the ranks. Sorting is a GET parameter (links in the
column headers), so it works without JavaScript and the URL keeps it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboard.blocks import year_choices
from dashboard.pages.compare import other_source_notes
from dashboard.query import PageQuery
from dashboard.reference import PageCache, options, sector_options
from regions.data import COUNTRY_CODE
from stats import labels
from stats.flags import Flag
from stats.formatting import MISSING_MARK, format_number, format_percent
from stats.growth import GrowthRow, growth_rows, ranked_count

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


def _rows(q: PageQuery, cache: PageCache) -> tuple[list[Row], Row | None, int]:
    lang = cache.lang
    names = cache.reference.region_names()
    growth = growth_rows(cache.dataset(q.indicator, q.source, q.firm_size, q.sector), start=q.period.start,
                         end=q.period.end, counties=cache.reference.county_codes())
    decimals = q.indicator.decimals
    counties = [r for r in growth if r.region != COUNTRY_CODE]
    ends = [r.end for r in counties if r.end is not None]
    value_rank = {r.region: 1 + sum(1 for v in ends if v > r.end) for r in counties if r.end is not None}
    collation = {r.region: swedish_collation(names[r.region]) for r in growth}
    number = {"name": None, "value": "end", "change": "change_pct"}[q.sort]

    def key(r: GrowthRow) -> tuple:
        if not number:
            return (0, collation[r.region], collation[r.region])
        value: float | None = getattr(r, number)
        if value is None:
            return (1, 0, collation[r.region])  # missing last, whatever the order
        return (0, -value if q.order == "desc" else value, collation[r.region])

    counties.sort(key=key)
    if number is None and q.order == "desc":
        counties.reverse()

    def value(v: float | None, flag: str | None) -> str:
        # Confidential is not the same as missing: the label the compare and map tables use.
        return _("conf.") if flag == Flag.CONFIDENTIAL else format_number(v, decimals, lang)

    def row(r: GrowthRow, *, ranked: bool = True) -> Row:
        rank = value_rank.get(r.region)
        return Row(r.region, labels.region_label(r.region, names[r.region], lang), value(r.end, r.end_flag),
                   value(r.start, r.start_flag), format_percent(r.change_pct, 1, lang),
                   str(r.rank) if ranked and r.rank is not None else MISSING_MARK,
                   str(rank) if ranked and rank is not None else MISSING_MARK)

    national = next((r for r in growth if r.region == COUNTRY_CODE), None)
    sweden = row(national, ranked=False) if national is not None else None
    return [row(r) for r in counties], sweden, ranked_count(growth)


def table_context(q: PageQuery, cache: PageCache) -> dict:
    lang = cache.lang

    def compute() -> dict:
        rows, sweden, ranked = _rows(q, cache)
        ref = cache.reference
        unit = labels.indicator_unit(q.indicator, lang)
        headers = []
        for key, label in (("name", _("County")), ("value", f"{q.period.end} ({unit})"),
                           ("change", _("Change %(from)s–%(to)s") % {"from": q.period.start, "to": q.period.end})):
            active = q.sort == key
            order = ("desc" if q.order == "asc" else "asc") if active else ("asc" if key == "name" else "desc")
            headers.append({"key": key, "label": label, "url": q.url(sort=key, order=order),
                            "aria_sort": ("ascending" if q.order == "asc" else "descending") if active else ""})
        # Every control of the table travels to the chart and the downloads.
        growth = {"regions": tuple(ref.county_codes()), "view": "growth"}
        # Years of the period the source does not cover: the compare page's pointer to the other source.
        outside = set(q.period.years()) - set(ref.years_of(q.source))
        notes = other_source_notes(q, ref, lang, q.url) if outside else []
        # A table of nothing but ".." is a message (naming the period asked for), never 22 rows of it.
        empty = all(r.end == MISSING_MARK and r.start == MISSING_MARK for r in rows) and (
            sweden is None or (sweden.end == MISSING_MARK and sweden.start == MISSING_MARK))
        if empty:
            notes = [{"text": _("There are no values for %(period)s from this source, %(source)s.") % {
                "period": q.period, "source": labels.source_label(q.source, lang)}}] + notes
        return {
            "rows": rows, "sweden": sweden, "ranked": ranked, "headers": headers, "notes": notes, "empty": empty,
            "options": options(cache), "sector_options": sector_options(ref, q.source),
            "years": year_choices(ref.years_of(q.source), q.period.start, q.period.end),
            "heading": labels.indicator_name(q.indicator, lang), "unit": unit,
            "source_line": labels.source_line(q.source, q.firm_size, q.sector, lang, q.indicator),
            "compare_url": q.url("compare", **growth),
            "downloads": {"CSV": q.url("compare_csv", **growth), "XLSX": q.url("compare_xlsx", **growth)},
        }

    return cache.get("regions-table", q.canonical_url(), compute)
