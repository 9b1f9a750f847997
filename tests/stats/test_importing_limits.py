"""Hostile files: sizes refused before a grid is built, formulas without a saved value, texts too long to store."""

import io
import zipfile

from stats.importing import limits, read_statistics
from stats.importing.filetype import upload_kind
from stats.models import Observation, ObservationHistory
from tests.stats.conftest import declare_unpacked_size


def _read(data: bytes, **kwargs: object):
    return read_statistics(data, "hostile", **kwargs)


def test_a_formula_without_a_saved_value_is_a_line_numbered_error_never_a_missing_figure(make_xlsx):
    rows = [["Län", "År", "Folkmängd"], ["25", 2021, "='[1]Sheet1'!A1"], ["24", 2021, "=WEBSERVICE(\"x\")"],
            ["23", 2021, 130000]]
    result = _read(make_xlsx({"Blad1": rows}))
    assert [(p.code, p.line) for p in result.errors] == [("formula_without_value", 2), ("formula_without_value", 3)]
    assert "'[1]Sheet1'!A1" in result.errors[0].message and "no saved value" in result.errors[0].message
    assert result.frame.empty
    swedish = _read(make_xlsx({"Blad1": rows}), lang="sv").errors[0]
    assert "har inget sparat värde" in swedish.message


def test_a_formula_with_a_saved_value_is_read(make_xlsx):
    rows = [["Län", "År", "Folkmängd"], ["25", 2021, "=1+1"]]
    result = _read(make_xlsx({"Blad1": rows}, cached={"C2": 250442}))
    assert result.ok and result.frame["value"].tolist() == [250442.0]


def test_the_stored_text_lengths_are_the_model_fields_lengths():
    for model in (Observation, ObservationHistory):
        for name, length in limits.STORED_TEXT_LENGTHS.items():
            assert model._meta.get_field(name).max_length == length, (model, name)


def test_a_sector_too_long_for_its_column_is_a_line_numbered_error():
    long_sector = "Miljöteknik och " + "x" * 100
    text = f"Län;År;Bransch;Folkmängd\n25;2021;Miljöteknik;1\n25;2021;{long_sector};2\n"
    result = _read(text.encode())
    (error,) = result.errors
    assert (error.code, error.line) == ("text_too_long", 3)
    assert f"is {len(long_sector)} characters long; at most 100 are stored" in error.message


def test_a_sector_of_exactly_the_column_length_is_stored():
    sector = "y" * 100
    result = _read(f"Län;År;Bransch;Folkmängd\n25;2021;{sector};1\n".encode())
    assert result.ok and result.frame["sector"].tolist() == [sector]


def test_a_million_columns_are_refused_at_the_first_line_without_building_a_grid():
    data = ("Län;" + ";".join("2020" for _ in range(1_000_000)) + "\n01;" + ";".join("5" for _ in range(1_000_000))
            ).encode()
    assert len(data) > 7_000_000
    (error,) = _read(data).problems
    assert (error.code, error.line) == ("too_many_columns", 1)
    assert f"more than {limits.MAX_COLUMNS} columns" in error.message


def test_a_wide_line_below_the_header_is_refused_too():
    data = ("Län;2020\n01;5\n" * 150 + "02;" + ";".join("5" for _ in range(100_000)) + "\n").encode()
    (error,) = _read(data).problems
    assert (error.code, error.line) == ("too_many_columns", 301)


def test_too_many_rows_and_cells(monkeypatch):
    from stats.importing import textfile

    monkeypatch.setattr(textfile, "MAX_ROWS", 100)
    (error,) = _read(("Län;År;Folkmängd\n" + "25;2021;1\n" * 101).encode()).problems
    assert error.code == "too_many_rows"
    monkeypatch.setattr(textfile, "MAX_CELLS", 200)
    (error,) = _read(("Län;År;Folkmängd\n" + "25;2021;1\n" * 99).encode()).problems
    assert error.code == "too_many_cells"


def test_an_xlsx_declaring_a_gigabyte_unpacked_is_refused_by_form_sniffing_and_reader(make_xlsx):
    real = make_xlsx({"Blad1": [["Län", "År", "Folkmängd"], ["25", 2021, 1]]})
    bomb = declare_unpacked_size(real, "xl/worksheets/sheet1.xml", 1_000_000_000)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > 1_000_000_000
    assert upload_kind(io.BytesIO(bomb), max_unpacked=limits.MAX_UNPACKED_BYTES) is None
    (error,) = _read(bomb).problems
    assert error.code == "too_large_unpacked" and "unpacks to 953 MB; at most 200 MB" in error.message


def test_a_sheet_with_too_many_columns_is_refused_while_it_is_read(make_xlsx, monkeypatch):
    from stats.importing import workbook

    monkeypatch.setattr(workbook, "MAX_COLUMNS", 10)
    data = make_xlsx({"Blad1": [["Län", "År", "Folkmängd"], ["25", 2021] + [1] * 20]})
    (error,) = _read(data).problems
    assert (error.code, error.line) == ("too_many_columns", 2)


def test_every_message_has_both_languages_with_the_same_fields():
    from stats.importing.messages import MESSAGES

    for key, (english, swedish) in MESSAGES.items():
        assert english and swedish and english != swedish, key
        assert set(_fields(english)) == set(_fields(swedish)), key


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
