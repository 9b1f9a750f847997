"""The analyst pages: overview, regions table, region page (+ CSV/XLSX per chart), compare (+ CSV/XLSX),
map, and their embeds. Each view: parse (one PageQuery) -> the page cache or the page logic in
dashboard/pages/ (read, build) -> render. A bad parameter is a friendly 400 page, never a 500."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from dashboard.awards import awards_now
from dashboard.page_cache import FRAGMENT_HEADER, cached_page
from dashboard.pages import compare as compare_page
from dashboard.pages import map as map_page_logic
from dashboard.pages import overview as overview_page
from dashboard.pages import region as region_page
from dashboard.pages import regions_table
from dashboard.query import (
    PAGE_PARAMETERS,
    BadParameter,
    PageQuery,
    PeriodNotCovered,
    flat_params,
    parse_page_query,
)
from dashboard.reference import PageCache
from regions.models import Region
from stats import selectors
from stats import tables as downloads


def bad_request(request: HttpRequest, exc: BadParameter, *, reset_url: str) -> HttpResponse:
    """A friendly 400 page (or just the message, for the controls' script) naming the parameter at fault; a
    period beyond the statistics' years is repeated, with the years covered and links to the nearest period."""
    fragment = request.headers.get(FRAGMENT_HEADER) == "results"
    template = "_bad_request.html" if fragment else "bad_request.html"
    context: dict[str, object] = {"message": str(exc), "reset_url": reset_url}
    if isinstance(exc, PeriodNotCovered):  # the period asked for, each source's years, the nearest covered period
        context |= {"asked": exc.asked, "coverage": exc.coverage}
    return render(request, template, context, status=400)


def _language_next(request: HttpRequest, page: str) -> str:
    """Where the language switch returns to: this address with only the parameters the page reads (the
    page is cached by its canonical query, so what else a visitor's link carried never shows in it)."""
    known = [(k, v) for k, v in request.GET.lists() if k in PAGE_PARAMETERS[page] or k == "embed"]
    kept = request.GET.copy()
    kept.clear()
    for key, values in known:
        kept.setlist(key, values)
    query = kept.urlencode(safe=",")
    return f"{request.path}?{query}" if query else request.path


# The page queries this process parsed, by generation, language, page, region and the raw query string:
# a page served from the page cache then costs no form validation (the control-character guard has
# already seen the raw query). Bounded, oldest out; only valid queries, and only short query strings.
_PARSED: OrderedDict[tuple[int, str, str, str, str], PageQuery] = selectors.process_store()
PARSED_ENTRIES = 1024
PARSED_QUERY_MAX = 2048


def _parse(request: HttpRequest, cache: PageCache, page: str, *, region: Region | None = None,
           charts: tuple[str, ...] = ()) -> PageQuery:
    raw = request.META.get("QUERY_STRING", "")
    key = (cache.generation, cache.lang, page, region.code if region is not None else "", raw)
    found = _PARSED.get(key)
    if found is not None:
        return found
    q = parse_page_query(flat_params(request.GET), page=page, reference=cache.reference, language=cache.lang,
                         region=region, charts=charts)
    if len(raw) <= PARSED_QUERY_MAX:
        _PARSED[key] = q
        if len(_PARSED) > PARSED_ENTRIES:
            _PARSED.popitem(last=False)
    return q


def _page(request: HttpRequest, template: str, fragment: str, context: dict) -> HttpResponse:
    """The whole page, its embed variant (frameable by other sites) or, for the controls' script, the results only."""
    if request.headers.get(FRAGMENT_HEADER) == "results":
        response = render(request, fragment, context)
    elif context.get("embed"):
        response = render(request, "dashboard/embed.html", context)
        response.xframe_options_exempt = True
    else:
        response = render(request, template, context)
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


def _chart_page(request: HttpRequest, page: str, build: Callable[[PageQuery, PageCache], dict], bundle: str
                ) -> HttpResponse:
    """The compare and map pages: parse, then the cached page or build, render (page, embed or fragment)."""
    cache = PageCache()
    try:
        q = _parse(request, cache, page)
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse(f"dashboard:{page}"))

    def render_page() -> HttpResponse:
        context = {**build(q, cache), "query": q, "embed": q.embed, "bundle": bundle, "page_url": q.url(embed=False),
                   "embed_url": q.url(embed=True), "language_next": _language_next(request, page)}
        return _page(request, f"dashboard/{page}.html", f"dashboard/_{page}_results.html", context)

    return cached_page(request, q, render_page)


@gzip_page
def compare(request: HttpRequest) -> HttpResponse:
    return _chart_page(request, "compare", compare_page.compare_context, "basic")


def _compare_download(request: HttpRequest, render_table: Callable[[downloads.DataTable], HttpResponse]) -> HttpResponse:
    cache = PageCache()
    try:
        q = _parse(request, cache, "compare_csv")
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("dashboard:compare"))
    return render_table(compare_page.compare_table(q, cache))


