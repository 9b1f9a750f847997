"""Files as the statistics database writes them: header cells, titles, dimension columns, periods, regions."""

import pytest

from stats.importing import read_statistics


def _read(name_or_text: str | bytes, importing_file=None, **kwargs: object):
    data = importing_file(name_or_text) if importing_file else name_or_text
    data = data.encode("utf-8") if isinstance(data, str) else data
    return read_statistics(data, "test.csv", **kwargs)


def _values(frame) -> dict[tuple[str, int], float]:
    return {(row.region, row.year): row.value for row in frame.itertuples()}


def test_year_misread_regression_a_population_of_2004_is_never_a_header(importing_file):
    """`Län;Antal` used to be skipped as a title and `03 Uppsala län;2004` taken for the header: the rows
    below were stored as the year 2004 and the import exited 0. Now the header line is refused by number."""
    result = _read("header_unreadable_year_like_value.csv", importing_file, indicator="population")
    (error,) = result.problems
    assert (error.line, error.code, error.severity) == (1, "header_unreadable", "error")
    assert '"Län;Antal"' in error.message and '"Antal" is neither a year nor a known indicator' in error.message
    assert "year columns" in error.message
    assert result.frame.empty
    swedish = _read("header_unreadable_year_like_value.csv", importing_file, lang="sv").errors[0]
    assert swedish.message.startswith('rubrikraden "Län;Antal" kan inte läsas')


@pytest.mark.parametrize("header", ["Län;Antal", "Region;Värde", '"region";"Antal personer"'])
def test_a_header_that_cannot_be_read_is_refused_whatever_the_values(header):
    rows = "01 Stockholms län;2004\n03 Uppsala län;2019\n25 Norrbottens län;1999\n"
    if header.startswith('"'):
        rows = rows.replace(";", '";"').replace("\n", '"\n').replace("\n0", '\n"0').replace("\n2", '\n"2')
        rows = '"' + rows
    result = _read(f"Några rader titel\n\n{header}\n{rows}", indicator="population")
    assert [(p.line, p.code) for p in result.errors] == [(3, "header_unreadable")]


def test_a_header_without_a_year_names_what_is_missing():
    result = _read("Region;Folkmängd\n01 Stockholms län;2 415 139\n")
    (error,) = result.errors
    assert error.line == 1 and "it has no year" in error.message


def test_definite_title_marked_year_and_national_total(importing_file):
    result = _read("wide_definite_title_marked_year.csv", importing_file)
    assert result.ok, result.problems
    assert set(result.frame["indicator"]) == {"population"}
    assert _values(result.frame) == {("01", 2020): 2391990, ("01", 2021): 2415139, ("25", 2020): 249614,
                                     ("25", 2021): 249693, ("00", 2020): 10379295, ("00", 2021): 10452326}
    (warning,) = result.warnings
    assert (warning.code, warning.line) == ("year_marker", 3) and '"2021*"' in warning.message


@pytest.mark.parametrize("marker", ["*", "**", " 1)", "¹", " *"])
def test_every_footnote_marker_reads_as_the_year(marker):
    result = _read(f"Varuexporten, mnkr\nLän;2020;2021{marker}\nSkåne;100;120\n")
    assert result.ok, result.problems
    assert sorted(result.frame["year"]) == [2020, 2021]
    assert [p.code for p in result.warnings] == ["year_marker"]


def test_two_columns_reading_as_the_same_year_are_an_error_naming_both():
    result = _read("Folkmängd\nLän;2021;2021*\nSkåne;1;2\n")
    (error,) = result.errors
    assert error.code == "duplicate_column" and '"2021"' in error.message and '"2021*"' in error.message


def test_indicator_and_year_in_one_header_cell(importing_file):
    result = _read("wide_indicator_and_year_header.csv", importing_file)
    assert result.ok, result.problems
    assert set(result.frame["indicator"]) == {"exporting_firms"}
    assert _values(result.frame) == {("01", 2021): 6812, ("00", 2021): 28103}


def test_indicator_and_year_headers_may_name_several_indicators():
    result = _read("region;Folkmängd 2020;Varuexport, mnkr 2020;Folkmängd 2021\n25;249 614;48 000;249 693\n")
    assert result.ok, result.problems
    got = {(row.indicator, row.year): row.value for row in result.frame.itertuples() if row.flag == "given"}
    assert got == {("population", 2020): 249614, ("goods_export_msek", 2020): 48000, ("population", 2021): 249693}


def test_a_dimension_with_a_total_keeps_the_total_rows_with_one_warning(importing_file):
    result = _read("long_sex_with_total.csv", importing_file)
    assert result.ok, result.problems
    assert _values(result.frame) == {("01", 2021): 2415139, ("25", 2021): 249693}
    (warning,) = result.warnings
    assert warning.code == "dimension_total_kept"
    assert "Kön" in warning.message and "4 rows" in warning.message and "män, kvinnor" in warning.message


def test_one_category_is_never_stored_as_the_whole(importing_file):
    result = _read("long_men_only.csv", importing_file)
    (error,) = result.problems
    assert error.code == "dimension_without_total"
    assert error.message.startswith("Kön: män — no total") and '"totalt"' in error.message
    assert result.frame.empty


