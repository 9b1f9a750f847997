"""Where the table is: the header row, title lines above it, footnotes below it; long or wide."""

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stats.importing import headers
from stats.importing.cells import NUMBER
from stats.importing.regions import match_region
from stats.importing.text import INVISIBLE, clean_cell

LONG, WIDE = "long", "wide"
HEADER_SEARCH_LINES = 200

_YEARISH = re.compile(r"[0-9]{4}")
# Matched against lower-cased text (with or without Swedish letters), so pandas can apply it to a column.
_FOOTNOTE = re.compile(
    r"\s*(?:(?:k[aä]lla|k[aä]llor|anm|anm[aä]rkning|anm[aä]rkningar|source|sources|note|notes|not|noter|"
    r"fotnot|fotnoter|footnote|footnotes|kommentar|comment|teckenf[oö]rklaring|f[oö]rklaring|"
    r"senast uppdaterad|last updated|uppdaterad|updated)\s*:"
    r"|uppgifterna avser\b|(?:\.\.|\.|-|–|x)\s*=|\*|\d\)\s)"
)
_WIDE_KEYS = frozenset({headers.FIRM_SIZE, headers.SECTOR})


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

    @property
    def rows(self) -> int:
        return len(self.lines)


def _is_year_header(cell: str) -> bool:
    return bool(_YEARISH.fullmatch(cell))


def _is_plain_number(cell: str) -> bool:
    return bool(NUMBER.fullmatch(cell))


def _wide_year_cells(cells: list[str]) -> list[str] | None:
    """The cells after the region column and any firm-size/sector columns, or None if not wide."""
    if not cells or _is_plain_number(cells[0]) or headers.key_kind(cells[0]) == headers.YEAR:
        return None
    rest = cells[1:]
    while rest and headers.key_kind(rest[0]) in _WIDE_KEYS:
        rest = rest[1:]
    filled = [cell for cell in rest if cell]
    years = [cell for cell in filled if _is_year_header(cell)]
    others = [cell for cell in filled if not _is_year_header(cell)]
    if not years or len(years) < len(others) or any(_is_plain_number(cell) for cell in others):
        return None
    return rest


def classify_header(cells: list[str]) -> str | None:
    kinds = {headers.key_kind(cell) for cell in cells}
    if kinds & {headers.REGION, headers.REGION_CODE} and headers.YEAR in kinds:
        return LONG
    return WIDE if _wide_year_cells(cells) is not None else None


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
    for index, cells in enumerate(rows[:HEADER_SEARCH_LINES]):
        kind = classify_header(cells)
        if kind and not _is_title(rows, index):
            return index, kind
    return None


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
