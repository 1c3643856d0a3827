from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "clusterhub.engagement"
    label = "engagement"
