from django.urls import path

from clusterhub.contributions import views

app_name = "contributions"

urlpatterns = [
    path("contributions/", views.contribution_list_view, name="list"),
    path("contributions/new/", views.contribution_create_view, name="create"),
    path("contributions/new/check/", views.check_draft, name="check"),
    path("contributions/moderation/", views.queue, name="queue"),
    path("contributions/<int:contribution_id>/", views.contribution_detail, name="detail"),
    path("contributions/<int:contribution_id>/endorse/", views.endorse, name="endorse"),
    path("contributions/<int:contribution_id>/comments/", views.comment, name="comment"),
    path("contributions/<int:contribution_id>/moderate/", views.moderate, name="moderate"),
]
