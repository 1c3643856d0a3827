from django.urls import path

from clusterhub.registry import views

app_name = "registry"

urlpatterns: list = []
