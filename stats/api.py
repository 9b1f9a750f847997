"""The public read-only JSON API, /api/v1/ (OpenAPI document at /api/v1/openapi.json)."""

from __future__ import annotations

import orjson
import pandas as pd
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from ninja.renderers import BaseRenderer

from regions.data import COUNTRY_CODE, COUNTY_CODES
from regions.models import Region
from stats import selectors
from stats.formatting import as_number
from stats.indicators import FIRM_SIZES, INDICATORS
from stats.models import Indicator, Source
from stats.params import YEAR_MIN, BadParameter, parse_series_query

INDICATOR_CODES = tuple(i.code for i in INDICATORS)
REGION_CODES = (COUNTRY_CODE, *COUNTY_CODES)


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):  # noqa: ARG002 (django-ninja calls it so)
        return orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY)


class ExportregionAPI(NinjaAPI):
    """The OpenAPI document says what the parameters accept (the codes, the years), so that clients and
    schemathesis know them; the views still parse every parameter themselves and answer a bad one with
    HTTP 400 {"error": …} (ninja's own 422 is never sent: see _validation_error)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operation in (op for path in schema["paths"].values() for op in path.values()):
            for parameter in operation.get("parameters", []):
                parameter["schema"] = _parameter_schema(parameter["name"], required=parameter.get("required", False))
        return schema


def _years_pattern() -> str:
    years = "|".join(str(y) for y in range(YEAR_MIN, timezone.localdate().year + 1))
    return f"({years})"


def _parameter_schema(name: str, *, required: bool) -> dict:
    """What the parser accepts, exactly: an empty optional parameter is the same as an absent one, a
    required one must be given."""
    optional = "" if required else "?"
    if name == "indicator":
        return {"type": "string", "enum": list(INDICATOR_CODES), "example": "goods_export_per_capita_sek"}
    if name == "firm_size":
        return {"type": "string", "enum": [*FIRM_SIZES, ""], "example": "sme"}
    if name in ("from", "to"):
        return {"type": "string", "pattern": f"^{_years_pattern()}{optional}$",
                "description": f"a four-digit year from {YEAR_MIN} to this year; `from` not after `to`",
                "example": "2016"}
    if name == "regions":
        code = "(" + "|".join([*REGION_CODES, *(c[1] for c in REGION_CODES if c.startswith("0"))]) + ")"
        return {"type": "string", "pattern": f"^({code}(,{code})*)?$", "example": "25,14"}
    if name == "source":
        return {"type": "string", "enum": [*Source.objects.values_list("slug", flat=True), ""]}
    if name == "sector":
        return {"type": "string", "pattern": "^[^\\x00-\\x1f\\x7f]{0,100}$"}
    return {"type": "string"}


api = ExportregionAPI(
    title="Exportregion API",
    version="1",
    description="Regional goods and services export statistics for Sweden's 21 counties.",
    urls_namespace="api",
    renderer=OrjsonRenderer(),
    docs_url="/docs",
)


class Error(Schema):
    error: str


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str


class RegionOut(Schema):
    code: str
    name: str
    slug: str
    level: str


class Point(Schema):
    year: int
    value: float | None


class Series(Schema):
    region: str
    name: str
    points: list[Point]


class SeriesOut(Schema):
    indicator: str
    unit: str
    firm_size: str
    source: str
    series: list[Series]


class GrowthRow(Schema):
    region: str
    name: str
    start: float | None
    end: float | None
    change: float | None
    change_pct: float | None
    rank: int | None


class GrowthOut(Schema):
    indicator: str
    from_: int = Field(..., alias="from")
    to: int
    national: GrowthRow | None
    rows: list[GrowthRow]


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", [])[1:]) or "request"
    return api.create_response(request, {"error": f"{where}: {first.get('msg', 'invalid')}"}, status=400)


@api.exception_handler(BadParameter)
def _bad_parameter(request: HttpRequest, exc: BadParameter):
    return api.create_response(request, {"error": str(exc)}, status=400)


@api.get("/indicators", response=list[IndicatorOut], summary="The indicators")
def indicators(request: HttpRequest):
    return [{"code": i.code, "name": i.name_en, "unit": i.unit_en} for i in Indicator.objects.all()]


@api.get("/regions", response=list[RegionOut], summary="Sweden (00) and the 21 counties")
def regions(request: HttpRequest):
    return list(Region.objects.values("code", "name", "slug", "level"))


FIRM_SIZE_DOC = f"one of {', '.join(FIRM_SIZES)} (default all)"


@api.get("/series", response={200: SeriesOut, 400: Error}, summary="Time series of one indicator")
def series(
    request: HttpRequest,
    indicator: str,
    regions: str | None = Query(None, description="comma-separated region codes; default every county"),
    from_: str | None = Query(None, alias="from", description="first year"),
    to: str | None = Query(None, description="last year"),
    firm_size: str | None = Query(None, description=FIRM_SIZE_DOC),
    sector: str | None = Query(None, description="sector; default all sectors"),
    source: str | None = Query(None, description="source slug; default the default source"),
):
    q = parse_series_query(request.GET)
    return selectors.cached("api-series", q.cache_key(), lambda: _series_payload(q))


def _series_payload(q) -> dict:
    frame = selectors.series_frame(q, include_country=q.regions is not None and "00" in q.regions)
    years = _year_span(q, frame)
    out = []
    for code, name in _requested_regions(q):
        part = frame[frame["region"] == code]
        values = dict(zip(part["year"].tolist(), part["value"].tolist(), strict=True))
        out.append(
            {"region": code, "name": name, "points": [{"year": y, "value": as_number(values.get(y))} for y in years]}
        )
    return {
        "indicator": q.indicator.code,
        "unit": q.indicator.unit_en,
        "firm_size": q.firm_size,
        "source": q.source.slug,
        "series": out,
    }


def _year_span(q, frame) -> list[int]:
    first = q.year_from if q.year_from is not None else (int(frame["year"].min()) if len(frame) else None)
    last = q.year_to if q.year_to is not None else (int(frame["year"].max()) if len(frame) else None)
    return [] if first is None or last is None else list(range(first, last + 1))


def _requested_regions(q) -> list[tuple[str, str]]:
    names = selectors.region_names()
    codes = list(q.regions) if q.regions is not None else [c for c in names if c != "00"]
    return [(c, names[c]) for c in codes]


@api.get(
    "/growth", response={200: GrowthOut, 400: Error}, by_alias=True, summary="Change of one indicator over a period"
)
def growth(
    request: HttpRequest,
    indicator: str,
    from_: str = Query(..., alias="from", description="first year"),
    to: str = Query(..., description="last year"),
    firm_size: str | None = Query(None, description=FIRM_SIZE_DOC),
    sector: str | None = Query(None, description="sector; default all sectors"),
    source: str | None = Query(None, description="source slug; default the default source"),
):
    q = parse_series_query({k: request.GET[k] for k in request.GET if k != "regions"}, require_years=True)
    return selectors.cached("api-growth", q.cache_key(), lambda: _growth_payload(q))


def growth_rows(frame, decimals: int) -> tuple[dict | None, list[dict]]:
    """The rows of /api/v1/growth: change rounded to the indicator's decimals, change_pct to 2."""
    frame = selectors.rounded_growth(frame, decimals)
    rows = [
        {
            "region": r.region,
            "name": r.name,
            "start": as_number(r.start),
            "end": as_number(r.end),
            "change": as_number(r.change),
            "change_pct": as_number(r.change_pct),
            "rank": None if pd.isna(r.rank) else int(r.rank),
        }
        for r in frame.itertuples(index=False)
    ]
    national = next((r for r in rows if r["region"] == "00"), None)
    return national, [r for r in rows if r["region"] != "00"]


def _growth_payload(q) -> dict:
    national, rows = growth_rows(selectors.growth_frame(q), q.indicator.decimals)
    return {"indicator": q.indicator.code, "from": q.year_from, "to": q.year_to, "national": national, "rows": rows}
