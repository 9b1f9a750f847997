"""JSON-stat 2.0 (what the statistics database's API answers) to a Cube; the structure is validated first."""

import json
from typing import Any

import numpy as np
from jsonstat_validator import JSONStatValidationError, validate_jsonstat

from stats.importing.cube import METRIC, REGION, TIME, Cube, Variable
from stats.importing.failures import ReadFailure
from stats.importing.limits import MAX_CELLS
from stats.importing.text import shorten

_SYMBOLS = frozenset({"..", ".", "-", "–", "x", "X", "…"})


def is_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _refuse(detail: str) -> ReadFailure:
    return ReadFailure("not_jsonstat", "not_jsonstat", detail=shorten(detail, 120))


def _without_links(document: dict[str, Any]) -> dict[str, Any]:
    """Links describe, they hold no figures; the database writes some the validator does not accept."""
    copy = {key: value for key, value in document.items() if key != "link"}
    dimensions = copy.get("dimension")
    if isinstance(dimensions, dict):
        copy["dimension"] = {name: {k: v for k, v in dim.items() if k != "link"} if isinstance(dim, dict) else dim
                             for name, dim in dimensions.items()}
    return copy


def _load(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _refuse(f"not JSON: {error}") from error
    if not isinstance(document, dict):
        raise _refuse("not a JSON object")
    if document.get("class") != "dataset":
        raise _refuse(f'class "{document.get("class")}", not "dataset"')
    try:
        validate_jsonstat(_without_links(document))
    except (JSONStatValidationError, ValueError, TypeError) as error:
        raise _refuse(str(error).splitlines()[-1]) from error
    return document


def _categories(dimension: dict[str, Any]) -> tuple[list[str], list[str]]:
    category = dimension.get("category") or {}
    index = category.get("index")
    labels = category.get("label") or {}
    if isinstance(index, list):
        codes = [str(code) for code in index]
    elif isinstance(index, dict):
        codes = [str(code) for code, _ in sorted(index.items(), key=lambda item: int(item[1]))]
    else:
        codes = [str(code) for code in labels]
    return codes, [str(labels.get(code, code)) for code in codes]


def _variable(name: str, dimension: dict[str, Any], roles: dict[str, str]) -> Variable:
    codes, labels = _categories(dimension)
    extension = dimension.get("extension")
    if not isinstance(extension, dict):
        extension = {}
    eliminable = extension.get("elimination") is True
    total_code = extension.get("eliminationValueCode")
    total = labels[codes.index(str(total_code))] if eliminable and str(total_code) in codes else None
    return Variable(str(dimension.get("label") or name), codes, labels, roles.get(name), eliminable, total)


def _status(document: dict[str, Any], size: int) -> list[str | None]:
    status = document.get("status")
    if isinstance(status, str):
        return [status] * size
    if isinstance(status, list):
        return [None if item is None else str(item) for item in status] + [None] * (size - len(status))
    result: list[str | None] = [None] * size
    if isinstance(status, dict):
        for key, item in status.items():
            if str(key).isdigit() and int(key) < size:
                result[int(key)] = str(item)
    return result


def _cells(document: dict[str, Any], size: int) -> list[str]:
    """Each value as table text: a number, or the status symbol where there is none ("..": missing, never 0)."""
    raw = document.get("value")
    values: list[Any] = [None] * size
    if isinstance(raw, list):
        if len(raw) != size:
            raise _refuse(f"value holds {len(raw)} cells, the dimensions call for {size}")
        values = raw
    elif isinstance(raw, dict):
        for key, item in raw.items():
            if not str(key).isdigit() or int(key) >= size:
                raise _refuse(f'value index "{shorten(str(key), 20)}" is outside the dimensions')
            values[int(key)] = item
    status = _status(document, size)
    texts = []
    for value, symbol in zip(values, status, strict=True):
        if value is None or isinstance(value, bool):
            texts.append(symbol if symbol in _SYMBOLS else "")
        elif isinstance(value, (int, float)):
            texts.append(repr(value) if isinstance(value, float) else str(value))
        else:
            texts.append(str(value))
    return texts


def read_jsonstat(data: bytes) -> Cube:
    document = _load(data)
    try:
        return _cube(document)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        # The validator leaves some shapes through (a null where a list belongs): still not a dataset we read.
        raise _refuse(f"{type(error).__name__}: {error}") from error


def _cube(document: dict[str, Any]) -> Cube:
    ids = [str(name) for name in document["id"]]
    roles = {str(name): role for role in (TIME, METRIC, "geo") for name in (document.get("role") or {}).get(role, [])}
    roles = {name: REGION if role == "geo" else role for name, role in roles.items()}
    variables = [_variable(name, document["dimension"][name], roles) for name in ids]
    shape = [len(v) for v in variables]
    if [int(n) for n in document["size"]] != shape:
        raise _refuse("size does not match the categories of the dimensions")
    size = int(np.prod(shape)) if shape else 1
    if size > MAX_CELLS:
        raise ReadFailure("too_many_cells", "too_many_cells", limit=MAX_CELLS)
    cells = np.asarray(_cells(document, size), dtype=object).reshape(shape)
    # JSON has no lines worth naming: a cell's "line" is its place in "value", counted from 1.
    lines = (np.arange(size, dtype=np.int64) + 1).reshape(shape)
    title = str(document.get("label") or "")
    contents = str(((document.get("extension") or {}).get("px") or {}).get("contents") or "")
    return Cube(title, variables, cells, lines, contents)
