"""Bulk import pages, under the namespace `registry_import` (see clusterhub/urls.py)."""

from django.urls import path

from clusterhub.registry import views_import

urlpatterns = [
    path("clusters/<slug:slug>/import/", views_import.import_start, name="start"),
    path(
        "clusters/<slug:slug>/import/<int:job_id>/mapping/",
        views_import.import_mapping,
        name="mapping",
    ),
    path("clusters/<slug:slug>/import/<int:job_id>/", views_import.import_detail, name="detail"),
    path(
        "clusters/<slug:slug>/import/<int:job_id>/commit/",
        views_import.import_commit,
        name="commit",
    ),
]
