"""A statistics-database cube (PX or JSON-stat: variables × categories, one cell per combination) to a Grid.

The cube becomes a long table: a column per variable (region, year, other variables) and a value
column per table content (indicator). A variable the database lets users leave out (elimination) and
that has no total category is summed away, as the database itself does; every other variable is a
dimension column for dimensions.py (keep its total, or refuse)."""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from stats.importing import headers
from stats.importing.cells import CONFIDENTIAL, GIVEN, MISSING, ZERO, parse_numbers, period_kind
from stats.importing.dimensions import TOTAL_LABELS
from stats.importing.failures import ReadFailure
from stats.importing.layout import LONG, Column, Grid
from stats.importing.limits import MAX_CELLS
from stats.importing.plan import refuse_periods
from stats.importing.problems import ProblemLog
from stats.importing.regions import match_region
from stats.importing.text import shorten

REGION, TIME, METRIC = "region", "time", "metric"
_METRIC_NAMES = frozenset({"tabellinnehall", "contents", "contentscode", "table contents", "observations"})
_TIME_NAMES = frozenset({"manad", "month", "kvartal", "quarter"})
_SHOWN = 6


@dataclass(frozen=True)
class Variable:
    name: str
    codes: list[str]
    labels: list[str]
    role: str | None = None
    eliminable: bool = False    # may be left out: summed away where it has no total
    total: str | None = None    # the label of its total category, where the file names one

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Cube:
    title: str
    variables: list[Variable]
    cells: np.ndarray           # texts, shape = the variables' sizes (row-major, first variable slowest)
    lines: np.ndarray           # per cell, where the file holds it
    contents: str = ""          # what the single figure is, for a table without a content variable
    header_line: int = 1        # where the file names its variables (a PX file's STUB line)


def _role_by_name(variable: Variable) -> str | None:
    kind = headers.key_kind(variable.name)
    if kind in (headers.REGION, headers.REGION_CODE):
        return REGION
    folded = headers.normalise_label(variable.name)
    if kind == headers.YEAR or folded in _TIME_NAMES:
        return TIME
    return METRIC if folded in _METRIC_NAMES else None


def _looks_regional(variable: Variable) -> bool:
    matched = sum(1 for code, label in zip(variable.codes, variable.labels, strict=True)
                  if match_region(code).code or match_region(label).code or match_region(code).skipped)
    return matched * 2 > len(variable)


def assign_roles(variables: list[Variable]) -> list[Variable]:
    """Roles the file gives, else from the variable's name, else a variable of region names is the region."""
    named = [v if v.role else Variable(v.name, v.codes, v.labels, _role_by_name(v), v.eliminable, v.total)
             for v in variables]
    if not any(v.role == REGION for v in named):
        found = next((v for v in named if v.role is None and _looks_regional(v)), None)
        named = [Variable(v.name, v.codes, v.labels, REGION, v.eliminable, v.total) if v is found else v
                 for v in named]
    return named


def _names(variables: list[Variable]) -> str:
    return ", ".join(f'"{v.name}"' for v in variables)


def _values(labels: list[str]) -> str:
    return ", ".join(shorten(label, 30) for label in labels[:_SHOWN]) + (", …" if len(labels) > _SHOWN else "")


def _has_total(variable: Variable) -> bool:
    return variable.total is not None or any(headers.normalise_label(x) in TOTAL_LABELS for x in variable.labels)


