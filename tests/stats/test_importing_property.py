"""Property tests: read_statistics never raises, and an ok result always holds a well-formed frame."""

import json

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from regions.data import REGIONS
from stats.importing import Problem, ReadResult, read_statistics
from stats.importing.cells import last_year
from stats.importing.messages import MESSAGES
from stats.indicators import FIRM_SIZES, INDICATOR_CODES
from tests.stats.conftest import FRAME_COLUMNS, IMPORTING_DATA, assert_reader_frame

CODES = {row.code for row in REGIONS}
FLAGS = {"given", "derived", "confidential", "zero", "missing"}

LONG = (
    "Regional varuexport, testdata\n\n"
    "Län;År;Företagsstorlek;Varuexport, mnkr;Varuexport per invånare, kr;Folkmängd\n"
    "01 Stockholms län;2020;Samtliga företag;240 100,5;103 200;2 324 851\n"
    "01 Stockholms län;2020;Små och medelstora företag;49 800,0;21 300;..\n"
    "25 Norrbottens län;2021;Samtliga företag;50 800,0;202 800;250 442\n"
    "25 Norrbottens län;2021;SMF;11 070,0;x;\n"
    "\nKälla: testdata\n"
)
WIDE = (
    '"Varuexport per invånare (kr) efter region och år, små och medelstora företag"\n\n'
    '"region","2019","2020","2021"\n"01 Stockholms län",23832,21671,24890\n'
    '"09 Gotlands län","..",25233,27573\n"Norrbotten",38950,"36 020",44210\n\n"Anm: testdata"\n'
)
TSV = "Län\t2020\t2021\nStockholm\t2 324 851\t2 341 659\nJämtland\t–\t129 716\n0114 Upplands Väsby\t1\t2\n"

CELLS = st.sampled_from([
    "..", ".", "-", "–", "x", "X", "", "abc", "2O21", "20x9", "\u22125", "-5", "1e400", "Norrbotten", "1",
    "0114 Upplands Väsby", "f.d. Kristianstads län", "Riket", '"', '""', ";", ",", "\t", "1 234,5", "2021",
    "1990", "1989", "SMF", "Stora företag", "Ã¤", "\x00", "\ufeff", "Källa: x", "region", "År", "Folkmängd",
    "25 Stockholms län", "99", "\r", "\n", " ", "6123.4", "6,123.4",
]) | st.text(max_size=12)


def _separator(line: str) -> str:
    return max((";", ",", "\t"), key=line.count)


PX_FILES = ("px_sex_eliminated_cp1252.px", "px_named_total_utf8.px")
JSONSTAT_FILES = ("jsonstat_sex_eliminated.json", "jsonstat_total_category_sparse.json", "jsonstat_men_slice.json")
PX_CELLS = st.sampled_from([
    '".."', '"."', '"-"', '"x"', "DATA=", ";", '"', 'ELIMINATION("kön")=YES;', 'ELIMINATION("kön")="män";',
    'CODEPAGE="utf-8";', 'CODEPAGE="nonsense";', 'STUB="region";', 'HEADING="år","kön";', 'TIMEVAL("år")=TLIST(M1);',
    'VALUES("år")="2007M01","2007M02";', 'CODES("region")="0114","99";', "1e400", "-5", "2021",
]) | CELLS
JSON_VALUES = st.none() | st.booleans() | st.integers(-10, 10**7) | st.floats(allow_nan=False) | CELLS | st.lists(
    st.integers(-1, 3) | st.none() | CELLS, max_size=4) | st.dictionaries(st.sampled_from(["0", "1", "7", "x"]),
                                                                      st.integers(0, 5) | CELLS, max_size=3)


