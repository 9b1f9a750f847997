"""What each column of the header means: keys, dimensions, indicator values (long) or years (wide)."""

from dataclasses import dataclass, field
from typing import NoReturn

from stats.importing import headers
from stats.importing.cells import (
    FIRST_YEAR,
    last_year,
    parse_numbers,
    parse_year,
    period_kind,
    year_marker,
    year_problem_key,
)
from stats.importing.failures import ReadFailure
from stats.importing.layout import Grid, first_year_column
from stats.importing.messages import period_name
from stats.importing.problems import ProblemLog
from stats.importing.text import shorten
from stats.indicators import INDICATORS

_REGION_KINDS = (headers.REGION_CODE, headers.REGION)
# Columns that carry neither a value nor a category of one (ignored with a warning, never a dimension).
_KEY_KINDS = frozenset({headers.REGION_CODE, headers.REGION, headers.YEAR, headers.FIRM_SIZE, headers.SECTOR,
                        headers.COUNTRY, headers.MUNICIPALITY})


@dataclass(frozen=True)
class ValueSource:
    position: int
    header: str
    indicator: str
    year: int | None  # wide layout: the year of the column; long: the year is in each row


@dataclass(frozen=True)
class Plan:
    region: int
    year: int | None
    firm_size: int | None
    sector: int | None
    values: list[ValueSource]
    municipality: int | None = None
    dimensions: list[int] = field(default_factory=list)


def _has_data(grid: Grid, position: int) -> bool:
    return any(grid.columns[position].uniques)


def _first(kinds: list[str | None], *wanted: str) -> int | None:
    for kind in wanted:
        if kind in kinds:
            return kinds.index(kind)
    return None


def _indicator_names() -> str:
    return ", ".join(f'"{row.aliases[0]}"' for row in INDICATORS)


def _is_text_column(grid: Grid, position: int) -> bool:
    """Categories rather than figures: most of its distinct filled cells are not numbers."""
    filled = [text for text in grid.columns[position].uniques if text]
    if not filled:
        return False
    return int(parse_numbers(filled).bad.sum()) * 2 > len(filled)


def _municipalities_only(grid: Grid, position: int) -> ReadFailure:
    example = next((text for text in grid.columns[position].uniques if text), "")
    return ReadFailure("municipalities_only", "municipalities_only", example=shorten(example))


def _region_position(grid: Grid, kinds: list[str | None], candidates: range) -> int:
    """The region column: one named so, else the first unnamed one (a statistics-database export often
    leaves it blank); a country column (land = Sverige) is never the region."""
    named = _first([kinds[p] for p in candidates], *_REGION_KINDS)
    if named is not None:
        return candidates[named]
    unnamed = next((p for p in candidates if kinds[p] is None and not headers.is_dimension_name(grid.header[p])),
                   None)
    if unnamed is not None:
        return unnamed
    municipality = _first(kinds, headers.MUNICIPALITY)
    if municipality is not None:
        raise _municipalities_only(grid, municipality)
    raise ReadFailure("header_unreadable", "header_without_region", line=grid.header_line,
                      header=shorten(";".join(grid.header), 80))


def _long_values(grid: Grid, kinds: list[str | None], log: ProblemLog
                 ) -> tuple[list[ValueSource], list[int], list[int]]:
    values: list[ValueSource] = []
    unknown: list[int] = []
    dimensions: list[int] = []
    for position, (header, kind) in enumerate(zip(grid.header, kinds, strict=True)):
        if kind is not None or not (header or _has_data(grid, position)):
            continue
        code = headers.indicator_for_header(header)
        if code is None:
            if headers.is_dimension_name(header) or (
                    not headers.is_note_name(header) and _is_text_column(grid, position)):
                dimensions.append(position)
            else:
                unknown.append(position)
            continue
        earlier = next((v for v in values if v.indicator == code), None)
        if earlier:
            log.add("duplicate_column", line=grid.header_line, column=header, first=earlier.header,
                    second=header, what=code)
            continue
        values.append(ValueSource(position, header, code, None))
    return values, unknown, dimensions


