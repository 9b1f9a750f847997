"""How regions, indicators, breakdowns and numbers are named inside messages."""

import math

from stats.importing.regions import region_name
from stats.indicators import INDICATORS

_NAMES = {row.code: (row.name_en, row.name_sv) for row in INDICATORS}
_FIRM_SIZES = {"sme": ("SME", "små och medelstora företag"), "large": ("large firms", "stora företag")}


def indicator_name(code: str, lang: str) -> str:
    english, swedish = _NAMES.get(code, (code, code))
    return swedish if lang == "sv" else english


def breakdown(firm_size: str, sector: str, lang: str) -> str:
    """", SME, Miljöteknik"-style suffix; empty for all firms in all sectors."""
    parts = []
    if firm_size in _FIRM_SIZES:
        english, swedish = _FIRM_SIZES[firm_size]
        parts.append(swedish if lang == "sv" else english)
    if sector:
        parts.append(sector)
    return "".join(f", {part}" for part in parts)


def region_label(code: str) -> str:
    return region_name(code)


def number(value: float, lang: str, decimals: int | None = None) -> str:
    if not math.isfinite(value):
        return str(value)
    if decimals is None:
        decimals = 0 if float(value).is_integer() or abs(value) >= 1000 else 1
    text = f"{value:,.{decimals}f}"
    if lang == "sv":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text
