"""The statistics database's own formats: PX files and JSON-stat 2.0."""

import json

import pytest

from stats.importing import read_statistics
from stats.importing.filetype import JSON, PX, TEXT, upload_kind


def _read(data: bytes, **kwargs: object):
    return read_statistics(data, "table", **kwargs)


def _values(frame) -> dict[tuple[str, str, int], tuple[float, str]]:
    return {(row.region, row.indicator, row.year): (row.value, row.flag) for row in frame.itertuples()}


def test_px_in_windows_1252_sums_away_a_variable_that_may_be_eliminated(importing_file):
    result = _read(importing_file("px_sex_eliminated_cp1252.px"))
    assert result.ok, result.problems
    got = {key: value for key, (value, _) in _values(result.frame).items()}
    assert got[("01", "population", 2020)] == 1190000 + 1201990
    assert got[("25", "population", 2021)] == 125000 + 124693
    gotland = _values(result.frame)[("09", "population", 2021)]
    assert gotland[1] == "missing" and gotland[0] != gotland[0]  # ".." in one part: missing, never a partial sum
    (warning,) = result.warnings
    assert warning.code == "dimension_summed" and warning.message.startswith("kön: män, kvinnor summed")


def test_px_lines_point_at_the_data_rows(importing_file):
    frame = _read(importing_file("px_sex_eliminated_cp1252.px")).frame
    stockholm = frame[frame["region"] == "01"]
    data_line = importing_file("px_sex_eliminated_cp1252.px").decode("cp1252").split("\n").index("DATA=") + 1
    assert set(stockholm["line"]) == {data_line + 1}


def test_px_in_utf8_with_a_named_total_and_two_contents(importing_file):
    result = _read(importing_file("px_named_total_utf8.px"))
    assert result.ok, result.problems
    values = _values(result.frame)
    assert values[("14", "goods_export_msek", 2021)] == (160000.5, "given")
    assert values[("14", "population", 2022)] == (1744859, "given")
    assert values[("18", "goods_export_msek", 2022)] == (0.0, "zero")
    assert [p.code for p in result.warnings] == ["dimension_total_kept"]
    # Goods export per inhabitant is derived, as for any file that gives both.
    assert values[("14", "goods_export_per_capita_sek", 2021)][1] == "derived"


def test_px_monthly_periods_are_refused(importing_file):
    result = _read(importing_file("px_monthly.px"))
    assert [p.code for p in result.problems] == ["periods_not_yearly"]


def test_px_other_code_pages_and_a_broken_file():
    px = importing_file_text("px_sex_eliminated_cp1252.px")
    as_utf8 = px.replace('CODEPAGE="windows-1252";', 'CODEPAGE="UTF-8";').encode("utf-8")
    assert _read(as_utf8).ok
    as_latin1 = px.replace('CODEPAGE="windows-1252";', 'CODEPAGE="iso-8859-1";').encode("latin-1")
    frame = _read(as_latin1).frame
    assert len(frame) == 6
    unknown = px.replace('CODEPAGE="windows-1252";', 'CODEPAGE="klingon";').encode("latin-1")
    (error,) = _read(unknown).errors
    assert error.code == "px_unreadable" and "klingon" in error.message
    short = px.replace("124114 124693;", "124114;").encode("cp1252")
    (error,) = _read(short).errors
    assert "DATA holds 11 values, the variables call for 12" in error.message


def test_px_with_an_unclosed_quote_is_refused_as_unreadable():
    px = importing_file_text("px_sex_eliminated_cp1252.px").replace('CHARSET="ANSI";', 'CHARSET="ANS')
    (error,) = _read(px.encode("cp1252")).errors
    assert error.code == "px_unreadable"


def importing_file_text(name: str) -> str:
    from tests.stats.conftest import IMPORTING_DATA

    return (IMPORTING_DATA / name).read_bytes().decode("cp1252")


