import os

from django.urls import path

from stats import dashboard_views as views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("compare/", views.compare, name="compare"),
    path("compare.csv", views.compare_csv, name="compare_csv"),
    path("compare.xlsx", views.compare_xlsx, name="compare_xlsx"),
    path("map/", views.map_page, name="map"),
    path("language/<str:code>/", views.switch_language, name="language"),
]

# bench/serve_bench.py's baseline: a view that does no work, switched on only for the benchmark.
if os.environ.get("EXPORTREGION_BENCH_VIEWS") == "1":
    urlpatterns.append(path("bench/trivial", views.bench_trivial, name="bench_trivial"))
