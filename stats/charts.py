"""PURE chart builders: DataFrame in, a plain dict in plotly's figure schema out (no ORM, no request).

Building dicts instead of plotly.graph_objects inside a request is ~100x cheaper; the tests check
each dict against plotly's schema with plotly.graph_objects.Figure(fig).

Honest figures: a missing value is a gap (`connectgaps: False`), never a zero; a confidential value
is a gap with an × on the axis and its own legend entry; hover texts are formatted in Python so they
read the Swedish way in Swedish (44 210 kr, +80,0 %) whatever plotly's own locale; the source and
breakdown travel inside the figure (`note`) as well as in the page around it.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from django.utils import translation
from django.utils.translation import gettext_noop as N_

from stats.flags import Flag
from stats.formatting import (
    MISSING_MARK,
    as_number,
    format_number,
    format_percent,
    format_value,
    is_missing,
    plotly_separators,
)

# Okabe-Ito, with orange and sky blue darkened so that every line has 3:1 contrast on white
# (WCAG 1.4.11) and stays distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#996600", "#332288", "#000000", "#882255")
DASHES = ("solid", "dash", "dot", "dashdot")
BAR_PATTERNS = {"solid": "", "dash": "/", "dot": ".", "dashdot": "x"}  # a bar's counterpart of a line's dash
REFERENCE_COLOUR = "#595959"  # Sweden (code 00), on every chart: a neutral dark grey, never a region's colour
COUNTRY_CODE = "00"
# One colour per county on every page (region, compare, map, awards), keyed by its code: the seven
# colour-blind-safe colours of PALETTE without black (which would read as Sweden's grey), each used
# by three counties told apart by their dash. The counties most often compared (the award's nominees,
# the three metropolitan ones) get solid lines in distinct colours.
REGION_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#996600", "#332288", "#882255")
REGION_ORDER = ("25", "01", "14", "12", "13", "03", "05",
                "06", "07", "08", "09", "10", "17", "18",
                "19", "20", "21", "22", "23", "24", "04")
OTHER_COLOUR = "#7B8794"  # a county that is neither chosen nor the reference, in a chart of all counties
MISSING_COLOUR = "#d9d9d9"
CONFIDENTIAL_COLOUR = "#1a1a1a"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14, "color": "#1a1a1a"}

Marker = tuple[int, str]  # (year, label): an award nomination or win drawn as a vertical line


def _region_index(code: str) -> int:
    if code in REGION_ORDER:
        return REGION_ORDER.index(code)
    return sum(ord(c) for c in code) % len(REGION_ORDER)  # an unknown code: stable, never Sweden's grey


def region_colour(code: str) -> str:
    """The colour of a region on every chart: Sweden (00) dark grey, each county its own palette colour."""
    if code == COUNTRY_CODE:
        return REFERENCE_COLOUR
    return REGION_COLOURS[_region_index(code) % len(REGION_COLOURS)]


def region_dash(code: str) -> str:
    """The dash that tells apart the three counties sharing a colour (Sweden: dashed, as a reference)."""
    if code == COUNTRY_CODE:
        return "dash"
    return DASHES[_region_index(code) // len(REGION_COLOURS) % len(DASHES)]


def region_pattern(code: str) -> str:
    """A bar's counterpart of region_dash: no fill pattern, or the one telling apart counties sharing a colour."""
    return BAR_PATTERNS[region_dash(code)]


@dataclass(frozen=True)
class Line:
    """One line of a chart over the years: plain lists, so a page builds it without pandas. `code` (a
    region's) gives the line its region's colour; `panel` 1 draws it on a second axis under the first."""

    series: str
    years: list[int]
    values: list[float | None]
    flags: list[str | None]
    code: str = ""
    panel: int = 0
    legend: str = ""  # the legend's label when it differs from `series` (one entry for a region's panels)


def lines_of_frame(frame: pd.DataFrame, value: str = "value") -> list[Line]:
    """A long frame (series, year, value[, flag][, region]) as Lines, in the frame's order of series."""
    lines = []
    for label, part in frame.groupby("series", sort=False):
        part = part.sort_values("year")
        flags = part["flag"].tolist() if "flag" in part.columns else [None] * len(part)
        code = str(part["region"].iloc[0]) if "region" in part.columns and len(part) else ""
        lines.append(Line(str(label), [int(y) for y in part["year"].tolist()], _values(part[value]),
                          [f if isinstance(f, str) else None for f in flags], code))
    return lines