def test_age_groups_without_a_total_give_one_message_not_one_per_duplicate(importing_file):
    result = _read("wide_age_groups_no_total.csv", importing_file, indicator="population")
    (error,) = result.problems
    assert error.message.startswith("ålder: 0-19 år, 20-64 år, 65+ år — no total")
    assert "ingen totalsumma" in _read("wide_age_groups_no_total.csv", importing_file, lang="sv",
                                       indicator="population").errors[0].message


@pytest.mark.parametrize(("column", "values", "total"), [
    ("Civilstånd", ["ogifta", "gifta", "samtliga"], "samtliga"),
    ("Sex", ["men", "women", "both sexes"], "both sexes"),
    ("Ålder", ["0-19 år", "totalt alla åldrar", "20+ år"], "totalt alla åldrar"),
    ("Utbildningsnivå", ["alla", "eftergymnasial"], "alla"),
])
def test_other_dimensions_and_their_totals(column, values, total):
    lines = "".join(f"Skåne;2021;{value};{1000 + index}\n" for index, value in enumerate(values))
    result = _read(f"Län;År;{column};Folkmängd\n{lines}")
    assert result.ok, result.problems
    assert result.frame["value"].tolist() == [1000 + values.index(total)]


def test_note_and_unit_columns_are_ignored_never_taken_for_dimensions():
    result = _read("Län;År;Enhet;Kommentar;Varuexport, mnkr\n25;2021;mnkr;prel.;48 000\n")
    assert result.ok, result.problems
    assert [p.code for p in result.warnings] == ["unknown_columns"]


def test_a_dimension_in_a_wide_table_without_a_header_name():
    text = ";;2020;2021\n01 Stockholms län;män;1;2\n01 Stockholms län;kvinnor;3;4\n"
    result = _read(text, indicator="population")
    (error,) = result.errors
    assert error.message.startswith("#2: män, kvinnor — no total")


def test_a_region_written_once_above_its_categories_holds_for_the_rows_below():
    text = ('Folkmängd efter region, kön och år\n"region";"kön";"2020";"2021"\n'
            '"01 Stockholms län";"män";"1190000";"1201990"\n"";"kvinnor";"1201990";"1213149"\n'
            '"";"totalt";"2391990";"2415139"\n"25 Norrbottens län";"totalt";"249614";"249693"\n'
            '"";"män";"128000";"128100"\n')
    result = _read(text)
    assert result.ok, result.problems
    assert _values(result.frame) == {("01", 2020): 2391990, ("01", 2021): 2415139, ("25", 2020): 249614,
                                     ("25", 2021): 249693}
    assert [p.code for p in result.warnings] == ["dimension_total_kept"]


@pytest.mark.parametrize(("name", "kind", "example", "line"), [
    ("wide_quarterly_periods.csv", "quarterly", "2024K1", 3),
    ("long_monthly_periods.csv", "monthly", "2007M01", 1),
])
def test_periods_finer_than_a_year_are_refused_in_one_message(importing_file, name, kind, example, line):
    result = _read(name, importing_file)
    (error,) = result.problems
    assert (error.code, error.line) == ("periods_not_yearly", line)
    assert f'{kind} ("{example}")' in error.message and "only yearly figures" in error.message


@pytest.mark.parametrize("period", ["2024Q1", "200701", "2007M01", "2020-03"])
def test_period_formats(period):
    result = _read(f"Folkmängd\nregion;{period}\nSkåne;1\n")
    assert [p.code for p in result.problems] == ["periods_not_yearly"]


def test_years_from_1900_and_the_national_total_as_samtliga_lan(importing_file):
    result = _read("wide_national_total_since_1968.csv", importing_file)
    assert result.ok, result.problems
    assert _values(result.frame)[("00", 1968)] == 7931193
    assert sorted(set(result.frame["year"])) == [1968, 1969, 1970]


@pytest.mark.parametrize("name", ["Samtliga län", "Hela riket", "Totalt", "Total", "Riket", "00 Riket"])
def test_national_total_names(name):
    result = _read(f"Län;År;Folkmängd\n{name};2021;10 452 326\n")
    assert result.ok, result.problems
    assert result.frame["region"].tolist() == ["00"]


def test_municipalities_only_is_one_message_and_the_country_column_is_never_the_region(importing_file):
    for indicator in (None, "population"):
        result = _read("land_lan_kommun_municipalities.csv", importing_file, indicator=indicator)
        (error,) = result.problems
        assert error.code == "municipalities_only" and '"Upplands Väsby"' in error.message


def test_county_rows_beside_municipality_rows_in_a_kommun_column():
    text = ("Folkmängd\nland;län;kommun;2020;2021\nSverige;Stockholms län;;2 391 990;2 415 139\n"
            "Sverige;Stockholms län;Vallentuna;33 000;34 000\n")
    result = _read(text)
    assert result.ok, result.problems
    assert _values(result.frame) == {("01", 2020): 2391990, ("01", 2021): 2415139}
    assert [p.code for p in result.warnings] == ["skipped_rows"]


@pytest.mark.parametrize("header", ["lan", "Län", "LAN", "region"])
def test_county_column_names(header):
    result = _read(f"{header};2020\n05 ostergotlands lan;467158\n", indicator="population")
    assert result.ok, result.problems
    assert _values(result.frame) == {("05", 2020): 467158}
