from django.contrib import admin
from django.urls import include, path

from exportregion.views import healthz
from stats.api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("stats.urls")),
    path("", include("dashboard.urls")),
    path("", include("awards.urls")),
]
