"""The analyst pages: overview, compare (+ CSV/XLSX), map. Thin: parse the query, call the page logic
in stats/pages/, render. A bad parameter is a friendly 400 page, never a 500."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.gzip import gzip_page

from stats import downloads
from stats.pages import awards_adapter
from stats.pages import compare as compare_page
from stats.pages import map as map_logic
from stats.pages import overview as overview_logic
from stats.pages.common import flat_params, is_embed
from stats.pages.common_data import PageCache
from stats.pages.page_cache import FRAGMENT_HEADER, cached_page
from stats.params import BadParameter


def bad_request(request: HttpRequest, exc: BadParameter, *, reset_url: str) -> HttpResponse:
    """A friendly 400 page (or just the message, for the controls' script) naming the parameter at fault."""
    fragment = request.headers.get(FRAGMENT_HEADER) == "results"
    template = "stats/_bad_request.html" if fragment else "stats/bad_request.html"
    return render(request, template, {"message": str(exc), "reset_url": reset_url}, status=400)


def _page(request: HttpRequest, template: str, fragment: str, context: dict) -> HttpResponse:
    """The whole page, its embed variant (frameable by other sites) or, for the controls' script, the results only."""
    if request.headers.get(FRAGMENT_HEADER) == "results":
        response = render(request, fragment, context)
    elif context.get("embed"):
        response = render(request, "stats/embed.html", context)
        response.xframe_options_exempt = True
    else:
        response = render(request, template, context)
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


@gzip_page
@cached_page()
def compare(request: HttpRequest) -> HttpResponse:
    cache = PageCache(request)
    params = flat_params(request.GET)
    try:
        state = compare_page.parse_compare(params, cache)
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("dashboard:compare"))
    context = {**compare_page.compare_context(state, cache), "state": state, "embed": is_embed(params),
               "bundle": "basic", "page_url": state.url(), "embed_url": state.url(embed="1")}
    return _page(request, "stats/compare.html", "stats/_compare_results.html", context)


def _compare_download(request: HttpRequest, render_table) -> HttpResponse:
    cache = PageCache(request)
    try:
        state = compare_page.parse_compare(flat_params(request.GET), cache)
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("dashboard:compare"))
    return render_table(compare_page.compare_table(state, cache))


@gzip_page
def compare_csv(request: HttpRequest) -> HttpResponse:
    return _compare_download(request, downloads.csv_response)


def compare_xlsx(request: HttpRequest) -> HttpResponse:
    return _compare_download(request, downloads.xlsx_response)


@gzip_page
@cached_page()
def map_page(request: HttpRequest) -> HttpResponse:
    cache = PageCache(request)
    params = flat_params(request.GET)
    try:
        state = map_logic.parse_map(params, cache)
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("dashboard:map"))
    context = {**map_logic.map_context(state, cache), "state": state, "embed": is_embed(params), "bundle": "geo",
               "page_url": state.url(), "embed_url": state.url(embed="1")}
    return _page(request, "stats/map.html", "stats/_map_results.html", context)


@gzip_page
@cached_page(version=awards_adapter.awards_version)
def overview(request: HttpRequest) -> HttpResponse:
    cache = PageCache(request)
    context = {**overview_logic.overview_context(cache), "bundle": "geo"}
    return render(request, "stats/overview.html", context)


def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """The language switch as a plain link (a preference, not a change worth a CSRF-protected form), so
    the pages carry no CSRF token and can be served from the page cache. Sets Django's language cookie,
    as django.views.i18n.set_language does, and goes back to `next` on this site."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("no such language")
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def bench_trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")
