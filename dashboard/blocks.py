"""What every chart on a page comes with: the chart block (title, source, summary, table, downloads) and
its figure as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dashboard.reference import LastImport
from stats import labels
from stats.models import Source


def figure_json(figure: dict) -> SafeString:
    """orjson-encoded figure, safe inside <script type="application/json"> (several times faster than
    json_script): json_script's escapes, so <, > and & never appear raw."""
    text = orjson.dumps(figure).decode()
    return mark_safe(text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026"))


@dataclass(frozen=True)
class About:
    """A chart's "About the data" panel: what its figures are and where they come from."""

    unit: str
    publisher: str
    method: str
    derived: str = ""  # how a derived value is computed, e.g. "value × 1 000 000 / population"; "" if stored
    last_import: str = ""  # the date the source was last loaded, formatted
    batch_url: str = ""  # that batch's page (shown to staff only)
    missing: int = 0  # values of the chart that are missing
    confidential: int = 0  # values of the chart that are confidential


def absent_counts(lines: list[tuple[list[float | None], list[str | None]]]) -> tuple[int, int]:
    """(missing, confidential) among a chart's values, given (values, flags) per line."""
    missing = confidential = 0
    for values, flags in lines:
        for value, flag in zip(values, flags, strict=True):
            if flag == "confidential":
                confidential += 1
            elif value is None:
                missing += 1
    return missing, confidential


@dataclass
class ChartBlock:
    """One chart with everything next to it: title, source and breakdown, text summary, data table, downloads."""

    id: str
    title: str
    source_line: str
    figure: SafeString
    summary: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # formatted; the first cell is the row header
    notes: list[str] = field(default_factory=list)
    downloads: dict[str, str] = field(default_factory=dict)  # "CSV" -> url
    traces: int = 0
    kind: str = "lines"
    about: About | None = None
    empty: str = ""  # a chart with no value at all is this message instead (never a frame of missing values)

    @property
    def table_rows(self) -> SafeString:
        """The data table's body, escaped: built here since a template loop over a few hundred cells costs
        more than the rest of the page."""
        return table_rows(self.rows)


def table_rows(rows: list[list[str]]) -> SafeString:
    """<tr><th scope="row">first cell</th><td class="num">…</td>…</tr> per row, every cell escaped."""
    return mark_safe("".join(
        f'<tr><th scope="row">{escape(row[0])}</th>' + "".join(f'<td class="num">{escape(cell)}</td>'
                                                             for cell in row[1:]) + "</tr>"
        for row in rows
    ))


def chart_block(*, id: str, title: str, source_line: str, figure: dict, **kwargs: Any) -> ChartBlock:
    return ChartBlock(id=id, title=title, source_line=source_line, figure=figure_json(figure),
                      traces=len(figure.get("data", [])), **kwargs)


def about_data(*, source: Source, last_import: LastImport | None, unit: str, derived: str = "",
               counts: tuple[int, int] = (0, 0)) -> About:
    """The "About the data" panel of a chart drawn from `source`."""
    return About(
        unit=unit, publisher=source.publisher, method=labels.method_label(source), derived=derived,
        last_import=last_import.finished.isoformat() if last_import else "",
        batch_url=reverse("stats:import_detail", args=[last_import.batch_id]) if last_import else "",
        missing=counts[0], confidential=counts[1],
    )


def with_import_date(source_line: str, last_import: LastImport | None) -> str:
    """'Source: … · Breakdown: …' and the date of the source's last import (what the chart is as of)."""
    if last_import is None:
        return source_line
    return _("%(line)s · Last import %(date)s") % {"line": source_line, "date": last_import.finished.isoformat()}


def chart_title(name: str, breakdown: str, method: str, period: str) -> str:
    """'<indicator (unit)>: <breakdown>, <method>, <period>': a chart names itself when shared or embedded."""
    return _("%(name)s: %(breakdown)s, %(method)s, %(period)s") % {
        "name": name, "breakdown": breakdown, "method": method, "period": period}


def year_choices(covered: list[int], start: int, end: int) -> list[int]:
    """The years a period control offers: those the chosen source covers (and the requested ends, so the
    control shows what the page shows even when the source does not cover them)."""
    return sorted(set(covered) | {start, end}) if covered else [start, end] if start != end else [start]


def describe(chart: ChartBlock, *, source: Source, last_import: LastImport | None, unit: str, derived: str = "",
             counts: tuple[int, int] = (0, 0)) -> ChartBlock:
    """Give a chart the date of the last import on its source line and its "About the data" panel."""
    chart.source_line = with_import_date(chart.source_line, last_import)
    chart.about = about_data(source=source, last_import=last_import, unit=unit, derived=derived, counts=counts)
    return chart