def _values(series: pd.Series) -> list[float | None]:
    return [as_number(v) for v in series.tolist()]


def text_in(lang: str, message: str) -> str:
    """`message`, an English msgid (marked with gettext_noop where it is written), in the chart's language
    from the locale catalogue: a figure is built for `lang`, whatever language is active."""
    with translation.override(lang):
        return translation.gettext(message)


def _empty_note(lang: str) -> dict:
    return {
        "text": text_in(lang, N_("No values for this selection")),
        "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "font": {"size": 16},
    }


NOTE_WIDTH = 78  # characters per line of the source note: fits a half-width chart


@functools.lru_cache(maxsize=256)
def _note_lines(note: str) -> tuple[str, ...]:
    """The source note wrapped (a page draws the same few notes many times: wrapped once)."""
    return tuple(textwrap.wrap(note, NOTE_WIDTH)) or ("",)


X_TITLE_SPACE = 40  # pixels an x-axis title takes under the tick labels
NOTE_NAME = "source-note"  # static/js/charts.js drops the note on narrow screens (the caption says it too)


def _note_annotation(note: str, *, below_title: bool = False) -> dict:
    """The source and breakdown, under the x axis inside the figure (so embeds and exported images keep it)."""
    return {
        "text": "<br>".join(_note_lines(note)), "showarrow": False, "xref": "paper", "yref": "paper", "x": 0,
        "y": 0, "xanchor": "left", "yanchor": "top", "yshift": -30 - (X_TITLE_SPACE if below_title else 0),
        "align": "left", "font": {"size": 11, "color": "#555555"}, "name": NOTE_NAME,
    }


def _with_x_title(layout: dict, title: str, note: str | None) -> None:
    """Give a horizontal chart its x-axis title and move the source note below it."""
    layout["xaxis"]["title"] = {"text": title}
    if note:
        layout["annotations"][0] = _note_annotation(note, below_title=True)
        layout["margin"]["b"] += X_TITLE_SPACE


def _axis_format(decimals: int) -> str:
    # Axis ticks are round numbers: no decimals unless the values themselves are small.
    return ",.0f" if decimals == 0 else ",~r"


# Tick mantissas for a log axis, densest first, with the smallest gap between neighbours in decades.
LOG_TICK_SETS = (((1, 2, 3, 4, 5, 6, 7, 8, 9), math.log10(10 / 9)), ((1, 1.5, 2, 3, 4, 5, 6, 8), math.log10(6 / 5)),
                 ((1, 2, 3, 5, 7), math.log10(7 / 5)), ((1, 2, 5), math.log10(2)), ((1,), 1.0))
LOG_TICK_GAP = 0.09  # of the axis height between two tick labels: ~25 px on a 280 px plot, more than a line


def _log_ticks(values: Sequence[float]) -> list[float]:
    """Tick values for a log axis within the values: the densest 1-2-5-style set whose labels never crowd."""
    shown = [float(v) for v in values if not is_missing(v) and v > 0]
    if not shown:
        return []
    lo, hi = min(shown), max(shown)
    if hi <= lo:
        return []
    span = math.log10(hi / lo)
    mantissas = next((m for m, gap in LOG_TICK_SETS if gap >= LOG_TICK_GAP * span), (1,))
    every = max(1, math.ceil(LOG_TICK_GAP * span))  # > ~11 decades: every second power of ten, …
    ticks: list[float] = []
    for exponent in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1):
        if exponent % every:
            continue
        ticks.extend(t for t in (float(f"{m * 10.0 ** exponent:.12g}") for m in mantissas) if lo <= t <= hi)
    return ticks if len(ticks) >= 2 else _narrow_log_ticks(lo, hi, span)


def _narrow_log_ticks(lo: float, hi: float, span: float) -> list[float]:
    """A range inside one step of every set (101 000–268 754): a log axis that short is nearly linear, so
    round steps of 1, 2, 2.5 or 5 (150 000, 200 000, 250 000), none closer than LOG_TICK_GAP."""
    raw = (hi - lo) / 4
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks: list[float] = []
    for k in range(math.ceil(lo / step), math.floor(hi / step) + 1):
        tick = float(f"{k * step:.12g}")
        if not ticks or math.log10(tick / ticks[-1]) >= LOG_TICK_GAP * span:
            ticks.append(tick)
    return ticks


