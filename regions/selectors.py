from regions.models import Region


def region_names() -> dict[str, str]:
    """code -> name for every region, in code order (one query; stats.selectors.region_names caches it
    under the cache generation, which saving a region bumps)."""
    return dict(Region.objects.order_by("code").values_list("code", "name"))
