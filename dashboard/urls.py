import os

from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("regions/", views.region_list, name="regions"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("regions/<str:code>/data.csv", views.region_data_csv, name="region_csv"),
    path("regions/<str:code>/data.xlsx", views.region_data_xlsx, name="region_xlsx"),
    path("regions/<str:code>/data.zip", views.region_data_zip, name="region_zip"),
    path("regions/<str:code>/all.xlsx", views.region_all_xlsx, name="region_all_xlsx"),
    path("compare/", views.compare, name="compare"),
    path("compare.csv", views.compare_csv, name="compare_csv"),
    path("compare.xlsx", views.compare_xlsx, name="compare_xlsx"),
    path("compare.zip", views.compare_zip, name="compare_zip"),
    path("map/", views.map_page, name="map"),
    path("language/<str:code>/", views.switch_language, name="language"),
]

# bench/serve_bench.py's baseline: a view that does no work, switched on only for the benchmark.
if os.environ.get("EXPORTREGION_BENCH_VIEWS") == "1":
    urlpatterns.append(path("bench/trivial", views.bench_trivial, name="bench_trivial"))
