from django.urls import path

from clusterhub.matchmaking import views

app_name = "matchmaking"

urlpatterns = [
    path("match/", views.search, name="search"),
    path("match/consortium/", views.consortium, name="consortium"),
    path("match/saved/", views.saved, name="saved"),
    path("match/saved/<int:saved_search_id>/seen/", views.saved_seen, name="saved_seen"),
    path("match/saved/<int:saved_search_id>/delete/", views.saved_delete, name="saved_delete"),
    path("organizations/<int:organization_id>/similar/", views.similar, name="similar"),
]
