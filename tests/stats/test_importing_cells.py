"""Cells: Swedish numbers, the special symbols of official statistics, years, firm sizes."""

import math

import pytest

from stats.importing import read_statistics
from stats.importing.cells import firm_size_code, last_year, parse_numbers, parse_year


def _read_values(*cells: str):
    codes = ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12"]
    lines = ["Län;År;Varuexport, mnkr"] + [f"{codes[i]};2020;{cell}" for i, cell in enumerate(cells)]
    return read_statistics("\n".join(lines).encode("utf-8"), "cells.csv")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("44 210", 44210.0), ("44\u00a0210", 44210.0), ("44\u202f210", 44210.0), ("6 123,4", 6123.4),
        ("6123.4", 6123.4), ("6123,40", 6123.4), ("1 234 567,8", 1234567.8), ("0", 0.0), ("12", 12.0),
        (" 7,5 ", 7.5), ("1e+20", 1e20), (",5", 0.5), ("+3", 3.0),
    ],
)
def test_numbers(text, value):
    numbers = parse_numbers([text])
    assert numbers.value[0] == value and numbers.flag[0] == "given" and not numbers.bad[0]


@pytest.mark.parametrize(
    ("text", "flag", "value"),
    [("..", "missing", None), (".", "missing", None), ("", "missing", None), ("-", "zero", 0.0),
     ("–", "zero", 0.0), ("x", "confidential", None), ("X", "confidential", None)],
)
def test_special_cells(text, flag, value):
    numbers = parse_numbers([text])
    assert numbers.flag[0] == flag and not numbers.bad[0]
    assert (math.isnan(numbers.value[0]) if value is None else numbers.value[0] == value)


@pytest.mark.parametrize("text", ["-12", "\u221212", "–3,5", "-0,1"])
def test_minus_signs_make_negative_numbers(text):
    assert parse_numbers([text]).negative[0]


@pytest.mark.parametrize("text", ["abc", "1,234.5", "12,", "44 21", "inf", "nan", "12 kr", "1.2.3", "--"])
def test_not_numbers(text):
    assert parse_numbers([text]).bad[0]


def test_special_cells_end_to_end():
    result = _read_values("..", ".", "-", "–", "x", "X", "", "6 123,4")
    assert result.ok, result.problems
    frame = result.frame
    assert frame["flag"].tolist() == ["missing", "missing", "zero", "zero", "confidential", "confidential",
                                      "missing", "given"]
    assert frame["value"].isna().tolist() == [True, True, False, False, True, True, True, False]
    assert frame["value"].iloc[2] == 0.0 and frame["value"].iloc[7] == 6123.4


def test_text_in_a_number_cell_is_an_error_naming_it():
    result = _read_values("12", "tolv")
    (error,) = result.errors
    assert (error.code, error.line, error.column) == ("not_a_number", 3, "Varuexport, mnkr")
    assert error.message == '"tolv" is not a number'
    assert read_statistics(b"Lan;Ar;Folkmangd\n1;2020;tolv\n", "x", lang="sv").errors[0].message == \
        '"tolv" är inget tal'


def test_negative_values_with_unicode_minus_are_errors():
    result = _read_values("\u221212")
    assert [(p.code, p.line) for p in result.errors] == [("negative_value", 2)]


@pytest.mark.parametrize(
    ("text", "year"),
    [("1990", 1990), ("2021", 2021), (" 2016 ", 2016), (str(last_year()), last_year()),
     ("1968", 1968), ("1900", 1900), ("1899", None), (str(last_year() + 1), None), ("20x9", None),
     ("21", None), ("", None), ("2021.5", None), ("2021*", 2021), ("2021**", 2021), ("2021 1)", 2021),
     ("2021¹", 2021), ("2007M01", None), ("2024Q1", None)],
)
def test_years(text, year):
    assert parse_year(text) == year


def test_bad_year_messages():
    text = "Län;År;Folkmängd\n25;1885;1\n25;;2\n25;20x9;3\n"
    errors = read_statistics(text.encode(), "y.csv").errors
    assert [(p.line, p.column) for p in errors] == [(2, "År"), (3, "År"), (4, "År")]
    assert errors[0].message.startswith('"1885" is not a year from 1900 to ')
    assert errors[1].message == "the year is missing"
    assert errors[2].message == '"20x9" is not a year'


@pytest.mark.parametrize(
    ("text", "code"),
    [("Samtliga företag", "all"), ("Alla företag", "all"), ("All firms", "all"), ("samtliga FÖRETAG", "all"),
     ("Små och medelstora företag", "sme"), ("SMF", "sme"), ("sme", "sme"), ("Stora företag", "large"),
     ("Large firms", "large"), ("", "all"), ("Mellanstora", None)],
)
def test_firm_sizes(text, code):
    assert firm_size_code(text) == code


def test_unknown_firm_size_is_an_error():
    result = read_statistics("Län;År;Företagsstorlek;Folkmängd\n25;2021;Mikroföretag;1\n".encode(), "f.csv")
    (error,) = result.errors
    assert (error.code, error.line, error.column) == ("unknown_firm_size", 2, "Företagsstorlek")
    assert '"Mikroföretag"' in error.message
