"""ADAPTER to the awards app (built alongside): the analyst pages' only door into awards.

Reads published award years through `awards.selectors.published_years()` (two queries: the years and
their nominations with regions). Unpublished years never show here. If the awards app cannot
answer (not migrated yet, or its selector renamed), the pages show no award information rather
than fail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DatabaseError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Nominee:
    code: str
    name: str
    is_winner: bool


@dataclass(frozen=True)
class AwardInfo:
    year: int
    nominees: tuple[Nominee, ...]
    url: str

    @property
    def winner(self) -> Nominee | None:
        return next((n for n in self.nominees if n.is_winner), None)


def published_awards() -> list[AwardInfo]:
    """Published award years, newest first."""
    try:
        from awards.selectors import published_years

        years = list(published_years())
        return [
            AwardInfo(
                year=y.year,
                nominees=tuple(Nominee(n.region.code, n.region.name, n.is_winner) for n in y.nominations.all()),
                url=f"/awards/{y.year}/",
            )
            for y in sorted(years, key=lambda y: -y.year)
        ]
    except (ImportError, AttributeError, DatabaseError) as exc:  # the awards app is not there (yet)
        log.warning("award information unavailable: %s", exc)
        return []


def current_award() -> AwardInfo | None:
    awards = published_awards()
    return awards[0] if awards else None


def region_awards(awards: list[AwardInfo], code: str) -> list[tuple[int, bool]]:
    """(award year, won) for each published year that nominated the region."""
    return [(a.year, n.is_winner) for a in awards for n in a.nominees if n.code == code]


def awards_version() -> str:
    """When the award data last changed (one query): part of the page cache key of pages showing awards."""
    try:
        from django.db.models import Count, Max

        from awards.models import AwardYear

        row = AwardYear.objects.aggregate(n=Count("id", distinct=True), y=Max("updated_at"),
                                          m=Max("nominations__updated_at"))
        return f"{row['n']}.{row['y'] and row['y'].timestamp()}.{row['m'] and row['m'].timestamp()}"
    except (ImportError, DatabaseError) as exc:
        log.warning("award information unavailable: %s", exc)
        return "-"
