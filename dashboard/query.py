"""The page query: what an analyst page shows, parsed once from the hostile GET parameters.

One frozen PageQuery serves every page (overview, regions table, region page, compare and its
downloads, map, embeds); one parser (PageQueryForm) makes it, knowing the years each source covers,
and anything it cannot make sense of is a BadParameter (a friendly 400). `PageQuery.url(page, **changes)`
builds every link between the pages, and its canonical URL is the page cache's key, so parameters a
page does not know never make a new cache entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.reference import Reference
from regions.data import COUNTRY_CODE
from regions.models import Region
from stats import labels
from stats.indicators import FIRM_SIZES
from stats.models import Indicator, Source
from stats.params import BadParameter

VIEWS = ("value", "index", "growth")
SCALES = ("linear", "log")
SORTS = ("name", "value", "change")
ORDERS = ("asc", "desc")
DEFAULT_INDICATOR = "goods_export_per_capita_sek"
DEFAULT_REGIONS = ("01", "12", "14", "25", COUNTRY_CODE)
MAX_REGIONS = 50
TABLE_YEARS = 5  # the regions table's default period: the last five years of changes
SECTOR_MAX = 100

# The parameters each page reads, in the order its links write them; `sector` and `embed` only when set.
PAGE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "overview": (),
    "compare": ("regions", "indicator", "firm_size", "source", "from", "to", "view", "scale", "sector"),
    "map": ("indicator", "firm_size", "source", "year", "sector"),
    "regions": ("indicator", "firm_size", "source", "from", "to", "sort", "order", "sector"),
    "region": ("source", "from", "to", "chart"),
}
PAGE_PARAMETERS["compare_csv"] = PAGE_PARAMETERS["compare_xlsx"] = PAGE_PARAMETERS["compare"]
PAGE_PARAMETERS["compare_zip"] = PAGE_PARAMETERS["compare"]
PAGE_PARAMETERS["region_csv"] = PAGE_PARAMETERS["region_xlsx"] = PAGE_PARAMETERS["region"]
PAGE_PARAMETERS["region_zip"] = PAGE_PARAMETERS["region"]
PAGE_PARAMETERS["region_all_xlsx"] = ("source", "from", "to")
REGION_PAGES = ("region", "region_csv", "region_xlsx", "region_zip", "region_all_xlsx")
COMPARE_PAGES = ("compare", "compare_csv", "compare_xlsx", "compare_zip")
__all__ = ["BadParameter", "Coverage", "PageQuery", "PageQueryForm", "Period", "PeriodNotCovered", "flat_params",
           "nearest_period", "parse_page_query"]


@dataclass(frozen=True)
class Period:
    start: int
    end: int

    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


def nearest_period(asked: Period, years: list[int]) -> Period:
    """The period within `years` (sorted, not empty) closest to `asked`: as long as it (at most all the years
    covered), shifted inside them; 2005–2010 in 2010–2015 is 2010–2015, 0001–9999 is every covered year."""
    first, last = years[0], years[-1]
    length = min(asked.end - asked.start, last - first)
    start = min(max(asked.start, first), last - length)
    return Period(start, start + length)


@dataclass(frozen=True)
class Coverage:
    """The years one source covers, and a link to its covered period nearest to the one asked for."""

    source: str  # the source's name in the page's language
    years: Period
    nearest: Period
    url: str


class PeriodNotCovered(BadParameter):
    """A period reaching beyond every year the sources cover (a friendly 400): the period asked for, and the
    years each source covers with a link to its nearest covered period, nearest first."""

    def __init__(self, message: str, *, asked: str, coverage: list[Coverage]) -> None:
        super().__init__(message)
        self.asked, self.coverage = asked, coverage


@dataclass(frozen=True)
class PageQuery:
    """Everything an analyst page shows, complete (defaults filled in) and valid."""

    page: str
    regions: tuple[str, ...]  # the compare page's choice; the region page's one region; else every county
    indicator: Indicator
    firm_size: str
    sector: str
    source: Source
    period: Period  # the map's year is a period of one year
    view: str = "value"
    scale: str = "linear"
    language: str = "sv"
    embed: bool = False
    sort: str = "value"
    order: str = "desc"
    chart: str = ""  # the region page's embedded or downloaded chart
    region: Region | None = field(default=None, compare=False)  # the region page's region

    def params(self, page: str) -> dict[str, str]:
        values = {
            "regions": ",".join(self.regions), "indicator": self.indicator.code, "firm_size": self.firm_size,
            "source": self.source.slug, "from": str(self.period.start), "to": str(self.period.end),
            "year": str(self.period.end), "view": self.view, "scale": self.scale, "sort": self.sort,
            "order": self.order, "sector": self.sector, "chart": self.chart,
        }
        params = {name: values[name] for name in PAGE_PARAMETERS[page] if name not in ("sector", "chart")
                  or values[name]}
        if self.embed:
            params["embed"] = "1"
        return params

    def url(self, page: str | None = None, **changes: Any) -> str:
        """The address of `page` (default: this page) showing this query with `changes` applied, e.g.
        query.url("compare", view="growth") or query.url(source=other, period=Period(2010, 2015))."""
        page = page or self.page
        query = replace(self, **changes) if changes else self
        args = [query.regions[0]] if page in REGION_PAGES else []
        string = urlencode(query.params(page), safe=",")
        path = reverse(f"dashboard:{page}", args=args)
        return f"{path}?{string}" if string else path

    def canonical_url(self) -> str:
        """This page's address with every parameter it reads and no other: the page cache's key. Built once
        per query object (a parsed query is kept for the requests that repeat it)."""
        return self._canonical_url

    @cached_property
    def _canonical_url(self) -> str:
        return self.url()


class Text(forms.CharField):
    """An optional text parameter (stripped; a NUL byte is refused, as by every CharField). Stateless, so
    every form shares the one instance: Django's per-form deep copy of the fields would cost more than
    the page cache's whole answer."""

    def __init__(self) -> None:
        super().__init__(required=False)

    def __deepcopy__(self, memo: dict[int, Any]) -> Text:
        return self


