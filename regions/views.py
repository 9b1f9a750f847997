from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page

from regions.models import Region
from stats import downloads, region_page
from stats.dashboard_views import bad_request
from stats.pages import awards_adapter, regions_table
from stats.pages.common import flat_params, is_embed
from stats.pages.common_data import PageCache
from stats.pages.page_cache import cached_page
from stats.params import BadParameter


def _get_region(code: str) -> Region:
    region = Region.objects.filter(code=code.zfill(2) if code.isdigit() else code).first()
    if region is None:
        raise Http404("no such region")
    return region


@gzip_page
@cached_page()
def region_list(request: HttpRequest) -> HttpResponse:
    cache = PageCache(request)
    try:
        state = regions_table.parse_table(flat_params(request.GET), cache)
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("regions:list"))
    return render(request, "regions/list.html",
                  {**regions_table.table_context(state, cache), "state": state})


@gzip_page
@cached_page(version=awards_adapter.awards_version)
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    if not code.isdigit():
        # /regions/norrbotten/ -> /regions/25/: the code is the stable address.
        region = Region.objects.filter(slug=code).first()
        if region is None:
            raise Http404("no such region")
        return redirect("regions:detail", code=region.code)
    region = _get_region(code)
    cache = PageCache(request)
    params = flat_params(request.GET)
    try:
        state = region_page.parse_region_state(region, params, cache)
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("regions:detail", args=[region.code]))
    context = {**region_page.region_context(region=region, state=state, cache=cache), "region": region,
               "bundle": "basic"}
    if is_embed(params):
        chart = region_page.find_chart(context["page"], params.get("chart") or "goods-per-capita")
        response = render(request, "stats/embed.html", {**context, "chart": chart, "page_url": state.url()})
        response.xframe_options_exempt = True
        return response
    return render(request, "regions/detail.html", context)


def _region_download(request: HttpRequest, code: str, render_table) -> HttpResponse:
    region = _get_region(code)
    cache = PageCache(request)
    params = flat_params(request.GET)
    try:
        state = region_page.parse_region_state(region, params, cache)
        key = params.get("chart") or "goods-per-capita"
        if key not in region_page.MEASURES and key != region_page.RANK_KEY:
            raise BadParameter(f"unknown chart {key[:40]!r}")
    except BadParameter as exc:
        return bad_request(request, exc, reset_url=reverse("regions:detail", args=[region.code]))
    return render_table(region_page.region_chart_table(state, key, cache))


@gzip_page
def region_data_csv(request: HttpRequest, code: str) -> HttpResponse:
    return _region_download(request, code, downloads.csv_response)


def region_data_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return _region_download(request, code, downloads.xlsx_response)
