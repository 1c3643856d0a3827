from django.urls import path

from clusterhub.registry import views_manage

urlpatterns = [
    path("clusters/<slug:slug>/manage/", views_manage.members, name="members"),
    path(
        "clusters/<slug:slug>/manage/memberships/<int:membership_id>/status/",
        views_manage.membership_status,
        name="membership_status",
    ),
]
