"""The award results the analyst pages show: published years only, read through awards.selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max
from django.urls import reverse

from awards.models import AwardYear
from awards.selectors import published_years
from stats import selectors


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
    """Published award years, newest first (the years and their nominations with regions)."""
    return [
        AwardInfo(
            year=y.year,
            nominees=tuple(Nominee(n.region.code, n.region.name, n.is_winner) for n in y.nominations.all()),
            url=reverse("awards:year", args=[y.year]),
        )
        for y in sorted(published_years(), key=lambda y: -y.year)
    ]


def current_award(awards: list[AwardInfo]) -> AwardInfo | None:
    return awards[0] if awards else None


@dataclass(frozen=True)
class Awards:
    """The published award years as of `version` (when the award data last changed): read once per version."""

    version: str
    published: list[AwardInfo]


def awards_now() -> Awards:
    """One query while the award data is unchanged (its version), three when it changed."""
    version = awards_version()
    return Awards(version, cached_awards(version))


def cached_awards(version: str) -> list[AwardInfo]:
    return selectors.cached("awards", version, published_awards, local=True)


def region_awards(awards: list[AwardInfo], code: str) -> list[tuple[int, bool]]:
    """(award year, won) for each published year that nominated the region."""
    return [(a.year, n.is_winner) for a in awards for n in a.nominees if n.code == code]


def awards_version() -> str:
    """When the award data last changed (one query): part of the page cache key of pages showing awards."""
    row = AwardYear.objects.aggregate(n=Count("id", distinct=True), y=Max("updated_at"),
                                      m=Max("nominations__updated_at"))
    return f"{row['n']}.{row['y'] and row['y'].timestamp()}.{row['m'] and row['m'].timestamp()}"
