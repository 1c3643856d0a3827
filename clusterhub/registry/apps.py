from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "clusterhub.registry"
    label = "registry"
