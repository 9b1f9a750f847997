"""Every chart's data as CSV and XLSX: units, source and breakdown in header rows above the table.

Text cells that begin with =, +, -, @, tab or CR are prefixed with an apostrophe so that no
spreadsheet runs them as a formula (region, sector and source names come from uploaded files and
the admin); numbers stay numbers (a negative change is a number, not text). Missing values are
empty cells, never zeros.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils.translation import gettext as _

from stats.formatting import is_missing

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | None


def escape_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _clean(cell: Cell) -> Cell:
    if isinstance(cell, bool):
        return int(cell)
    if is_missing(cell):
        return None
    if isinstance(cell, (int, float)) or cell is None:
        return cell
    if hasattr(cell, "item"):  # numpy scalar
        return _clean(cell.item())
    return escape_text(str(cell))


@dataclass
class DataTable:
    title: str
    meta: list[tuple[str, str]]  # (label, value): unit, source, breakdown, period, notes
    columns: list[str]
    rows: list[list[Cell]]
    decimals: dict[int, int] = field(default_factory=dict)  # column index -> decimals (xlsx number format)
    filename: str = "exportregion"

    def header_rows(self) -> list[list[Cell]]:
        return [[_clean(self.title)]] + [[_clean(label), _clean(value)] for label, value in self.meta] + [[]]

    def body_rows(self) -> list[list[Cell]]:
        return [[_clean(c) for c in self.columns]] + [[_clean(c) for c in row] for row in self.rows]


def _safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:120] or "exportregion"


def to_csv(table: DataTable) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads å, ä, ö), comma-separated, decimal point."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table.header_rows() + table.body_rows():
        writer.writerow(["" if c is None else c for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: DataTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = _("Data")[:31]
    for row in table.header_rows():
        sheet.append(row)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    header_row = sheet.max_row + 1
    for row in table.body_rows():
        sheet.append(row)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    _store_text_as_text(sheet)
    _format_numbers(sheet, table.decimals, first_row=header_row + 1)
    for index, title in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(title)) + 4))
    sheet.freeze_panes = f"A{header_row + 1}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _store_text_as_text(sheet: Worksheet) -> None:
    # Every text cell is stored as text: openpyxl would otherwise store "=…" as a formula.
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _format_numbers(sheet: Worksheet, decimals_by_column: dict[int, int], *, first_row: int) -> None:
    for index, decimals in decimals_by_column.items():
        number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
        for (cell,) in sheet.iter_rows(min_row=first_row, min_col=index + 1, max_col=index + 1):
            if isinstance(cell.value, (int, float)):
                cell.number_format = number_format


def csv_response(table: DataTable) -> HttpResponse:
    response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_safe_filename(table.filename)}.csv"'
    return response


def xlsx_response(table: DataTable) -> HttpResponse:
    response = HttpResponse(
        to_xlsx(table), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_safe_filename(table.filename)}.xlsx"'
    return response
