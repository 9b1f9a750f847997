"""Where the table is: the header row, title lines above it, footnotes below it; long or wide."""

import re
from dataclasses import dataclass, field, replace
from typing import NoReturn

import numpy as np
import pandas as pd

from stats.importing import headers
from stats.importing.cells import NUMBER, looks_like_year, period_kind
from stats.importing.failures import ReadFailure
from stats.importing.regions import match_region
from stats.importing.text import INVISIBLE, clean_cell, shorten

LONG, WIDE = "long", "wide"
HEADER_SEARCH_LINES = 200

# Matched against lower-cased text (with or without Swedish letters), so pandas can apply it to a column.
_FOOTNOTE = re.compile(
    r"\s*(?:(?:k[aä]lla|k[aä]llor|anm|anm[aä]rkning|anm[aä]rkningar|source|sources|note|notes|not|noter|"
    r"fotnot|fotnoter|footnote|footnotes|kommentar|comment|teckenf[oö]rklaring|f[oö]rklaring|"
    r"senast uppdaterad|last updated|uppdaterad|updated)\s*:"
    r"|uppgifterna avser\b|(?:\.\.|\.|-|–|x)\s*=|\*|\d\)\s)"
)
_REGION_KEYS = frozenset({headers.REGION, headers.REGION_CODE, headers.MUNICIPALITY})


@dataclass(frozen=True)
class Column:
    """One body column as distinct stripped texts plus, per row, the index of its text."""

    codes: np.ndarray
    uniques: list[str]

    @classmethod
    def of(cls, values: pd.Series) -> "Column":
        codes, uniques = pd.factorize(values.fillna(""), use_na_sentinel=False)
        texts = pd.Series(uniques, dtype="str").str.strip().str.strip(INVISIBLE).str.strip()
        return cls(codes.astype(np.intp), texts.tolist())

    def blank(self) -> np.ndarray:
        return np.asarray([u == "" for u in self.uniques], dtype=bool)[self.codes]

    def take(self, keep: np.ndarray) -> "Column":
        return Column(self.codes[keep], self.uniques)


@dataclass(frozen=True)
class Grid:
    kind: str
    header: list[str]
    header_line: int
    title: str
    columns: list[Column]
    lines: np.ndarray
    # Per column position, the category that stands for the total (a PX or JSON-stat elimination value).
    totals: dict[int, str] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.lines)

    def take(self, keep: np.ndarray) -> "Grid":
        return replace(self, columns=[column.take(keep) for column in self.columns], lines=self.lines[keep])

    def column_name(self, position: int) -> str:
        return self.header[position] or f"#{position + 1}"


def is_year_header(cell: str) -> bool:
    """A column of values for one period: a year (marked or not), a finer period, or indicator and year."""
    return looks_like_year(cell) or period_kind(cell) is not None or headers.indicator_and_year(cell) is not None


def _is_plain_number(cell: str) -> bool:
    return bool(NUMBER.fullmatch(cell))


def first_year_column(cells: list[str]) -> int | None:
    return next((place for place, cell in enumerate(cells) if place and is_year_header(cell)), None)


def _is_wide_header(cells: list[str]) -> bool:
    """Key and dimension columns (text) followed by columns that are mostly years."""
    start = first_year_column(cells)
    if start is None or any(_is_plain_number(cell) for cell in cells[:start]):
        return False
    if headers.key_kind(cells[0]) == headers.YEAR:
        return False
    filled = [cell for cell in cells[start:] if cell]
    others = [cell for cell in filled if not is_year_header(cell)]
    return len(others) <= len(filled) - len(others) and not any(_is_plain_number(cell) for cell in others)


def classify_header(cells: list[str]) -> str | None:
    kinds = {headers.key_kind(cell) for cell in cells}
    if kinds & _REGION_KEYS and headers.YEAR in kinds:
        return LONG
    return WIDE if _is_wide_header(cells) else None


