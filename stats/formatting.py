"""Numbers the Swedish way in Swedish (44 210 kr, +80,0 %, 6 123,4 mnkr), the English way in English."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

NBSP = "\u00a0"
MINUS = "\u2212"
# Statistics Sweden's mark for "not available": its dash means zero, so a missing value never shows as one.
MISSING_MARK = ".."


def is_missing(value: object) -> bool:
    """The one test for a figure the statistics do not have: None, NaN or pandas' NA (never zero)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def as_number(value: Any) -> float | None:
    """A figure as a plain float, or None when it is missing (for JSON, charts and sentences)."""
    return None if is_missing(value) else float(value)


def format_rank(rank: object) -> str:
    """A rank computed by pandas (a float, NaN when unranked) as "3", or MISSING_MARK."""
    number = as_number(rank)
    return MISSING_MARK if number is None else str(int(number))


def format_number(value, decimals: int = 0, lang: str = "sv") -> str:
    if is_missing(value):
        return MISSING_MARK
    rounded = round(float(value), decimals)
    text = f"{abs(rounded):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    sign = (MINUS if lang == "sv" else "-") if rounded < 0 else ""
    return sign + text


def format_value(value, decimals: int, unit: str, lang: str = "sv") -> str:
    if is_missing(value):
        return format_number(value, decimals, lang)
    return f"{format_number(value, decimals, lang)}{NBSP}{unit}"


def format_percent(value, decimals: int = 1, lang: str = "sv", *, signed: bool = True) -> str:
    if is_missing(value):
        return MISSING_MARK
    number = format_number(abs(value), decimals, lang)
    sign = "+" if value >= 0 else (MINUS if lang == "sv" else "-")
    sign = sign if signed or value < 0 else ""
    return f"{sign}{number}{NBSP}%" if lang == "sv" else f"{sign}{number}%"


def plotly_separators(lang: str) -> str:
    """plotly.js layout.separators: decimal mark, then thousands separator."""
    return "," + NBSP if lang == "sv" else ".,"
