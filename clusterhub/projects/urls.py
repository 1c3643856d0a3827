from django.urls import path

from clusterhub.projects import views, views_classification, views_import, views_review

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/<int:project_id>/", views.project_detail, name="detail"),
    path(
        "projects/<int:project_id>/classification/",
        views_classification.decide,
        name="classification_decide",
    ),
    path(
        "organizations/<int:organization_id>/suggestions/",
        views_classification.organization_suggestions_block,
        name="organization_suggestions",
    ),
    path("projects/import/", views_import.import_start, name="import_start"),
    path("projects/import/<int:job_id>/", views_import.import_detail, name="import_detail"),
    path(
        "projects/import/<int:job_id>/commit/",
        views_import.import_commit,
        name="import_commit",
    ),
    path("projects/review/", views_review.queue, name="review_queue"),
    path("projects/review/<int:match_id>/", views_review.decide, name="match_decide"),
]
