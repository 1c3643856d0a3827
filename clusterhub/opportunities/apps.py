from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "clusterhub.opportunities"
    label = "opportunities"