def _layout(*, y_title: str, lang: str, height: int = 420, log: bool = False, note: str | None = None,
            decimals: int = 0) -> dict:
    layout = {
        "separators": plotly_separators(lang),
        "height": height,
        "margin": {"l": 80, "r": 20, "t": 40, "b": 40 + 15 * len(_note_lines(note)) if note else 40},
        "hovermode": "x unified",
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        # No "Year" axis title: the years say it, and the source line sits under them. Whole years only;
        # plotly picks the step (1, 2, 5) from the width, so narrow screens get no rotated, crowded ticks.
        "xaxis": {"tickformat": "d", "showgrid": False, "fixedrange": True, "tickangle": 0},
        # Log axes: whole numbers with the layout's grouping (400 000, never 400k); their ticks are set by
        # _log_ticks from the values, since plotly's own put a label on every digit (10M 9M 8M …).
        "yaxis": {"title": {"text": y_title}, "rangemode": "normal" if log else "tozero",
                  "type": "log" if log else "linear", "tickformat": _axis_format(decimals) if not log else ",~r",
                  "gridcolor": "#e5e5e5", "fixedrange": True, "automargin": True},
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    if note:
        layout["annotations"] = [_note_annotation(note)]
    return layout


def _hover_texts(line: Line, *, unit: str, decimals: int, lang: str) -> list[str]:
    out = []
    confidential = text_in(lang, N_("confidential"))
    for value, flag in zip(line.values, line.flags, strict=True):
        if flag == Flag.CONFIDENTIAL:
            out.append(confidential)
        else:
            out.append(format_value(value, decimals, unit, lang) if unit else format_number(value, decimals, lang))
    return out


def _line(line: Line, *, colour: str, dash: str, unit: str, decimals: int, lang: str, width: float = 2.5) -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": line.series,
        "x": line.years,
        "y": line.values,
        "customdata": _hover_texts(line, unit=unit, decimals=decimals, lang=lang),
        "connectgaps": False,  # a missing value is a gap, never a zero
        "line": {"color": colour, "dash": dash, "width": width},
        "marker": {"size": 6, "color": colour},
        "hovertemplate": f"%{{customdata}}<extra>{line.series}</extra>",
    }


def _confidential_trace(lines: Sequence[Line], lang: str) -> dict | None:
    """An × at the foot of the plot for each confidential value: shown, not drawn as a number."""
    secret = [(year, line.series) for line in lines for year, flag in zip(line.years, line.flags, strict=True)
              if flag == Flag.CONFIDENTIAL]
    if not secret:
        return None
    label = text_in(lang, N_("Confidential value (not shown)"))
    return {
        "type": "scatter", "mode": "markers", "name": label, "yaxis": "y2",
        "x": [year for year, _series in secret], "y": [0.02] * len(secret),
        "text": [series for _year, series in secret],
        # A neutral dark ×, not a series colour: an open symbol is drawn in marker.color, which would
        # otherwise be the next colour of plotly's colourway and read as one more region.
        "marker": {"symbol": "x-thin-open", "size": 12, "color": CONFIDENTIAL_COLOUR,
                   "line": {"width": 2, "color": CONFIDENTIAL_COLOUR}},
        "hovertemplate": f"%{{text}} %{{x}}: {text_in(lang, N_('confidential'))}<extra></extra>",
    }


