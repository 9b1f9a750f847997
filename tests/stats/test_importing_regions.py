"""Region cells: codes, names, spellings, national total, skipped municipalities, unknown names."""

import pytest

from stats.importing import read_statistics
from stats.importing.regions import match_region, suggestions


def _read(text: str, **kwargs: object):
    return read_statistics(text.encode("utf-8"), "regions.csv", **kwargs)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("25", "25"), ("01", "01"), ("1", "01"), (" 3 ", "03"),
        ("25 Norrbottens län", "25"), ("01 Stockholms län", "01"), ("14 Västra Götalands län", "14"),
        ("Norrbotten", "25"), ("Norrbottens", "25"), ("Norrbottens län", "25"), ("Region Norrbotten", "25"),
        ("Västra Götalands län", "14"), ("Västra Götaland", "14"), ("Region Västra Götaland", "14"),
        ("Skåne län", "12"), ("Region Skåne", "12"), ("Skåne", "12"),
        ("Gotlands län", "09"), ("Region Gotland", "09"), ("Jämtlands län", "23"),
        ("Region Jämtland Härjedalen", "23"), ("Region Sörmland", "04"), ("Kalmar län", "08"),
        ("Uppsala län", "03"), ("Dalarnas län", "20"), ("Region Jönköpings län", "06"),
        ("NORRBOTTENS LÄN", "25"), ("  norrbotten  ", "25"), ("Vastra Gotaland", "14"), ("Orebro lan", "18"),
        ("Ostergotlands lan", "05"), ("Gavleborg", "21"), ("Stockholm County", "01"),
        ("00", "00"), ("Riket", "00"), ("Sverige", "00"), ("Sweden", "00"), ("00 Riket", "00"),
        ("riket", "00"), ("Hela riket", "00"),
    ],
)
def test_region_spellings(cell, code):
    assert match_region(cell).code == code


@pytest.mark.parametrize(
    "cell", ["0114 Upplands Väsby", "2580 Luleå", "0180", "11 f.d. Kristianstads län", "f.d. Malmöhus län",
             "15 f.d. Älvsborgs län", "Skaraborgs län"],
)
def test_municipalities_and_former_counties_are_skipped(cell):
    assert match_region(cell).skipped


@pytest.mark.parametrize("cell", ["Lappland", "99", "123", "Norrland", "25 Stockholms län"])
def test_unknown_regions(cell):
    match = match_region(cell)
    assert match.code is None and not match.skipped


def test_suggestions_are_close_official_names():
    assert suggestions("Norrbottn")[0] == "Norrbottens län"
    assert set(suggestions("Vastergotland")[:2]) == {"Västra Götalands län", "Östergötlands län"}
    assert len(suggestions("Lappland")) == 3


def test_skipped_rows_give_one_warning_with_the_count():
    text = (
        "Region;År;Folkmängd\n"
        "01 Stockholms län;2021;2 341 659\n0114 Upplands Väsby;2021;47 000\n0115 Vallentuna;2021;34 000\n"
        "11 f.d. Kristianstads län;1996;290 000\n25 Norrbottens län;2021;250 442\n"
    )
    result = _read(text)
    assert result.ok, result.problems
    (warning,) = result.warnings
    assert warning.code == "skipped_rows" and warning.line is None
    assert "3" in warning.message and "0114 Upplands Väsby" in warning.message
    assert result.frame["region"].tolist() == ["01", "25"]


def test_only_municipalities_is_one_error_and_nothing_else():
    result = _read("Region;År;Folkmängd\n0114 Upplands Väsby;2021;47 000\n0115 Vallentuna;2021;34 000\n")
    (error,) = result.problems
    assert error.code == "municipalities_only"
    assert "municipalities only" in error.message and '"0114 Upplands Väsby"' in error.message
    assert "bara kommuner" in _read("Region;År;Folkmängd\n0114 Upplands Väsby;2021;1\n", lang="sv").errors[0].message


def test_unknown_region_names_line_column_value_and_suggestions(importing_file):
    result = read_statistics(importing_file("unknown_region.csv"), "unknown_region.csv")
    (error,) = result.errors
    assert (error.line, error.column, error.code) == (3, "Län", "unknown_region")
    assert '"Lapplands län"' in error.message and "closest known:" in error.message
    assert error.format("unknown_region.csv").startswith('unknown_region.csv:3: Län: unknown region "Lapplands län"')
    swedish = read_statistics(importing_file("unknown_region.csv"), "x", lang="sv").errors[0]
    assert swedish.message.startswith('okänd region "Lapplands län"; närmast kända: ')


def test_code_and_name_that_disagree_are_an_error():
    result = _read("Län;År;Folkmängd\n25 Stockholms län;2021;1\n")
    (error,) = result.errors
    assert error.code == "unknown_region"
    assert "Norrbottens län" in error.message and "Stockholms län" in error.message


def test_empty_region_cell_is_an_error():
    result = _read("Län;År;Folkmängd\n;2021;1\n")
    assert [(p.code, p.line, p.message) for p in result.errors] == [("unknown_region", 2, "the region is missing")]


def test_every_county_and_the_country_by_code_name_and_official_name():
    from regions.data import REGIONS

    lines = ["Region;År;Folkmängd"]
    for index, row in enumerate(REGIONS):
        spelling = (row.code, row.name, row.official_name, f"{row.code} {row.official_name}")[index % 4]
        lines.append(f"{spelling};2020;{index + 1}")
    result = _read("\n".join(lines) + "\n")
    assert result.ok, result.problems
    assert result.frame["region"].tolist() == [row.code for row in REGIONS]
