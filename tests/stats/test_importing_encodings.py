"""Encodings, byte-order marks, line endings, double-encoded text and files that are not tables."""

import pytest

from stats.importing import read_statistics

LONG = "Län;År;Folkmängd\nVästra Götalands län;2020;1 728 073\nÖrebro län;2020;308 280\nJämtlands län;2021;129 716\n"


def _read(data: bytes, **kwargs: object):
    return read_statistics(data, "test.csv", **kwargs)


def _strings(result) -> set[str]:
    frame = result.frame
    return set(frame["region"]) | set(frame["sector"]) | set(frame["indicator"])


def test_utf8_with_bom_crlf_title_and_footnotes(importing_file):
    result = _read(importing_file("long_semicolon_bom_crlf.csv"))
    assert result.ok, result.problems
    assert set(result.frame["region"]) == {"01", "25"}
    assert result.frame["line"].min() == 4


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_encodings_are_detected(encoding):
    result = _read(LONG.encode(encoding))
    assert result.ok, result.problems
    assert list(result.frame["region"]) == ["14", "18", "23"]
    assert list(result.frame["value"]) == [1728073.0, 308280.0, 129716.0]


def test_cp1252_tab_wide_file_with_indicator_argument(importing_file):
    result = _read(importing_file("wide_tab_cp1252_no_title.tsv"), indicator="population")
    assert result.ok, result.problems
    frame = result.frame
    assert set(frame["region"]) == {"01", "04", "14", "23", "25"}
    sodermanland = frame[(frame["region"] == "04") & (frame["year"] == 2021)]
    assert sodermanland["value"].tolist() == [297494.0]
    assert sodermanland["line"].tolist() == [3]


def test_latin1_bytes_undefined_in_cp1252_still_decode():
    data = "Län;År;Folkmängd\nSkåne;2020;1 352 246\n".encode("latin-1") + b"Anm: \x81\n"
    result = _read(data)
    assert result.ok, result.problems
    assert result.frame["region"].tolist() == ["12"]


def test_double_encoded_utf8_is_repaired_with_a_warning():
    double = LONG.encode("utf-8").decode("cp1252").encode("utf-8")
    assert "Ã" in double.decode("utf-8")
    result = _read(double)
    assert result.ok, result.problems
    assert [p.code for p in result.warnings] == ["encoding_repaired"]
    assert list(result.frame["region"]) == ["14", "18", "23"]
    assert not any("Ã" in text for text in _strings(result))


def test_mojibake_that_cannot_be_repaired_is_an_error():
    # One line mixes a real "ä" with a double-encoded one, so no single re-decoding fixes it.
    data = "Län;År;Bransch;Folkmängd\nNorrbotten;2020;Träindustri och VÃ¤rme;250 000\n".encode()
    result = _read(data)
    assert not result.ok
    error = result.errors[0]
    assert (error.code, error.line) == ("mojibake", 2)
    assert "UTF-8" in error.message


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_keep_physical_line_numbers(newline):
    text = "Titel\n\nLän;År;Folkmängd\n25;2020;250 000\n25;20x1;250 100\n".replace("\n", newline)
    result = _read(text.encode())
    assert [(p.code, p.line, p.column) for p in result.errors] == [("bad_year", 5, "År")]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        bytes(range(256)) * 4,
        b"\x00" * 100,
    ],
)
def test_binary_data_is_unreadable(data):
    result = _read(data)
    assert [p.code for p in result.errors] == ["unreadable"]
    assert result.frame.empty


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t\n", "\ufeff".encode()])
def test_empty_files(data):
    result = _read(data)
    assert [p.code for p in result.errors] == ["empty"]
    assert result.errors[0].line is None


def test_text_without_a_table_is_unreadable(importing_file):
    result = _read(importing_file("not_a_table.csv"))
    assert [p.code for p in result.errors] == ["unreadable"]
    assert "header" in result.errors[0].message
    assert "rubrikrad" in _read(importing_file("not_a_table.csv"), lang="sv").errors[0].message


def test_header_without_rows_is_empty():
    result = _read("Titel\nLän;År;Folkmängd\n\nKälla: SCB\n".encode())
    assert [p.code for p in result.errors] == ["empty"]
