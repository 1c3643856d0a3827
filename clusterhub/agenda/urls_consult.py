"""Routes of the consultation: comments, ballots, amendments and their decision, results."""

from django.urls import URLPattern, path

from clusterhub.agenda import views_consult as views

AGENDA = "clusters/<slug:slug>/agenda/"
ITEM = AGENDA + "items/<int:pk>/"

urlpatterns: list[URLPattern] = [
    path(ITEM + "consultation/", views.consult_item, name="consult_item"),
    path(ITEM + "comment/", views.consult_comment, name="consult_comment"),
    path(ITEM + "ballot/", views.consult_ballot, name="consult_ballot"),
    path(ITEM + "amend/", views.consult_amend, name="consult_amend"),
    path(
        ITEM + "amendments/<int:amendment_id>/decide/",
        views.consult_decide,
        name="consult_decide",
    ),
    path(AGENDA + "v<int:number>/results/", views.results, name="results"),
]
