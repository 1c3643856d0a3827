from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "clusterhub.regions"
    label = "regions"
