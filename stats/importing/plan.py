"""What each column of the header means: keys, indicator values (long) or years (wide)."""

from dataclasses import dataclass

from stats.importing import headers
from stats.importing.cells import FIRST_YEAR, last_year, parse_year, year_problem_key
from stats.importing.failures import ReadFailure
from stats.importing.layout import Grid
from stats.importing.problems import ProblemLog
from stats.indicators import INDICATORS


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


def _has_data(grid: Grid, position: int) -> bool:
    return any(grid.columns[position].uniques)


def _first(kinds: list[str | None], *wanted: str) -> int | None:
    for kind in wanted:
        if kind in kinds:
            return kinds.index(kind)
    return None


def _indicator_names() -> str:
    return ", ".join(f'"{row.aliases[0]}"' for row in INDICATORS)


def _long_values(grid: Grid, kinds: list[str | None], log: ProblemLog) -> tuple[list[ValueSource], list[int]]:
    values: list[ValueSource] = []
    unknown: list[int] = []
    for position, (header, kind) in enumerate(zip(grid.header, kinds, strict=True)):
        if kind is not None or not (header or _has_data(grid, position)):
            continue
        code = headers.indicator_for_header(header)
        if code is None:
            unknown.append(position)
            continue
        earlier = next((v for v in values if v.indicator == code), None)
        if earlier:
            log.add("duplicate_column", line=grid.header_line, column=header, first=earlier.header,
                    second=header, what=code)
            continue
        values.append(ValueSource(position, header, code, None))
    return values, unknown


def long_plan(grid: Grid, indicator: str | None, log: ProblemLog) -> Plan:
    kinds = [headers.key_kind(header) for header in grid.header]
    values, unknown = _long_values(grid, kinds, log)
    if not values and indicator and len(unknown) == 1:
        # One unnamed value column and the indicator given on upload: that column is the indicator.
        values, unknown = [ValueSource(unknown[0], grid.header[unknown[0]], indicator, None)], []
    if not values:
        raise ReadFailure("no_indicator_columns", "no_indicator_columns", names=_indicator_names())
    if unknown:
        names = ", ".join(f'"{grid.header[p]}"' for p in unknown)
        log.warn("unknown_columns", line=grid.header_line, columns=names)
    region = _first(kinds, headers.REGION_CODE, headers.REGION)
    assert region is not None  # classify_header guarantees it for long tables
    return Plan(region, _first(kinds, headers.YEAR), _first(kinds, headers.FIRM_SIZE),
                _first(kinds, headers.SECTOR), values)


def wide_plan(grid: Grid, indicator: str, log: ProblemLog) -> Plan:
    position = 1
    keys: dict[str, int] = {}
    while position < len(grid.header) and headers.key_kind(grid.header[position]) in (
            headers.FIRM_SIZE, headers.SECTOR):
        keys.setdefault(str(headers.key_kind(grid.header[position])), position)
        position += 1
    values: list[ValueSource] = []
    for place in range(position, len(grid.header)):
        header = grid.header[place]
        if not header and not _has_data(grid, place):
            continue
        year = parse_year(header)
        if year is None:
            log.add("bad_year", year_problem_key(header), line=grid.header_line, column=header or None,
                    value=header, low=FIRST_YEAR, high=last_year())
            continue
        earlier = next((v for v in values if v.year == year), None)
        if earlier:
            log.add("duplicate_column", line=grid.header_line, column=header, first=earlier.header,
                    second=header, what=str(year))
            continue
        values.append(ValueSource(place, header, indicator, year))
    return Plan(0, None, keys.get(headers.FIRM_SIZE), keys.get(headers.SECTOR), values)

