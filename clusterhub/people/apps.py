from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "clusterhub.people"
    label = "people"