@gzip_page
def compare_csv(request: HttpRequest) -> HttpResponse:
    return _compare_download(request, downloads.csv_response)


def compare_xlsx(request: HttpRequest) -> HttpResponse:
    return _compare_download(request, downloads.xlsx_response)


def compare_zip(request: HttpRequest) -> HttpResponse:
    """The compare page's data as a ZIP: the tidy CSV, metadata.json and README.txt."""
    return _compare_download(request, downloads.zip_response)


@gzip_page
def map_page(request: HttpRequest) -> HttpResponse:
    return _chart_page(request, "map", map_page_logic.map_context, "geo")


@gzip_page
def overview(request: HttpRequest) -> HttpResponse:
    cache = PageCache()
    awards = awards_now()

    def render_page() -> HttpResponse:
        context = {**overview_page.overview_context(cache, awards.published), "bundle": "geo",
                   "language_next": request.path}
        return render(request, "dashboard/overview.html", context)

    return cached_page(request, request.path, render_page, version=awards.version)


@gzip_page
def region_list(request: HttpRequest) -> HttpResponse:
    cache = PageCache()
    try:
        q = _parse(request, cache, "regions")
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("dashboard:regions"))

    def render_page() -> HttpResponse:
        context = {**regions_table.table_context(q, cache), "query": q,
                   "language_next": _language_next(request, "regions")}
        return render(request, "dashboard/regions.html", context)

    return cached_page(request, q, render_page)


def _region(cache: PageCache, code: str) -> Region:
    region = cache.reference.regions.get(code.zfill(2) if code.isdigit() else code)
    if region is None:
        raise Http404("no such region")
    return region


@gzip_page
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    cache = PageCache()
    if not code.isdigit():
        # /regions/norrbotten/ -> /regions/25/: the code is the stable address.
        found = next((r for r in cache.reference.regions.values() if r.slug == code), None)
        if found is None:
            raise Http404("no such region")
        return redirect("dashboard:region", code=found.code)
    region = _region(cache, code)
    try:
        q = _parse(request, cache, "region", region=region, charts=region_page.CHART_KEYS)
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("dashboard:region", args=[region.code]))

    awards = awards_now()

    def render_page() -> HttpResponse:
        context = {**region_page.region_context(q, cache, awards.published), "region": region, "bundle": "basic",
                   "language_next": _language_next(request, "region")}
        if q.embed:
            chart = region_page.find_chart(context["page"], q.chart or region_page.DEFAULT_CHART)
            response = render(request, "dashboard/embed.html",
                              {**context, "chart": chart, "page_url": q.url(embed=False, chart="")})
            response.xframe_options_exempt = True
            return response
        return render(request, "dashboard/region.html", context)

    return cached_page(request, q, render_page, version=awards.version)


def _region_download(request: HttpRequest, code: str, make: Callable[[PageQuery, PageCache], HttpResponse], *,
                     page: str = "region_csv") -> HttpResponse:
    """A region page's download: parse its query (a bad one is the friendly 400), then `make` the file."""
    cache = PageCache()
    region = _region(cache, code)
    try:
        q = _parse(request, cache, page, region=region, charts=region_page.CHART_KEYS)
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("dashboard:region", args=[region.code]))
    return make(q, cache)


def _chart_table(render_table: Callable[[downloads.DataTable], HttpResponse]
                 ) -> Callable[[PageQuery, PageCache], HttpResponse]:
    def make(q: PageQuery, cache: PageCache) -> HttpResponse:
        return render_table(region_page.region_chart_table(q, q.chart or region_page.DEFAULT_CHART, cache))
    return make


@gzip_page
def region_data_csv(request: HttpRequest, code: str) -> HttpResponse:
    return _region_download(request, code, _chart_table(downloads.csv_response))


def region_data_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return _region_download(request, code, _chart_table(downloads.xlsx_response))


def region_data_zip(request: HttpRequest, code: str) -> HttpResponse:
    """One chart's data as a ZIP: the tidy CSV, metadata.json and README.txt."""
    return _region_download(request, code, _chart_table(downloads.zip_response))


def _region_workbook(q: PageQuery, cache: PageCache) -> HttpResponse:
    region = q.region
    assert region is not None, "the region page's query names its region"
    meta = [(_("Region"), f"{region.name} ({region.code})"), (_("Period"), str(q.period))]
    return downloads.xlsx_sheets_response(region_page.region_all_tables(q, cache), title=region.name, meta=meta,
                                          filename=f"exportregion-{region.code}-{q.period.start}-{q.period.end}")


def region_all_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """Every series of the county's page in one workbook: a sheet per chart and one of metadata."""
    return _region_download(request, code, _region_workbook, page="region_all_xlsx")


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


def bench_trivial(request: HttpRequest) -> HttpResponse:  # noqa: ARG001 (a view)
    return HttpResponse(b"ok", content_type="text/plain")
