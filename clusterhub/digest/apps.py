from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "clusterhub.digest"
    label = "digest"
