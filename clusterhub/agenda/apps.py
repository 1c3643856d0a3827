from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "clusterhub.agenda"
    label = "agenda"
