from django.urls import path

from clusterhub.registry import views_export

urlpatterns = [
    path("organizations/export.csv", views_export.organizations_csv, name="organizations_csv"),
    path("organizations/export.json", views_export.organizations_json, name="organizations_json"),
]
