"""The pure chart builders: DataFrame in, a plain dict in plotly's figure schema out. Each dict is
checked against plotly's own schema with plotly.graph_objects.Figure(fig)."""

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from stats import charts

NAN = float("nan")


def valid(fig: dict) -> dict:
    go.Figure(fig)  # raises on anything outside plotly's schema
    return fig


def lines_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "series": ["Norrbotten"] * 4 + ["Sverige"] * 4,
        "year": [2016, 2017, 2018, 2019] * 2,
        "value": [24560.0, NAN, 33400.0, None, 31616.0, 34198.0, 36000.0, 38000.0],
        "flag": ["given", "missing", "given", "confidential", "given", "given", "given", "given"],
    })


def test_lines_keep_gaps_as_gaps_never_zeros():
    fig = valid(charts.lines_over_years(lines_frame(), y_title="kr", unit="kr", lang="sv", reference="Sverige"))
    norrbotten = fig["data"][0]
    assert norrbotten["y"] == [24560.0, None, 33400.0, None]
    assert norrbotten["connectgaps"] is False


def test_lines_hover_texts_are_swedish_in_swedish():
    fig = valid(charts.lines_over_years(lines_frame(), y_title="kr", unit="kr", lang="sv"))
    assert fig["data"][0]["customdata"] == ["24\xa0560\xa0kr", "..", "33\xa0400\xa0kr", "sekretess"]
    assert fig["layout"]["separators"] == ",\xa0"
    en = valid(charts.lines_over_years(lines_frame(), y_title="SEK", unit="SEK", lang="en"))
    assert en["data"][0]["customdata"][0] == "24,560\xa0SEK" and en["layout"]["separators"] == ".,"


def test_confidential_values_are_marked_on_their_own_axis():
    fig = valid(charts.lines_over_years(lines_frame(), y_title="kr", unit="kr", lang="sv"))
    marks = fig["data"][-1]
    assert marks["yaxis"] == "y2" and marks["x"] == [2019] and marks["name"].startswith("Sekretess")
    assert fig["layout"]["yaxis2"]["overlaying"] == "y"


def test_the_reference_is_grey_and_dashed_and_the_palette_is_colour_blind_safe():
    fig = valid(charts.lines_over_years(lines_frame(), y_title="kr", unit="kr", lang="sv", reference="Sverige"))
    assert fig["data"][1]["line"]["color"] == charts.REFERENCE_COLOUR and fig["data"][1]["line"]["dash"] == "dash"
    assert fig["data"][0]["line"]["color"] == charts.PALETTE[0]


def _contrast(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 1.05 / (0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] + 0.05)


@pytest.mark.parametrize("colour", charts.PALETTE + (charts.REFERENCE_COLOUR,))
def test_every_line_colour_has_3_to_1_contrast_on_white(colour):
    assert _contrast(colour) >= 3.0


def test_many_lines_vary_the_dash_and_move_the_legend_aside():
    frame = pd.DataFrame({"series": [f"R{i}" for i in range(10) for _ in (0, 1)], "year": [2016, 2017] * 10,
                          "value": [1.0, 2.0] * 10})
    fig = valid(charts.lines_over_years(frame, y_title="x", unit="", lang="en"))
    assert fig["data"][8]["line"]["dash"] == "dash" and fig["layout"]["legend"]["orientation"] == "v"


def test_the_source_note_and_the_award_markers():
    fig = valid(charts.lines_over_years(lines_frame(), y_title="kr", unit="kr", lang="sv",
                                        note="Källa: SCB · Urval: samtliga företag",
                                        markers=[(2017, "Nominerad 2017"), (2030, "outside")]))
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert "Källa: SCB · Urval: samtliga företag" in texts and "Nominerad 2017" in texts and "outside" not in texts
    assert fig["layout"]["shapes"][0]["x0"] == 2017


def test_an_empty_frame_says_so():
    empty = pd.DataFrame({"series": [], "year": [], "value": []})
    fig = valid(charts.lines_over_years(empty, y_title="kr", unit="kr", lang="sv"))
    assert fig["data"] == [] and fig["layout"]["annotations"][-1]["text"] == "Inga värden för det här urvalet"


def test_log_scale_and_index_baseline():
    fig = valid(charts.lines_over_years(lines_frame(), y_title="Index", unit="", lang="sv", log=True, baseline=100))
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert fig["layout"]["shapes"][-1]["y0"] == 100


def test_growth_bars_sorted_with_the_reference_grey():
    frame = pd.DataFrame({"region": ["25", "13", "00", "09"], "name": ["Norrbotten", "Halland", "Sverige", "Gotland"],
                          "change_pct": [80.0, 50.4, 31.9, NAN]})
    fig = valid(charts.growth_bars(frame, x_title="Förändring, %", lang="sv", reference="00", note="Källa: SCB"))
    bars = fig["data"][0]
    assert bars["y"] == ["Sverige", "Halland", "Norrbotten"]  # largest on top, Gotland (no value) left out
    assert bars["marker"]["color"][0] == charts.REFERENCE_COLOUR
    assert bars["text"][-1] == "+80,0\xa0%"


def test_growth_bars_keep_their_old_signature():
    frame = pd.DataFrame({"region": ["25"], "name": ["Norrbotten"], "change_pct": [98.0]})
    valid(charts.growth_bars(frame, x_title="%", lang="en", highlight=("25",)))