def _marker_shapes(markers: Sequence[Marker], years: list[int]) -> tuple[list[dict], list[dict]]:
    """Award nominations and wins as dotted vertical lines with a label at the top."""
    if not years:
        return [], []
    lo, hi = min(years), max(years)
    shapes, notes = [], []
    shown = [year for year, _label in markers if lo <= year <= hi]
    period = []
    if shown:
        # The award period (the first nomination to the last award) shaded behind the lines.
        period.append({"type": "rect", "xref": "x", "yref": "paper", "x0": min(shown) - 0.5,
                       "x1": max(shown) + 0.5, "y0": 0, "y1": 1, "layer": "below", "line": {"width": 0},
                       "fillcolor": "rgba(136,34,85,0.08)"})
    for i, (year, label) in enumerate(sorted(markers)):
        if not lo <= year <= hi:
            continue
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": year, "x1": year, "y0": 0, "y1": 1,
                       "line": {"color": "#882255", "width": 1.5, "dash": "dot"}})
        # Inside the plot's top edge (the legend sits above it), on a white ground so lines never hide it.
        notes.append({"text": label, "xref": "x", "yref": "paper", "x": year, "y": 1, "yanchor": "top",
                      # Toward the middle of the plot, so that a narrow chart never cuts the label off.
                      "xanchor": "right" if year > (lo + hi) / 2 else "left", "showarrow": False,
                      "yshift": -16 * (i % 2),
                      "bgcolor": "rgba(255,255,255,0.9)", "font": {"size": 11, "color": "#882255"}})
    return shapes + period, notes


def lines_over_years(frame: pd.DataFrame, *, y_title: str, unit: str, lang: str, log: bool = False,
                     reference: str | None = None, note: str | None = None, decimals: int = 0,
                     markers: Sequence[Marker] = (), baseline: float | None = None) -> dict:
    """lines_chart of a long frame: one line per `series` label (columns: series, year, value[, flag])."""
    return lines_chart(lines_of_frame(frame), y_title=y_title, unit=unit, lang=lang, log=log, reference=reference,
                       note=note, decimals=decimals, markers=markers, baseline=baseline)


def lines_chart(lines: Sequence[Line], *, y_title: str, unit: str, lang: str, log: bool = False,
                reference: str | None = None, note: str | None = None, decimals: int = 0,
                markers: Sequence[Marker] = (), baseline: float | None = None,
                panels: Sequence[str] = ()) -> dict:
    """One trace per Line, in order.

    A Line with a region `code` takes that region's colour and dash (region_colour); lines whose label
    starts with `reference` (Sweden) are drawn grey and dashed; `markers` adds dotted vertical lines
    (award years) and shades the award period; `baseline` a horizontal line (100 for an index). With
    two `panels` (their titles), lines of panel 1 get a second y axis under the first, each axis
    spanning its own values, so a small series never lies flat under a large one."""
    split = len(panels) == 2
    traces = _line_traces(lines, reference=reference, unit=unit, decimals=decimals, lang=lang, split=split)
    values = [v for line in lines for v in line.values if v is not None]
    if log:
        y_title = f"{y_title} ({text_in(lang, N_('log scale'))})" if y_title else text_in(lang, N_("Log scale"))
    layout = _layout(y_title=y_title, lang=lang, log=log, note=note, decimals=decimals,
                     height=560 if split else 420)
    if log:
        _log_axis(layout["yaxis"], values)
    if split:
        _split_panels(layout, lines, panels, y_title)
    if len(traces) > 6:
        # Many lines: a legend down the side instead of rows that push the plot down.
        layout["legend"] = {"orientation": "v", "x": 1.02, "y": 1, "yanchor": "top"}
        layout["margin"]["r"] = 170
    _add_confidential_traces(traces, layout, lines, split=split, lang=lang)
    years = sorted({year for line in lines for year in line.years})
    shapes, notes = _marker_shapes(markers, years)
    if baseline is not None:
        shapes.append({"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": baseline,
                       "y1": baseline, "line": {"color": "#1a1a1a", "width": 1}})
    if shapes:
        layout["shapes"] = shapes
    annotations = layout.get("annotations", []) + notes
    if not traces or not values:
        annotations.append(_empty_note(lang))
    if annotations:
        layout["annotations"] = annotations
    _year_axis(layout["xaxis"], years)
    if notes and not log:
        top = [v for line in lines if not (split and line.panel) for v in line.values if v is not None]
        _headroom(layout, top)
    return {"data": traces, "layout": layout}


def _log_axis(yaxis: dict, values: list[float]) -> None:
    ticks = _log_ticks(values)
    if len(ticks) >= 2:  # else one value only: plotly's own tick, in the same format
        yaxis.update({"tickmode": "array", "tickvals": ticks})


