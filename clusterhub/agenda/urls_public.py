"""Routes of the public agenda: published versions, their items, downloads and comparison."""

from django.urls import URLPattern, path

from clusterhub.agenda import views_public as views

PUBLIC = "agenda/<slug:slug>/"
VERSION = PUBLIC + "v<int:number>/"

urlpatterns: list[URLPattern] = [
    path("agenda/", views.agenda_index, name="public_index"),
    path(PUBLIC, views.agenda_cluster, name="public_cluster"),
    path(PUBLIC + "diff/", views.agenda_diff, name="public_diff"),
    path(VERSION, views.agenda_version, name="public_version"),
    path(VERSION + "print/", views.agenda_print, name="public_print"),
    path(VERSION + "agenda.pdf", views.agenda_pdf, name="public_pdf"),
    path(VERSION + "agenda.csv", views.agenda_csv, name="public_csv"),
    path(VERSION + "agenda.json", views.agenda_json, name="public_json"),
    path(VERSION + "items/<int:pk>/", views.agenda_item, name="public_item"),
]
