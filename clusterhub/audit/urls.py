from django.urls import path

from clusterhub.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.entry_list, name="list"),
    path("audit/export.csv", views.export_csv, name="export_csv"),
]
