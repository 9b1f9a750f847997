"""The compare page's quick picks: neighbouring counties and Kolada-style similar counties."""

from regions.data import COUNTRY_CODE, COUNTY_CODES
from regions.geography import COUNTY_NEIGHBOURS, neighbours, similar_regions


def test_every_county_has_its_neighbours_and_the_table_is_symmetric():
    assert sorted(COUNTY_NEIGHBOURS) == sorted(COUNTY_CODES)
    for code, others in COUNTY_NEIGHBOURS.items():
        assert code not in others
        assert all(code in COUNTY_NEIGHBOURS[other] for other in others)


def test_it_names_the_land_borders():
    assert neighbours("25") == ("24",)  # Norrbotten: Västerbotten only
    assert neighbours("01") == ("03", "04")  # Stockholm: Uppsala and Södermanland
    assert neighbours("14") == ("06", "13", "17", "18")  # not Östergötland, across Vättern
    assert "04" not in neighbours("03")  # Uppsala and Södermanland only face each other across Mälaren


def test_an_island_sweden_or_an_unknown_code_has_no_neighbours():
    assert neighbours("09") == ()
    assert neighbours(COUNTRY_CODE) == ()
    assert neighbours("99") == ()


# Population and exports (SEK million), roughly the counties' sizes.
FIGURES = {
    "00": [10_400_000, 1_500_000], "01": [2_400_000, 300_000], "14": [1_700_000, 350_000],
    "12": [1_400_000, 150_000], "25": [250_000, 60_000], "24": [275_000, 40_000], "23": [130_000, 8_000],
    "09": [60_000, 2_000], "22": [245_000, 45_000], "10": [158_000, 25_000],
}


def test_similar_counties_are_the_nearest_in_population_and_export_size():
    assert similar_regions("25", FIGURES, count=2) == ["22", "24"]
    assert similar_regions("01", FIGURES, count=2) == ["14", "12"]


def test_sweden_is_never_similar_and_a_county_without_figures_takes_no_part():
    figures = {**FIGURES, "13": [None, 30_000], "17": [280_000, 0.0]}
    assert COUNTRY_CODE not in similar_regions("14", figures, count=20)
    assert "13" not in similar_regions("25", figures, count=20)
    assert "17" not in similar_regions("25", figures, count=20)
    assert similar_regions("13", figures) == []
    assert similar_regions(COUNTRY_CODE, figures) == []


def test_weights_decide_which_figure_counts():
    figures = {"a": [100.0, 1.0], "b": [100.0, 1000.0], "c": [10_000.0, 1.0]}
    assert similar_regions("a", figures, count=1, weights=[1.0, 0.0]) == ["b"]
    assert similar_regions("a", figures, count=1, weights=[0.0, 1.0]) == ["c"]