def test_px_without_a_total_or_elimination_is_refused_naming_the_variable():
    px = importing_file_text("px_sex_eliminated_cp1252.px").replace('ELIMINATION("kön")=YES;\n', "")
    result = _read(px.encode("cp1252"))
    (error,) = result.problems
    assert error.message.startswith("kön: män, kvinnor — no total")
    assert error.line == px.split("\n").index('STUB="region","kön";') + 1


def test_px_indicator_from_the_upload_when_contents_names_none():
    px = importing_file_text("px_sex_eliminated_cp1252.px")
    px = px.replace('CONTENTS="Folkmängd";', 'CONTENTS="Antal";').replace("Folkmängden efter", "Antal efter")
    assert [p.code for p in _read(px.encode("cp1252")).errors] == ["no_indicator_columns"]
    result = _read(px.encode("cp1252"), indicator="population")
    assert result.ok and set(result.frame["indicator"]) == {"population"}


def test_jsonstat_sums_away_an_eliminated_dimension_and_keeps_missing_as_missing(importing_file):
    result = _read(importing_file("jsonstat_sex_eliminated.json"))
    assert result.ok, result.problems
    values = _values(result.frame)
    assert values[("01", "population", 2022)] == (1210000 + 1211000, "given")
    assert values[("25", "population", 2023)] == (127500 + 126800, "given")
    assert values[("25", "population", 2022)][1] == "missing"


def test_jsonstat_slices_that_are_not_totals_are_refused(importing_file):
    result = _read(importing_file("jsonstat_men_slice.json"))
    (error,) = result.problems
    assert error.message.startswith("kön: män — no total")


def test_jsonstat_sparse_values_with_status_and_a_total_category(importing_file):
    result = _read(importing_file("jsonstat_total_category_sparse.json"))
    assert result.ok, result.problems
    values = _values(result.frame)
    assert values[("01", "population", 2022)] == (2421000, "given")
    assert values[("25", "population", 2022)] == (255500, "given")
    value, flag = values[("25", "population", 2023)]
    assert flag == "missing" and value != value  # "..": missing, never zero


def test_jsonstat_elimination_value_code_names_the_total(importing_file):
    document = json.loads(importing_file("jsonstat_total_category_sparse.json"))
    kon = document["dimension"]["Kon"]
    kon["category"]["label"]["1+2"] = "män och kvinnor tillsammans"
    kon["extension"] = {"elimination": True, "eliminationValueCode": "1+2"}
    result = _read(json.dumps(document).encode())
    assert result.ok, result.problems
    assert _values(result.frame)[("01", "population", 2022)] == (2421000, "given")


@pytest.mark.parametrize(("document", "detail"), [
    ({"class": "collection", "version": "2.0"}, 'class "collection"'),
    ([1, 2, 3], "not a JSON object"),
    ({"class": "dataset", "id": ["a"], "size": [1, 2]}, ""),
])
def test_what_is_not_jsonstat_is_refused_clearly(document, detail):
    (error,) = _read(json.dumps(document).encode()).problems
    assert error.code == "not_jsonstat" and detail in error.message
    assert error.message.startswith("not JSON-stat 2.0")


def test_jsonstat_with_too_few_values_is_refused(importing_file):
    document = json.loads(importing_file("jsonstat_sex_eliminated.json"))
    document["value"] = document["value"][:-1]
    (error,) = _read(json.dumps(document).encode()).problems
    assert "value holds 7 cells, the dimensions call for 8" in error.message


@pytest.mark.parametrize(("name", "kind"), [
    ("px_sex_eliminated_cp1252.px", PX), ("px_named_total_utf8.px", PX), ("jsonstat_men_slice.json", JSON),
    ("long_sex_with_total.csv", TEXT),
])
def test_content_sniffing_knows_px_and_json(importing_file, name, kind):
    import io

    assert upload_kind(io.BytesIO(importing_file(name)), max_unpacked=1) == kind
