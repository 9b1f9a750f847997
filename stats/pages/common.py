"""What every dashboard page shares: the chart block, figure JSON, the period, the cache key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from stats.pages.labels import is_population
from stats.params import BadParameter
from stats.selectors import SeriesQuery

# json_script's escapes: the JSON may sit in HTML, so <, > and & never appear raw.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def figure_json(figure: dict) -> SafeString:
    """orjson-encoded figure, safe inside <script type="application/json"> (several times faster than json_script)."""
    return mark_safe(orjson.dumps(figure).decode().translate(_JSON_ESCAPES))


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


def chart_block(*, id: str, title: str, source_line: str, figure: dict, **kwargs: Any) -> ChartBlock:
    return ChartBlock(id=id, title=title, source_line=source_line, figure=figure_json(figure),
                      traces=len(figure.get("data", [])), **kwargs)


def for_page(q: SeriesQuery) -> SeriesQuery:
    """Population has no firm size: a firm_size other than all (say, kept from the form while the
    indicator changed) is ignored rather than giving an empty page."""
    if is_population(q.indicator) and q.firm_size != "all":
        return replace(q, firm_size="all")
    return q


def parse_choice(params: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = (params.get(name) or default).strip()
    if value not in choices:
        raise BadParameter(_("%(name)s must be one of %(choices)s") % {"name": name, "choices": ", ".join(choices)})
    return value


def parse_year(params: Mapping[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    if not (len(raw) == 4 and raw.isdigit()):
        raise BadParameter(_("%(name)s must be a four-digit year, not %(raw)r") % {"name": name, "raw": raw[:20]})
    return int(raw)


def flat_params(query: Any) -> dict[str, str]:
    """A QueryDict as plain strings; repeated `regions` (from the no-JS form's checkboxes) joined by commas."""
    params = {key: query.get(key, "") for key in query}
    if hasattr(query, "getlist") and len(query.getlist("regions")) > 1:
        params["regions"] = ",".join(query.getlist("regions"))
    return params


def is_embed(params: Mapping[str, str]) -> bool:
    return params.get("embed") == "1"
