"""Fixtures for the statistics-file reader tests: the small data files and .xlsx workbooks built here."""

import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

IMPORTING_DATA = Path(__file__).resolve().parent.parent / "data" / "importing"

Rows = list[list[object]]


def build_xlsx(sheets: dict[str, Rows], cached: dict[str, object] | None = None) -> bytes:
    """A workbook with the given sheets; `cached` sets the stored result of formula cells (e.g. "C2": 77),
    which openpyxl itself never writes but Excel always does."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    return _with_cached_values(data, cached) if cached else data


def _with_cached_values(data: bytes, cached: dict[str, object]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode("utf-8")
                for ref, value in cached.items():
                    text = re.sub(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/>', rf"\g<1><v>{value}</v>", text)
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def declare_unpacked_size(data: bytes, member: str, size: int) -> bytes:
    """The same zip, its central directory declaring `size` unpacked bytes for one member."""
    buffer = bytearray(data)
    start = 0
    while (start := buffer.find(b"PK\x01\x02", start)) >= 0:
        name_length = struct.unpack_from("<H", buffer, start + 28)[0]
        if bytes(buffer[start + 46:start + 46 + name_length]) == member.encode():
            struct.pack_into("<I", buffer, start + 24, size)
        start += 4
    return bytes(buffer)


@pytest.fixture
def importing_file() -> Callable[[str], bytes]:
    return lambda name: (IMPORTING_DATA / name).read_bytes()


@pytest.fixture
def make_xlsx() -> Callable[..., bytes]:
    return build_xlsx


FRAME_COLUMNS = ["region", "year", "indicator", "firm_size", "sector", "value", "flag", "line"]


def assert_reader_frame(frame: pd.DataFrame) -> None:
    """The reader's frame: its columns in order, and their types."""
    assert list(frame.columns) == FRAME_COLUMNS
    for name in ("region", "indicator", "firm_size", "sector", "flag"):
        # Text as a categorical of str: a million rows share a few distinct texts (see rows.py).
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
        assert frame[name].cat.categories.dtype == "str", name
        assert all(isinstance(v, str) for v in frame[name]), name
    assert frame["year"].dtype == np.int64 and frame["line"].dtype == np.int64
    assert frame["value"].dtype == np.float64
