"""Long and wide layouts, titles, footnotes, delimiters and header aliases."""

import pytest

from stats.importing import read_statistics


def _read(text: str | bytes, **kwargs: object):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_statistics(data, "test.csv", **kwargs)


def _value(frame, **key: object) -> list[float]:
    mask = True
    for name, wanted in key.items():
        mask = mask & (frame[name] == wanted)
    return frame[mask]["value"].tolist()


def test_long_semicolon_file_with_title_firm_sizes_and_footnotes(importing_file):
    result = _read(importing_file("long_semicolon_bom_crlf.csv"))
    assert result.ok, result.problems
    assert result.problems == []
    frame = result.frame
    assert len(frame) == 8 * 3
    norrbotten = frame[(frame["region"] == "25") & (frame["year"] == 2021) & (frame["firm_size"] == "sme")]
    by_indicator = dict(zip(norrbotten["indicator"], norrbotten["value"], strict=True))
    assert by_indicator["goods_export_per_capita_sek"] == 44210.0
    assert by_indicator["goods_export_msek"] == 11070.0
    assert norrbotten["line"].unique().tolist() == [11]
    missing = norrbotten[norrbotten["indicator"] == "exporting_firms"]
    assert missing["flag"].tolist() == ["missing"] and missing["value"].isna().all()
    assert set(frame["firm_size"]) == {"all", "sme"}
    assert set(frame["sector"]) == {""}
    assert _value(frame, region="01", year=2020, firm_size="all", indicator="goods_export_msek") == [240100.5]


def test_wide_quoted_comma_file_takes_indicator_and_firm_size_from_title(importing_file):
    result = _read(importing_file("wide_quoted_comma_title.csv"))
    assert result.ok, result.problems
    frame = result.frame
    assert set(frame["indicator"]) == {"goods_export_per_capita_sek"}
    assert set(frame["firm_size"]) == {"sme"}
    norrbotten = frame[frame["region"] == "25"].set_index("year")
    assert norrbotten.loc[2019, "value"] == 38950.0
    assert norrbotten.loc[2021, "value"] == 44210.0
    assert norrbotten.loc[2021, "line"] == 6
    gotland = frame[(frame["region"] == "09") & (frame["year"] == 2019)]
    assert gotland["flag"].tolist() == ["missing"]


def test_wide_without_title_or_indicator_says_how_to_give_one(importing_file):
    result = _read(importing_file("wide_tab_cp1252_no_title.tsv"))
    (error,) = result.errors
    assert error.code == "wide_without_indicator"
    assert "--indicator" in error.message and '"Indicator"' in error.message
    assert "population" in error.message
    assert result.frame.empty


def test_indicator_argument_wins_over_title_with_a_warning():
    text = "Folkmängd efter region och år\nregion;2020\nNorrbotten;250 000\n"
    result = _read(text, indicator="participating_firms")
    assert result.ok
    assert set(result.frame["indicator"]) == {"participating_firms"}
    assert [p.code for p in result.warnings] == ["indicator_conflict"]


@pytest.mark.parametrize("given", ["population", "Folkmängd", " Population ", "Befolkning (personer)"])
def test_indicator_argument_accepts_codes_and_aliases(given):
    result = _read("region;2020\nNorrbotten;250 000\n", indicator=given)
    assert result.ok, result.problems
    assert result.frame["indicator"].tolist() == ["population"]


def test_unknown_indicator_argument_is_an_error():
    result = _read("region;2020\nNorrbotten;250 000\n", indicator="exports")
    assert [p.code for p in result.errors] == ["unknown_indicator"]
    assert "goods_export_msek" in result.errors[0].message


@pytest.mark.parametrize(
    ("title", "indicator"),
    [
        ("Varuexport per invånare (kr) efter region och år", "goods_export_per_capita_sek"),
        ("Varuexport, mnkr efter län", "goods_export_msek"),
        ("Varuexportvärde (mnkr) efter län och år", "goods_export_msek"),
        ("Tjänsteexport (mnkr) per län", "services_export_msek"),
        ("Folkmängd 31 december efter region", "population"),
        ("Antal exporterande företag", "exporting_firms"),
        ("Deltagande företag i regional exportsamverkan, antal", "participating_firms"),
        ("Export per capita (SEK) by region and year", "goods_export_per_capita_sek"),
        # Definite form, the rest of the title ignored.
        ("Folkmängden efter region och år", "population"),
        ("Folkmängden. År 1968 - 2022", "population"),
        ("Varuexporten efter län, mnkr", "goods_export_msek"),
        ("Befolkningen den 31 december", "population"),
        ("Tjänsteexporten (mnkr) efter län och år", "services_export_msek"),
    ],
)
def test_wide_indicator_from_title_longest_alias_wins(title, indicator):
    result = _read(f"{title}\nregion;2020;2021\n25;1;2\n")
    assert result.ok, result.problems
    assert set(result.frame["indicator"]) == {indicator}


