"""Other variables of a statistics-database table (kön, ålder, civilstånd, …): keep their total, or refuse.

One category (the men, the 20-24-year-olds) is never stored as the whole: a column without a total
refuses the file, naming the column and its values."""

from dataclasses import replace

import numpy as np

from stats.importing.headers import normalise_label
from stats.importing.layout import Column, Grid
from stats.importing.problems import ProblemLog
from stats.importing.text import shorten

TOTAL_LABELS = frozenset({
    "totalt", "total", "samtliga", "alla", "bada konen", "man och kvinnor", "kvinnor och man", "totalt alder",
    "totalt alla aldrar", "alla aldrar", "samtliga aldrar", "both sexes", "men and women", "all ages",
    "total age", "totalt civilstand", "samtliga civilstand", "all marital statuses", "all",
})
_SHOWN_VALUES = 6


def _values(texts: list[str]) -> str:
    filled = [text for text in dict.fromkeys(texts) if text]
    shown = ", ".join(shorten(text, 30) for text in filled[:_SHOWN_VALUES])
    return shown + (", …" if len(filled) > _SHOWN_VALUES else "")


def fill_down(grid: Grid, position: int) -> Grid:
    """The statistics database writes a region once, above the rows of its other categories
    ("01 Stockholms län;män", ";kvinnor", ";totalt"): a blank region cell repeats the one above."""
    column = grid.columns[position]
    blank = column.blank()
    if not blank.any() or blank.all():
        return grid
    above = np.maximum.accumulate(np.where(blank, 0, np.arange(len(blank))))
    filled = np.where(blank & ~blank[above], column.codes[above], column.codes)
    columns = list(grid.columns)
    columns[position] = Column(filled, column.uniques)
    return replace(grid, columns=columns)


def total_category(grid: Grid, position: int) -> str | None:
    """The column's total: the elimination value of a PX/JSON-stat file, else a usual name for it."""
    uniques = grid.columns[position].uniques
    given = grid.totals.get(position)
    if given is not None and given in uniques:
        return given
    return next((text for text in uniques if normalise_label(text) in TOTAL_LABELS), None)


def keep_totals(grid: Grid, dimensions: list[int], log: ProblemLog) -> Grid | None:
    """Only the rows of every dimension's total; None after an error per dimension that has none."""
    keep = np.ones(grid.rows, dtype=bool)
    refused = False
    for position in dimensions:
        column = grid.columns[position]
        total = total_category(grid, position)
        if total is None:
            log.add("dimension_without_total", line=grid.header_line, column=None,
                    name=grid.column_name(position), values=_values(column.uniques))
            refused = True
            continue
        in_total = column.codes == column.uniques.index(total)
        skipped = keep & ~in_total
        if skipped.any():
            others = [column.uniques[code] for code in np.unique(column.codes[skipped])]
            log.warn("dimension_total_kept", line=grid.header_line, name=grid.column_name(position), total=total,
                     n=int(skipped.sum()), values=_values(others))
        keep &= in_total
    if refused:
        return None
    return grid if keep.all() else grid.take(keep)