@st.composite
def mutated_lines(draw: st.DrawFn, documents: tuple[str, ...] = (LONG, WIDE, TSV),
                  cells: st.SearchStrategy[str] = CELLS) -> list[str]:
    lines = draw(st.sampled_from(documents)).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        operation = draw(st.sampled_from(["drop", "duplicate", "alter", "insert", "swap"]))
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            lines = [draw(cells)]
        elif operation == "drop":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "insert":
            lines.insert(index, draw(cells))
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            separator = _separator(lines[index])
            parts = lines[index].split(separator)
            parts[draw(st.integers(0, len(parts) - 1))] = draw(cells)
            lines[index] = separator.join(parts)
    return lines


def _check(result: object) -> None:
    assert isinstance(result, ReadResult)
    assert all(isinstance(p, Problem) and p.severity in ("error", "warning") for p in result.problems)
    assert all(isinstance(p.format("f.csv"), str) for p in result.problems)
    # The catch-all is a safety net: reaching it means a bug, so the properties insist it is never used.
    internal = tuple(text.split("{detail}")[0] for text in MESSAGES["unreadable_internal"])
    assert not [p for p in result.problems if p.message.startswith(internal)]
    frame = result.frame
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == FRAME_COLUMNS
    if not result.ok:
        return
    assert_reader_frame(frame)
    assert set(frame["region"]) <= CODES
    assert frame["year"].between(1900, last_year()).all()
    assert set(frame["indicator"]) <= set(INDICATOR_CODES)
    assert set(frame["firm_size"]) <= set(FIRM_SIZES)
    assert set(frame["flag"]) <= FLAGS
    assert (frame["line"] >= 1).all()
    values = frame["value"]
    assert (values.dropna() >= 0).all()
    assert values[frame["flag"].isin(["missing", "confidential"])].isna().all()
    assert values[frame["flag"].isin(["given", "derived", "zero"])].notna().all()
    assert (values[frame["flag"] == "zero"] == 0).all()
    assert not frame.duplicated(["region", "year", "indicator", "firm_size", "sector"]).any()


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data):
    _check(read_statistics(data, "random.csv"))


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=500).map(lambda tail: b"PK\x03\x04" + tail))
def test_random_zip_like_bytes_never_raise(data):
    _check(read_statistics(data, "random.xlsx"))


@settings(max_examples=500, deadline=None)
@given(mutated_lines(), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       st.sampled_from(["\n", "\r\n"]), st.sampled_from([None, "population", "goods_export_msek"]),
       st.sampled_from(["en", "sv"]))
def test_mutated_valid_files_never_raise(lines, encoding, newline, indicator, lang):
    data = newline.join(lines).encode(encoding, errors="replace")
    _check(read_statistics(data, "mutated.csv", indicator=indicator, lang=lang))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_lines())
def test_mutated_spreadsheets_never_raise(make_xlsx, lines):
    rows = [[ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in line.split(_separator(line))] for line in lines]
    _check(read_statistics(make_xlsx({"Blad1": rows}), "mutated.xlsx"))


def _paths(node: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*path, index))
    return found


@st.composite
def mutated_jsonstat(draw: st.DrawFn) -> bytes:
    document = json.loads((IMPORTING_DATA / draw(st.sampled_from(JSONSTAT_FILES))).read_bytes())
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(_paths(document)[1:]))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON_VALUES)
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()


@settings(max_examples=300, deadline=None)
@given(mutated_lines(tuple((IMPORTING_DATA / name).read_bytes().decode("utf-8", errors="replace").replace("\r", "")
                           for name in PX_FILES), PX_CELLS),
       st.sampled_from(["utf-8", "cp1252"]), st.sampled_from([None, "population"]))
def test_mutated_px_files_never_raise(lines, encoding, indicator):
    data = "\n".join(lines).encode(encoding, errors="replace")
    _check(read_statistics(data, "mutated.px", indicator=indicator))


@settings(max_examples=300, deadline=None)
@given(mutated_jsonstat(), st.sampled_from([None, "population"]))
def test_mutated_jsonstat_never_raises(data, indicator):
    _check(read_statistics(data, "mutated.json", indicator=indicator))
