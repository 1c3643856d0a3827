from django.urls import path

from clusterhub.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", views.opportunity_feed, name="list"),
    path("opportunities/for-me/", views.for_me, name="for_me"),
    path("opportunities/new/", views.opportunity_new, name="new"),
    path("opportunities/import/", views.opportunity_import, name="import"),
    path(
        "opportunities/from-contribution/<int:contribution_id>/",
        views.publish_contribution,
        name="from_contribution",
    ),
    path("opportunities/<int:opportunity_id>/", views.opportunity_detail, name="detail"),
    path("opportunities/<int:opportunity_id>/edit/", views.opportunity_edit, name="edit"),
]
