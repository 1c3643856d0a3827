from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "clusterhub.events"
    label = "events"
