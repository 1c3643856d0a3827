from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "clusterhub.privacy"
    label = "privacy"
