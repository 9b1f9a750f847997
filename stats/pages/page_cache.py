"""Whole-page cache for anonymous GET requests of the analyst pages.

A shared link is opened by many people: the second visitor gets the stored HTML after one query
(the cache generation, which also says whether demo data is shown), without parsing, reading or
rendering. The key holds the generation, so an import shows at once in every process; the language,
host and full path (the page embeds them); and, for pages that show award results, the time of the
latest award change. Logged-in users, requests with pending messages and the controls' fragment
requests are rendered every time. The stored pages carry no CSRF token: their forms are GET forms
and the language switch is a link (stats.dashboard_views.switch_language).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from stats import selectors

FRAGMENT_HEADER = "X-Fragment"
TTL = 3600

View = Callable[..., HttpResponse]


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.headers.get(FRAGMENT_HEADER)
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _key(request: HttpRequest, generation: int, demo: bool, extra: str) -> str:
    where = hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}".encode()).hexdigest()[:32]
    return f"exportregion:{generation}:page:{int(demo)}:{get_language()}:{extra}:{where}"


def _respond(content: bytes, *, frameable: bool) -> HttpResponse:
    response = HttpResponse(content)
    if frameable:
        response.xframe_options_exempt = True
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


def cached_page(*, version: Callable[[], str] | None = None) -> Callable[[View], View]:
    """Serve anonymous GETs from the cache; `version` adds what else the page shows (award results)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            generation, demo = selectors.cache_generation()
            key = _key(request, generation, demo, version() if version else "")
            stored = cache.get(key)
            if stored is not None:
                content, frameable = stored
                return _respond(content, frameable=frameable)
            request.exportregion_generation = generation  # PageCache(request) reads it: no second query
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, (response.content, bool(getattr(response, "xframe_options_exempt", False))), TTL)
            return response

        return wrapper

    return decorator
