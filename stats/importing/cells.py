"""Cell values after Swedish statistics conventions, parsed once per distinct text (vectorised)."""

import datetime
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stats.importing.headers import normalise_label

GIVEN, DERIVED, CONFIDENTIAL, ZERO, MISSING = "given", "derived", "confidential", "zero", "missing"
FIRST_YEAR = 1990

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
    return datetime.date.today().year


def parse_year(text: str) -> int | None:
    stripped = text.strip()
    if not _YEAR.fullmatch(stripped):
        return None
    year = int(stripped)
    return year if FIRST_YEAR <= year <= last_year() else None


def year_problem_key(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return "year_missing"
    return "year_range" if _YEAR.fullmatch(stripped) else "bad_year"


def firm_size_code(text: str) -> str | None:
    return _FIRM_SIZE_BY_LABEL.get(normalise_label(text))


def sector_text(text: str) -> str:
    """Free text, but the usual ways of saying "all sectors" mean the same as no sector."""
    stripped = " ".join(text.split())
    return "" if normalise_label(stripped) in _ALL_SECTORS else stripped
