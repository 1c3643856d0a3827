from django.urls import path

from clusterhub.engagement import views

app_name = "engagement"

urlpatterns = [
    path(
        "engagement/organizations/<int:organization_id>/",
        views.organization,
        name="organization",
    ),
    path("engagement/<slug:slug>/", views.cluster, name="cluster"),
    path("engagement/<slug:slug>/export.csv", views.cluster_csv, name="cluster_csv"),
    path(
        "engagement/<slug:slug>/invite/<int:organization_id>/",
        views.invite,
        name="invite",
    ),
]
