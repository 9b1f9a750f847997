"""Numbers the Swedish way in Swedish (44 210 kr, +80,0 %, 6 123,4 mnkr), the English way in English."""

from __future__ import annotations

import math

NBSP = "\u00a0"
MINUS = "\u2212"
# Statistics Sweden's mark for "not available": its dash means zero, so a missing value never shows as one.
MISSING_MARK = ".."


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value, decimals: int = 0, lang: str = "sv") -> str:
    if _is_missing(value):
        return MISSING_MARK
    rounded = round(float(value), decimals)
    text = f"{abs(rounded):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    sign = (MINUS if lang == "sv" else "-") if rounded < 0 else ""
    return sign + text


def format_value(value, decimals: int, unit: str, lang: str = "sv") -> str:
    if _is_missing(value):
        return format_number(value, decimals, lang)
    return f"{format_number(value, decimals, lang)}{NBSP}{unit}"


def format_percent(value, decimals: int = 1, lang: str = "sv", *, signed: bool = True) -> str:
    if _is_missing(value):
        return MISSING_MARK
    number = format_number(abs(value), decimals, lang)
    sign = "+" if value >= 0 else (MINUS if lang == "sv" else "-")
    sign = sign if signed or value < 0 else ""
    return f"{sign}{number}{NBSP}%" if lang == "sv" else f"{sign}{number}%"


def plotly_separators(lang: str) -> str:
    """plotly.js layout.separators: decimal mark, then thousands separator."""
    return "," + NBSP if lang == "sv" else ".,"