class PageQueryForm(forms.Form):
    """The one parser of every analyst page's GET parameters: syntax in the fields, meaning in clean()
    (regions, indicator and source that exist, a period the sources cover)."""

    # Its fields: every parameter a page reads, declared below by name ("from" is a Python keyword).

    def __init__(self, params: Mapping[str, str], *, page: str, reference: Reference, language: str,
                 region: Region | None = None, charts: tuple[str, ...] = ()) -> None:
        super().__init__(data=params)
        self.page, self.ref, self.language, self.region, self.charts = page, reference, language, region, charts
        self.uncovered: Period | None = None  # a period asked for beyond the years any source covers

    def query(self) -> PageQuery:
        if not self.is_valid():
            messages = [str(message) for errors in self.errors.values() for message in errors]
            if self.uncovered is not None:
                raise PeriodNotCovered(messages[0], asked=f"{self.uncovered.start:04d}–{self.uncovered.end:04d}",
                                       coverage=self._coverage(self.uncovered))
            raise BadParameter(messages[0])
        return self.cleaned_data["query"]

    def _coverage(self, asked: Period) -> list[Coverage]:
        """Each source's years and its covered period nearest to `asked`, linked on the page itself (a
        download's failure links the page it belongs to), nearest first."""
        page = "region" if self.page in REGION_PAGES else "compare" if self.page in COMPARE_PAGES else self.page
        default = self.ref.default_source
        chosen = self.data.get("source") or (default.slug if default else "")
        found: list[tuple[tuple[int, bool, int], Coverage]] = []
        for index, source in enumerate(self.ref.sources.values()):
            years = self.ref.years_of(source)
            if not years:
                continue
            near = nearest_period(asked, years)
            params = {**dict(self.data), "source": source.slug, "from": str(near.start), "to": str(near.end)}
            try:
                url = parse_page_query(params, page=page, reference=self.ref, language=self.language,
                                       region=self.region, charts=self.charts).url()
            except BadParameter:  # something else in the address is wrong too: no link
                continue
            distance = abs(near.start - asked.start) + abs(near.end - asked.end)
            coverage = Coverage(labels.source_label(source, self.language), Period(years[0], years[-1]), near, url)
            found.append(((distance, source.slug != chosen, index), coverage))
        return [coverage for _key, coverage in sorted(found, key=lambda pair: pair[0])]

    def _choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self.cleaned_data.get(name) or default
        if value not in choices:
            raise forms.ValidationError(_("%(name)s must be one of %(choices)s")
                                        % {"name": name, "choices": ", ".join(choices)})
        return value

    def _year(self, name: str) -> int | None:
        raw = self.cleaned_data.get(name) or ""
        if not raw:
            return None
        if not (len(raw) == 4 and raw.isdigit()):
            raise forms.ValidationError(_("%(name)s must be a four-digit year, not %(raw)r")
                                        % {"name": name, "raw": raw[:20]})
        return int(raw)

    def _indicator(self) -> Indicator:
        code = self.cleaned_data.get("indicator") or DEFAULT_INDICATOR
        indicator = self.ref.indicators.get(code)
        if indicator is None:
            raise forms.ValidationError(_("unknown indicator %(code)r; known: %(known)s")
                                        % {"code": code[:60], "known": ", ".join(self.ref.indicators)})
        return indicator

    def _source(self) -> Source:
        slug = self.cleaned_data.get("source") or ""
        source = self.ref.sources.get(slug) if slug else self.ref.default_source
        if source is None:
            raise forms.ValidationError(_("unknown source %(slug)r; known: %(known)s")
                                        % {"slug": slug[:60], "known": ", ".join(self.ref.sources)})
        return source

    def _regions(self) -> tuple[str, ...]:
        if self.region is not None:
            return (self.region.code,)
        if self.page not in COMPARE_PAGES:
            return tuple(self.ref.county_codes())
        raw = self.cleaned_data.get("regions") or ""
        if not raw:
            # No parameter: the default selection. An empty one (`regions=`) is a choice of none, which the
            # page says, instead of silently showing five regions nobody chose.
            return () if "regions" in self.data else DEFAULT_REGIONS
        codes: list[str] = []
        for part in raw.split(",")[: MAX_REGIONS + 1]:
            code = part.strip().zfill(2) if part.strip().isdigit() else part.strip()
            if code not in self.ref.regions:
                raise forms.ValidationError(_("unknown region %(code)r") % {"code": part.strip()[:20]})
            if code not in codes:
                codes.append(code)
        if len(codes) > MAX_REGIONS:
            raise forms.ValidationError(_("at most %(n)s regions") % {"n": MAX_REGIONS})
        return tuple(codes)

    def _map_year(self, covered: list[int]) -> Period:
        year = self._year("year")
        if year is None:
            if not covered:
                raise forms.ValidationError(_("there are no statistics for this source yet"))
            year = covered[-1]
        elif year not in covered:
            raise forms.ValidationError(_("year must be one of the years with statistics: %(first)s–%(last)s")
                                        % {"first": covered[0] if covered else "–",
                                           "last": covered[-1] if covered else "–"})
        return Period(year, year)

    @staticmethod
    def _check_known(name: str, year: int | None, known: list[int]) -> None:
        # Any year some source covers: a period partly outside this source points to the other one.
        if year is not None and not (known and known[0] <= year <= known[-1]):
            if not known:
                raise forms.ValidationError(_("there are no statistics for this source yet"))
            raise forms.ValidationError(_("%(name)s must be a year from %(min)s to %(max)s")
                                        % {"name": name, "min": known[0], "max": known[-1]})

    def _period(self, source: Source, view: str) -> Period:
        covered = self.ref.years_of(source)
        known = self.ref.all_years()
        if self.page == "map":
            return self._map_year(covered)
        start, end = self._year("from"), self._year("to")
        years = covered or known or [timezone.localdate().year]
        try:
            self._check_known("from", start, known)
            self._check_known("to", end, known)
        except forms.ValidationError:
            if known:
                first, last = years[0] if start is None else start, years[-1] if end is None else end
                self.uncovered = Period(min(first, last), max(first, last))
            raise
        end = years[-1] if end is None else end
        if start is None:
            start = max(years[0], end - TABLE_YEARS) if self.page == "regions" else years[0]
        if start > end:
            raise forms.ValidationError(_("from must not be after to"))
        if view == "growth" and start == end:
            raise forms.ValidationError(_("a change needs a period of at least two years: choose a first year "
                                          "before the last year"))
        return Period(start, end)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        view = self._choice("view", VIEWS, "value")
        sort = self._choice("sort", SORTS, "value")
        order = self._choice("order", ORDERS, "asc" if sort == "name" else "desc")
        indicator = self._indicator()
        firm_size = self._choice("firm_size", FIRM_SIZES, "all")
        if labels.is_population(indicator):
            firm_size = "all"  # population has no firm size: one kept from the form is ignored, not an empty page
        sector = cleaned.get("sector") or ""
        if len(sector) > SECTOR_MAX:
            raise forms.ValidationError(_("sector is too long"))
        chart = cleaned.get("chart") or ""
        if chart and chart not in self.charts:
            raise forms.ValidationError(_("unknown chart %(chart)r") % {"chart": chart[:40]})
        source = self._source()
        cleaned["query"] = PageQuery(
            page=self.page, regions=self._regions(), indicator=indicator, firm_size=firm_size, sector=sector,
            source=source, period=self._period(source, view if self.page.startswith("compare") else "value"),
            view=view, scale=self._choice("scale", SCALES, "linear"), language=self.language,
            embed=cleaned.get("embed") == "1", sort=sort, order=order, chart=chart, region=self.region,
        )
        return cleaned


PageQueryForm.base_fields.update(
    {name: Text() for names in PAGE_PARAMETERS.values() for name in names} | {"embed": Text()}
)


def flat_params(query: Any) -> dict[str, str]:
    """A QueryDict as plain strings; repeated `regions` (from the no-JS form's checkboxes) joined by commas."""
    params = {key: query.get(key, "") for key in query}
    if hasattr(query, "getlist") and len(query.getlist("regions")) > 1:
        params["regions"] = ",".join(query.getlist("regions"))
    return params


def parse_page_query(params: Mapping[str, str], *, page: str, reference: Reference, language: str,
                     region: Region | None = None, charts: tuple[str, ...] = ()) -> PageQuery:
    """Hostile GET parameters -> a complete PageQuery, or BadParameter naming what is wrong."""
    return PageQueryForm(params, page=page, reference=reference, language=language, region=region,
                         charts=charts).query()
