from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from awards.views import JuryLoginView
from exportregion.views import healthz
from stats.api import api

# The admin in the product's language and name, not "Django administration".
admin.site.site_header = _("Exportregion: administration")
admin.site.site_title = _("Exportregion administration")
admin.site.index_title = _("Statistics, regions and Export Region of the Year")
# The lists need the width on a 1 366 px laptop; the index and the breadcrumbs lead everywhere anyway.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The login lands a juror in the round waiting for them; the rest are Django's own views.
    path("accounts/login/", JuryLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("stats.urls")),
    path("", include("dashboard.urls")),
    path("", include("awards.urls")),
]
