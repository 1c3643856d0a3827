from django.urls import path

from clusterhub.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.dashboard, name="dashboard"),
    path("monitoring/network/", views.network, name="network"),
    path("monitoring/export/<slug:table>.csv", views.export_csv, name="export_csv"),
]