def _add_confidential_traces(traces: list[dict], layout: dict, lines: Sequence[Line], *, split: bool,
                             lang: str) -> None:
    """A marker trace of confidential years per panel, on an invisible axis of its own over the panel's."""
    for panel in (0, 1) if split else (0,):
        secret = _confidential_trace([line for line in lines if not split or line.panel == panel], lang)
        if secret is not None:
            axis = "y4" if panel else "y2"
            secret["yaxis"] = axis
            secret["legendgroup"] = "confidential"
            secret["showlegend"] = not any(t.get("legendgroup") == "confidential" for t in traces)
            traces.append(secret)
            layout[f"yaxis{axis[1:]}"] = {"overlaying": "y3" if panel else "y", "range": [0, 1], "visible": False,
                                          "fixedrange": True}


def _line_traces(lines: Sequence[Line], *, reference: str | None, unit: str, decimals: int, lang: str,
                 split: bool) -> list[dict]:
    """A region's line in its own colour and dash; the reference lines (Sweden) grey with dashes of their
    own; others through the palette. With `split` panels, lines of panel 1 go on the lower axis."""
    traces = []
    colour_i = 0
    ref_dashes = iter(("dash", "dot", "dashdot", "longdash"))
    for line in lines:
        if line.code:
            colour, dash = region_colour(line.code), region_dash(line.code)
        elif reference is not None and line.series.startswith(reference):
            colour, dash = REFERENCE_COLOUR, next(ref_dashes, "dash")
        else:
            colour = PALETTE[colour_i % len(PALETTE)]
            dash = DASHES[(colour_i // len(PALETTE)) % len(DASHES)]
            colour_i += 1
        reference_line = colour == REFERENCE_COLOUR
        trace = _line(line, colour=colour, dash=dash, unit=unit, decimals=decimals, lang=lang,
                      width=2 if reference_line else 2.5)
        if split and line.panel:
            trace["yaxis"] = "y3"
        if line.legend:
            # One legend entry per region for its lines on both panels: the panels' axes name the firm size.
            trace.update({"name": line.legend, "legendgroup": line.code or line.legend,
                          "showlegend": not (split and line.panel)})
        traces.append(trace)
    return traces


def _year_axis(xaxis: dict, years: list[int]) -> None:
    if len(years) == 1:
        xaxis["range"] = [years[0] - 1, years[0] + 1]
    elif years:
        xaxis["range"] = [years[0] - 0.3, years[-1] + 0.3]  # no empty years padded on
    if len(years) <= 4:
        xaxis["dtick"] = 1  # else plotly may tick half years


PANEL_GAP = 0.14  # of the plot height between the two panels: the upper one's lowest tick, the lower one's name


def _split_panels(layout: dict, lines: Sequence[Line], panels: Sequence[str], y_title: str) -> None:
    """Two stacked y axes sharing the years: panel 0 on top (`y`), panel 1 below (`y3`), each with the
    range of its own values (not from zero), its title naming the panel and the unit."""
    upper, lower = (1 - PANEL_GAP) / 2 + PANEL_GAP, (1 - PANEL_GAP) / 2
    base = layout["yaxis"]
    for axis, panel, domain in (("yaxis", 0, [upper, 1.0]), ("yaxis3", 1, [0.0, lower])):
        shown = [v for line in lines if line.panel == panel for v in line.values if v is not None]
        spec = {**base, "domain": domain, "anchor": "x", "title": {"text": y_title}}
        if base.get("type") != "log":
            spec["rangemode"] = "normal"
            span = panel_range(shown)
            if span is not None:
                spec["range"] = list(span)
        layout[axis] = spec
    layout["xaxis"]["anchor"] = "y3"
    # Each panel's name (the firm size) just above it, at the left: the axis title keeps the unit.
    layout.setdefault("annotations", []).extend(
        {"text": f"<b>{panels[panel]}</b>", "xref": "paper", "yref": "paper", "x": 0, "xanchor": "left",
         "y": top, "yanchor": "bottom", "showarrow": False, "font": {"size": 13}, "name": "panel-title"}
        for panel, top in ((0, 1.0), (1, lower)))
    layout["margin"]["t"] = max(layout["margin"]["t"], 70)
    layout["legend"]["y"] = 1.07  # above the upper panel's name


def panel_range(values: Sequence[float]) -> tuple[float, float] | None:
    """An axis range around the values on round steps (24 560–48 300 -> 20 000–50 000), not from zero:
    a panel shows its series' own changes. None without values."""
    shown = [float(v) for v in values if not is_missing(v)]
    if not shown:
        return None
    lo, hi = min(shown), max(shown)
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = _nice_step((hi - lo) / 4)
    lo, hi = lo - (hi - lo) * 0.04, hi + (hi - lo) * 0.04
    bottom = math.floor(lo / step) * step
    if min(shown) >= 0 > bottom:
        bottom = 0.0  # never below zero for values that cannot be negative
    return float(f"{bottom:.12g}"), float(f"{math.ceil(hi / step) * step:.12g}")


def _nice_step(raw: float) -> float:
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _headroom(layout: dict, values: Sequence[float]) -> None:
    """Room above the highest value for the award labels at the top of the plot."""
    if not values:
        return
    if "range" in layout["yaxis"]:  # a panel's own range (not from zero): only raised
        lo, hi = layout["yaxis"]["range"]
        layout["yaxis"]["range"] = [lo, hi + (hi - lo) * 0.16]
        return
    lo, hi = min([*values, 0.0]), max(values)
    layout["yaxis"]["range"] = [lo, hi + (hi - lo) * 0.16 or 1.0]


def growth_bars(frame: pd.DataFrame, *, x_title: str, lang: str, highlight: tuple[str, ...] = (),
                reference: str | None = None, note: str | None = None, marks: dict[str, str] | None = None) -> dict:
    """change_bars of a frame (columns: region, name, change_pct)."""
    bars = [Bar(str(code), str(name), as_number(pct))
            for code, name, pct in zip(frame["region"], frame["name"], frame["change_pct"], strict=True)]
    return change_bars(bars, x_title=x_title, lang=lang, highlight=highlight, reference=reference, note=note,
                       marks=marks)


@dataclass(frozen=True)
class Bar:
    region: str
    name: str
    change_pct: float | None


def _bar_colour(code: str, *, highlight: tuple[str, ...], reference: str | None) -> str:
    """Sweden grey; with a `highlight`, the chosen counties in their own colour and the others neutral;
    without one (every bar chosen), each county in its own colour."""
    if code == reference or code == COUNTRY_CODE:
        return REFERENCE_COLOUR
    if highlight and code not in highlight:
        return OTHER_COLOUR
    return region_colour(code)


def change_bars(bars: Sequence[Bar], *, x_title: str, lang: str, highlight: tuple[str, ...] = (),
                reference: str | None = None, note: str | None = None, marks: dict[str, str] | None = None) -> dict:
    """Horizontal bars of change_pct per region, largest on top.

    Each bar has its region's colour; with `highlight` codes only those do (the others neutral) and
    their names are bold; the `reference` region (Sweden) is grey. `marks` (code -> label, e.g.
    "nominated") adds a status to a bar's name: a label, never a colour of its own. Regions without a
    change (a missing end) are left out of the bars and named in the page's table."""
    rows = sorted((b for b in bars if b.change_pct is not None), key=lambda b: b.name, reverse=True)
    rows.sort(key=lambda b: b.change_pct)  # type: ignore[arg-type,return-value]
    colours = [_bar_colour(b.region, highlight=highlight, reference=reference) for b in rows]
    changes = [b.change_pct for b in rows]
    labels = [format_percent(v, 1, lang) for v in changes]
    marks = marks or {}
    names = [(f"<b>{b.name}</b>" if b.region in highlight else b.name)
             + (f" ({marks[b.region]})" if b.region in marks else "") for b in rows]
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": changes,
        "y": names,
        "text": labels,
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": colours},
        "customdata": labels,
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
        "name": x_title,
    }
    layout = _layout(y_title="", lang=lang, height=max(300, 26 * len(rows) + 110), note=note)
    span = [v for v in changes if v is not None]
    lo, hi = (min([*span, 0.0]), max([*span, 0.0])) if span else (0.0, 1.0)
    pad = (hi - lo) * 0.18 or 1.0
    layout["xaxis"] = {"ticksuffix": " %" if lang == "sv" else "%", "zeroline": True,
                       "zerolinecolor": "#1a1a1a", "range": [lo - (pad if lo < 0 else 0), hi + pad],
                       "gridcolor": "#e5e5e5", "fixedrange": True}
    _with_x_title(layout, x_title, note)
    layout["yaxis"] = {"automargin": True, "fixedrange": True}
    layout["hovermode"] = "closest"
    layout["showlegend"] = False
    layout["margin"]["t"] = 20
    if not rows:
        layout["annotations"] = layout.get("annotations", []) + [_empty_note(lang)]
    return {"data": [trace], "layout": layout}


def _rank_ticks(counties: int) -> list[int]:
    """1, every fifth place and the last one, without a fifth that would crowd the last (20 beside 21)."""
    fifths = [t for t in (5, 10, 15, 20) if t <= counties - 2]
    return sorted({1, *fifths, counties} - {0})


def rank_chart(lines: Sequence[Line], *, counties: int, lang: str, note: str | None = None,
               markers: Sequence[Marker] = ()) -> dict:
    """The region's rank among the counties per year, one Line (of ranks) per series; 1 at the top."""
    traces = []
    rank_of = text_in(lang, N_("rank %(rank)s of %(n)s"))
    for i, line in enumerate(lines):
        ranks = [None if v is None else int(v) for v in line.values]
        # One region's lines (one per firm size): its colour, told apart by dash and symbol.
        colour = region_colour(line.code) if line.code else PALETTE[i % len(PALETTE)]
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": line.series,
            "x": line.years, "y": ranks, "connectgaps": False,
            "line": {"color": colour, "width": 2.5, "dash": DASHES[i % 2]},
            "marker": {"size": 7, "color": colour, "symbol": ("circle", "square")[i % 2]},
            "customdata": [rank_of % {"rank": r, "n": counties} if r else MISSING_MARK for r in ranks],
            "hovertemplate": f"%{{customdata}}<extra>{line.series}</extra>",
        })
    y_title = text_in(lang, N_("Rank"))
    layout = _layout(y_title=y_title, lang=lang, height=340, note=note)
    top = 0.5 - (counties * 0.12 if markers else 0)  # room above rank 1 for the award labels
    layout["yaxis"] = {"title": {"text": y_title}, "range": [counties + 0.5, top], "tickvals":
                       _rank_ticks(counties), "gridcolor": "#e5e5e5", "fixedrange": True,
                       "zeroline": False}
    years = sorted({year for line in lines for year in line.years})
    shapes, notes = _marker_shapes(markers, years)
    if shapes:
        layout["shapes"] = shapes
        layout["annotations"] = layout.get("annotations", []) + notes
    if not traces:
        layout["annotations"] = layout.get("annotations", []) + [_empty_note(lang)]
    return {"data": traces, "layout": layout}


