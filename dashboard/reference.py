"""What every analyst page reads besides the figures, cached by the generation: the regions, indicators
and sources, the years and sectors each source covers, and the controls' choices in the page's language.

A page reads the generation once (stats.selectors.cache_generation) and everything here is keyed by it,
so an import or an edit in the admin shows on every page at once, and a warm page reads no reference
data from the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from regions.data import COUNTRY_CODE
from regions.models import Region
from stats import labels, selectors
from stats.datasets import Dataset
from stats.indicators import FIRM_SIZES
from stats.models import ImportBatch, Indicator, Source

T = TypeVar("T")


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class LastImport:
    """A source's latest loaded batch: when it finished and its id (its page is for admins)."""

    batch_id: int
    finished: datetime.date


@dataclass(frozen=True)
class Reference:
    """The reference data of one generation (language-independent)."""

    regions: dict[str, Region]  # code -> region, in code order, Sweden ("00") first
    indicators: dict[str, Indicator]  # code -> indicator
    sources: dict[str, Source]  # slug -> source
    years: dict[str, list[int]]  # source slug -> years with data
    sectors: dict[str, list[str]]  # source slug -> sectors with data ("" = all sectors)
    last_imports: dict[str, LastImport] = field(default_factory=dict)  # source slug -> its latest loaded batch

    @property
    def default_source(self) -> Source | None:
        return next((s for s in self.sources.values() if s.is_default), None)

    def years_of(self, source: Source) -> list[int]:
        return self.years.get(source.slug, [])

    def all_years(self) -> list[int]:
        return sorted({y for years in self.years.values() for y in years})

    def region_names(self) -> dict[str, str]:
        return {code: region.name for code, region in self.regions.items()}

    def county_codes(self) -> list[str]:
        return [code for code in self.regions if code != COUNTRY_CODE]


def _read_reference() -> Reference:
    frame = selectors.observation_dimensions()
    years: dict[str, set[int]] = {}
    sectors: dict[str, set[str]] = {}
    for slug, sector, year in zip(frame["source"].tolist(), frame["sector"].tolist(), frame["year"].tolist(),
                                  strict=True):
        years.setdefault(slug, set()).add(int(year))
        sectors.setdefault(slug, set()).add(sector)
    # The latest loaded batch of each source comes with the sources, in the same query.
    done = Q(importbatch__status=ImportBatch.Status.DONE)
    sources = list(Source.objects.annotate(last_batch=Max("importbatch__id", filter=done),
                                           last_finished=Max("importbatch__finished_at", filter=done)))
    last_imports = {s.slug: LastImport(s.last_batch, s.last_finished.date())
                    for s in sources if getattr(s, "last_batch", None) and getattr(s, "last_finished", None)}
    return Reference(
        regions={r.code: r for r in Region.objects.order_by("code")},
        indicators={i.code: i for i in Indicator.objects.all()},
        sources={s.slug: s for s in sources},
        last_imports=last_imports,
        years={slug: sorted(found) for slug, found in years.items()},
        sectors={slug: sorted(found) for slug, found in sectors.items()},
    )


class PageCache:
    """One generation read per request; every cached piece of the page is keyed by it and the language."""

    def __init__(self) -> None:
        self.generation = selectors.cache_generation()[0]
        self.lang = labels.current_lang()
        self._reference: Reference | None = None

    def get(self, name: str, key: str, compute: Callable[[], T], *, local: bool = False) -> T:
        """A piece of the page in this language, cached by the generation (`local`: in this process too)."""
        return selectors.cached(name, f"{self.lang}|{key}", compute, generation=self.generation, local=local)

    @property
    def reference(self) -> Reference:
        if self._reference is None:
            self._reference = selectors.cached("reference", "", _read_reference, generation=self.generation,
                                               local=True)
        return self._reference

    def dataset(self, indicator: Indicator, source: Source, firm_size: str, sector: str) -> Dataset:
        return selectors.dataset(indicator=indicator, source=source, firm_size=firm_size, sector=sector,
                                 generation=self.generation)


def options(cache: PageCache) -> dict[str, list[Option]]:
    """Choices for the controls: indicators, sources, firm sizes, regions."""
    lang = cache.lang
    ref = cache.reference

    def compute() -> dict[str, list[Option]]:
        return {
            "indicators": [
                Option(i.code, f"{labels.indicator_name(i, lang)} ({labels.indicator_unit(i, lang)})")
                for i in ref.indicators.values()
            ],
            "sources": [Option(s.slug, labels.source_label(s, lang)) for s in ref.sources.values()],
            "firm_sizes": [Option(size, labels.firm_size_label(size)) for size in FIRM_SIZES],
            "regions": [Option(code, labels.region_label(code, r.name, lang)) for code, r in ref.regions.items()],
        }

    return cache.get("options", "", compute, local=True)


def sector_options(ref: Reference, source: Source) -> list[Option]:
    sectors = [s for s in ref.sectors.get(source.slug, []) if s]
    return [Option("", _("All sectors"))] + [Option(s, s) for s in sectors]
