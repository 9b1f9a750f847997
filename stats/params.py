"""Parse outside parameters (GET query, API) into a SeriesQuery; hostile until parsed."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

from regions.data import COUNTRY_CODE
from stats.indicators import FIRM_SIZES
from stats.models import Indicator, Source
from stats.selectors import SeriesQuery, region_names

YEAR_MIN = 1990
MAX_REGIONS = 50


class BadParameter(ValueError):
    pass


def _year(raw: str | None, name: str) -> int | None:
    if raw is None or raw == "":
        return None
    if not re.fullmatch(r"\d{4}", raw.strip()):
        raise BadParameter(_("%(name)s must be a four-digit year, not %(raw)r") % {"name": name, "raw": raw[:20]})
    year = int(raw)
    if not YEAR_MIN <= year <= timezone.localdate().year:
        raise BadParameter(
            _("%(name)s must be a year from %(min)s to %(max)s")
            % {"name": name, "min": YEAR_MIN, "max": timezone.localdate().year}
        )
    return year


def parse_indicator(raw: str | None, *, default: str | None = None) -> Indicator:
    code = (raw or default or "").strip()
    if not code:
        raise BadParameter(_("indicator is required"))
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        known = ", ".join(Indicator.objects.values_list("code", flat=True))
        raise BadParameter(_("unknown indicator %(code)r; known: %(known)s") % {"code": code[:60], "known": known})
    return indicator


def parse_source(raw: str | None) -> Source:
    sources = Source.objects.all()
    source = sources.filter(slug=raw.strip()).first() if raw else sources.filter(is_default=True).first()
    if source is None:
        known = ", ".join(sources.values_list("slug", flat=True))
        raise BadParameter(_("unknown source %(slug)r; known: %(known)s") % {"slug": (raw or "")[:60], "known": known})
    return source


def parse_regions(raw: str | None, *, allow_country: bool = True) -> tuple[str, ...] | None:
    if raw is None or raw.strip() == "":
        return None
    names = region_names()
    codes: list[str] = []
    for part in raw.split(",")[: MAX_REGIONS + 1]:
        code = part.strip().zfill(2) if part.strip().isdigit() else part.strip()
        if code not in names or (code == COUNTRY_CODE and not allow_country):
            raise BadParameter(_("unknown region %(code)r") % {"code": part.strip()[:20]})
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_REGIONS:
        raise BadParameter(_("at most %(n)s regions") % {"n": MAX_REGIONS})
    return tuple(codes)


def parse_firm_size(raw: str | None) -> str:
    value = (raw or "all").strip()
    if value not in FIRM_SIZES:
        raise BadParameter(_("firm_size must be one of %(sizes)s") % {"sizes": ", ".join(FIRM_SIZES)})
    return value


def parse_sector(raw: str | None) -> str:
    value = (raw or "").strip()
    if len(value) > 100:
        raise BadParameter(_("sector is too long"))
    return value


def parse_series_query(
    params: Mapping[str, str], *, default_indicator: str | None = None, require_years: bool = False
) -> SeriesQuery:
    year_from = _year(params.get("from"), "from")
    year_to = _year(params.get("to"), "to")
    if require_years and (year_from is None or year_to is None):
        raise BadParameter(_("from and to are required"))
    if year_from is not None and year_to is not None and year_from > year_to:
        raise BadParameter(_("from must not be after to"))
    return SeriesQuery(
        indicator=parse_indicator(params.get("indicator"), default=default_indicator),
        source=parse_source(params.get("source")),
        firm_size=parse_firm_size(params.get("firm_size")),
        sector=parse_sector(params.get("sector")),
        regions=parse_regions(params.get("regions")),
        year_from=year_from,
        year_to=year_to,
    )
