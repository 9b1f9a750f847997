"""Cell values after Swedish statistics conventions, parsed once per distinct text (vectorised)."""

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils import timezone

from stats.flags import Flag
from stats.importing.headers import normalise_label

# The flags as plain texts in the frames (pandas keeps them as strings, and COPY writes them as they are).
GIVEN, DERIVED, CONFIDENTIAL, ZERO, MISSING = (f.value for f in (Flag.GIVEN, Flag.DERIVED, Flag.CONFIDENTIAL,
                                                                 Flag.ZERO, Flag.MISSING))
FIRST_YEAR = 1900  # population series begin in 1968

_SPECIAL_FLAGS = {
    "": MISSING, "..": MISSING, ".": MISSING, "…": MISSING,
    "-": ZERO, "–": ZERO, "—": ZERO, "\u2212": ZERO,
    "x": CONFIDENTIAL, "X": CONFIDENTIAL,
}
_GROUP = "[ \u00a0\u202f]"
_MINUS = "[-\u2212\u2013]"
NUMBER = re.compile(
    f"[+]?{_MINUS}?(?:[0-9]{{1,3}}(?:{_GROUP}[0-9]{{3}})+|[0-9]+)(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?"
    f"|[+]?{_MINUS}?[.,][0-9]+"
)
_YEAR = re.compile(r"[0-9]{4}")
# A year as the statistics database marks it for a footnote: "2021*", "2021**", "2021 1)", "2021¹".
_MARKED_YEAR = re.compile(r"([0-9]{4})\s*(\*+|\(?[0-9]\)|[\u00b9\u00b2\u00b3\u2070-\u2079]+)")
# Periods finer than a year: "2007M01", "2024Q1", "2024K1" (kvartal), "200701".
_PERIODS = (
    ("monthly", re.compile(r"[0-9]{4}\s*[Mm][0-9]{1,2}")),
    ("quarterly", re.compile(r"[0-9]{4}\s*[QqKk][1-4]")),
    ("monthly", re.compile(r"[0-9]{4}-[0-9]{2}")),
    ("quarterly or monthly", re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])")),
)

_FIRM_SIZES = {
    "all": ("all", "samtliga foretag", "alla foretag", "all firms", "samtliga", "alla", "totalt", "total",
            "all companies", "all enterprises", ""),
    "sme": ("sme", "smes", "smf", "sma och medelstora foretag", "sma och medelstora",
            "small and medium sized firms", "small and medium sized enterprises", "small and medium firms"),
    "large": ("large", "stora foretag", "stora", "large firms", "large enterprises", "large companies"),
}
_FIRM_SIZE_BY_LABEL = {label: size for size, labels in _FIRM_SIZES.items() for label in labels}
FIRM_SIZE_CHOICES = "Samtliga företag / Små och medelstora företag / Stora företag (all / sme / large)"
_ALL_SECTORS = frozenset({"samtliga branscher", "alla branscher", "all sectors", "totalt", "total"})


@dataclass(frozen=True)
class Numbers:
    """Per distinct text: value (NaN when missing), flag, and whether it is not a number at all."""

    value: np.ndarray
    flag: np.ndarray
    bad: np.ndarray

    @property
    def negative(self) -> np.ndarray:
        return np.nan_to_num(self.value, nan=0.0) < 0


def parse_numbers(texts: list[str]) -> Numbers:
    series = pd.Series(texts, dtype="str").str.strip()
    special = series.map(_SPECIAL_FLAGS)
    numeric = series.str.fullmatch(NUMBER.pattern).fillna(False).to_numpy(bool) & special.isna().to_numpy()
    cleaned = (
        series.str.replace(_GROUP, "", regex=True)
        .str.replace(_MINUS, "-", regex=True)
        .str.replace(",", ".", regex=False)
    )
    values = pd.to_numeric(cleaned.where(numeric), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    numeric &= np.isfinite(values)
    values = np.where(numeric, values, np.nan)
    values[special.eq(ZERO).to_numpy()] = 0.0
    flags = special.fillna(GIVEN).to_numpy(dtype=object)
    bad = ~numeric & special.isna().to_numpy()
    flags[bad] = MISSING
    return Numbers(values, flags, bad)


def last_year() -> int:
    return timezone.localdate().year


def split_year(text: str) -> tuple[str, str]:
    """The four digits of a year and its footnote marker ("" when unmarked); ("", "") when no year."""
    stripped = text.strip()
    if _YEAR.fullmatch(stripped):
        return stripped, ""
    marked = _MARKED_YEAR.fullmatch(stripped)
    return (marked.group(1), marked.group(2)) if marked else ("", "")


def parse_year(text: str) -> int | None:
    digits, _ = split_year(text)
    if not digits:
        return None
    year = int(digits)
    return year if FIRST_YEAR <= year <= last_year() else None


def year_marker(text: str) -> str:
    return split_year(text)[1]


def looks_like_year(text: str) -> bool:
    """Four digits, with or without a footnote marker, whatever the range."""
    return bool(split_year(text)[0])


def period_kind(text: str) -> str | None:
    """"monthly" / "quarterly" for a period finer than a year, else None."""
    stripped = text.strip()
    return next((kind for kind, pattern in _PERIODS if pattern.fullmatch(stripped)), None)


def year_problem_key(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return "year_missing"
    return "year_range" if looks_like_year(stripped) else "bad_year"


def firm_size_code(text: str) -> str | None:
    return _FIRM_SIZE_BY_LABEL.get(normalise_label(text))


def sector_text(text: str) -> str:
    """Free text, but the usual ways of saying "all sectors" mean the same as no sector."""
    stripped = " ".join(text.split())
    return "" if normalise_label(stripped) in _ALL_SECTORS else stripped