def ranking_dots(frame: pd.DataFrame, *, unit: str, decimals: int, lang: str, x_title: str,
                 reference_value: float | None = None, reference_label: str = "", note: str | None = None,
                 highlight: tuple[str, ...] = ()) -> dict:
    """A dot plot of one value per county (columns: region, name, value), largest on top; scatter only,
    so it draws with the map's plotly bundle. Counties without a value are left out (named in the table)."""
    rows = frame.dropna(subset=["value"]).sort_values(["value", "name"], ascending=[True, False])
    texts = [format_value(v, decimals, unit, lang) for v in rows["value"].tolist()]
    colours = [_bar_colour(str(code), highlight=highlight, reference=None) for code in rows["region"]]
    sizes = [15 if code in highlight else 11 for code in rows["region"]]
    trace = {
        "type": "scatter", "mode": "markers", "name": x_title,
        "x": _values(rows["value"]), "y": rows["name"].tolist(), "customdata": texts,
        "marker": {"size": sizes, "color": colours, "line": {"width": 1, "color": "#ffffff"}},
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
    }
    layout = _layout(y_title="", lang=lang, height=max(300, 24 * len(rows) + 120), note=note, decimals=decimals)
    layout["xaxis"] = {"rangemode": "tozero", "tickformat": _axis_format(decimals), "gridcolor": "#e5e5e5",
                       "fixedrange": True}
    _with_x_title(layout, x_title, note)
    layout["yaxis"] = {"automargin": True, "fixedrange": True, "gridcolor": "#f0f0f0"}
    layout["hovermode"] = "closest"
    layout["showlegend"] = False
    layout["margin"]["t"] = 30
    if not is_missing(reference_value):
        layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": reference_value,
                             "x1": reference_value, "y0": 0, "y1": 1,
                             "line": {"color": REFERENCE_COLOUR, "width": 1.5, "dash": "dash"}}]
        layout["annotations"] = layout.get("annotations", []) + [{
            "text": f"{reference_label} {format_value(reference_value, decimals, unit, lang)}",
            "xref": "x", "yref": "paper", "x": reference_value, "y": 1, "yanchor": "bottom",
            "showarrow": False, "font": {"size": 12, "color": REFERENCE_COLOUR}}]
    if rows.empty:
        layout["annotations"] = layout.get("annotations", []) + [_empty_note(lang)]
    return {"data": [trace], "layout": layout}


