from django.core.cache import cache

from regions.models import Region


def region_names() -> dict[str, str]:
    """code -> name for every region; reference data, cached for the process's lifetime."""
    names = cache.get("exportregion:region-names")
    if names is None:
        names = dict(Region.objects.order_by("code").values_list("code", "name"))
        cache.set("exportregion:region-names", names, None)
    return names
