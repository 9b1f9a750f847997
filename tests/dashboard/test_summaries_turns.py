"""dashboard.summaries.turning_points: the dips of a series, computed from its values."""

from django.utils import translation

from dashboard import summaries

YEARS = list(range(2016, 2024))
NORRBOTTEN_SME = [24560.0, 28130.0, 33400.0, 38950.0, 36020.0, 44210.0, 46900.0, 48300.0]


def test_the_2020_dip_and_the_recovery():
    [turn] = summaries.turning_points(YEARS, NORRBOTTEN_SME)
    assert turn.year == 2020 and round(turn.change_pct, 1) == -7.5
    assert turn.next_year == 2021 and round(turn.next_pct, 1) == 22.7


def test_a_fall_at_the_end_has_no_recovery_and_a_missing_year_breaks_the_chain():
    [turn] = summaries.turning_points([2020, 2021, 2022], [10.0, 12.0, 11.0])
    assert turn.year == 2022 and turn.next_year is None
    assert summaries.turning_points([2019, 2020, 2021], [10.0, None, 8.0]) == []


def test_a_second_year_of_falls_is_one_dip():
    turns = summaries.turning_points([2016, 2017, 2018, 2019], [10.0, 9.0, 8.0, 9.0])
    assert [t.year for t in turns] == [2017]


def test_the_sentence_in_both_languages():
    with translation.override("sv"):
        text = summaries.turning_sentence("Norrbotten", YEARS, NORRBOTTEN_SME, "sv")
        assert text == "Norrbotten: en nedgång 2020 med 7,5\xa0%, sedan +22,7\xa0% 2021."
        assert summaries.turning_sentence("X", [2016, 2017, 2018], [1.0, 2.0, 3.0], "sv") == (
            "X: en ökning varje år, 2016–2018.")
    with translation.override("en"):
        assert summaries.turning_sentence("Norrbotten", YEARS, NORRBOTTEN_SME, "en") == (
            "Norrbotten: a fall of 7.5% in 2020, then +22.7% in 2021.")
    assert summaries.turning_sentence("X", [2016, 2017], [1.0, 2.0], "sv") == ""
