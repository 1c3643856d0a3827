from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "clusterhub.contributions"
    label = "contributions"
