from django.urls import path

from clusterhub.regions import views

app_name = "regions"

urlpatterns: list = []
