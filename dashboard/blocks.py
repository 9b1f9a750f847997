"""What every chart on a page comes with: the chart block (title, source, summary, table, downloads) and
its figure as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def figure_json(figure: dict) -> SafeString:
    """orjson-encoded figure, safe inside <script type="application/json"> (several times faster than
    json_script): json_script's escapes, so <, > and & never appear raw."""
    text = orjson.dumps(figure).decode()
    return mark_safe(text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026"))


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
