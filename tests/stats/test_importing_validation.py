"""Rejections (one per kind), the Problem/ReadResult interface, caps, derived per-capita values, jumps."""

import pandas as pd
import pytest

from stats.importing import Problem, ReadResult, read_statistics
from tests.stats.conftest import FRAME_COLUMNS, assert_reader_frame


def _read(text: str, **kwargs: object) -> ReadResult:
    return read_statistics(text.encode("utf-8"), "v.csv", **kwargs)


def _codes(result: ReadResult) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.line, p.column) for p in result.errors]


def test_bad_year_rejection(importing_file):
    result = read_statistics(importing_file("bad_year.csv"), "bad_year.csv")
    assert _codes(result) == [("bad_year", 3, "År")]
    assert result.errors[0].format("bad_year.csv") == 'bad_year.csv:3: År: "20x9" is not a year'
    swedish = read_statistics(importing_file("bad_year.csv"), "bad_year.csv", lang="sv").errors[0]
    assert swedish.message == '"20x9" är inget årtal'


def test_duplicate_rows_name_both_lines_across_spellings(importing_file):
    result = read_statistics(importing_file("duplicate_rows.csv"), "duplicate_rows.csv")
    (error,) = result.errors
    assert (error.code, error.line) == ("duplicate_row", 4)
    assert error.message.startswith("lines 2 and 4: ")
    assert "Västernorrlands län" in error.message and "2019" in error.message
    assert read_statistics(importing_file("duplicate_rows.csv"), "d", lang="sv").errors[0].message.startswith(
        "rad 2 och 4: ")


def test_negative_value_rejection(importing_file):
    result = read_statistics(importing_file("negative_value.csv"), "negative_value.csv")
    assert _codes(result) == [("negative_value", 3, "Exporting firms")]
    assert "negative" in result.errors[0].message


def test_wide_without_indicator_rejection(importing_file):
    result = read_statistics(importing_file("wide_without_indicator.csv"), "w.csv")
    assert _codes(result) == [("wide_without_indicator", None, None)]
    swedish = read_statistics(importing_file("wide_without_indicator.csv"), "w.csv", lang="sv").errors[0]
    assert "--indicator" in swedish.message and "Indikator" in swedish.message


def test_not_a_table_rejection(importing_file):
    result = read_statistics(importing_file("not_a_table.csv"), "n.csv")
    assert _codes(result) == [("unreadable", None, None)]


def test_duplicates_in_a_breakdown_are_only_duplicates_with_the_same_firm_size_and_sector():
    text = ("Län;År;Företagsstorlek;Bransch;Folkmängd\n25;2021;SMF;Skog;1\n25;2021;Samtliga;Skog;1\n"
            "25;2021;SMF;Gruvor;1\n25;2021;SME; Skog ;1\n")
    assert _codes(_read(text)) == [("duplicate_row", 5, None)]


def test_problem_format():
    assert Problem(14, "År", "bad_year", '"20x9" is not a year', "error").format("f.csv") == \
        'f.csv:14: År: "20x9" is not a year'
    assert Problem(3, None, "duplicate_row", "lines 2 and 3: …", "error").format("f.csv") == \
        "f.csv:3: lines 2 and 3: …"
    assert Problem(None, None, "empty", "the file is empty", "error").format("f.csv") == "f.csv: the file is empty"


def test_result_properties():
    warning = Problem(None, None, "skipped_rows", "w", "warning")
    error = Problem(2, "Län", "unknown_region", "e", "error")
    result = ReadResult(pd.DataFrame(), [warning, error])
    assert result.errors == [error] and result.warnings == [warning] and not result.ok
    assert ReadResult(pd.DataFrame(), [warning]).ok


def test_frame_is_empty_with_the_right_columns_when_there_are_errors(importing_file):
    result = read_statistics(importing_file("bad_year.csv"), "b.csv")
    assert result.frame.empty and list(result.frame.columns) == FRAME_COLUMNS


def test_frame_columns_and_types(importing_file):
    assert_reader_frame(read_statistics(importing_file("long_semicolon_bom_crlf.csv"), "l.csv").frame)


def test_many_bad_rows_are_capped_with_one_summary():
    rows = "".join(f"25;{1000 + i};1\n" for i in range(500))
    result = _read("Län;År;Folkmängd\n" + rows)
    errors = result.errors
    assert len(errors) == 4
    assert [p.line for p in errors[:3]] == [2, 3, 4]
    assert errors[-1].line is None and errors[-1].message == "… and 497 more of the same kind (bad_year)"
    assert _read("Län;År;Folkmängd\n" + rows, lang="sv").errors[-1].message == "… och 497 till av samma slag (bad_year)"


