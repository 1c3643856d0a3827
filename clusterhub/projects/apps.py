from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "clusterhub.projects"
    label = "projects"
