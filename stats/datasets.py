"""PURE: a data set of one indicator, source, firm size and sector in plain dicts (no ORM, no pandas)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    """One indicator of one source, firm size and sector, for every region (Sweden included) and year:
    the whole set that a page slices, whatever regions and period it shows. Plain dicts, since a page
    reads a few hundred numbers of it and pandas' per-operation cost would outweigh the work."""

    values: dict[str, dict[int, float | None]]  # region code -> year -> value (None: missing)
    flags: dict[str, dict[int, str]]  # region code -> year -> flag (given, derived, confidential, zero)

    def value(self, code: str, year: int) -> float | None:
        return self.values.get(code, {}).get(year)

    def flag(self, code: str, year: int) -> str | None:
        return self.flags.get(code, {}).get(year)

    def years(self) -> list[int]:
        return sorted({year for by_year in self.values.values() for year in by_year})


EMPTY_DATASET = Dataset({}, {})


def dataset_of_rows(rows: Iterable[tuple[str, int, float | None, str | None]]) -> Dataset:
    """A Dataset from (region code, year, value, flag) rows; a NaN value is missing."""
    values: dict[str, dict[int, float | None]] = {}
    flags: dict[str, dict[int, str]] = {}
    for region, year, value, flag in rows:
        missing = value is None or value != value  # NaN is the one value not equal to itself
        values.setdefault(region, {})[int(year)] = None if missing else float(value)  # type: ignore[arg-type]
        if isinstance(flag, str):
            flags.setdefault(region, {})[int(year)] = flag
    return Dataset(values, flags)