@pytest.mark.parametrize(
    ("title", "firm_size"),
    [
        ("Varuexport per invånare, små och medelstora företag", "sme"),
        ("Varuexport per invånare, SMF", "sme"),
        ("Goods exports per capita, SME", "sme"),
        ("Varuexport per invånare, stora företag", "large"),
        ("Export per capita (SEK), large firms", "large"),
        ("Varuexport per invånare efter region", "all"),
    ],
)
def test_wide_firm_size_from_title(title, firm_size):
    result = _read(f"{title}\nregion;2020\n25;1\n")
    assert result.ok, result.problems
    assert result.frame["firm_size"].tolist() == [firm_size]


def test_firm_size_argument_for_a_wide_file():
    result = _read("region;2020\n25;1\n", indicator="population", firm_size="sme")
    assert result.frame["firm_size"].tolist() == ["sme"]


def test_bad_firm_size_argument_is_an_error():
    result = _read("region;2020\n25;1\n", indicator="population", firm_size="huge")
    assert [p.code for p in result.errors] == ["unknown_firm_size"]


def test_wide_bad_year_header_is_an_error_at_the_header_line():
    result = _read("Folkmängd\n\nregion;2020;20x1\n25;1;2\n")
    assert [(p.code, p.line, p.column) for p in result.errors] == [("bad_year", 3, "20x1")]
    assert result.errors[0].message == '"20x1" is not a year'


def test_wide_with_firm_size_column():
    text = "Varuexport, mnkr\nLän;Företagsstorlek;2020;2021\n25;SMF;9 000;11 070\n25;Samtliga företag;45 400;50 800\n"
    result = _read(text)
    assert result.ok, result.problems
    assert _value(result.frame, firm_size="sme", year=2021) == [11070.0]
    assert _value(result.frame, firm_size="all", year=2020) == [45400.0]


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_delimiter_is_sniffed_from_the_header(separator):
    header = separator.join(['"Län"', '"År"', '"Varuexport, mnkr"', '"Folkmängd"'])
    row = separator.join(['"25 Norrbottens län"', "2021", '"50 800,0"', "250442"])
    text = f"Varuexport, folkmängd och annat, efter län\n{header}\n{row}\n"
    result = _read(text)
    assert result.ok, result.problems
    assert _value(result.frame, indicator="goods_export_msek") == [50800.0]
    assert _value(result.frame, indicator="population") == [250442.0]


def test_unquoted_comma_title_does_not_fool_the_semicolon_sniffer():
    result = _read("Export, mnkr, efter län, år\nLän;År;Tjänsteexport, mnkr\n25;2021;1 234,5\n")
    assert result.ok, result.problems
    assert result.frame["value"].tolist() == [1234.5]


@pytest.mark.parametrize(
    "text, indicator, expected",
    [
        # A title whose last comma-separated part is a year splits like a one-year wide header.
        ("Folkmängd efter region, 2020\nregion,2020\nStockholm,2 400 000\n", None, [2400000.0]),
        ("Regional varuexport, 2021\nLän,År,Folkmängd\n25,2021,1\n", None, [1.0]),
        ("Folkmängd, 2020\nLän;2020\nNorrbotten;250 000\n", "population", [250000.0]),
        ("Folkmängd 31 december, 2021\nLän\t2021\nGotland\t60 000\n", "population", [60000.0]),
        ("Varuexport, mnkr, 2021\n\nLän;2020;2021\nNorrbotten;11 040,2;12 000\n", None, [11040.2, 12000.0]),
    ],
)
def test_a_title_with_a_year_after_a_comma_is_not_the_header(text, indicator, expected):
    result = _read(text, indicator=indicator) if indicator else _read(text)
    assert result.ok, result.problems
    assert result.frame["value"].tolist() == expected


def test_the_region_authority_name_of_vastra_gotaland():
    result = _read("Län;År;Folkmängd\nVästra Götalandsregionen;2020;1\n")
    assert result.ok, result.problems
    assert result.frame["region"].tolist() == ["14"]