def test_the_same_problem_on_many_lines_is_one_line_with_a_count():
    rows = "".join(f"Lappland;{2000 + i % 20};1\n" for i in range(310))
    result = _read("Län;År;Folkmängd\n" + rows)
    (error,) = result.errors
    assert error.line == 2 and error.column == "Län"
    assert error.message.endswith("(also lines 3, 4, 5, 6 … and 305 more)")
    (swedish,) = _read("Län;År;Folkmängd\n" + rows, lang="sv").errors
    assert swedish.message.endswith("(även rad 3, 4, 5, 6 … och 305 till)")


def test_problems_of_many_kinds_fit_a_screen():
    header = "Län;År;Företagsstorlek;Folkmängd\n"
    rows = "".join(f"Lappland{i};20x{i};storlek{i};-{i}\n" for i in range(40))
    problems = _read(header + rows).problems
    assert len(problems) <= 24
    assert all(p.code in {"unknown_region", "bad_year", "unknown_firm_size", "negative_value", "not_a_number"}
               for p in problems)


def test_per_capita_is_derived_when_missing():
    text = ("Län;År;Företagsstorlek;Varuexport, mnkr;Folkmängd\n"
            "25;2021;Samtliga företag;50 000;250 000\n25;2021;SMF;11 000;\n")
    result = _read(text)
    assert result.ok, result.problems
    derived = result.frame[result.frame["indicator"] == "goods_export_per_capita_sek"]
    assert derived["flag"].tolist() == ["derived", "derived"]
    assert derived["value"].tolist() == [200000.0, 44000.0]
    assert derived["firm_size"].tolist() == ["all", "sme"]
    assert derived["line"].tolist() == [2, 3]


def test_per_capita_marked_not_available_is_derived():
    text = "Län;År;Varuexport, mnkr;Varuexport per invånare, kr;Folkmängd\n25;2021;50 000;..;250 000\n"
    frame = _read(text).frame
    row = frame[frame["indicator"] == "goods_export_per_capita_sek"]
    assert row[["value", "flag"]].to_numpy().tolist() == [[200000.0, "derived"]]


def test_given_per_capita_is_kept_and_a_mismatch_warns():
    text = ("Län;År;Varuexport, mnkr;Varuexport per invånare, kr;Folkmängd\n"
            "25;2020;45 000;180 500;250 000\n25;2021;50 000;230 000;250 000\n")
    result = _read(text)
    assert result.ok
    (warning,) = result.warnings
    assert (warning.code, warning.line) == ("per_capita_mismatch", 3)
    assert "200,000" in warning.message and "lines 3" in warning.message
    given = result.frame[result.frame["indicator"] == "goods_export_per_capita_sek"]
    assert given["value"].tolist() == [180500.0, 230000.0] and set(given["flag"]) == {"given"}


def test_population_from_another_line_names_both_lines():
    text = ("Län;År;Företagsstorlek;Varuexport, mnkr;Varuexport per invånare, kr;Folkmängd\n"
            "25;2021;Samtliga företag;50 000;200 000;250 000\n25;2021;SMF;11 000;20 000;\n")
    (warning,) = _read(text).warnings
    assert warning.line == 3 and "lines 2, 3" in warning.message


def test_year_on_year_jump_above_300_percent_warns():
    text = "Län;År;Deltagande företag\n25;2019;100\n25;2020;400\n25;2021;1 601\n24;2019;10\n24;2021;100\n"
    result = _read(text)
    assert result.ok
    assert [(p.code, p.line, p.column) for p in result.warnings] == [("jump", 4, "Deltagande företag")]
    assert "400" in result.warnings[0].message and "2021" in result.warnings[0].message


def test_jump_in_a_wide_file_names_the_year_column():
    result = _read("Folkmängd\nregion;2019;2020\n25;10;50\n")
    assert [(p.code, p.line, p.column) for p in result.warnings] == [("jump", 3, "2020")]


@pytest.mark.parametrize(
    "kwargs",
    [{"indicator": "nonsense"}, {"firm_size": "giant"}, {"sheet": "Blad1"}, {"lang": "de"}, {"lang": None},
     {"indicator": ""}, {"firm_size": ""}],
)
def test_odd_arguments_never_raise(kwargs):
    result = read_statistics(b"region;2020\n25;1\n", "a.csv", **kwargs)
    assert isinstance(result, ReadResult)


@pytest.mark.parametrize("data", [bytearray(b"Lan;Ar;Folkmangd\n25;2020;1\n"), memoryview(b"Lan;Ar;Folkmangd\n"),
                                  "not bytes", None, 12])
def test_odd_data_never_raises(data):
    assert isinstance(read_statistics(data, "a.csv"), ReadResult)  # type: ignore[arg-type]
