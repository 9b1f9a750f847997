from django.urls import path

from regions import views

app_name = "regions"
urlpatterns = [
    path("regions/", views.region_list, name="list"),
    path("regions/<str:code>/", views.region_detail, name="detail"),
    path("regions/<str:code>/data.csv", views.region_data_csv, name="data_csv"),
    path("regions/<str:code>/data.xlsx", views.region_data_xlsx, name="data_xlsx"),
]