@pytest.mark.parametrize(
    "header",
    [
        "Region;Year;Goods exports, SEK million",
        "Region code;Period;goods_export_msek",
        "Regionkod;År;Varuexport mnkr",
        "Lan;Ar;VARUEXPORT (mnkr)",
        "  län ; år ; Varuexportvärde (mnkr) ",
    ],
)
def test_header_aliases(header):
    result = _read(f"{header}\n25;2021;100,5\n")
    assert result.ok, result.problems
    assert result.frame["indicator"].tolist() == ["goods_export_msek"]


def test_unknown_extra_columns_are_a_warning_naming_them():
    result = _read("Län;År;Kommentar;Folkmängd;Källa\n25;2021;ok;250 442;SCB\n")
    assert result.ok
    (warning,) = result.warnings
    assert warning.code == "unknown_columns" and warning.line == 1
    assert '"Kommentar"' in warning.message and '"Källa"' in warning.message


def test_no_indicator_column_is_an_error():
    result = _read("Län;År;Kommentar\n25;2021;ok\n")
    assert [p.code for p in result.errors] == ["no_indicator_columns"]


def test_single_unnamed_value_column_takes_the_indicator_argument():
    result = _read("Län;År;Värde\n25;2021;250 442\n", indicator="population")
    assert result.ok, result.problems
    assert result.frame["indicator"].tolist() == ["population"]


def test_sector_and_english_firm_sizes():
    text = (
        "Region;Year;Firm size;Sector;Goods exports, SEK million\n"
        "25;2021;All firms;  Miljöteknik ;10\n"
        "25;2021;SME;Miljöteknik;4\n"
        "25;2021;Large firms;;6\n"
        "25;2021;All firms;Samtliga branscher;50\n"
    )
    result = _read(text)
    assert result.ok, result.problems
    frame = result.frame
    assert list(zip(frame["firm_size"], frame["sector"], strict=True)) == [
        ("all", "Miljöteknik"), ("sme", "Miljöteknik"), ("large", ""), ("all", ""),
    ]


def test_blank_lines_inside_the_table_keep_line_numbers():
    result = _read("Län;År;Folkmängd\n25;2020;1\n\n\n25;2021;x1\n")
    assert [(p.code, p.line) for p in result.errors] == [("not_a_number", 5)]


def test_quoted_field_spanning_lines_keeps_physical_line_numbers():
    text = 'Län,År,Bransch,Folkmängd\n25,2020,"Miljö-\nteknik",1\n25,20x1,"Skog",2\n'
    result = _read(text)
    assert [(p.code, p.line) for p in result.errors] == [("bad_year", 4)]


def test_footnotes_and_single_cell_lines_below_the_table_are_skipped():
    text = (
        "Län;År;Folkmängd\n25;2021;250 442\n\n"
        "Source: SCB\nNote: preliminary\nNot: preliminärt\nUppgifterna avser 31 december\n"
        "Senast uppdaterad 2022-02-21\n;;Tabellen är framtagen för tester\n"
    )
    result = _read(text)
    assert result.ok, result.problems
    assert len(result.frame) == 1


def test_trailing_row_with_a_region_and_empty_values_is_data():
    result = _read("region;2020;2021\n25;1;2\nVästerbotten;;\n", indicator="population")
    assert result.errors == []
    assert [p.code for p in result.errors + result.warnings] == []
    assert result.frame["flag"].tolist() == ["given", "given", "missing", "missing"]


def test_too_many_fields_is_an_error_on_that_line():
    result = _read("Län,År,Folkmängd\n25,2021,250442\n24,2021,273,6\n")
    assert [(p.code, p.line) for p in result.errors] == [("too_many_fields", 3)]


def test_trailing_separators_are_harmless():
    result = _read("Län;År;Folkmängd;\n25;2021;250442;;\n")
    assert result.ok, result.problems
    assert result.warnings == []


def test_title_lines_count_in_line_numbers():
    result = _read("Rubrik ett\nRubrik två\n\nLän;År;Folkmängd\n25;2020;1\n25;2021;-2\n")
    assert [(p.code, p.line, p.column) for p in result.errors] == [("negative_value", 6, "Folkmängd")]


def test_long_file_without_firm_size_column_takes_it_from_the_title():
    result = _read("Varuexport, små och medelstora företag\nLän;År;Varuexport, mnkr\n25;2021;11 070\n")
    assert result.frame["firm_size"].tolist() == ["sme"]


def test_firm_size_column_wins_over_title_and_argument():
    text = "Varuexport, stora företag\nLän;År;Storleksklass;Varuexport, mnkr\n25;2021;SMF;11 070\n"
    result = _read(text, firm_size="large")
    assert result.frame["firm_size"].tolist() == ["sme"] and result.warnings == []
