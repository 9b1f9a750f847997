"""Labels in the interface's language: indicator names and units, firm sizes, sources, regions."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regions.data import COUNTRY_CODE
from stats.models import Indicator, Source


def current_lang() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def indicator_name(indicator: Indicator, lang: str) -> str:
    return indicator.name_sv if lang == "sv" else indicator.name_en


def indicator_unit(indicator: Indicator, lang: str) -> str:
    return indicator.unit_sv if lang == "sv" else indicator.unit_en


def firm_size_label(size: str) -> str:
    return {
        "all": _("All firms"),
        "sme": _("Small and medium-sized firms"),
        "large": _("Large firms"),
    }.get(size, size)


POPULATION = "population"


def is_population(indicator: Indicator | None) -> bool:
    """Population has no firm size and no sector: its breakdown is the whole population."""
    return indicator is not None and indicator.code == POPULATION


def population_breakdown() -> str:
    return _("whole population")


def firm_size_phrase(size: str, indicator: Indicator | None = None) -> str:
    """For running text: 'Goods exports per inhabitant <in small and medium-sized firms> rose ...'
    (nothing for population, which is not counted in firms)."""
    if is_population(indicator):
        return ""
    return {
        "all": _("in all firms"),
        "sme": _("in small and medium-sized firms"),
        "large": _("in large firms"),
    }.get(size, size)


def sector_label(sector: str) -> str:
    return sector or _("all sectors")


def breakdown_label(firm_size: str, sector: str, indicator: Indicator | None = None) -> str:
    if is_population(indicator):
        return population_breakdown()
    return f"{firm_size_label(firm_size)}, {sector_label(sector)}"


def source_label(source: Source, lang: str) -> str:
    # The stored name is Swedish; publisher and method are stored in English.
    return source.name if lang == "sv" else f"{source.publisher}, {source.method}"


def method_label(source: Source) -> str:
    """How the source allocates exports, in the interface's language (stored in English)."""
    return {
        "workplace-based": _("workplace-based"),
        "head-office-based": _("head-office-based"),
    }.get(source.method, source.method)


def region_label(code: str, name: str, lang: str) -> str:
    return _("Sweden") if code == COUNTRY_CODE and lang == "en" else name


def source_line(source: Source, firm_size: str, sector: str, lang: str, indicator: Indicator | None = None) -> str:
    """The source line of a chart of one firm size and sector."""
    breakdown = breakdown_label(firm_size, sector, indicator)
    return source_line_of(source, breakdown.lower() if lang == "sv" else breakdown, lang)


def source_line_of(source: Source, breakdown: str, lang: str) -> str:
    """'Source: …  ·  Breakdown: …': named under every chart and table and inside the figure itself (the one
    place it is written; `breakdown` as it should read in the line)."""
    return _("Source: %(source)s · Breakdown: %(breakdown)s") % {"source": source_label(source, lang),
                                                                  "breakdown": breakdown}


def sizes_breakdown(sizes: Iterable[str]) -> str:
    """'all firms / small and medium-sized firms, all sectors': a chart of several firm sizes."""
    return " / ".join(firm_size_label(s).lower() for s in sizes) + ", " + sector_label("")


def ordinal(n: int, lang: str) -> str:
    if lang == "sv":
        words = {2: "andra", 3: "tredje", 4: "fjärde", 5: "femte", 6: "sjätte", 7: "sjunde", 8: "åttonde",
                 9: "nionde", 10: "tionde"}
        if n in words:
            return words[n]
        return f"{n}:{'a' if n % 10 in (1, 2) and n % 100 not in (11, 12) else 'e'}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