def test_rank_chart_puts_one_at_the_top():
    lines = [charts.Line("Samtliga", [2016, 2017, 2018], [3.0, 1.0, None], [None] * 3)]
    fig = valid(charts.rank_chart(lines, counties=21, lang="sv", markers=[(2017, "Vinnare 2017")]))
    low, high = fig["layout"]["yaxis"]["range"]
    assert low == 21.5 and high < 0.5  # reversed, with room above rank 1 for the award label
    assert fig["data"][0]["y"] == [3, 1, None]
    plain = valid(charts.rank_chart(lines, counties=21, lang="sv"))
    assert plain["layout"]["yaxis"]["range"] == [21.5, 0.5]
    assert fig["data"][0]["customdata"][0] == "plats 3 av 21"


def test_rank_ticks_never_crowd_the_last_place():
    lines = [charts.Line("Samtliga", [2016], [3.0], [None])]
    ticks = {n: valid(charts.rank_chart(lines, counties=n, lang="en"))["layout"]["yaxis"]["tickvals"]
             for n in (21, 22, 2)}
    assert ticks == {21: [1, 5, 10, 15, 21], 22: [1, 5, 10, 15, 20, 22], 2: [1, 2]}


def test_ranking_dots_with_the_national_reference():
    frame = pd.DataFrame({"region": ["25", "07"], "name": ["Norrbotten", "Kronoberg"], "value": [190000.0, 181000.0]})
    fig = valid(charts.ranking_dots(frame, unit="kr", decimals=0, lang="sv", x_title="kr", reference_value=150000.0,
                                    reference_label="Sverige"))
    assert fig["data"][0]["type"] == "scatter" and fig["data"][0]["y"] == ["Kronoberg", "Norrbotten"]
    assert fig["layout"]["shapes"][0]["x0"] == 150000.0


def test_the_choropleth_draws_every_county_and_greys_the_missing_ones():
    frame = pd.DataFrame({"region": ["25", "09", "01"], "name": ["Norrbotten", "Gotland", "Stockholm"],
                          "value": [190000.0, NAN, 120000.0], "flag": ["given", "confidential", "given"]})
    fig = valid(charts.county_choropleth(frame, geojson_url="/static/geo/lan.geojson", unit="kr", lang="sv",
                                         note="Källa: SCB"))
    shown, grey = fig["data"]
    assert shown["locations"] == ["25", "01"] and grey["locations"] == ["09"]
    assert grey["customdata"] == ["sekretess"] and shown["customdata"][0] == "190\xa0000\xa0kr"
    assert shown["colorbar"]["title"]["text"] == "kr"
    assert fig["layout"]["geo"]["projection"]["type"] == "mercator"


def test_a_single_valued_map_still_has_a_colour_range():
    frame = pd.DataFrame({"region": ["25"], "name": ["Norrbotten"], "value": [5.0]})
    fig = valid(charts.county_choropleth(frame, geojson_url="/g.json", unit="kr", lang="en"))
    assert fig["data"][0]["zmin"] < fig["data"][0]["zmax"]


def test_figures_are_plain_json():
    import orjson

    fig = charts.lines_over_years(lines_frame(), y_title="kr", unit="kr", lang="sv")
    assert orjson.loads(orjson.dumps(fig)) == fig
    assert not any(isinstance(v, float) and math.isnan(v) for t in fig["data"] for v in t["y"] if v is not None)


def _log_figure(values: list[float], lang: str = "sv") -> dict:
    frame = pd.DataFrame({"series": ["A"] * len(values), "year": list(range(2010, 2010 + len(values))),
                          "value": values})
    return valid(charts.lines_over_years(frame, y_title="kr", unit="kr", lang=lang, log=True))


@pytest.mark.parametrize("values", [[263480.0, 400000.0], [30000.0, 1.2e7], [5.0, 5e6], [95.0, 2400.0],
                                    [72108.0, 268754.0], [101000.0, 268754.0], [100.0, 104.0]])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_log_axes_have_plain_sparse_ticks(values, lang):
    axis = _log_figure(values, lang)["layout"]["yaxis"]
    assert axis["type"] == "log" and "s" not in axis["tickformat"]  # no SI suffixes: 400 000, never 400k
    ticks = axis["tickvals"]
    assert 2 <= len(ticks) <= 9 and all(min(values) <= t <= max(values) for t in ticks)
    span = math.log10(max(values) / min(values))
    gaps = [math.log10(b / a) / span for a, b in zip(ticks, ticks[1:], strict=False)]
    assert min(gaps) >= charts.LOG_TICK_GAP  # labels never closer than a label's height


def test_a_narrow_log_range_gets_round_steps():
    assert _log_figure([101000.0, 268754.0])["layout"]["yaxis"]["tickvals"] == [150000.0, 200000.0, 250000.0]
    assert _log_figure([100.0, 104.0])["layout"]["yaxis"]["tickvals"] == [100.0, 101.0, 102.0, 103.0, 104.0]
    one = _log_figure([100.0, 100.0])["layout"]["yaxis"]
    assert "tickvals" not in one and one["tickformat"] == ",~r"  # one value: plotly's own tick, same format


def test_the_confidential_mark_is_neutral_and_names_the_series():
    fig = valid(charts.lines_over_years(lines_frame(), y_title="kr", unit="kr", lang="en"))
    marks = fig["data"][-1]
    assert marks["marker"]["color"] == marks["marker"]["line"]["color"] == "#1a1a1a"  # not a series colour
    assert marks["marker"]["color"] not in charts.PALETTE
    assert marks["text"] == ["Norrbotten"] and "%{text}" in marks["hovertemplate"]
    assert "confidential" in marks["hovertemplate"]
