"""The compare page's region picker: quick picks around the first chosen county.

Each quick pick is a plain link to the compare page with other regions (so it works without
JavaScript); static/js/dashboard/picker.js applies it in place. "Liknande län" are the counties nearest
in population and export size (regions.geography.similar_regions, as Kolada's similarity search), from
the default source's latest year that has both figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboard.query import PageQuery
from dashboard.reference import PageCache
from regions.data import COUNTRY_CODE
from regions.geography import neighbours, similar_regions
from stats import labels

SIMILAR_COUNT = 3
SIMILARITY_FIGURES = ("population", "goods_export_msek")  # Kolada-style key figures, equally weighted


@dataclass(frozen=True)
class QuickPick:
    label: str
    url: str
    regions: tuple[str, ...]


def _anchor(q: PageQuery) -> str | None:
    """The county the picks are about: the first chosen county."""
    return next((code for code in q.regions if code != COUNTRY_CODE), None)


def similar_counties(code: str, cache: PageCache) -> list[str]:
    """The counties most like `code` in population and goods exports (default source, all firms)."""
    def compute() -> list[str]:
        ref = cache.reference
        source = ref.default_source
        indicators = [ref.indicators.get(c) for c in SIMILARITY_FIGURES]
        if source is None or any(i is None for i in indicators):
            return []
        data = [cache.dataset(i, source, "all", "") for i in indicators if i is not None]
        counties = ref.county_codes()
        years = [y for y in reversed(ref.years_of(source))
                 if all(d.value(c, y) is not None for d in data for c in counties)]
        if not years:
            return []
        figures = {c: [d.value(c, years[0]) for d in data] for c in counties}
        return similar_regions(code, figures, count=SIMILAR_COUNT)

    return cache.get("similar", code, compute, local=True)


def quick_picks(q: PageQuery, cache: PageCache) -> list[QuickPick]:
    """Sweden added, the first county with Sweden only, with its neighbours, with similar counties; all counties."""
    ref = cache.reference
    names = ref.region_names()
    anchor = _anchor(q)
    picks: list[tuple[str, tuple[str, ...]]] = []
    if COUNTRY_CODE not in q.regions:
        picks.append((_("Add Sweden"), (*q.regions, COUNTRY_CODE)))
    if anchor is not None:
        name = labels.region_label(anchor, names[anchor], cache.lang)
        picks.append((_("%(name)s and Sweden") % {"name": name}, (anchor, COUNTRY_CODE)))
        near = tuple(c for c in neighbours(anchor) if c in ref.regions)
        if near:
            picks.append((_("Neighbouring counties of %(name)s") % {"name": name}, (anchor, *near, COUNTRY_CODE)))
        alike = tuple(similar_counties(anchor, cache))
        if alike:
            picks.append((_("Counties like %(name)s") % {"name": name}, (anchor, *alike, COUNTRY_CODE)))
    picks.append((_("All counties"), (*ref.county_codes(), COUNTRY_CODE)))
    return [QuickPick(label, q.url(regions=regions), regions) for label, regions in picks if regions != q.regions]
