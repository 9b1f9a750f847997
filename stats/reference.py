"""Seed the reference data (regions, indicators, sources, groups, the cache generation row).

Shared by the data migrations (with historical models) and by tests whose database was flushed.
Idempotent.
"""

from regions.seed import seed_regions
from stats.indicators import INDICATORS

SOURCES = (
    {
        "slug": "scb-workplace",
        "name": "SCB för Tillväxtverket, arbetsställebaserad, 2016–",
        "publisher": "SCB (Statistics Sweden) for Tillväxtverket",
        "method": "workplace-based",
        "description": "Goods and services exports allocated to the workplace where production happens; from 2016.",
        "is_default": True,
    },
    {
        "slug": "scb-head-office",
        "name": "SCB, huvudkontorsbaserad",
        "publisher": "SCB (Statistics Sweden)",
        "method": "head-office-based",
        "description": "Earlier series: exports allocated to the firm's head office.",
        "is_default": False,
    },
)
GROUPS = ("statistics-admins", "jury")


def seed_statistics(Indicator, Source, CacheGeneration) -> None:  # noqa: N803
    for row in INDICATORS:
        Indicator.objects.update_or_create(
            code=row.code,
            defaults={
                "name_sv": row.name_sv, "name_en": row.name_en, "unit_sv": row.unit_sv,
                "unit_en": row.unit_en, "decimals": row.decimals,
            },
        )
    for source in SOURCES:
        Source.objects.update_or_create(slug=source["slug"], defaults=source)
    if not CacheGeneration.objects.exists():
        CacheGeneration.objects.create(value=1)


def seed_groups(Group) -> None:  # noqa: N803
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def seed_all() -> None:
    from django.contrib.auth.models import Group

    from regions.models import Region
    from stats.models import CacheGeneration, Indicator, Source

    seed_regions(Region)
    seed_statistics(Indicator, Source, CacheGeneration)
    seed_groups(Group)
