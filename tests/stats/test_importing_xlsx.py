"""Spreadsheets: detected by content, first or named sheet, cached formula values, row numbers."""

import pytest

from stats.importing import read_statistics


def _read(data: bytes, **kwargs: object):
    return read_statistics(data, "upload.bin", **kwargs)


def test_long_xlsx_with_english_headers_and_region_names(make_xlsx):
    rows = [["Region", "Year", "Participating firms"], ["Region Stockholm", 2020, 83], ["Region Stockholm", 2021, 88],
            ["Region Västra Götaland", 2021, 58], ["Region Norrbotten", 2021, 413]]
    result = _read(make_xlsx({"Participation": rows}))
    assert result.ok, result.problems
    frame = result.frame
    assert frame["region"].tolist() == ["01", "01", "14", "25"]
    assert frame["value"].tolist() == [83.0, 88.0, 58.0, 413.0]
    assert frame["line"].tolist() == [2, 3, 4, 5]
    assert set(frame["indicator"]) == {"participating_firms"}


def test_title_and_blank_rows_keep_spreadsheet_row_numbers(make_xlsx):
    rows = [["Antal exporterande företag"], [], [None, None], ["Län", "År", "Exporterande företag"],
            [25, 2020.0, 940], [1, 2021, "20x"], [], ["Källa: testdata"]]
    result = _read(make_xlsx({"Blad1": rows}))
    assert [(p.code, p.line, p.column) for p in result.errors] == [("not_a_number", 6, "Exporterande företag")]


def test_numbers_and_codes_stored_as_numbers(make_xlsx):
    rows = [["Län", "År", "Varuexport, mnkr"], [1, 2020, 6123.4], [25.0, 2021.0, "6 123,4"], [3, 2021, 0]]
    result = _read(make_xlsx({"Blad1": rows}))
    assert result.ok, result.problems
    assert result.frame["region"].tolist() == ["01", "25", "03"]
    assert result.frame["year"].tolist() == [2020, 2021, 2021]
    assert result.frame["value"].tolist() == [6123.4, 6123.4, 0.0]


def test_first_sheet_by_default_and_named_sheet_on_request(make_xlsx):
    first = [["Län", "År", "Folkmängd"], ["25", 2021, 250442]]
    second = [["Län", "År", "Folkmängd"], ["24", 2021, 273630]]
    data = make_xlsx({"Norr": first, "Väster": second})
    assert _read(data).frame["region"].tolist() == ["25"]
    assert _read(data, sheet="Väster").frame["region"].tolist() == ["24"]
    assert _read(data, sheet=" väster ").frame["region"].tolist() == ["24"]


def test_unknown_sheet_lists_the_sheets(make_xlsx):
    data = make_xlsx({"Norr": [["Län", "År", "Folkmängd"]], "Väster": [["a"]]})
    (error,) = _read(data, sheet="Söder").errors
    assert error.code == "unknown_sheet"
    assert '"Norr"' in error.message and '"Väster"' in error.message and '"Söder"' in error.message


def test_formulas_are_read_as_cached_values(make_xlsx):
    rows = [["Län", "År", "Folkmängd"], ["25", 2021, "=1+1"], ["24", 2021, "=2+2"]]
    data = make_xlsx({"Blad1": rows}, cached={"C2": 250442, "C3": 273630})
    result = _read(data)
    assert result.ok, result.problems
    assert result.frame["value"].tolist() == [250442.0, 273630.0]


def test_wide_xlsx_with_title(make_xlsx):
    rows = [["Varuexport per invånare (kr), små och medelstora företag"], [],
            ["Region", 2020, 2021], ["25 Norrbottens län", 36020, 44210], ["Källa: testdata"]]
    result = _read(make_xlsx({"Blad1": rows}))
    assert result.ok, result.problems
    frame = result.frame
    assert frame[["year", "value", "line"]].values.tolist() == [[2020, 36020, 4], [2021, 44210, 4]]
    assert set(frame["firm_size"]) == {"sme"} and set(frame["indicator"]) == {"goods_export_per_capita_sek"}


@pytest.mark.parametrize("cell", [True, "#DIV/0!", "tolv"])
def test_non_numbers_in_xlsx_are_errors(make_xlsx, cell):
    data = make_xlsx({"Blad1": [["Län", "År", "Folkmängd"], ["25", 2021, cell]]})
    assert [(p.code, p.line) for p in _read(data).errors] == [("not_a_number", 2)]


def test_empty_workbook_is_empty(make_xlsx):
    assert [p.code for p in _read(make_xlsx({"Blad1": []})).errors] == ["empty"]


@pytest.mark.parametrize(
    ("data", "hint"),
    [(b"PK\x03\x04" + b"\x00garbage" * 20, ".xlsx"),
     (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls")],
)
def test_broken_or_old_workbooks_are_unreadable(data, hint):
    (error,) = _read(data).errors
    assert error.code == "unreadable" and hint in error.message


def test_csv_named_xlsx_is_read_as_csv():
    result = read_statistics("Län;År;Folkmängd\n25;2021;1\n".encode(), "upload.xlsx")
    assert result.ok


def test_double_encoded_cells_are_repaired_or_rejected(make_xlsx):
    rows = [["Län", "År", "Bransch", "Folkmängd"], ["Västra Götalands län".encode().decode("cp1252"), 2021, "", 1]]
    result = _read(make_xlsx({"Blad1": rows}))
    assert result.ok, result.problems
    assert result.frame["region"].tolist() == ["14"]
    rows[1][2] = "Träindustri och VÃ¤rme"
    errors = _read(make_xlsx({"Blad1": rows})).errors
    assert [(p.code, p.line) for p in errors] == [("mojibake", 2)]
