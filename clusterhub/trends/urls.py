from django.urls import path

from clusterhub.trends import views

app_name = "trends"

urlpatterns = [
    path("trends/", views.radar, name="radar"),
    path("trends/run/", views.region_run_start, name="region_run_start"),
    path("trends/runs/<int:run_id>/", views.run_detail, name="run"),
    path("trends/runs/<int:run_id>/topics.csv", views.run_topics_csv, name="run_topics_csv"),
    path("trends/topics/<int:topic_id>/", views.topic_detail, name="topic"),
    path("trends/topics/<int:topic_id>/labs/", views.topic_labs, name="topic_labs"),
    path(
        "trends/topics/<int:topic_id>/evidence.csv",
        views.topic_evidence_csv,
        name="topic_evidence_csv",
    ),
    path("clusters/<slug:slug>/trends/", views.cluster_radar, name="cluster_radar"),
    path("clusters/<slug:slug>/trends/run/", views.cluster_run_start, name="cluster_run_start"),
    path("clusters/<slug:slug>/trends/training/", views.cluster_training, name="training"),
    path(
        "clusters/<slug:slug>/trends/training.csv",
        views.cluster_training_csv,
        name="training_csv",
    ),
    path(
        "clusters/<slug:slug>/trends/opportunities/",
        views.cluster_opportunities,
        name="opportunities",
    ),
    path(
        "clusters/<slug:slug>/trends/opportunities.csv",
        views.cluster_opportunities_csv,
        name="opportunities_csv",
    ),
]
