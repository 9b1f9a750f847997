"""PX files (the statistics database's own format) to a Cube: keywords read by pyaxis, DATA read here
with the line of every cell, the code page from CODEPAGE/CHARSET."""

import codecs
import re

import numpy as np
from pyaxis.metadata_processing import metadata_extract, metadata_split_to_dict

from stats.importing.cube import TIME, Cube, Variable
from stats.importing.decode import decode_bytes, normalise_newlines
from stats.importing.failures import ReadFailure
from stats.importing.limits import MAX_CELLS

_CODEPAGE = re.compile(rb'CODEPAGE\s*=\s*"([^"]{1,40})"', re.IGNORECASE)
_CHARSET_ANSI = re.compile(rb'CHARSET\s*=\s*"ANSI"', re.IGNORECASE)
_DATA = re.compile(r"^DATA\s*=", re.MULTILINE)
_TOKEN = re.compile(r'"[^"\n]*"|[^\s";,]+')
_STUB = re.compile(rb"^(?:STUB|HEADING)\s*=", re.MULTILINE)
_VALUES = re.compile(rb"^VALUES\s*\(", re.MULTILINE)


def is_px(data: bytes) -> bool:
    """PX files are keyword lines (STUB=…; VALUES("region")=…;) before DATA=."""
    head = data[:65536]
    return bool(_STUB.search(head)) and bool(_VALUES.search(head))


def _text(data: bytes) -> str:
    named = _CODEPAGE.search(data[:65536])
    if named:
        name = named.group(1).decode("ascii", "replace")
        try:
            return normalise_newlines(data.decode(codecs.lookup(name).name).lstrip("\ufeff"))
        except (LookupError, UnicodeDecodeError) as error:
            raise ReadFailure("px_unreadable", "px_unreadable", detail=f'CODEPAGE="{name}": {error}') from error
    if _CHARSET_ANSI.search(data[:65536]) and not data.startswith(codecs.BOM_UTF8):
        return normalise_newlines(data.decode("cp1252", errors="replace"))
    decoded = decode_bytes(data)
    if decoded is None:
        raise ReadFailure("px_unreadable", "px_unreadable", detail="binary data")
    return normalise_newlines(decoded[0].lstrip("\ufeff"))


def _list(metadata: dict[str, object], key: str) -> list[str]:
    value = metadata.get(key)
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value).strip().strip('"')]


def _variable(metadata: dict[str, object], name: str, time: set[str]) -> Variable:
    labels = _list(metadata, f"VALUES({name})")
    if not labels:
        raise ReadFailure("px_unreadable", "px_unreadable", detail=f'no VALUES("{name}")')
    codes = _list(metadata, f"CODES({name})")
    if len(codes) != len(labels):
        codes = labels
    elimination = metadata.get(f"ELIMINATION({name})")
    total = None
    if isinstance(elimination, list) and elimination:
        total = str(elimination[0]) if str(elimination[0]) in labels else None
    eliminable = isinstance(elimination, str) and elimination.strip().upper() == "YES"
    return Variable(name, codes, labels, TIME if name in time else None, eliminable or total is not None, total)


def _data(text: str, start: int, shape: list[int]) -> tuple[np.ndarray, np.ndarray]:
    end = text.find(";", start)
    body = text[start: end if end >= 0 else len(text)]
    found = list(_TOKEN.finditer(body))
    expected = int(np.prod(shape)) if shape else 1
    if len(found) != expected:
        raise ReadFailure("px_unreadable", "px_unreadable",
                          detail=f"DATA holds {len(found)} values, the variables call for {expected}")
    cells = np.asarray([match.group().strip('"') for match in found], dtype=object).reshape(shape)
    first_line = text.count("\n", 0, start) + 1
    newlines = np.asarray([match.start() for match in re.finditer("\n", body)], dtype=np.int64)
    offsets = np.asarray([match.start() for match in found], dtype=np.int64)
    lines = (first_line + np.searchsorted(newlines, offsets)).reshape(shape)
    return cells, lines


def read_px(data: bytes) -> Cube:
    text = _text(data)
    found = _DATA.search(text)
    if found is None:
        raise ReadFailure("px_unreadable", "px_unreadable", detail="no DATA")
    try:
        attributes, _ = metadata_extract(text[: found.start()] + "DATA=")
        metadata: dict[str, object] = metadata_split_to_dict(attributes)
    except (ValueError, IndexError, TypeError) as error:  # pyaxis' splitter fails so on an unclosed quote
        raise ReadFailure("px_unreadable", "px_unreadable", detail=type(error).__name__) from error
    # Keywords of other languages (VALUES[sv]("region")) are left aside: the default language is read.
    metadata = {key: value for key, value in metadata.items() if "[" not in key}
    names = _list(metadata, "STUB") + _list(metadata, "HEADING")
    if not names:
        raise ReadFailure("px_unreadable", "px_unreadable", detail="no STUB or HEADING")
    time = {key[len("TIMEVAL("):-1] for key in metadata if key.startswith("TIMEVAL(")}
    variables = [_variable(metadata, name, time) for name in names]
    shape = [len(v) for v in variables]
    if int(np.prod(shape)) > MAX_CELLS:
        raise ReadFailure("too_many_cells", "too_many_cells", limit=MAX_CELLS)
    cells, lines = _data(text, found.end(), shape)
    title = " ".join(_list(metadata, "TITLE"))
    contents = " ".join(_list(metadata, "CONTENTS"))
    stub = re.search(r"^(?:STUB|HEADING)\s*=", text, re.MULTILINE)
    header_line = text.count("\n", 0, stub.start()) + 1 if stub else 1
    return Cube(title, variables, cells, lines, contents, header_line)
