"""PURE chart builder for the jury's results: score summaries in, a plotly figure dict out (no ORM, no request).

One group of bars per criterion, one bar per nominee: the bar is the mean, the whisker runs from the lowest
to the highest score (the spread), the diamond is the median. Hover texts are formatted in Python
(3,67 in Swedish), as in stats.charts.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_

from awards.models import SCORE_MAX, SCORE_MIN
from stats.charts import FONT, PALETTE, region_colour, region_pattern, text_in
from stats.formatting import format_number, plotly_separators

TICK_WIDTH = 16  # characters per line of a criterion's name under its bars


@dataclass(frozen=True)
class ScoreSummary:
    nominee: str
    criterion: str
    mean: float | None
    median: float | None
    minimum: int | None
    maximum: int | None
    count: int


def _hover(row: ScoreSummary, lang: str) -> str:
    if row.mean is None:
        return f"{row.nominee} · {row.criterion}: " + text_in(lang, N_("no submitted scores"))
    labels = (text_in(lang, N_("mean")), text_in(lang, N_("median")), text_in(lang, N_("lowest–highest")),
              text_in(lang, N_("scores")))
    return (f"<b>{row.nominee}</b> · {row.criterion}<br>{labels[0]} {format_number(row.mean, 2, lang)}, "
            f"{labels[1]} {format_number(row.median, 1, lang)}, {labels[2]} {row.minimum}–{row.maximum}, "
            f"{labels[3]}: {row.count}")


def score_bars(rows: Sequence[ScoreSummary], *, nominees: Sequence[str], criteria: Sequence[str],
               lang: str, codes: Sequence[str] = ()) -> dict:
    """`rows` holds one summary per nominee and criterion; `nominees` and `criteria` give the order;
    `codes` the nominees' region codes, so each nominee has its region's colour, as on every page."""
    by_key = {(r.nominee, r.criterion): r for r in rows}
    # Criterion names are long: wrapped, they fit side by side on a laptop's width.
    ticks = ["<br>".join(textwrap.wrap(c, TICK_WIDTH)) for c in criteria]
    data: list[dict] = []
    for index, nominee in enumerate(nominees):
        colour = region_colour(codes[index]) if index < len(codes) else PALETTE[index % len(PALETTE)]
        # Counties sharing a colour (Norrbotten and Jönköping) are told apart by a fill pattern, as lines by a dash.
        pattern = region_pattern(codes[index]) if index < len(codes) else ""
        marker: dict = {"color": colour}
        if pattern:
            marker["pattern"] = {"shape": pattern, "fillmode": "overlay", "fgcolor": "#ffffff", "solidity": 0.35}
        mine = [by_key.get((nominee, c)) or ScoreSummary(nominee, c, None, None, None, None, 0) for c in criteria]
        hover = [_hover(r, lang) for r in mine]
        data.append({
            "type": "bar", "name": nominee, "x": ticks, "y": [r.mean for r in mine],
            "offsetgroup": str(index), "legendgroup": nominee, "marker": marker,
            "error_y": {
                "type": "data", "symmetric": False, "color": "#1a1a1a", "thickness": 1.5, "width": 4,
                "array": [None if r.mean is None or r.maximum is None else r.maximum - r.mean for r in mine],
                "arrayminus": [None if r.mean is None or r.minimum is None else r.mean - r.minimum for r in mine],
            },
            "hovertext": hover, "hoverinfo": "text",
        })
        data.append({
            "type": "scatter", "mode": "markers", "name": nominee, "x": ticks,
            "y": [r.median for r in mine], "offsetgroup": str(index), "legendgroup": nominee, "showlegend": False,
            "marker": {"symbol": "diamond", "size": 10, "color": "#ffffff", "line": {"color": "#1a1a1a", "width": 2}},
            "hovertext": hover, "hoverinfo": "text",
        })
    return {
        "data": data,
        "layout": {
            "separators": plotly_separators(lang), "height": 420, "font": FONT,
            "barmode": "group", "scattermode": "group",
            "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "xaxis": {"fixedrange": True, "automargin": True, "tickangle": 0},
            "yaxis": {"title": {"text": text_in(lang, N_("Score (1–5)"))},
                      "range": [0, SCORE_MAX + 0.2], "dtick": 1, "tick0": SCORE_MIN - 1, "fixedrange": True,
                      "gridcolor": "#e5e5e5"},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        },
    }
