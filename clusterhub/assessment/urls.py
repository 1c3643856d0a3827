from django.urls import path

from clusterhub.assessment import views

app_name = "assessment"

urlpatterns = [
    path("clusters/<slug:slug>/assessment/", views.cluster_assessments, name="list"),
    path("clusters/<slug:slug>/assessment/start/", views.assessment_start, name="start"),
    path("clusters/<slug:slug>/assessment/<int:pk>/", views.assessment_detail, name="detail"),
    path(
        "clusters/<slug:slug>/assessment/<int:pk>/areas/<slug:area>/",
        views.assessment_area_save,
        name="area_save",
    ),
    path(
        "clusters/<slug:slug>/assessment/<int:pk>/refresh/",
        views.assessment_refresh,
        name="refresh",
    ),
    path(
        "clusters/<slug:slug>/assessment/<int:pk>/status/",
        views.assessment_status,
        name="status",
    ),
    path(
        "clusters/<slug:slug>/assessment/<int:pk>/attachments/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "clusters/<slug:slug>/assessment/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("assessment/compare/", views.compare, name="compare"),
]
urlpatterns += [
    path("clusters/<slug:slug>/skills/", views.skills, name="skills"),
]
urlpatterns += [
    path("feedback/", views.feedback_pending, name="feedback_pending"),
    path("feedback/<int:event_id>/", views.feedback, name="feedback"),
    path(
        "clusters/<slug:slug>/performance/<int:year>/",
        views.performance,
        name="performance",
    ),
    path(
        "clusters/<slug:slug>/performance/<int:year>.csv",
        views.performance_csv,
        name="performance_csv",
    ),
]
