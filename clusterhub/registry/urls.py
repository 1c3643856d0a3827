from django.urls import path

from clusterhub.registry import views

app_name = "registry"

urlpatterns = [
    path("organizations/", views.directory, name="directory"),
    path(
        "organizations/<int:organization_id>/",
        views.organization_detail,
        name="organization_detail",
    ),
    path(
        "organizations/<int:organization_id>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
]
