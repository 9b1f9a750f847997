"""CSV/TSV text to a Grid: delimiter sniffed from the header row, body parsed by pandas."""

import csv
import io
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stats.importing.failures import ReadFailure
from stats.importing.layout import (
    HEADER_SEARCH_LINES,
    Grid,
    clean_cells,
    find_header,
    header_fits,
    is_footer,
    is_region_row,
    make_grid,
    refuse_header,
    title_of,
)
from stats.importing.limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS
from stats.importing.problems import ProblemLog

SEPARATORS = (";", "\t", ",")


@dataclass(frozen=True)
class Sniffed:
    separator: str
    index: int
    kind: str
    rows: list[list[str]]


def split_line(line: str, separator: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return line.split(separator)


def sniff(head: list[str]) -> Sniffed | None:
    """The delimiter whose header row is followed by a row of as many cells wins, then the one whose header
    has the most cells; the earliest header breaks ties."""
    best: tuple[tuple[bool, int, int], Sniffed] | None = None
    for separator in SEPARATORS:
        rows = [clean_cells(split_line(line, separator)) for line in head]
        found = find_header(rows)
        if found is None:
            continue
        index, kind = found
        score = (header_fits(rows, index), sum(1 for cell in rows[index] if cell), -index)
        if best is None or score > best[0]:
            best = (score, Sniffed(separator, index, kind, rows))
    return best[1] if best else None


def _split_without_header(head: list[str]) -> list[list[str]]:
    """The split in which the first data row has the most cells: the file's separator."""
    splits = [[clean_cells(split_line(line, separator)) for line in head] for separator in SEPARATORS]

    def first_row_width(rows: list[list[str]]) -> int:
        return next((len(cells) for cells in rows if is_region_row(cells)), 0)

    return max(splits, key=first_row_width)


def _body_end(text: str, start: int, separator: str) -> int:
    """Offset where trailing footnotes and blank lines begin (scanning up from the end)."""
    cut = len(text)
    while cut > start:
        line_end = cut - 1 if text[cut - 1] == "\n" else cut
        line_start = max(text.rfind("\n", start, line_end) + 1, start)
        if not is_footer(clean_cells(split_line(text[line_start:line_end], separator))):
            break
        cut = line_start
    return cut


def _line_count(body: str) -> int:
    return body.count("\n") + (0 if body.endswith("\n") else 1)


def _fast_body(body: str, separator: str, width: int, first_line: int) -> tuple[pd.DataFrame, np.ndarray]:
    with warnings.catch_warnings():
        # pandas only warns when it drops fields beyond `names`; the careful reader must take over then.
        warnings.simplefilter("error", pd.errors.ParserWarning)
        frame = pd.read_csv(
            io.BytesIO(body.encode("utf-8")), sep=separator, header=None, names=range(width), dtype=object,
            na_filter=False, skip_blank_lines=False, index_col=False, quotechar='"', encoding="utf-8",
        )
    if len(frame) == _line_count(body):
        return frame, first_line + np.arange(len(frame), dtype=np.int64)
    # Quoted fields spanning lines: each row starts after the newlines of the rows before it.
    extra = np.zeros(len(frame), dtype=np.int64)
    for name in frame.columns:
        extra += frame[name].map(lambda cell: str(cell).count("\n")).to_numpy(dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(extra + 1)[:-1]))
    return frame, first_line + starts.astype(np.int64)


def _slow_body(body: str, separator: str, first_line: int) -> tuple[pd.DataFrame, np.ndarray]:
    reader = csv.reader(io.StringIO(body), delimiter=separator)
    rows: list[list[str]] = []
    lines: list[int] = []
    consumed = 0
    try:
        for row in reader:
            rows.append(row)
            lines.append(first_line + consumed)
            consumed = reader.line_num
    except csv.Error as error:
        raise ReadFailure("unreadable", "unreadable_parse", detail=str(error)) from error
    width = max((len(row) for row in rows), default=0)
    padded = [row + [""] * (width - len(row)) for row in rows]
    return pd.DataFrame(padded, columns=range(width), dtype=object), np.asarray(lines, dtype=np.int64)


def _check_width(frame: pd.DataFrame, lines: np.ndarray, width: int, log: ProblemLog) -> pd.DataFrame:
    """Fields beyond the header are an error when they hold something (often an unquoted decimal comma)."""
    if frame.shape[1] <= width:
        return frame.reindex(columns=range(width), fill_value="")
    extra = frame.iloc[:, width:].fillna("").astype(str).apply(lambda col: col.str.strip() != "")
    filled = extra.to_numpy()
    rows = np.flatnonzero(filled.any(axis=1))
    for row in rows[: log.room("too_many_fields")]:
        count = width + int(np.flatnonzero(filled[row]).max()) + 1
        log.add("too_many_fields", line=int(lines[row]), n=count, width=width)
    log.skip("too_many_fields", len(rows) - min(len(rows), log.room("too_many_fields")))
    return frame.iloc[:, :width]


def _check_head(head: list[str], lines: int) -> None:
    """The limits on rows and columns, before a line is split: a line of a million fields costs nothing here."""
    if lines > MAX_ROWS:
        raise ReadFailure("too_many_rows", "too_many_rows", limit=MAX_ROWS)
    for number, line in enumerate(head, start=1):
        if len(line) > MAX_COLUMNS and max(line.count(separator) for separator in SEPARATORS) >= MAX_COLUMNS:
            raise ReadFailure("too_many_columns", "too_many_columns", line=number, limit=MAX_COLUMNS)


def _check_body_width(body: str, separator: str, first_line: int) -> None:
    """Before the careful reader pads every row to the widest: no line may pass the column limit."""
    for number, line in enumerate(body.split("\n"), start=first_line):
        if len(line) > MAX_COLUMNS and line.count(separator) >= MAX_COLUMNS:
            raise ReadFailure("too_many_columns", "too_many_columns", line=number, limit=MAX_COLUMNS)


def grid_from_text(text: str, log: ProblemLog) -> Grid:
    if not text.strip():
        raise ReadFailure("empty", "empty_file")
    head = text.split("\n", HEADER_SEARCH_LINES)[:HEADER_SEARCH_LINES]
    _check_head(head, text.count("\n"))
    sniffed = sniff(head)
    if sniffed is None:
        refuse_header(_split_without_header(head))
    header = sniffed.rows[sniffed.index]
    start = sum(len(line) + 1 for line in head[: sniffed.index + 1])
    end = _body_end(text, start, sniffed.separator)
    body = text[start:end]
    if not body.strip():
        raise ReadFailure("empty", "empty_table")
    first_line = sniffed.index + 2
    width = max([len(header)] + [len(split_line(line, sniffed.separator)) for line in body.split("\n", 200)[:200]])
    if _line_count(body) * width > MAX_CELLS:
        raise ReadFailure("too_many_cells", "too_many_cells", limit=MAX_CELLS)
    try:
        frame, lines = _fast_body(body, sniffed.separator, width, first_line)
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, UnicodeError):
        _check_body_width(body, sniffed.separator, first_line)
        frame, lines = _slow_body(body, sniffed.separator, first_line)
    frame = _check_width(frame, lines, len(header), log)
    title = title_of(sniffed.rows[: sniffed.index])
    return make_grid(sniffed.kind, header, sniffed.index + 1, title, frame, lines)
