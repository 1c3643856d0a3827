from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clusterhub.core"
    label = "core"
