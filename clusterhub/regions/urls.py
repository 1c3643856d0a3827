from django.urls import path

from clusterhub.regions import views

app_name = "regions"

urlpatterns = [
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster_detail"),
]
