"""Whole-page cache for anonymous GET requests of the analyst pages.

A shared link is opened by many people: the second visitor gets the stored HTML after one query (the
cache generation, which also says whether demo data is shown) and a parse of the query against the
cached reference data, without reading or rendering. The key is the parsed page query's canonical
URL, so parameters a page does not read (`?utm=…`) never make a new entry; with it the generation
(an import or an admin edit shows at once in every process), the language and host, and for pages
that show award results the time of the latest award change. Logged-in users, requests with pending
messages and the controls' fragment requests are rendered every time. The stored pages carry no CSRF
token: their forms are GET forms and the language switch is a link (dashboard.views.switch_language).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from dashboard.query import PageQuery
from stats import selectors

FRAGMENT_HEADER = "X-Fragment"
TTL = 3600


def _cacheable(request: HttpRequest) -> bool:
    # Only a request with a session cookie can be a logged-in user's: without one, no session or user lookup.
    return (
        request.method == "GET"
        and not request.headers.get(FRAGMENT_HEADER)
        and "messages" not in request.COOKIES
        and (settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated)
    )


def page_key(request: HttpRequest, query: PageQuery | str, *, version: str = "") -> str:
    generation, demo = selectors.cache_generation()
    where = query if isinstance(query, str) else query.canonical_url()
    digest = hashlib.sha256(f"{request.get_host()}|{where}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"exportregion:{generation}:page:{int(demo)}:{get_language()}:{version}:{digest}"


def _respond(content: bytes, *, frameable: bool) -> HttpResponse:
    response = HttpResponse(content)
    if frameable:
        response.xframe_options_exempt = True
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


def cached_page(request: HttpRequest, query: PageQuery | str, render_page: Callable[[], HttpResponse], *,
                version: str = "") -> HttpResponse:
    """The stored page for this query, or `render_page()` stored for the next visitor (200s only).
    `query` is the parsed page query (or, for a page without parameters, its path); `version` adds
    what else the page shows (award results)."""
    if not _cacheable(request):
        return render_page()
    key = page_key(request, query, version=version)
    stored = cache.get(key)
    if stored is not None:
        content, frameable = stored
        return _respond(content, frameable=frameable)
    response = render_page()
    if response.status_code == 200 and not response.streaming and not response.cookies:
        cache.set(key, (response.content, bool(getattr(response, "xframe_options_exempt", False))), TTL)
    return response
