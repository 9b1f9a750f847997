"""Reference data every page's controls need, cached by the generation: years and sectors per source,
the indicators and sources in the interface's language, and the per-request cache handle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from regions.data import COUNTRY_CODE
from regions.selectors import region_names
from stats import selectors
from stats.indicators import FIRM_SIZES
from stats.models import Indicator, Source
from stats.pages import labels


class PageCache:
    """One generation read per request; every cached piece of the page is keyed by it and the language."""

    def __init__(self, request=None) -> None:
        # The page cache has read the generation already for this request: no second query.
        known = getattr(request, "exportregion_generation", None)
        self.generation = known if known is not None else selectors.cache_generation()[0]
        self.lang = labels.current_lang()

    def get(self, name: str, key: str, compute: Callable[[], Any]) -> Any:
        return selectors.cached(name, f"{self.lang}|{key}", compute, generation=self.generation)


@dataclass(frozen=True)
class Dimensions:
    years: dict[str, list[int]]  # source slug -> years with data
    sectors: dict[str, list[str]]  # source slug -> sectors with data ("" = all sectors)

    def years_of(self, source: Source) -> list[int]:
        return self.years.get(source.slug, [])

    def all_years(self) -> list[int]:
        return sorted({y for years in self.years.values() for y in years})


def dimensions(cache: PageCache) -> Dimensions:
    def compute() -> Dimensions:
        frame = selectors.observation_dimensions()
        years = {slug: sorted(set(part["year"].tolist())) for slug, part in frame.groupby("source")}
        sectors = {slug: sorted(set(part["sector"].tolist())) for slug, part in frame.groupby("source")}
        return Dimensions(years, sectors)

    return cache.get("dimensions", "", compute)


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def options(cache: PageCache) -> dict[str, list[Option]]:
    """Choices for the controls: indicators, sources, firm sizes, regions (two queries, cached)."""
    lang = cache.lang

    def compute() -> dict[str, list[Option]]:
        return {
            "indicators": [
                Option(i.code, f"{labels.indicator_name(i, lang)} ({labels.indicator_unit(i, lang)})")
                for i in Indicator.objects.all()
            ],
            "sources": [Option(s.slug, labels.source_label(s, lang)) for s in Source.objects.all()],
            "firm_sizes": [Option(size, labels.firm_size_label(size)) for size in FIRM_SIZES],
            "regions": [
                Option(code, labels.region_label(code, name, lang)) for code, name in region_names().items()
            ],
        }

    return cache.get("options", "", compute)


def sector_options(dims: Dimensions, source: Source) -> list[Option]:
    sectors = [s for s in dims.sectors.get(source.slug, []) if s]
    return [Option("", _("All sectors"))] + [Option(s, s) for s in sectors]


def county_count() -> int:
    return sum(1 for code in region_names() if code != COUNTRY_CODE)
