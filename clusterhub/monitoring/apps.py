from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "clusterhub.monitoring"
    label = "monitoring"