def is_region_row(cells: list[str]) -> bool:
    """A data row: its first cell names a county, the country or a municipality, and more cells follow.
    Such a row is never a header, whatever its values look like (a population of 2004 is no year)."""
    if not cells or not cells[0] or sum(1 for cell in cells if cell) < 2:
        return False
    match = match_region(cells[0])
    return match.code is not None or match.skipped or match.conflict is not None


def _next_filled(rows: list[list[str]], index: int) -> list[str] | None:
    return next((cells for cells in rows[index + 1:index + 1 + HEADER_SEARCH_LINES] if any(cells)), None)


def _is_title(rows: list[list[str]], index: int) -> bool:
    """A title such as "Folkmängd efter region, 2021" splits like a wide header; the real header follows it."""
    following = _next_filled(rows, index)
    if following is None:
        return False
    kind = classify_header(following)
    return kind == LONG or (kind == WIDE and (not following[0] or headers.key_kind(following[0]) is not None))


def find_header(rows: list[list[str]]) -> tuple[int, str] | None:
    """The header row and its layout; the search ends at the first data row (see is_region_row)."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_LINES]):
        if is_region_row(cells):
            return None
        kind = classify_header(cells)
        if kind and not _is_title(rows, index):
            return index, kind
    return None


def header_candidate(rows: list[list[str]]) -> int | None:
    """Where no header could be read: the last filled row above the first data row, which must be it."""
    first = next((index for index, cells in enumerate(rows[:HEADER_SEARCH_LINES]) if is_region_row(cells)), None)
    if first is None:
        return None
    return next((index for index in range(first - 1, -1, -1) if any(rows[index])), None)


def refuse_header(rows: list[list[str]], first_line: int = 1) -> NoReturn:
    """No header row: name the row that should have been it and say what it lacks."""
    index = header_candidate(rows)
    if index is None:
        raise ReadFailure("unreadable", "unreadable_no_header")
    cells = rows[index]
    unknown = [cell for cell in cells[1:] if cell and headers.key_kind(cell) is None
               and headers.indicator_for_header(cell) is None and not is_year_header(cell)]
    shown = shorten(";".join(cells).rstrip(";"), 80)
    if unknown:
        raise ReadFailure("header_unreadable", "header_unreadable", line=index + first_line, header=shown,
                          cells=shorten(", ".join(f'"{cell}"' for cell in unknown), 80))
    raise ReadFailure("header_unreadable", "header_without_years", line=index + first_line, header=shown)


def header_fits(rows: list[list[str]], index: int) -> bool:
    """Whether the first row below the header splits into as many cells as the header."""
    following = _next_filled(rows, index)
    return following is not None and len(following) == len(rows[index])


def is_footnote(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return bool(filled) and bool(_FOOTNOTE.match(filled[0].lower()))


def is_footer(cells: list[str]) -> bool:
    """Trailing lines below the table: blank, footnotes, or a single cell that is not a region."""
    filled = [cell for cell in cells if cell]
    if not filled or is_footnote(cells):
        return True
    if len(filled) > 1:
        return False
    match = match_region(filled[0])
    return match.code is None and not match.skipped and match.conflict is None


def title_of(rows: list[list[str]]) -> str:
    return " ".join(" ".join(cell for cell in cells if cell) for cells in rows if any(cells))


def clean_cells(cells: list[str]) -> list[str]:
    return [clean_cell(cell) for cell in cells]


def make_grid(kind: str, header: list[str], header_line: int, title: str, body: pd.DataFrame,
              lines: np.ndarray) -> Grid:
    """Factorise the body columns and drop blank lines and stray footnote lines inside the table."""
    columns = [Column.of(body[name]) for name in body.columns]
    keep = ~np.logical_and.reduce([column.blank() for column in columns]) if columns else np.zeros(0, bool)
    first = columns[0] if columns else None
    if first is not None:
        lowered = pd.Series(first.uniques, dtype="str").str.lower()
        footnote = lowered.str.match(_FOOTNOTE.pattern).fillna(False).to_numpy(dtype=bool)
        keep &= ~footnote[first.codes]
    return Grid(kind, header, header_line, title, [c.take(keep) for c in columns], lines[keep])