SWEDEN_LON, SWEDEN_LAT = [10.9, 24.4], [55.2, 69.2]  # the county shapes' bounds (static/geo/lan.geojson), padded


def county_choropleth(frame: pd.DataFrame, *, geojson_url: str, unit: str, lang: str, decimals: int = 0,
                      title: str | None = None, note: str | None = None) -> dict:
    """Counties coloured by value (columns: region, name, value[, flag]); the browser fetches the shapes
    from us. Counties without a value are drawn grey in a second trace and say why on hover, so that
    the map always shows all 21 shapes and a gap never looks like a low value."""
    flags = frame["flag"] if "flag" in frame.columns else pd.Series([None] * len(frame), index=frame.index)
    has_value = frame["value"].notna()
    shown, absent = frame[has_value], frame[~has_value]
    texts = [format_value(v, decimals, unit, lang) for v in shown["value"].tolist()]
    z = _values(shown["value"])
    trace: dict[str, object] = {
        "type": "choropleth",
        "geojson": geojson_url,
        "featureidkey": "properties.code",
        "locations": shown["region"].tolist(),
        "z": z,
        "text": shown["name"].tolist(),
        "customdata": texts,
        "colorscale": "Viridis",
        "reversescale": True,
        "marker": {"line": {"color": "#ffffff", "width": 0.8}},
        "colorbar": {"title": {"text": title or unit, "side": "top"}, "tickformat": _axis_format(decimals),
                     "ticksuffix": f" {unit}" if len(unit) <= 4 else "", "len": 0.75, "thickness": 16, "x": 0.82},
        "hovertemplate": "%{text}: %{customdata}<extra></extra>",
        # The hover box in the county's own colour: the colour it has on every other chart.
        "hoverlabel": {"bgcolor": [region_colour(str(c)) for c in shown["region"].tolist()],
                       "font": {"color": "#ffffff"}},
        "name": title or unit,
    }
    if texts:
        # A single value still needs a colour range.
        lo, hi = min(v for v in z if v is not None), max(v for v in z if v is not None)
        if lo == hi:
            trace["zmin"], trace["zmax"] = lo - 1, hi + 1
    data = [trace]
    if len(absent):
        confidential, no_value = text_in(lang, N_("confidential")), text_in(lang, N_("no value"))
        why = [confidential if f == Flag.CONFIDENTIAL else no_value for f in flags[~has_value].tolist()]
        data.append({
            "type": "choropleth", "geojson": geojson_url, "featureidkey": "properties.code",
            "locations": absent["region"].tolist(), "z": [0] * len(absent), "text": absent["name"].tolist(),
            "customdata": why, "colorscale": [[0, MISSING_COLOUR], [1, MISSING_COLOUR]], "showscale": False,
            "marker": {"line": {"color": "#ffffff", "width": 0.8}},
            "hovertemplate": "%{text}: %{customdata}<extra></extra>",
            "name": text_in(lang, N_("No value")),
        })
    layout = {
        "separators": plotly_separators(lang),
        "height": 640,
        "margin": {"l": 0, "r": 0, "t": 10, "b": 40 if note else 0},
        # Sweden's own box, not fitbounds: plotly sizes the geo frame by the axis ranges' aspect, and with
        # fitbounds the frame keeps the world's, which left a tall country 100 px wide on a phone.
        "geo": {"visible": False, "projection": {"type": "mercator"}, "lonaxis": {"range": SWEDEN_LON},
                "lataxis": {"range": SWEDEN_LAT}, "bgcolor": "#ffffff"},
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "dragmode": False,
    }
    annotations = []
    if note:
        annotations.append({**_note_annotation(note), "y": 0, "yshift": -8})
    if not texts:
        annotations.append(_empty_note(lang))
    if annotations:
        layout["annotations"] = annotations
    return {"data": data, "layout": layout}
