"""An .xlsx workbook to a Grid: cached formula values, spreadsheet row numbers as line numbers."""

import datetime
import io
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from stats.importing.decode import MOJIBAKE, may_hold_mojibake, repair_mojibake
from stats.importing.failures import ReadFailure
from stats.importing.layout import Grid, clean_cells, find_header, is_footer, make_grid, refuse_header, title_of
from stats.importing.limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES
from stats.importing.problems import ProblemLog
from stats.importing.text import shorten

ZIP_MAGIC = b"PK\x03\x04"
_MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def cell_text(value: object) -> str:
    """Spreadsheet values as the text a CSV export would hold, so one parser serves both."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value)
    return repair_mojibake(text) if may_hold_mojibake(text) and MOJIBAKE.search(text) else text


def _check_unpacked(data: bytes) -> bool:
    """Refuse a zip bomb before anything is unpacked; True when some sheet holds formulas."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            if unpacked > MAX_UNPACKED_BYTES:
                raise ReadFailure("too_large_unpacked", "too_large_unpacked", size=unpacked // _MB,
                                  limit=MAX_UNPACKED_BYTES // _MB)
            return any(_has_formulas(archive, info) for info in infos if info.filename.startswith("xl/worksheets/"))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        raise ReadFailure("unreadable", "unreadable_zip", detail=type(error).__name__) from error


def _has_formulas(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with archive.open(info) as part:
        tail = b""
        while chunk := part.read(1 << 20):
            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                return True
            tail = chunk[-3:]
    return False


def _open(data: bytes, *, formulas: bool = False) -> openpyxl.Workbook:
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    except Exception as error:  # zipfile, XML and openpyxl's own errors all mean "not a workbook"
        raise ReadFailure("unreadable", "unreadable_zip", detail=type(error).__name__) from error


def _choose_sheet(book: openpyxl.Workbook, sheet: str | None) -> Any:
    sheets = book.worksheets
    if not sheets:
        raise ReadFailure("empty", "empty_file")
    if sheet is None or not sheet.strip():
        return sheets[0]
    wanted = sheet.strip().casefold()
    for candidate in sheets:
        if candidate.title == sheet or candidate.title.strip().casefold() == wanted:
            return candidate
    names = ", ".join(f'"{s.title}"' for s in sheets)
    raise ReadFailure("unknown_sheet", "unknown_sheet", sheet=sheet, sheets=names)


def _raw_rows(worksheet: Any) -> Iterator[tuple[object, ...]]:
    """The sheet's rows, refused as soon as they pass the limits on rows, columns and cells."""
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()  # stored dimensions can be wrong; read every row
    cells = 0
    for number, row in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        cells += len(row)
        if len(row) > MAX_COLUMNS:
            raise ReadFailure("too_many_columns", "too_many_columns", line=number, limit=MAX_COLUMNS)
        if number > MAX_ROWS:
            raise ReadFailure("too_many_rows", "too_many_rows", limit=MAX_ROWS)
        if cells > MAX_CELLS:
            raise ReadFailure("too_many_cells", "too_many_cells", limit=MAX_CELLS)
        yield row


def _sheet(data: bytes, sheet: str | None, *, formulas: bool) -> list[tuple[object, ...]]:
    book = _open(data, formulas=formulas)
    try:
        return list(_raw_rows(_choose_sheet(book, sheet)))
    except ReadFailure:
        raise
    except Exception as error:  # a damaged sheet inside a valid zip
        raise ReadFailure("unreadable", "unreadable_zip", detail=type(error).__name__) from error
    finally:
        book.close()


def _report_formulas(values: list[tuple[object, ...]], formulas: list[tuple[object, ...]], log: ProblemLog) -> None:
    """A formula whose value was never saved reads as an empty cell: an error, never a missing figure."""
    found = [(number, str(formula)) for number, (row, formula_row) in enumerate(zip(values, formulas, strict=False), start=1)
             for value, formula in zip(row, formula_row, strict=False)
             if value is None and isinstance(formula, str) and formula.startswith("=")]
    for number, formula in found[: log.room("formula_without_value")]:
        log.add("formula_without_value", line=number, formula=shorten(formula, 40))
    log.skip("formula_without_value", len(found) - min(len(found), log.room("formula_without_value")))


def read_rows(data: bytes, sheet: str | None, log: ProblemLog) -> list[list[str]]:
    has_formulas = _check_unpacked(data)
    with warnings.catch_warnings():
        # openpyxl warns about unsupported Excel features it skips; they do not affect cell values.
        warnings.simplefilter("ignore")
        values = _sheet(data, sheet, formulas=False)
        if has_formulas:
            _report_formulas(values, _sheet(data, sheet, formulas=True), log)
    return [clean_cells([cell_text(v) for v in row]) for row in values]


def _report_mojibake(rows: list[list[str]], log: ProblemLog) -> None:
    """Cells still garbled after repair are errors, so no mojibake reaches the database."""
    garbled = [(number, cell) for number, cells in enumerate(rows, start=1) for cell in cells
               if may_hold_mojibake(cell) and MOJIBAKE.search(cell)]
    for number, cell in garbled[: log.room("mojibake")]:
        log.add("mojibake", line=number, value=shorten(cell, 40))
    log.skip("mojibake", len(garbled) - min(len(garbled), log.room("mojibake")))


def grid_from_rows(rows: list[list[str]]) -> Grid:
    if not any(any(cells) for cells in rows):
        raise ReadFailure("empty", "empty_file")
    found = find_header(rows)
    if found is None:
        refuse_header(rows)
    index, kind = found
    end = len(rows)
    while end > index + 1 and is_footer(rows[end - 1]):
        end -= 1
    body = rows[index + 1:end]
    if not body:
        raise ReadFailure("empty", "empty_table")
    header = rows[index]
    width = max(len(header), max(len(r) for r in body))
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in body], dtype=object)
    lines = np.arange(index + 2, index + 2 + len(body), dtype=np.int64)
    header = header + [""] * (width - len(header))
    return make_grid(kind, header, index + 1, title_of(rows[:index]), frame, lines)


def grid_from_workbook(data: bytes, sheet: str | None, log: ProblemLog) -> Grid:
    rows = read_rows(data, sheet, log)
    _report_mojibake(rows, log)
    return grid_from_rows(rows)
