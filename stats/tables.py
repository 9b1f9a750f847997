"""Every chart's data as tidy CSV, XLSX and a data ZIP.

The CSV is tidy: the header on the first line, one row per observation, comma separator, decimal point,
whole numbers without ".0", no metadata rows (a program reads it as it is). The metadata (indicator,
unit, source, method, breakdown, period, the formula of derived values) goes on its own sheet of the
XLSX, and into `metadata.json` and `README.txt` beside the CSV in the ZIP.

Text cells that begin with =, +, -, @, tab or CR are prefixed with an apostrophe so that no
spreadsheet runs them as a formula (region, sector and source names come from uploaded files and
the admin); numbers stay numbers (a negative change is a number, not text). Missing values are
empty cells, never zeros.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from stats.formatting import is_missing

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
    meta: list[tuple[str, str]]  # (label, value) in the reader's language: unit, source, breakdown, period, notes
    columns: list[str]
    rows: list[list[Cell]]
    decimals: dict[int, int] = field(default_factory=dict)  # column index -> decimals (xlsx number format)
    filename: str = "exportregion"
    # The same metadata under fixed English keys for metadata.json (indicator, unit, source, publisher,
    # method, breakdown, period, formula, note, last_import).
    info: dict[str, str] = field(default_factory=dict)

    def header_rows(self) -> list[list[Cell]]:
        return [[_clean(self.title)]] + [[_clean(label), _clean(value)] for label, value in self.meta]

    def body_rows(self) -> list[list[Cell]]:
        return [[_clean(c) for c in self.columns]] + [[_clean(c) for c in row] for row in self.rows]


def _safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:120] or "exportregion"


def _csv_cell(cell: Cell) -> str:
    """A plain number: 31616 (never 31616.0), 80.01 (decimal point); missing: empty."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    return str(cell)


def to_csv(table: DataTable) -> bytes:
    """Tidy UTF-8 CSV: the header on the first line (no byte-order mark), comma-separated, decimal point."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table.body_rows():
        writer.writerow([_csv_cell(c) for c in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(table: DataTable) -> bytes:
    """The data on the first sheet (header on row 1), the metadata on a sheet of its own."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = _("Data")[:31]
    _data_sheet(sheet, table)
    _meta_sheet(workbook.create_sheet(_("Metadata")[:31]), table)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _data_sheet(sheet: Any, table: DataTable) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for row in table.body_rows():
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    _as_text(sheet)
    for index, decimals in table.decimals.items():
        number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            if isinstance(cell.value, (int, float)):
                cell.number_format = number_format
    for index, title in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(title)) + 4))
    sheet.freeze_panes = sheet.cell(row=2, column=1)


def _meta_sheet(sheet: Any, table: DataTable) -> None:
    from openpyxl.styles import Font

    for row in table.header_rows():
        sheet.append(row)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    _as_text(sheet)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90


def _as_text(sheet: Any) -> None:
    # Every text cell is stored as text: openpyxl would otherwise store "=…" as a formula.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def to_xlsx_sheets(tables: list[DataTable], *, title: str, meta: list[tuple[str, str]]) -> bytes:
    """Several tables in one workbook (a sheet each, named by its title) and one metadata sheet: the
    workbook's own metadata, then each table's."""
    from openpyxl import Workbook

    workbook = Workbook()
    for sheet in workbook.worksheets:
        workbook.remove(sheet)
    used: set[str] = set()
    for table in tables:
        name = re.sub(r"[\[\]:*?/\\]", " ", table.title)[:28].strip() or _("Data")
        while name in used:
            name = name[:26] + f" {len(used)}"
        used.add(name)
        _data_sheet(workbook.create_sheet(name), table)
    rows = DataTable(title, meta, [], [])
    sheet = workbook.create_sheet(_("Metadata")[:31])
    _meta_sheet(sheet, rows)
    for table in tables:
        sheet.append([])
        for row in table.header_rows():
            sheet.append(row)
    _as_text(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def readme_text(table: DataTable) -> str:
    """README.txt of the data ZIP: what the CSV holds, in the reader's language."""
    lines = [table.title, "=" * len(table.title), ""]
    lines += [f"{label}: {value}" for label, value in table.meta]
    lines += ["", _("Columns") + ": " + ", ".join(table.columns), "",
              _("The CSV is tidy: the header on the first line, one row per value, comma as separator and a "
                "point as decimal mark. An empty value is missing (never zero); the Note column says when a "
                "value is confidential or derived."), ""]
    return "\n".join(lines)


def to_zip(table: DataTable) -> bytes:
    """The data ZIP: the tidy CSV, metadata.json (fixed English keys) and README.txt."""
    name = _safe_filename(table.filename)
    metadata = {"title": table.title, **table.info, "columns": table.columns, "rows": len(table.rows),
                "files": {f"{name}.csv": "data", "metadata.json": "metadata", "README.txt": "description"}}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.csv", to_csv(table))
        archive.writestr("metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2))
        archive.writestr("README.txt", readme_text(table))
    return out.getvalue()


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


def zip_response(table: DataTable) -> HttpResponse:
    response = HttpResponse(to_zip(table), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_safe_filename(table.filename)}.zip"'
    return response


def xlsx_sheets_response(tables: list[DataTable], *, title: str, meta: list[tuple[str, str]],
                         filename: str) -> HttpResponse:
    response = HttpResponse(
        to_xlsx_sheets(tables, title=title, meta=meta),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_safe_filename(filename)}.xlsx"'
    return response