def _text_of(value: float, flag: str) -> str:
    if flag == MISSING:
        return ".."
    if flag == CONFIDENTIAL:
        return "x"
    if flag == ZERO:
        return "-"
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _sum_away(cube: Cube, axis: int) -> Cube:
    """Sum one variable away: missing if any part is missing, confidential if any part is confidential."""
    uniques, codes = np.unique(cube.cells.astype(str), return_inverse=True)
    numbers = parse_numbers(list(uniques))
    codes = codes.reshape(cube.cells.shape)
    values = numbers.value[codes]
    flags = numbers.flag[codes]
    missing = ((flags == MISSING) | numbers.bad[codes]).any(axis=axis)
    confidential = (flags == CONFIDENTIAL).any(axis=axis)
    zero = (flags == ZERO).all(axis=axis)
    sums = np.nansum(values, axis=axis)
    flag = np.where(missing, MISSING, np.where(confidential, CONFIDENTIAL, np.where(zero, ZERO, GIVEN)))
    texts = np.vectorize(_text_of, otypes=[object])(sums, flag) if sums.size else sums.astype(object)
    variables = [v for place, v in enumerate(cube.variables) if place != axis]
    return replace(cube, variables=variables, cells=texts, lines=cube.lines.min(axis=axis))


def eliminate(cube: Cube, log: ProblemLog) -> Cube:
    for variable in list(cube.variables):
        if variable.role is None and variable.eliminable and len(variable) > 1 and not _has_total(variable):
            log.warn("dimension_summed", line=cube.header_line, name=variable.name, values=_values(variable.labels))
            cube = _sum_away(cube, cube.variables.index(variable))
    return cube


def _region_texts(variable: Variable) -> list[str]:
    """The code where it is a county or municipality code ("01", "0114"), else the name."""
    return [code if code.isdigit() and len(code) in (2, 4) else label
            for code, label in zip(variable.codes, variable.labels, strict=True)]


def _value_header(label: str, contents: str) -> str:
    """The indicator a content names, as its code when known (so the header always resolves)."""
    for text in (label, contents):
        code = headers.indicator_for_header(text) or headers.indicator_in_title(text)
        if code:
            return code
    return label or contents


def cube_grid(cube: Cube, log: ProblemLog) -> Grid:
    variables = assign_roles(cube.variables)
    if not any(v.role == REGION for v in variables):
        raise ReadFailure("px_no_region", "px_no_region", names=_names(variables))
    if not any(v.role == TIME for v in variables):
        raise ReadFailure("px_no_time", "px_no_time", names=_names(variables))
    if cube.cells.size > MAX_CELLS:
        raise ReadFailure("too_many_cells", "too_many_cells", limit=MAX_CELLS)
    time = next(v for v in variables if v.role == TIME)
    period = next((label for label in time.labels if period_kind(label)), None)
    if period is not None:
        refuse_periods(period, None, log)
    cube = eliminate(replace(cube, variables=variables), log)
    metric = next((place for place, v in enumerate(cube.variables) if v.role == METRIC), None)
    cells, lines = cube.cells, cube.lines
    if metric is None:
        cells, lines = cells[..., np.newaxis], lines[..., np.newaxis]
        contents = [_value_header("", cube.contents)]
        keys = cube.variables
    else:
        cells, lines = np.moveaxis(cells, metric, -1), np.moveaxis(lines, metric, -1)
        contents = [_value_header(label, cube.contents) for label in cube.variables[metric].labels]
        keys = [v for place, v in enumerate(cube.variables) if place != metric]
    shape = [len(v) for v in keys]
    rows = int(np.prod(shape)) if shape else 1
    positions = np.unravel_index(np.arange(rows), shape) if shape else ()
    columns = []
    for variable, codes in zip(keys, positions, strict=True):
        texts = _region_texts(variable) if variable.role == REGION else variable.labels
        columns.append(Column(codes.astype(np.intp), [fold_space(text) for text in texts]))
    flat = cells.reshape(rows, len(contents))
    columns += [Column.of(pd.Series(flat[:, index], dtype=object)) for index in range(len(contents))]
    header = [("Region" if v.role == REGION else "År" if v.role == TIME else v.name) for v in keys] + contents
    totals = {place: fold_space(v.total) for place, v in enumerate(keys) if v.total is not None}
    return Grid(LONG, header, cube.header_line, cube.title, columns, lines.reshape(rows, len(contents))[:, 0].astype(np.int64),
                totals)


def fold_space(text: str) -> str:
    """Collapse the spacing inside a category label, as a table cell would be read."""
    return " ".join(text.split())