def long_plan(grid: Grid, indicator: str | None, log: ProblemLog) -> Plan:
    kinds = [headers.key_kind(header) for header in grid.header]
    values, unknown, dimensions = _long_values(grid, kinds, log)
    if not values and indicator and len(unknown) == 1:
        # One unnamed value column and the indicator given on upload: that column is the indicator.
        values, unknown = [ValueSource(unknown[0], grid.header[unknown[0]], indicator, None)], []
    if not values:
        raise ReadFailure("no_indicator_columns", "no_indicator_columns", names=_indicator_names())
    if unknown:
        names = ", ".join(f'"{grid.header[p]}"' for p in unknown)
        log.warn("unknown_columns", line=grid.header_line, columns=names)
    region = _region_position(grid, kinds, range(len(kinds)))
    return Plan(region, _first(kinds, headers.YEAR), _first(kinds, headers.FIRM_SIZE),
                _first(kinds, headers.SECTOR), values, _first(kinds, headers.MUNICIPALITY), dimensions)


def refuse_periods(period: str, line: int | None, log: ProblemLog) -> NoReturn:
    """Monthly or quarterly figures: one message naming the format and the header line."""
    raise ReadFailure("periods_not_yearly", "periods_not_yearly", line=line,
                      kind=period_name(str(period_kind(period)), log.lang), example=shorten(period))


def warn_year_markers(grid: Grid, marked: list[str], log: ProblemLog) -> None:
    if marked:
        examples = ", ".join(f'"{text}"' for text in marked[:3]) + (", …" if len(marked) > 3 else "")
        log.warn("year_marker", line=grid.header_line, examples=examples)


def _wide_value(grid: Grid, place: int, indicator: str | None, log: ProblemLog) -> tuple[str, int, str] | None:
    """(indicator, year, year text) of one value column, or None after logging why it has no year."""
    header = grid.header[place]
    named = headers.indicator_and_year(header)
    code, text = named if named else (indicator, header)
    if period_kind(text):
        refuse_periods(text, grid.header_line, log)
    year = parse_year(text)
    if year is None:
        log.add("bad_year", year_problem_key(text), line=grid.header_line, column=header or None,
                value=text, low=FIRST_YEAR, high=last_year())
        return None
    return code or "", year, text  # "": no indicator named, refused once the dimensions are checked


def wide_plan(grid: Grid, indicator: str | None, log: ProblemLog) -> Plan:
    start = first_year_column(grid.header) or len(grid.header)
    kinds = [headers.key_kind(header) for header in grid.header]
    region = _region_position(grid, kinds, range(start))
    leading = [p for p in range(start) if p != region]
    keys = {kind: p for p in reversed(leading) if (kind := kinds[p]) in _KEY_KINDS}
    dimensions = [p for p in leading if kinds[p] is None and (grid.header[p] or _has_data(grid, p))]
    values: list[ValueSource] = []
    marked: list[str] = []
    for place in range(start, len(grid.header)):
        if not grid.header[place] and not _has_data(grid, place):
            continue
        found = _wide_value(grid, place, indicator, log)
        if found is None:
            continue
        code, year, text = found
        earlier = next((v for v in values if v.year == year and v.indicator == code), None)
        if earlier:
            log.add("duplicate_column", line=grid.header_line, column=grid.header[place], first=earlier.header,
                    second=grid.header[place], what=str(year))
            continue
        if year_marker(text):
            marked.append(text)
        values.append(ValueSource(place, grid.header[place], code, year))
    warn_year_markers(grid, marked, log)
    return Plan(region, None, keys.get(headers.FIRM_SIZE), keys.get(headers.SECTOR), values,
                keys.get(headers.MUNICIPALITY), dimensions)
