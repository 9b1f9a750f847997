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
# Their model permissions in the Django admin (DESIGN): statistics admins edit regions, sources and
# nominations (on their award year's page), and see the import batches (changed only through /imports/).
GROUP_PERMISSIONS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "statistics-admins": (
        ("regions", "region", ("view", "change")),
        ("stats", "source", ("view", "add", "change")),
        ("awards", "awardyear", ("view", "change")),
        ("awards", "nomination", ("view", "add", "change", "delete")),
        ("stats", "importbatch", ("view",)),
        ("stats", "subscription", ("view", "add", "change", "delete")),
        ("stats", "subscriptionrun", ("view",)),
    ),
}


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


def seed_group_permissions(Group, Permission, ContentType, get_model) -> None:  # noqa: N803
    """Grant GROUP_PERMISSIONS, creating a permission if the migrations run before Django has made it."""
    for group_name, grants in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, model, actions in grants:
            try:
                verbose_name = get_model(app_label, model)._meta.verbose_name
            except LookupError:  # an earlier migration: the model's own migration grants it
                continue
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type, codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {verbose_name}"},
                )
                group.permissions.add(permission)


def grant_group_permissions(apps, schema_editor) -> None:  # noqa: ARG001 (RunPython's signature)
    """A migration's step: grant GROUP_PERMISSIONS for the models that exist by then."""
    seed_group_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"),
                           apps.get_model("contenttypes", "ContentType"), apps.get_model)


def seed_all() -> None:
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from regions.models import Region
    from stats.models import CacheGeneration, Indicator, Source

    seed_regions(Region)
    seed_statistics(Indicator, Source, CacheGeneration)
    seed_groups(Group)
    seed_group_permissions(Group, Permission, ContentType, apps.get_model)
