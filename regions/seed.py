"""Seed the 21 counties and Sweden (idempotent); used by the data migration with the historical model."""

from typing import Any

from regions.data import COUNTRY_CODE, REGIONS


def seed_regions(Region: Any) -> None:  # noqa: N803 (a model class, historical in migrations)
    for row in REGIONS:
        aliases = [f"Region {row.name}"] if row.code != COUNTRY_CODE else ["Riket", "Sverige", "Sweden"]
        Region.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "official_name": row.official_name,
                "slug": row.slug,
                "level": "country" if row.code == COUNTRY_CODE else "county",
                "nuts_code": row.nuts_code,
                "aliases": aliases,
            },
        )
