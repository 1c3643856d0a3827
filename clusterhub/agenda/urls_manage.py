"""Routes of the agenda's manager pages and of the version and item pages."""

from django.urls import URLPattern, path

from clusterhub.agenda import views_manage as views

AGENDA = "clusters/<slug:slug>/agenda/"
VERSION = AGENDA + "v<int:number>/"
ITEM = AGENDA + "items/<int:pk>/"

urlpatterns: list[URLPattern] = [
    path(AGENDA, views.manage, name="manage"),
    path(AGENDA + "new/", views.version_new, name="version_create"),
    path(VERSION, views.version_detail, name="version"),
    path(VERSION + "phase/<str:step>/", views.version_phase, name="version_phase"),
    path(VERSION + "items/new/", views.item_new, name="item_create"),
    path(VERSION + "merge/", views.items_merge_view, name="items_merge"),
    path(ITEM, views.item_detail, name="item"),
    path(ITEM + "edit/", views.item_edit, name="item_edit"),
    path(ITEM + "split/", views.item_split_view, name="item_split"),
    path(ITEM + "remove/", views.item_remove_view, name="item_remove"),
    path(ITEM + "links/", views.item_links, name="item_links"),
    path(ITEM + "kpis/", views.kpi_add, name="kpi_add"),
    path(ITEM + "kpis/<int:kpi_id>/", views.kpi_edit, name="kpi_edit"),
    path(ITEM + "milestones/", views.milestone_add, name="milestone_add"),
    path(ITEM + "milestones/<int:milestone_id>/", views.milestone_edit, name="milestone_edit"),
]
