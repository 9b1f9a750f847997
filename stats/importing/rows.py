"""Body rows to a long working frame: keys parsed once per distinct text, problems per line.

The text columns of the frame are categoricals (integer codes into a few distinct texts): a million
rows repeat a handful of regions, firm sizes, sectors and flags, and every later step (duplicates,
jumps, per-capita joins, the loader) then works on the codes instead of hashing strings."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stats.importing import cells
from stats.importing.failures import ReadFailure
from stats.importing.layout import Column, Grid
from stats.importing.plan import Plan, ValueSource, refuse_periods, warn_year_markers
from stats.importing.problems import ERROR, ProblemLog
from stats.importing.regions import RegionMatch, match_region, region_name, suggestions
from stats.importing.text import shorten
from stats.indicators import INDICATOR_CODES

WORK_COLUMNS = ("region", "year", "indicator", "firm_size", "sector", "value", "flag", "line", "column", "order")

Describe = Callable[[int], dict[str, object]]


FLAGS = (cells.GIVEN, cells.DERIVED, cells.CONFIDENTIAL, cells.ZERO, cells.MISSING)  # the categories, in Flag order


def categorical(per_text: list[str], codes: np.ndarray) -> pd.Categorical:
    """Rows as a categorical: `per_text` holds each distinct text's meaning, `codes` each row's text."""
    meaning_codes, meanings = pd.factorize(pd.Series(per_text, dtype=object), use_na_sentinel=False)
    return pd.Categorical.from_codes(np.asarray(meaning_codes)[codes], categories=pd.Index(list(meanings)))


def constant(value: str, rows: int, categories: tuple[str, ...] | list[str] | None = None) -> pd.Categorical:
    names: list[object] = list(categories or [value])
    return pd.Categorical.from_codes(np.full(rows, names.index(value), dtype=np.int32), categories=pd.Index(names))


@dataclass(frozen=True)
class Keys:
    region: pd.Categorical
    year: np.ndarray
    firm_size: pd.Categorical
    sector: pd.Categorical
    skipped: np.ndarray  # municipality and former-county rows
    usable: np.ndarray   # every key valid and the row not skipped


def report(log: ProblemLog, code: str, rows: np.ndarray, describe: Describe, severity: str = ERROR) -> None:
    """Format the first rows up to the cap; only count the rest."""
    room = log.room(code)
    for row in rows[:room]:
        details = describe(int(row))
        log.add(code, str(details.pop("key", code)), severity=severity, **details)  # type: ignore[arg-type]
    log.skip(code, len(rows) - min(len(rows), room), severity)


def _region_problem(text: str, match: RegionMatch) -> dict[str, object]:
    if not text:
        return {"key": "region_missing"}
    if match.conflict:
        code = text.split()[0].zfill(2)
        return {"key": "region_conflict", "value": shorten(text), "code": code,
                "code_name": region_name(code), "name": region_name(match.conflict)}
    return {"key": "unknown_region", "value": shorten(text), "suggestions": ", ".join(suggestions(text))}


def skipped_rows(grid: Grid, plan: Plan) -> tuple[list[RegionMatch], np.ndarray]:
    """Each region text's match, and per row whether it is a municipality or a former county: one
    named so in the region column, or a row with a municipality (kommun) in its own column. A file of
    nothing else is refused with one message."""
    column = grid.columns[plan.region]
    matches = [match_region(text) for text in column.uniques]
    skipped = np.asarray([m.skipped for m in matches], dtype=bool)[column.codes]
    if plan.municipality is not None:
        skipped |= ~grid.columns[plan.municipality].blank()
    if grid.rows and skipped.all():
        example_column = column if plan.municipality is None else grid.columns[plan.municipality]
        example = example_column.uniques[example_column.codes[0]]
        raise ReadFailure("municipalities_only", "municipalities_only", example=shorten(example))
    return matches, skipped


def _regions(grid: Grid, plan: Plan, log: ProblemLog) -> tuple[pd.Categorical, np.ndarray]:
    """Region codes per row, and which rows are skipped (with one warning)."""
    column = grid.columns[plan.region]
    matches, skipped = skipped_rows(grid, plan)
    codes = categorical([m.code or "" for m in matches], column.codes)

    def describe(row: int) -> dict[str, object]:
        index = column.codes[row]
        return {"line": int(grid.lines[row]), "column": grid.header[plan.region],
                **_region_problem(column.uniques[index], matches[index])}

    report(log, "unknown_region", np.flatnonzero((np.asarray(codes == "")) & ~skipped), describe)
    if skipped.any():
        first = int(np.flatnonzero(skipped)[0])
        example = column.uniques[column.codes[first]]
        if plan.municipality is not None and not grid.columns[plan.municipality].blank()[first]:
            municipalities = grid.columns[plan.municipality]
            example = municipalities.uniques[municipalities.codes[first]]
        log.warn("skipped_rows", n=int(skipped.sum()), example=shorten(example))
    return codes, skipped


def _check_periods(grid: Grid, position: int, log: ProblemLog) -> None:
    """Monthly or quarterly periods in a year column: one message, not one per row."""
    column = grid.columns[position]
    period = next((text for text in column.uniques if cells.period_kind(text)), None)
    if period is not None:
        refuse_periods(period, grid.header_line, log)
    warn_year_markers(grid, [text for text in column.uniques if cells.year_marker(text)], log)


def _column_keys(grid: Grid, position: int, parse: Callable[[str], object], skipped: np.ndarray,
                 code: str, problem: Callable[[str], dict[str, object]],
                 log: ProblemLog) -> tuple[np.ndarray, np.ndarray]:
    """Parse one key column per distinct text; None from the parser is a problem on each such line."""
    column = grid.columns[position]
    parsed = [parse(text) for text in column.uniques]
    values = np.asarray(parsed + [None], dtype=object)[:-1][column.codes]
    ok = np.asarray([p is not None for p in parsed], dtype=bool)[column.codes]
    bad = ~ok & ~skipped

    def describe(row: int) -> dict[str, object]:
        text = column.uniques[column.codes[row]]
        return {"line": int(grid.lines[row]), "column": grid.header[position], **problem(text)}

    report(log, code, np.flatnonzero(bad), describe)
    return values, ok


def _year_problem(text: str) -> dict[str, object]:
    return {"key": cells.year_problem_key(text), "value": shorten(text), "low": cells.FIRST_YEAR,
            "high": cells.last_year()}


def _firm_size_problem(text: str) -> dict[str, object]:
    return {"value": shorten(text), "choices": cells.FIRM_SIZE_CHOICES}


def parse_keys(grid: Grid, plan: Plan, firm_size: str, log: ProblemLog) -> Keys:
    regions, skipped = _regions(grid, plan, log)
    usable = np.asarray(regions != "") & ~skipped
    years = np.zeros(grid.rows, dtype=np.int64)
    if plan.year is not None:
        _check_periods(grid, plan.year, log)
        parsed, ok = _column_keys(grid, plan.year, cells.parse_year, skipped, "bad_year", _year_problem, log)
        usable &= ok
        years = np.where(ok, parsed, 0).astype(np.int64)
    sizes = constant(firm_size, grid.rows)
    if plan.firm_size is not None:
        column = grid.columns[plan.firm_size]
        _, ok = _column_keys(grid, plan.firm_size, cells.firm_size_code, skipped, "unknown_firm_size",
                             _firm_size_problem, log)
        usable &= ok
        sizes = categorical([cells.firm_size_code(t) or "" for t in column.uniques], column.codes)
    sectors = constant("", grid.rows)
    if plan.sector is not None:
        column = grid.columns[plan.sector]
        sectors = categorical([cells.sector_text(t) for t in column.uniques], column.codes)
    return Keys(regions, years, sizes, sectors, skipped, usable)


def _value_problems(grid: Grid, source: ValueSource, column: Column, numbers: cells.Numbers,
                    skipped: np.ndarray, log: ProblemLog) -> None:
    def describe(row: int) -> dict[str, object]:
        return {"line": int(grid.lines[row]), "column": source.header,
                "value": shorten(column.uniques[column.codes[row]])}

    report(log, "not_a_number", np.flatnonzero(numbers.bad[column.codes] & ~skipped), describe)
    report(log, "negative_value", np.flatnonzero(numbers.negative[column.codes] & ~skipped), describe)


def _value_piece(grid: Grid, source: ValueSource, keys: Keys, headers: list[str], log: ProblemLog) -> pd.DataFrame:
    column = grid.columns[source.position]
    numbers = cells.parse_numbers(column.uniques)
    _value_problems(grid, source, column, numbers, keys.skipped, log)
    rows = np.flatnonzero(keys.usable)
    codes = column.codes[rows]
    years = keys.year[rows] if source.year is None else np.full(len(rows), source.year, dtype=np.int64)
    return pd.DataFrame({
        "region": keys.region[rows], "year": years, "indicator": constant(source.indicator, len(rows), INDICATOR_CODES),
        "firm_size": keys.firm_size[rows], "sector": keys.sector[rows],
        "value": numbers.value[codes], "flag": categorical(list(numbers.flag), codes).set_categories(FLAGS),
        "line": grid.lines[rows], "column": constant(source.header, len(rows), headers),
        "order": np.full(len(rows), source.position, dtype=np.int64),
    }, columns=list(WORK_COLUMNS))


def empty_work_frame() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in WORK_COLUMNS})


def value_frame(grid: Grid, plan: Plan, firm_size: str, log: ProblemLog) -> pd.DataFrame:
    keys = parse_keys(grid, plan, firm_size, log)
    headers = list(dict.fromkeys(source.header for source in plan.values))
    pieces = [_value_piece(grid, source, keys, headers, log) for source in plan.values]
    return pd.concat(pieces, ignore_index=True) if pieces else empty_work_frame()
