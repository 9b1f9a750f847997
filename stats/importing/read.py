"""read_statistics: bytes in, a normalised long frame and line-numbered problems out. Never raises."""

from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd

from stats.importing import cells, headers
from stats.importing.cube import cube_grid
from stats.importing.decode import MOJIBAKE, decode, may_hold_mojibake
from stats.importing.derive import add_per_capita
from stats.importing.dimensions import fill_down, keep_totals
from stats.importing.failures import ReadFailure
from stats.importing.jsonstat import is_json, read_jsonstat
from stats.importing.layout import LONG, Grid
from stats.importing.plan import Plan, long_plan, wide_plan
from stats.importing.problems import ProblemLog, ReadResult
from stats.importing.px import is_px, read_px
from stats.importing.rows import report, skipped_rows, value_frame
from stats.importing.text import shorten
from stats.importing.textfile import grid_from_text
from stats.importing.validate import check_duplicates, check_jumps, check_text_lengths
from stats.importing.workbook import OLE_MAGIC, ZIP_MAGIC, grid_from_workbook

FRAME_COLUMNS = ["region", "year", "indicator", "firm_size", "sector", "value", "flag", "line"]
_STRING_COLUMNS = ("region", "indicator", "firm_size", "sector", "flag")


def empty_frame() -> pd.DataFrame:
    """The typed frame of no rows: every refused file gives one, so it is built once and copied."""
    return _empty_frame().copy()


@cache
def _empty_frame() -> pd.DataFrame:
    return _typed(pd.DataFrame({name: [] for name in FRAME_COLUMNS}))


def _text(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column
    return column.astype("str").astype("category")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    # Text columns stay categoricals (see rows.py): what every consumer reads is still plain str values.
    typed = {name: _text(frame[name]) for name in _STRING_COLUMNS}
    typed["year"] = frame["year"].astype("int64")
    typed["value"] = frame["value"].astype("float64")
    typed["line"] = frame["line"].astype("int64")
    return pd.DataFrame({name: typed[name] for name in FRAME_COLUMNS})


def _argument(value: str | None, resolve: Callable[[str], str | None], code: str, key: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    resolved = resolve(str(value))
    if resolved is None:
        raise ReadFailure(code, key, value=shorten(str(value)))
    return resolved


def _report_mojibake(text: str, log: ProblemLog) -> None:
    if not may_hold_mojibake(text):
        return
    matches = list(MOJIBAKE.finditer(text))

    def details(index: int) -> dict[str, object]:
        start = matches[index].start()
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        snippet = text[max(line_start, start - 20): (line_end if line_end >= 0 else len(text))]
        return {"line": text.count("\n", 0, start) + 1, "value": shorten(snippet[:40])}

    report(log, "mojibake", np.arange(len(matches)), details)


def _grid(data: bytes, sheet: str | None, log: ProblemLog) -> Grid:
    if data.startswith(ZIP_MAGIC):
        return grid_from_workbook(data, sheet, log)
    if data.startswith(OLE_MAGIC):
        raise ReadFailure("unreadable", "unreadable_xls")
    if not data.strip():
        raise ReadFailure("empty", "empty_file")
    if is_px(data):
        return cube_grid(read_px(data), log)
    if is_json(data):
        return cube_grid(read_jsonstat(data), log)
    decoded = decode(data)
    if decoded is None:
        raise ReadFailure("unreadable", "unreadable_binary")
    if decoded.repaired_lines:
        log.warn("encoding_repaired", n=decoded.repaired_lines)
    _report_mojibake(decoded.text, log)
    return grid_from_text(decoded.text, log)


def _wide_indicator(grid: Grid, given: str | None, log: ProblemLog) -> str | None:
    """The indicator of the year columns: given on upload, or named by the title or the first header cell."""
    named = headers.indicator_in_title(grid.title) or headers.indicator_for_header(grid.header[0])
    if given and named and named != given:
        log.warn("indicator_conflict", title=named, given=given)
    return given or named


def _firm_size(grid: Grid, given: str | None, log: ProblemLog) -> str:
    named = headers.firm_size_in_title(grid.title)
    if given and named and named != given:
        log.warn("firm_size_conflict", title=named, given=given)
    return given or named or "all"


def _plan(grid: Grid, indicator: str | None, log: ProblemLog) -> Plan:
    if grid.kind == LONG:
        return long_plan(grid, indicator, log)
    return wide_plan(grid, _wide_indicator(grid, indicator, log), log)


def _read(data: bytes, indicator: str | None, firm_size: str | None, sheet: str | None,
          log: ProblemLog) -> pd.DataFrame:
    given_indicator = _argument(indicator, headers.resolve_indicator, "unknown_indicator", "unknown_indicator")
    given_size = _argument(firm_size, cells.firm_size_code, "unknown_firm_size", "bad_firm_size_argument")
    grid = _grid(data, sheet, log)
    if grid.rows == 0:
        raise ReadFailure("empty", "empty_table")
    plan = _plan(grid, given_indicator, log)
    if plan.dimensions:
        grid = fill_down(grid, plan.region)
    totals = keep_totals(grid, plan.dimensions, log)
    if totals is None:
        return empty_frame()  # one category is no whole; its rows would only repeat as duplicates
    grid = totals
    if grid.rows == 0:
        raise ReadFailure("empty", "empty_table")
    skipped_rows(grid, plan)  # a file of municipalities only is refused before anything else is asked for
    if any(not source.indicator for source in plan.values):
        raise ReadFailure("wide_without_indicator", "wide_without_indicator")
    # A firm-size column decides row by row; the title or the argument only for files without one.
    firm_size = _firm_size(grid, given_size, log) if plan.firm_size is None else "all"
    frame = value_frame(grid, plan, firm_size, log)
    check_text_lengths(frame, log)
    check_duplicates(frame, log)
    if log.has_errors:
        return empty_frame()
    frame = add_per_capita(frame, log)
    check_jumps(frame, log)
    frame = frame.sort_values(["line", "order"], kind="stable", ignore_index=True)
    return _typed(frame)


def read_statistics(data: bytes, filename: str, *, indicator: str | None = None,  # noqa: ARG001
                    firm_size: str | None = None, sheet: str | None = None, lang: str = "en") -> ReadResult:
    log = ProblemLog(lang if isinstance(lang, str) else "en")
    try:
        frame = _read(bytes(data), indicator, firm_size, sheet, log)
    except ReadFailure as failure:
        log.add(failure.code, failure.key, **failure.values)  # type: ignore[arg-type]
        frame = empty_frame()
    except Exception as error:  # any input must give a ReadResult, never a traceback
        log.add("unreadable", "unreadable_internal", detail=shorten(f"{type(error).__name__}: {error}", 200))
        frame = empty_frame()
    if log.has_errors:
        frame = empty_frame()
    return ReadResult(frame, log.problems())
