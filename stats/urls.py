from django.urls import path

from stats import views

app_name = "stats"
urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:batch_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:batch_id>/status.json", views.import_status, name="import_status"),
    path("imports/<int:batch_id>/revisions.csv", views.import_revisions_csv, name="import_revisions_csv"),
    path("imports/<int:batch_id>/<slug:action>/", views.import_action, name="import_action"),
]
