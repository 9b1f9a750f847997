from django.http import HttpRequest

from exportregion.permissions import is_statistics_admin
from stats.selectors import demo_data_loaded


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "demo_data_loaded": demo_data_loaded(),
        "is_statistics_admin": is_statistics_admin(request.user) if hasattr(request, "user") else False,
    }
