from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "clusterhub.trends"
    label = "trends"
